/**
 * Taint core benchmark: all six policies in one pass over a seeded synthetic chain.
 *
 *   npx tsx --expose-gc bench/taint.bench.ts [--n 1000000[,10000000]] [--runs 5] [--baseline-n 1000000] [--seed 42]
 *
 * The JIT is warmed up first on a 1 M chain of another seed (the first passes of a fresh process run
 * partly unoptimised). Per size n: generation time; the six-policy sweep (inputs pre-sorted, as a chain-ordered store
 * scan gives them) as the bare pass and with the per-transfer taint log runTrace needs; edges/s,
 * ns/edge (median of `runs`), bytes per edge (typed-array footprint: 32 B of columns + per-account
 * state, and the measured arrayBuffers/heap growth), peak RSS. Then, at `baseline-n`, the
 * straightforward haircut over graphology attributes vs the same haircut over typed arrays vs
 * the six-policy sweep, per edge, measured in this run, and the ratio of each size's sweep to that
 * graphology haircut. Targets: ≥ 10 M edges/s, < 64 B/edge. Wall time and process CPU time are both
 * reported (the machine is shared: CPU time is less disturbed by other processes, not by their
 * cache traffic). Results go to bench/results/taint.json (gitignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticChain, type SyntheticChain } from '../src/fixture/synthetic.js';
import { NP, openingOf, sweep, type SweepResult } from '../src/taint/sweep.js';
import { buildGraphologyGraph, haircutOverGraphology, haircutTyped } from './taint-baseline.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const sizes = flag('n', '1000000').split(',').map(Number);
const runs = Number(flag('runs', '5'));
const baselineN = Number(flag('baseline-n', '1000000'));
const seed = Number(flag('seed', '42'));

const gc = (globalThis as { gc?: () => void }).gc;
const collect = (): void => {
  if (gc) {
    gc();
    gc();
  }
};
const mib = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

function columnsBytes(c: SyntheticChain): number {
  return (
    c.sender.byteLength +
    c.recipient.byteLength +
    c.amount.byteLength +
    c.fee.byteLength +
    c.timeStamp.byteLength +
    c.height.byteLength +
    c.seed.byteLength +
    c.isExit.byteLength
  );
}

/**
 * Bytes the sweep allocated: core records, slot index and table, first-taint pointers, lot lists,
 * logs. (The "measured" figure comes from process.memoryUsage(), which does not count the
 * page-aligned WebAssembly.Memory that holds large core tables, so it reads low by up to 32 B per
 * account; this computed figure is the one to quote.)
 */
function stateBytes(r: SweepResult): number {
  let lots = 0;
  for (const l of [...r.fifo, ...r.lifo]) if (l !== null) lots += l.amt.length * 8 + 48;
  const arrays = r.core.byteLength + r.slotIndex.byteLength + r.slots.byteLength + r.firstK.byteLength + r.fifo.length * 8 * 2;
  const logs =
    (r.log ? r.log.code.byteLength + r.log.amount.byteLength : 0) +
    (r.history
      ? r.history.account.byteLength + r.history.code.byteLength + r.history.balance.byteLength + r.history.tainted.byteLength
      : 0);
  return arrays + lots + logs;
}

function summary(r: SweepResult) {
  let tainted = [0, 0, 0, 0, 0, 0];
  for (let a = 0; a < r.accounts; a++) for (let p = 0; p < NP; p++) if (r.firstK[a * NP + p] >= 0) tainted[p]++;
  let openings = 0;
  for (let a = 0; a < r.accounts; a++) if (openingOf(r, a) > 0) openings++;
  tainted = tainted.map((x) => x);
  return {
    taintedAccounts: tainted,
    accountsWithOpenings: openings,
    slots: r.slotCount - 1,
    fees: r.fees.map(String),
    injected: r.injected.map(String),
  };
}

function timeSweep(chain: SyntheticChain, log: boolean) {
  const times: number[] = [];
  const cpu: number[] = [];
  let result: SweepResult | null = null;
  let memDelta = 0;
  for (let i = 0; i < runs; i++) {
    // Drop the previous run's result before collecting, so memDelta measures one run's allocation.
    // eslint-disable-next-line no-useless-assignment
    result = null;
    collect();
    const before = process.memoryUsage();
    const c0 = process.cpuUsage();
    const t0 = now();
    const r = sweep(chain, { isExit: chain.isExit, seed: chain.seed, dust: 1_000_000, log });
    times.push(now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    const after = process.memoryUsage();
    memDelta = Math.max(memDelta, after.arrayBuffers - before.arrayBuffers + (after.heapUsed - before.heapUsed));
    result = r;
  }
  const ms = median(times);
  return { ms, cpuMs: median(cpu), times: times.map((t) => Math.round(t)), result: result!, memDelta };
}

const report: Record<string, unknown> = {
  bench: 'taint',
  seed,
  runs,
  node: process.version,
  gcExposed: gc !== undefined,
  date: new Date().toISOString(),
  sizes: [] as unknown[],
};

{
  // warm up on a 1 M chain (another seed): V8 re-optimises the pass several times as rare paths
  // (spills, lot lists, slot growth) first run; the timed runs should see the settled code
  const warm = syntheticChain({ transfers: 1_000_000, seed: seed + 1 });
  for (let i = 0; i < 8; i++) {
    sweep(warm, { isExit: warm.isExit, seed: warm.seed, dust: 1_000_000, log: i % 2 === 1 });
    haircutTyped(warm, warm.n);
  }
}

for (const n of sizes) {
  collect();
  const t0 = now();
  const chain = syntheticChain({ transfers: n, seed });
  const genMs = now() - t0;
  const bare = timeSweep(chain, false);
  const logged = timeSweep(chain, true);
  const colBytes = columnsBytes(chain);
  const entry = {
    n,
    accounts: chain.accounts,
    generateMs: Math.round(genMs),
    sweep: {
      ms: Math.round(bare.ms),
      runsMs: bare.times,
      edgesPerSecond: Math.round(n / (bare.ms / 1000)),
      nsPerEdge: Math.round(((bare.ms * 1e6) / n) * 10) / 10,
      cpuNsPerEdge: Math.round(((bare.cpuMs * 1e6) / n) * 10) / 10,
      bytesPerEdge: Math.round(((colBytes + stateBytes(bare.result)) / n) * 10) / 10,
      measuredBytesPerEdge: Math.round(((colBytes + bare.memDelta) / n) * 10) / 10,
    },
    sweepWithLog: {
      ms: Math.round(logged.ms),
      runsMs: logged.times,
      edgesPerSecond: Math.round(n / (logged.ms / 1000)),
      nsPerEdge: Math.round(((logged.ms * 1e6) / n) * 10) / 10,
      cpuNsPerEdge: Math.round(((logged.cpuMs * 1e6) / n) * 10) / 10,
      bytesPerEdge: Math.round(((colBytes + stateBytes(logged.result)) / n) * 10) / 10,
      logRows: logged.result.log!.length,
    },
    columnsBytesPerEdge: Math.round((colBytes / n) * 10) / 10,
    result: summary(bare.result),
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
  };
  (report.sizes as unknown[]).push(entry);
  console.log(`n=${n.toLocaleString('en')} accounts=${chain.accounts.toLocaleString('en')} generate ${entry.generateMs} ms`);
  console.log(
    `  six-policy sweep:          ${entry.sweep.ms} ms  ${(entry.sweep.edgesPerSecond / 1e6).toFixed(2)} M edges/s ` +
      ` ${entry.sweep.nsPerEdge} ns/edge (CPU ${entry.sweep.cpuNsPerEdge}) ` +
      ` ${entry.sweep.bytesPerEdge} B/edge (measured ${entry.sweep.measuredBytesPerEdge})  ` +
      `runs ${bare.times.join('/')} ms`,
  );
  console.log(
    `  six-policy sweep + log:    ${entry.sweepWithLog.ms} ms  ${(entry.sweepWithLog.edgesPerSecond / 1e6).toFixed(2)} M edges/s ` +
      ` ${entry.sweepWithLog.nsPerEdge} ns/edge (CPU ${entry.sweepWithLog.cpuNsPerEdge}) ` +
      ` ${entry.sweepWithLog.bytesPerEdge} B/edge  (${entry.sweepWithLog.logRows.toLocaleString('en')} ` +
      `log rows)  runs ${logged.times.join('/')} ms`,
  );
  console.log(
    `  tainted accounts per policy [poison haircut fifo lifo taint-first clean-first]: ${entry.result.taintedAccounts.join(' ')}; ` +
      `peak RSS ${entry.peakRssMiB} MiB`,
  );
}

// Baseline: haircut over graphology attributes, at baseline-n, against typed haircut and the six-policy sweep.
{
  collect();
  const chain = syntheticChain({ transfers: baselineN, seed });
  const heapBefore = process.memoryUsage().heapUsed;
  let t0 = now();
  const g = buildGraphologyGraph(chain, baselineN);
  const buildMs = now() - t0;
  collect();
  const graphBytes = process.memoryUsage().heapUsed - heapBefore;
  const gTimes: number[] = [];
  let check = 0;
  for (let i = 0; i < runs; i++) {
    g.forEachNode((_n, a) => {
      a.balance = 0;
      a.taint = 0;
    });
    t0 = now();
    check = haircutOverGraphology(g);
    gTimes.push(now() - t0);
  }
  const tTimes: number[] = [];
  let checkTyped = 0;
  for (let i = 0; i < runs; i++) {
    t0 = now();
    checkTyped = haircutTyped(chain, baselineN);
    tTimes.push(now() - t0);
  }
  const sTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    t0 = now();
    sweep(chain, { isExit: chain.isExit, seed: chain.seed, dust: 1_000_000 });
    sTimes.push(now() - t0);
  }
  const ns = (ms: number): number => Math.round(((ms * 1e6) / baselineN) * 10) / 10;
  const graphologyNs = ns(median(gTimes));
  const typedNs = ns(median(tTimes));
  const sixNs = ns(median(sTimes));
  const baseline = {
    n: baselineN,
    graphologyBuildMs: Math.round(buildMs),
    graphologyBytesPerEdge: Math.round(graphBytes / baselineN),
    graphologyHaircutNsPerEdge: graphologyNs,
    typedHaircutNsPerEdge: typedNs,
    sixPolicySweepNsPerEdge: sixNs,
    ratioGraphologyToTypedHaircut: Math.round((graphologyNs / typedNs) * 10) / 10,
    ratioGraphologyHaircutToSixPolicySweep: Math.round((graphologyNs / sixNs) * 10) / 10,
    checksumsAgree: check === checkTyped,
  };
  report.baseline = baseline;
  for (const e of report.sizes as { n: number; sweep: { nsPerEdge: number }; ratioGraphologyHaircutToSweep?: number }[]) {
    e.ratioGraphologyHaircutToSweep = Math.round((graphologyNs / e.sweep.nsPerEdge) * 10) / 10;
  }
  console.log(
    `baseline at n=${baselineN.toLocaleString('en')}: graphology build ${baseline.graphologyBuildMs} ms ` +
      `(${baseline.graphologyBytesPerEdge} B/edge heap)`,
  );
  console.log(
    `  haircut over graphology attributes ${graphologyNs} ns/edge; typed haircut ${typedNs} ns/edge ` +
      `(${baseline.ratioGraphologyToTypedHaircut}×); six-policy sweep ${sixNs} ns/edge (graphology ` +
      `haircut is ${baseline.ratioGraphologyHaircutToSixPolicySweep}× slower); checksums ` +
      `agree: ${baseline.checksumsAgree}`,
  );
}

const peakRssMiB = mib(process.resourceUsage().maxRSS * 1024);
report.peakRssMiB = peakRssMiB;
const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'taint.json');
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log('summary (six policies, one pass; graphology haircut measured at n = ' + baselineN.toLocaleString('en') + ' in this run):');
for (const e of report.sizes as {
  n: number;
  sweep: { edgesPerSecond: number; nsPerEdge: number; bytesPerEdge: number };
  peakRssMiB: number;
  ratioGraphologyHaircutToSweep: number;
}[]) {
  console.log(
    `  n=${e.n.toLocaleString('en')}: ${(e.sweep.edgesPerSecond / 1e6).toFixed(2)} M edges/s, ${e.sweep.nsPerEdge} ns/edge,` +
      ` ${e.sweep.bytesPerEdge} B/edge, peak RSS ${e.peakRssMiB} MiB, graphology haircut / six-policy ` +
      `sweep = ${e.ratioGraphologyHaircutToSweep}×`,
  );
}
console.log(`peak RSS ${peakRssMiB} MiB; wrote ${file}`);
