/**
 * The trace job at scale (issue 10): a seeded synthetic chain (src/fixture/synthetic.ts), from an empty store
 * through the ingest (store.writeBatch, 4,096 per batch), the trace job with every report format on the
 * library's defaults and the taint index load, completes in a child process whose JavaScript heap is capped
 * (`--max-old-space-size`). A memory limit, not a time. bench/e2e.bench.ts --child does the work (README "End to
 * end" has its figures).
 *
 * 200,000 transfers under a 768 MiB heap run in the default suite (about 56 s of CPU on 2026-12-06, after the
 * report page's path search stopped trying order-violating branches). 1,000,000 under a 2 GiB heap, the issue's
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
        [`--max-old-space-size=${heapMiB}`, '--import', 'tsx', bench, '--child', String(n), '--seed', '7'],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      expect(child.status, child.stderr.slice(-2000)).toBe(0);
      const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Run;
      expect(result.n).toBe(n);
      expect(result.phases.map((p) => p.name)).toEqual(['ingest', 'trace job', 'index load', 'core sweep']);
      for (const f of FILES) expect(result.files[f], f).toBeGreaterThan(0);
      // every transfer is a line of transfers.csv (files in KiB; a line is > 150 bytes)
      expect(result.files['transfers.csv'] * 1024).toBeGreaterThan(150 * n);
      // report.json is capped for people (1,000 exits and accounts per policy): it does not grow with the chain
      expect(result.files['report.json']).toBeLessThan(8 * 1024);
    }, 3_600_000);
  });
}
