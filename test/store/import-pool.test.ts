/**
 * The import's checks on worker threads (src/store/import-pool.ts): a block gives the same result on a worker as in
 * this thread, and a pool whose workers are idle never keeps the process alive.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ImportPool } from '../../src/store/import-pool.js';
import { checkBlock, type BlockJob } from '../../src/store/import-check.js';

const job = (): BlockJob => ({
  name: 'in.ndjson',
  firstLine: 3,
  lines: 3,
  bytes: new Uint8Array(Buffer.from('\n{"data":7}\n\n')),
  signatures: 'here',
});

describe('ImportPool', () => {
  it('checks a block on a worker as checkBlock does here', async () => {
    const pool = new ImportPool(2);
    try {
      const [a, b] = await Promise.all([pool.check(job()), pool.check(job())]);
      expect(a).toEqual(checkBlock(job()));
      expect(b).toEqual(a);
      expect(a.error?.message).toMatch(/^in\.ndjson:4: /);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('lets the process exit with workers idle (one job on a pool of four, never closed)', () => {
    const script = `
      import { ImportPool } from './src/store/import-pool.ts';
      const r = await new ImportPool(4).check({ name: 'x', firstLine: 1, lines: 1, bytes: new Uint8Array(1), signatures: 'no' });
      console.log('checked', r.lines);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.trim()).toBe('checked 1');
  }, 60_000);
});
