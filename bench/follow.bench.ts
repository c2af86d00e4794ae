/**
 * Follow-mode benchmark (issue 11), two parts in one run:
 *
 * 1. One follow round after one new block, as the store grows: seeded synthetic chains of 1 k, 100 k and 1 M
 *    transfers (~5 a block) in a LevelDB store; an IncrementalTrace (src/taint/incremental.ts, follow's re-trace)
 *    is fed the chain up to its last `--blocks` blocks, then each of those blocks in turn, doing what follow's
 *    round does (src/jobs/follow-job.ts): store the block, `store.stats()`, the incremental update, the index
 *    build, the index save with the manifest, the events derived from what changed. Each phase timed; beside it,
 *    in the same run, a batch `runTrace` of the same transfers (sort, columns, the whole sweep, assembly) — the
 *    ratio batch / incremental update is the re-trace's figure, the round total says what a block still costs.
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
import { deriveEvents } from '../src/events/index.js';
import { syntheticChain, syntheticTransfers } from '../src/fixture/synthetic.js';
import { runLiveDemo } from '../src/jobs/index.js';
import type { Transfer } from '../src/nem/index.js';
import { buildTaintIndex, saveTaintIndex, TAINT_INDEX_SUBLEVEL } from '../src/screen/index.js';
import { openStore } from '../src/store/index.js';
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
const PHASES = ['write', 'stats', 'update', 'indexBuild', 'indexSave', 'derive'] as const;

const retrace: Record<string, unknown>[] = [];
for (const size of sizes) {
  const chain = syntheticChain({ transfers: size, seed });
  const { transfers, labels, caseSpec } = syntheticTransfers(chain);
  const sorted = sortTransfers(transfers);
  const heights = [...new Set(sorted.map((t) => t.height))];
  const last = heights.slice(-blocks);
  const byHeight = (h: number) => sorted.filter((t) => t.height === h);
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-follow-store-'));
  const store = await openStore(dir);
  try {
    let held: Transfer[] = sorted.filter((t) => t.height < last[0]);
    for (let i = 0; i < held.length; i += 20_000) await store.writeBatch({ transfers: held.slice(i, i + 20_000) });
    let stats = await store.stats(); // the catch-up crawl ends with the store's stats, as follow's does
    const inc = new IncrementalTrace({ caseSpec, labels, engineVersion: 'bench' });
    gc();
    let t0 = performance.now();
    inc.update({ add: held }, { storeDigest: stats.digest, tipHeight: stats.tipHeight });
    const warm = performance.now() - t0;
    const phase: Record<(typeof PHASES)[number], number[]> = {
      write: [],
      stats: [],
      update: [],
      indexBuild: [],
      indexSave: [],
      derive: [],
    };
    const round: number[] = [];
    const batchMs: number[] = [];
    let swept = 0;
    for (const h of last) {
      const block = byHeight(h);
      held = held.concat(block);
      gc();
      const lap = (name: (typeof PHASES)[number], from: number) => {
        const now = performance.now();
        phase[name].push(now - from);
        return now;
      };
      const start = performance.now();
      await store.writeBatch({ transfers: block });
      t0 = lap('write', start);
      stats = await store.stats();
      t0 = lap('stats', t0);
      const update = inc.update({ add: block }, { storeDigest: stats.digest, tipHeight: stats.tipHeight });
      t0 = lap('update', t0);
      const index = buildTaintIndex(update.result);
      t0 = lap('indexBuild', t0);
      await saveTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL), index);
      await store.putManifest(update.result.manifest.caseId, update.result.manifest);
      t0 = lap('indexSave', t0);
      const { result, changed } = update;
      deriveEvents({
        index,
        transfers: result.transfers,
        watch: new Map(),
        tip: h,
        ...(changed ? { changed: { accounts: changed.accounts, transfers: result.transfers.slice(changed.from) } } : {}),
      });
      lap('derive', t0);
      round.push(performance.now() - start);
      swept += update.stats.swept;
      gc();
      t0 = performance.now();
      runTrace({ transfers: held, caseSpec, labels, storeDigest: stats.digest, tipHeight: h, engineVersion: 'bench' });
      batchMs.push(performance.now() - t0);
    }
    const medians = Object.fromEntries(PHASES.map((p) => [`${p}Ms`, median(phase[p])]));
    const row = {
      transfers: size,
      blockTransfers: swept / last.length,
      firstTraceMs: Math.round(warm),
      ...medians,
      roundMs: median(round),
      batchMs: median(batchMs),
      ratio: median(batchMs) / median(phase.update),
    };
    retrace.push(row);
    const f = (x: number) => x.toFixed(1);
    console.log(
      `${size.toLocaleString('en')} transfers: one new block (${row.blockTransfers.toFixed(1)} transfers) ` +
        `update ${f(median(phase.update))} ms vs batch runTrace ${f(row.batchMs)} ms — ${row.ratio.toFixed(1)}×; ` +
        `round ${f(row.roundMs)} ms = ` +
        PHASES.map((p) => `${p} ${f(median(phase[p]))}`).join(', ') +
        ` (first trace ${row.firstTraceMs} ms)`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
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
