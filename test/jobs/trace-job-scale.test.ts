/**
 * The trace job at scale (issue 10): a seeded synthetic chain (src/fixture/synthetic.ts) written as NIS1 items, from an
 * empty store through the import, the trace job with every report format on the library's defaults, the taint index
 * load and `tainttrace serve` answering a lookup completes, every phase in a child process whose JavaScript heap is
 * capped (`--max-old-space-size`). A memory limit, not a time. bench/e2e.bench.ts does the work (each of its
 * phase children inherits the cap), from the sources (`--sources`: a test builds no package); README "End to end" has
 * its figures.
 *
 * 200,000 transfers under a 768 MiB heap run in the default suite. 1,000,000 under a 2 GiB heap, the issue's
 * memory goal, is opt-in (`TAINTTRACE_SCALE=1`): several CPU minutes, more than the suite can spend on one test.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Run } from '../../bench/e2e.bench.js';

const bench = join(import.meta.dirname, '../../bench/e2e.bench.ts');
const FILES = ['report.json', 'report.md', 'report.html', 'graph.gexf', 'graph.graphml', 'transfers.csv', 'accounts.csv'];

const sizes = [
  { n: 200_000, heapMiB: 768, run: true },
  { n: 1_000_000, heapMiB: 2048, run: process.env.TAINTTRACE_SCALE === '1' },
];

for (const { n, heapMiB, run } of sizes) {
  describe.skipIf(!run)(`traceJob at ${n.toLocaleString('en')} transfers`, () => {
    it(`completes with every report format and the index within a ${heapMiB} MiB heap`, () => {
      const child = spawnSync(
        process.execPath,
        [`--max-old-space-size=${heapMiB}`, '--import', 'tsx', bench, '--n', String(n), '--seed', '7', '--json', '--sources'],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      expect(child.status, child.stderr.slice(-2000)).toBe(0);
      const [result] = (JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { runs: Run[] }).runs;
      expect(result.ok, result.error).toBe(true);
      expect(result.n).toBe(n);
      expect(result.phases.map((p) => p.name)).toEqual(['import', 'trace job', 'index load', 'serve start', 'core sweep']);
      // the index holds the traced accounts, and serve answered a lookup from it (else its phase would have failed)
      expect(result.indexedAccounts).toBeGreaterThan(0);
      for (const f of FILES) expect(result.files[f], f).toBeGreaterThan(0);
      // every transfer is a line of transfers.csv (files in KiB; a line is > 150 bytes)
      expect(result.files['transfers.csv'] * 1024).toBeGreaterThan(150 * n);
      // report.json is capped for people (1,000 exits and accounts per policy): it does not grow with the chain
      expect(result.files['report.json']).toBeLessThan(8 * 1024);
    }, 3_600_000);
  });
}
