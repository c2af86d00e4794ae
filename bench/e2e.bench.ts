/**
 * End to end at scale (issue 10): a seeded synthetic chain (src/fixture/synthetic.ts; valid hashes,
 * the exits labelled, the theft transfers as hash seeds, maxHops 1000) from an empty store through
 * the ingest, the trace job with every report format (the library's defaults, as `tainttrace trace`
 * runs it) and the taint index load (what `tainttrace serve` does at start). Each size runs in a
 * child process of its own, so its peak memory is its own. Per phase: wall time, CPU time and the
 * peak resident memory (sampled every 20 ms; the process peak from getrusage at the end). The
 * floor, timed in the same child: the core's six-policy sweep over the same transfers as columns.
 *
 *   npx tsx bench/e2e.bench.ts [--n 1000000,10000000] [--seed 7] [--json]
 *
 * Ingest is `store.writeBatch` in batches of 4,096 (the crawler's write path) until a bulk import
 * path exists. `--json` prints one line `{"bench":"e2e","runs":[…]}` for scripts. The machine is
 * shared and noisy: read the trace job against the sweep of the same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { syntheticChain, syntheticLabels, syntheticTransfer } from '../src/fixture/synthetic.js';
import { traceJob } from '../src/jobs/trace-job.js';
import { loadTaintIndexFromDir } from '../src/screen/open-index.js';
import { openStore } from '../src/store/index.js';
import { sweep } from '../src/taint/sweep.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const seed = Number(flag('seed', '7'));
const json = args.includes('--json');

export interface Phase {
  name: string;
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
}
export interface Run {
  n: number;
  seed: number;
  accounts: number;
  phases: Phase[];
  peakRssMiB: number;
  files: Record<string, number>;
  ok: boolean;
}

const MiB = 1048576;

/** Runs `fn` as a named phase: wall and CPU time, and the highest RSS seen while it ran. */
async function phase<T>(phases: Phase[], name: string, fn: () => Promise<T> | T): Promise<T> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    phases.push({
      name,
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      peakRssMiB: Math.round(peak / MiB),
    });
  }
}

/** One size, in this process: the child's work. */
export async function runOne(n: number, runSeed: number, root: string): Promise<Run> {
  const phases: Phase[] = [];
  const chain = syntheticChain({ transfers: n, seed: runSeed });
  // the case file and labels (TagPack YAML) an investigator would write for this chain
  const tags = [...syntheticLabels(chain).values()].map((l) => ({ address: l.address, label: l.label, category: l.category }));
  writeFileSync(join(root, 'labels.yaml'), stringify({ title: 'synthetic chain roles', creator: 'e2e bench', tags }));
  const seeds: { hash: string }[] = [];
  for (let k = 0; k < chain.n; k++) if (chain.seed[k] === 1) seeds.push({ hash: syntheticTransfer(chain, k).hash });
  const caseFile = join(root, 'case.json');
  writeFileSync(
    caseFile,
    JSON.stringify({
      id: `synthetic-${runSeed}`,
      title: `Synthetic chain (${n} transfers, seed ${runSeed})`,
      seeds,
      labels: ['labels.yaml'],
      dust: '1.000000',
      maxHops: 1000,
    }),
  );

  const db = join(root, 'store');
  await phase(phases, 'ingest', async () => {
    const store = await openStore(db);
    const BATCH = 4096;
    for (let lo = 0; lo < n; lo += BATCH) {
      const part = [];
      for (let k = lo; k < Math.min(n, lo + BATCH); k++) part.push(syntheticTransfer(chain, k));
      await store.writeBatch({ transfers: part });
    }
    await store.close();
  });
  const out = join(root, 'report');
  await phase(phases, 'trace job', () => traceJob({ store: db, caseFile, outDir: out }));
  await phase(phases, 'index load', () => loadTaintIndexFromDir(db));
  await phase(phases, 'core sweep', () =>
    sweep(chain, { isExit: chain.isExit, seed: chain.seed, dust: 1_000_000, log: true, history: true }),
  );
  const files: Record<string, number> = {};
  for (const f of readdirSync(out)) files[f] = Math.round(statSync(join(out, f)).size / 1024);
  return {
    n,
    seed: runSeed,
    accounts: chain.accounts,
    phases,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    files,
    ok: true,
  };
}

function table(runs: Run[]): string {
  const lines = ['transfers  phase        wall s   cpu s   peak RSS MiB'];
  for (const r of runs) {
    for (const p of r.phases)
      lines.push(
        `${String(r.n).padStart(9)}  ${p.name.padEnd(11)} ${(p.wallMs / 1000).toFixed(2).padStart(7)} ` +
          `${(p.cpuMs / 1000).toFixed(2).padStart(7)} ${String(p.peakRssMiB).padStart(14)}`,
      );
    const job = r.phases.find((p) => p.name === 'trace job')!;
    const core = r.phases.find((p) => p.name === 'core sweep')!;
    lines.push(
      `${String(r.n).padStart(9)}  process peak RSS ${r.peakRssMiB} MiB; trace job ÷ core ` +
        `sweep: ${(job.wallMs / Math.max(1, core.wallMs)).toFixed(0)}× wall; files ` +
        `(KiB): ${JSON.stringify(r.files)}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (args.includes('--child')) {
    const n = Number(flag('child', '0'));
    const root = mkdtempSync(join(tmpdir(), 'tt-e2e-'));
    try {
      process.stdout.write(`${JSON.stringify(await runOne(n, seed, root))}\n`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    return;
  }
  const sizes = flag('n', '1000000,10000000').split(',').map(Number);
  const runs: Run[] = [];
  for (const n of sizes) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(n), '--seed', String(seed)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      runs.push({ n, seed, accounts: 0, phases: [], peakRssMiB: 0, files: {}, ok: false });
      process.stderr.write(`e2e: ${n} transfers failed (exit ${child.status}${child.signal ? `, ${child.signal}` : ''})\n`);
      continue;
    }
    runs.push(JSON.parse(line) as Run);
    if (!json) process.stdout.write(`${table([runs.at(-1)!])}\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify({ bench: 'e2e', seed, runs })}\n`);
  if (runs.some((r) => !r.ok)) process.exitCode = 1;
}

await main();
