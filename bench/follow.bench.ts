/**
 * Follow-mode benchmark (issue 11), two parts in one run:
 *
 * 1. Re-trace cost of one new block as the store grows: seeded synthetic chains of 1 k, 100 k and 1 M
 *    transfers (~5 a block); an IncrementalTrace (src/taint/incremental.ts, follow's re-trace) is fed
 *    the chain up to its last `--blocks` blocks, then each of those blocks in turn. Per block, interleaved
 *    in the same run: the incremental update (the sweep resumes where it stopped, then the six policies'
 *    results are assembled), the same update with nothing new (assembly alone: the floor of the
 *    incremental path), and a batch `runTrace` of the same transfers (sort, columns, the whole sweep,
 *    assembly) — medians, and the ratio batch / incremental.
 * 2. Block-to-alert latency against the live fixture node: `runLiveDemo` (the Coincheck scenario block by
 *    block, `follow` on its library defaults with its poll interval scaled with the block time as the
 *    demo does); for every alert raised for a block the demo produced, the time from the node showing that
 *    block to the follower handing the event over — p50 and p99.
 *
 *   npx tsx --expose-gc bench/follow.bench.ts [--sizes 1000,100000,1000000] [--blocks 5] [--seed 7]
 *                                             [--live-blocks 120] [--block-ms 250]
 *
 * Results go to bench/results/follow.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticChain, syntheticTransfers } from '../src/fixture/synthetic.js';
import { runLiveDemo } from '../src/jobs/index.js';
import type { Transfer } from '../src/nem/index.js';
import { IncrementalTrace, runTrace, sortTransfers } from '../src/taint/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const sizes = flag('sizes', '1000,100000,1000000').split(',').map(Number);
const blocks = Number(flag('blocks', '5'));
const seed = Number(flag('seed', '7'));
const liveBlocks = Number(flag('live-blocks', '120'));
const blockMs = Number(flag('block-ms', '250'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const ms = (t0: number) => performance.now() - t0;

const retrace: Record<string, unknown>[] = [];
for (const size of sizes) {
  const chain = syntheticChain({ transfers: size, seed });
  const { transfers, labels, caseSpec } = syntheticTransfers(chain);
  const sorted = sortTransfers(transfers);
  const heights = [...new Set(sorted.map((t) => t.height))];
  const last = heights.slice(-blocks);
  const byHeight = (h: number) => sorted.filter((t) => t.height === h);
  const meta = (tip: number) => ({ storeDigest: 'sha256:bench', tipHeight: tip });
  const inc = new IncrementalTrace({ caseSpec, labels, engineVersion: 'bench' });
  let held: Transfer[] = sorted.filter((t) => t.height < last[0]);
  gc();
  let t0 = performance.now();
  inc.update({ add: held }, meta(last[0] - 1));
  const warm = ms(t0);
  const incMs: number[] = [];
  const floorMs: number[] = [];
  const batchMs: number[] = [];
  let swept = 0;
  for (const h of last) {
    const block = byHeight(h);
    held = held.concat(block);
    gc();
    t0 = performance.now();
    const { stats } = inc.update({ add: block }, meta(h));
    incMs.push(ms(t0));
    swept += stats.swept;
    gc();
    t0 = performance.now();
    inc.update({ add: [] }, meta(h));
    floorMs.push(ms(t0));
    gc();
    t0 = performance.now();
    runTrace({ transfers: held, caseSpec, labels, storeDigest: 'sha256:bench', tipHeight: h, engineVersion: 'bench' });
    batchMs.push(ms(t0));
  }
  const row = {
    transfers: size,
    blockTransfers: swept / last.length,
    firstTraceMs: Math.round(warm),
    incrementalMs: median(incMs),
    assemblyOnlyMs: median(floorMs),
    batchMs: median(batchMs),
    ratio: median(batchMs) / median(incMs),
  };
  retrace.push(row);
  console.log(
    `${size.toLocaleString('en')} transfers: one new block (${row.blockTransfers.toFixed(1)} transfers) ` +
      `incremental ${row.incrementalMs.toFixed(1)} ms (assembly alone ${row.assemblyOnlyMs.toFixed(1)} ms), ` +
      `batch ${row.batchMs.toFixed(1)} ms — ${row.ratio.toFixed(1)}× (first trace ${row.firstTraceMs} ms)`,
  );
}

const root = mkdtempSync(join(tmpdir(), 'tt-bench-follow-'));
let latency: Record<string, unknown> = {};
try {
  if (liveBlocks > 0) {
    const demo = await runLiveDemo({ dir: root, blocks: liveBlocks, blockMs });
    const lat = demo.events.filter((e) => e.blockAt !== null && e.event.type !== 'index.updated').map((e) => e.at - e.blockAt!);
    latency = {
      blocks: demo.blocks,
      blockMs,
      alerts: lat.length,
      p50Ms: quantile(lat, 0.5),
      p99Ms: quantile(lat, 0.99),
      maxMs: Math.max(...lat),
    };
    console.log(
      `block-to-alert over ${demo.blocks} live blocks (${blockMs} ms apart, poll ${Math.round(blockMs / 4)} ms): ` +
        `${lat.length} alerts, p50 ${quantile(lat, 0.5).toFixed(0)} ms, p99 ${quantile(lat, 0.99).toFixed(0)} ms`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'follow.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), seed, blocks, retrace, latency }, null, 2) + '\n');
