/**
 * End to end at scale (issue 10 item 6): a seeded synthetic chain (src/fixture/synthetic.ts; the exits labelled in a
 * TagPack file, the theft transfers as hash seeds, maxHops 1000) from an empty store through `tainttrace import`,
 * the trace job with every report format (the library's defaults, as `tainttrace trace` runs it), the taint index
 * load and `tainttrace serve`'s start, with the core's six-policy sweep over the same chain as the floor.
 *
 *   npx tsx bench/e2e.bench.ts [--n 1000000,10000000] [--seed 7] [--heap MiB] [--json] [--dir DIR [--reuse] [--until import]]
 *                              [--sources]
 *
 * The phases run the built package, as `tainttrace` runs once installed (dist/: the bench runs `npm run build` first
 * when dist/ is missing or older than src/); `--sources` runs src/ through tsx instead (the report page's client is
 * then bundled by esbuild inside the trace job, as it is for a developer: ≈ 1.5 s more wall time at 1M).
 *
 * First the chain is written as an NDJSON file of NIS1 items (src/fixture/synthetic-items.ts: valid addresses
 * from public keys, NEM hashes recomputed, dummy signatures), with the case and label files; that is set-up, timed
 * apart. Then every phase runs in a child process of its own, as the command would, so its time and peak memory
 * are its own:
 *  - import       importTransactions on the file into an empty store — what `tainttrace import` runs, with
 *                 signature verification off (the items are unsigned; signatures are measured apart in
 *                 bench/ingest.bench.ts, ≈ 1,500 per CPU-second);
 *  - trace job    traceJob({ store, caseFile, outDir }): every format, the taint index saved;
 *  - index load   loadTaintIndexFromDir, what `serve` does first;
 *  - serve start  `tainttrace serve --db DIR --port 0` itself (dist/cli/main.js) until it answers one account
 *                 lookup over loopback: index, exposure source (the store's transfers), server;
 *  - core sweep   the six-policy sweep over the chain's columns (in the set-up child, after the file is written).
 * Per phase: wall time, CPU time (the process's, LevelDB's and worker threads included) and the child's peak RSS
 * (getrusage; for serve, /proc's VmHWM), with its RSS at the start (the runtime and modules) beside it, and its peak
 * anonymous memory (RssAnon sampled every 100 ms): RSS also counts the pages of the store's table files LevelDB reads
 * through mmap (clean page cache, ≈ 2 GiB of a 10M job's RSS), anonymous memory is what the process itself holds. A child
 * that fails stops its size: the run says which phase and how (`failed`, `error`: the end of its stderr).
 * `--heap MiB` gives every child `--max-old-space-size` (else they inherit this process's flags, e.g. a
 * test's cap); `--dir DIR` keeps the files and the store there (one size), and `--reuse` skips the set-up and
 * the import when DIR already holds them; `--until import` stops after the import (a long 10M run in two locked
 * parts: set-up and import, then `--reuse` for the rest). `--json` prints one line `{"bench":"e2e","runs":[…]}` for scripts.
 * The machine is shared and noisy: read the trace job against the sweep of the same run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { syntheticChain, syntheticLabels } from '../src/fixture/synthetic.js';
import { SyntheticItems } from '../src/fixture/synthetic-items.js';
import type * as Lib from '../src/index.js';
import { sweep } from '../src/taint/sweep.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const seed = Number(flag('seed', '7'));
const json = args.includes('--json');
const heap = flag('heap', '');
const self = fileURLToPath(import.meta.url);
const repo = join(self, '../..');
/**
 * The product as a user runs it: the built package (dist/, `npm run build`, which the bench runs first when dist/ is
 * missing or older than a source file), so the trace job reads the prebuilt report client and nothing is transpiled;
 * `--sources` runs src/ through tsx instead (the report client then bundled by esbuild in the job, ≈ 1.5 s wall at 1M).
 */
const fromSources = args.includes('--sources');
const cli = fromSources ? join(repo, 'src/cli/main.ts') : join(repo, 'dist/cli/main.js');
type Library = typeof Lib;
const library = (): Promise<Library> =>
  fromSources ? import('../src/index.js') : (import(pathToFileURL(join(repo, 'dist/index.js')).href) as Promise<Library>);

/** The newest modification time of a file under `dir` (ms). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  return t;
}

/** Builds dist/ when it is missing or older than src/ (its output to stderr: stdout may be the --json line). */
function ensureBuilt(): void {
  const built = join(repo, 'dist/index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(repo, 'src'))) return;
  process.stderr.write('e2e: building the package (npm run build) — dist/ is missing or older than src/\n');
  const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: ['ignore', 2, 2] });
  if (b.status !== 0) throw new Error(`npm run build failed (exit ${b.status})`);
}

export interface Phase {
  name: string;
  wallMs: number;
  cpuMs: number;
  /** The phase's process: its peak RSS, and its RSS when the phase began (runtime and modules). */
  peakRssMiB: number;
  startRssMiB: number;
  /** Its highest anonymous resident memory (RssAnon, sampled every 100 ms by the parent; not mapped files). */
  peakAnonMiB?: number;
}
export interface Run {
  n: number;
  seed: number;
  accounts: number;
  /** Set-up: the chain generated and written as NDJSON items (not a phase of the product). */
  itemsMs: number;
  itemsMiB: number;
  phases: Phase[];
  /** The highest peak RSS of any phase. */
  peakRssMiB: number;
  /** Report files, KiB. */
  files: Record<string, number>;
  /** Indexed accounts the index load found. */
  indexedAccounts: number;
  ok: boolean;
  failed?: string;
  error?: string;
}

const MiB = 1048576;
const rssMiB = (bytes: number) => Math.round(bytes / MiB);

/** Runs `fn` as this child's phase: wall and CPU time, the process's peak RSS. */
async function measure<T>(name: string, fn: () => Promise<T> | T): Promise<{ phase: Phase; value: T }> {
  const startRssMiB = rssMiB(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return { phase: { name, wallMs, cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMiB, startRssMiB }, value };
}

interface Paths {
  root: string;
  items: string;
  caseFile: string;
  store: string;
  out: string;
  info: string;
}
const pathsOf = (root: string): Paths => ({
  root,
  items: join(root, 'items.ndjson'),
  caseFile: join(root, 'case.json'),
  store: join(root, 'store'),
  out: join(root, 'report'),
  info: join(root, 'chain.json'),
});

/** What the set-up child leaves for the others (chain.json). */
interface ChainInfo {
  n: number;
  seed: number;
  accounts: number;
  itemsMs: number;
  itemsMiB: number;
  /** An exit's address, for serve's lookup. */
  lookup: string;
}

/** The children's work, one phase each; prints one JSON line. */
async function child(phase: string, n: number, p: Paths): Promise<unknown> {
  switch (phase) {
    case 'setup': {
      const chain = syntheticChain({ transfers: n, seed });
      const items = new SyntheticItems(chain);
      const info: ChainInfo = { n, seed, accounts: chain.accounts, itemsMs: 0, itemsMiB: 0, lookup: items.address(chain.roles.exits[0]) };
      if (!existsSync(p.info)) {
        const t0 = performance.now();
        const seeds: { hash: string }[] = [];
        items.writeFile(p.items, n, (k, hash) => {
          if (chain.seed[k] === 1) seeds.push({ hash });
        });
        // the case file and labels (TagPack YAML) an investigator would write for this chain
        const tags = [...syntheticLabels(chain, (a) => items.address(a)).values()].map((l) => ({
          address: l.address,
          label: l.label,
          category: l.category,
        }));
        writeFileSync(join(p.root, 'labels.yaml'), stringify({ title: 'synthetic chain roles', creator: 'e2e bench', tags }));
        const title = `Synthetic chain (${n} transfers, seed ${seed})`;
        const spec = { id: `synthetic-${seed}`, title, seeds, labels: ['labels.yaml'], dust: '1.000000', maxHops: 1000 };
        writeFileSync(p.caseFile, JSON.stringify(spec));
        info.itemsMs = Math.round(performance.now() - t0);
        info.itemsMiB = rssMiB(statSync(p.items).size);
        writeFileSync(p.info, JSON.stringify(info));
      }
      const { phase } = await measure('core sweep', () =>
        sweep(chain, { isExit: chain.isExit, seed: chain.seed, dust: 1_000_000, log: true, history: true }),
      );
      return { info: JSON.parse(readFileSync(p.info, 'utf8')) as ChainInfo, phase };
    }
    case 'import': {
      const { importTransactions } = await library();
      return measure('import', async () => {
        const r = await importTransactions({ store: p.store, inputs: [p.items], verifySignatures: false });
        if (r.added !== n) throw new Error(`the import added ${r.added} of ${n} transfers`);
      });
    }
    case 'trace': {
      const { traceJob } = await library();
      const m = await measure('trace job', () => traceJob({ store: p.store, caseFile: p.caseFile, outDir: p.out }));
      const files: Record<string, number> = {};
      for (const f of readdirSync(p.out)) files[f] = Math.round(statSync(join(p.out, f)).size / 1024);
      return { phase: m.phase, files };
    }
    case 'load': {
      const { loadTaintIndexFromDir } = await library();
      const m = await measure('index load', () => loadTaintIndexFromDir(p.store));
      return { phase: m.phase, accounts: m.value.accounts.size };
    }
    default:
      throw new Error(`unknown phase ${phase}`);
  }
}

const heapArgs = (): string[] => (heap === '' ? [] : [`--max-old-space-size=${heap}`]);
const childArgs = (): string[] => [...process.execArgv, ...heapArgs()];

/**
 * A process's anonymous resident memory — /proc/PID/status RssAnon: its heap, buffers and native allocations, not the
 * pages of files it maps (LevelDB reads its table files through mmap: clean page cache the kernel can drop, which
 * VmHWM counts) — sampled every 100 ms until `stop()`, which returns the highest seen, MiB.
 */
function anonSampler(pid: number): () => number {
  let peak = 0;
  const read = () => {
    try {
      peak = Math.max(peak, Number(/RssAnon:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      // the process has ended
    }
  };
  const timer = setInterval(read, 100);
  return () => {
    clearInterval(timer);
    read();
    return Math.round(peak / 1024);
  };
}

type ChildAnswer = { ok: true; value: unknown; peakAnonMiB: number } | { ok: false; error: string };

/** Runs one phase in a child process; its last stdout line is its answer. */
function runChild(phase: string, n: number, root: string): Promise<ChildAnswer> {
  const argv = [...childArgs(), self, '--phase', phase, '--child', String(n), '--root', root, '--seed', String(seed)];
  const c = spawn(process.execPath, [...argv, ...(fromSources ? ['--sources'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = anonSampler(c.pid!);
  let stdout = '';
  let stderr = '';
  c.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-(1 << 20))));
  c.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-(1 << 16))));
  return new Promise((resolve) => {
    c.on('close', (status, signal) => {
      const peakAnonMiB = stop();
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (status === 0 && line.startsWith('{')) return resolve({ ok: true, value: JSON.parse(line), peakAnonMiB });
      const how = `exit ${status}${signal ? `, ${signal}` : ''}`;
      resolve({ ok: false, error: `${how}: ${stderr.trim().split('\n').slice(-40).join('\n')}` });
    });
  });
}

/** `tainttrace serve` on the store until it answers one account lookup: its time, CPU and peak RSS from /proc. */
async function serveStart(p: Paths, lookup: string): Promise<Phase> {
  const t0 = performance.now();
  const flags = fromSources ? childArgs() : heapArgs();
  const server = spawn(process.execPath, [...flags, cli, 'serve', '--db', p.store, '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stopAnon = anonSampler(server.pid!);
  let stderr = '';
  server.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /"url":"([^"]+)"/.exec(out);
        if (m) resolve(m[1]);
      });
      void exited.then((code) =>
        reject(new Error(`serve exited (${code}) before listening: ${stderr.trim().split('\n').slice(-40).join('\n')}`)),
      );
    });
    const answer = await fetch(`${url}/v1/accounts/${lookup}`);
    if (answer.status !== 200) throw new Error(`serve answered ${answer.status} to an account lookup: ${await answer.text()}`);
    await answer.arrayBuffer();
    const wallMs = Math.round(performance.now() - t0);
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    // utime and stime, clock ticks of 1/100 s (fields 14 and 15; the name in field 2 is in parentheses)
    const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const cpuMs = (Number(stat[11]) + Number(stat[12])) * 10;
    const peakAnonMiB = stopAnon();
    return { name: 'serve start', wallMs, cpuMs, peakRssMiB: Math.round(kib('VmHWM') / 1024), startRssMiB: 0, peakAnonMiB };
  } finally {
    stopAnon();
    server.kill('SIGTERM');
    await exited;
  }
}

async function runSize(n: number): Promise<Run> {
  const keep = args.includes('--dir');
  const root = keep ? flag('dir', '') : mkdtempSync(join(tmpdir(), 'tt-e2e-'));
  mkdirSync(root, { recursive: true });
  const p = pathsOf(root);
  const reuse = keep && args.includes('--reuse') && existsSync(p.info) && existsSync(join(p.store, 'CURRENT'));
  if (!reuse) {
    rmSync(p.info, { force: true });
    rmSync(p.store, { recursive: true, force: true });
  }
  const run: Run = { n, seed, accounts: 0, itemsMs: 0, itemsMiB: 0, phases: [], peakRssMiB: 0, files: {}, indexedAccounts: 0, ok: true };
  const stop = (failed: string, error: string): Run => {
    process.stderr.write(`e2e: ${n} transfers, ${failed} failed: ${error}\n`);
    return { ...run, ok: false, failed, error };
  };
  try {
    const setup = await runChild('setup', n, root);
    if (!setup.ok) return stop('setup', setup.error);
    const { info, phase: sweepPhase } = setup.value as { info: ChainInfo; phase: Phase };
    sweepPhase.peakAnonMiB = setup.peakAnonMiB; // the set-up child's: the chain, the items written and the sweep
    Object.assign(run, { accounts: info.accounts, itemsMs: info.itemsMs, itemsMiB: info.itemsMiB });
    if (!reuse) {
      const imported = await runChild('import', n, root);
      if (!imported.ok) return stop('import', imported.error);
      run.phases.push({ ...(imported.value as { phase: Phase }).phase, peakAnonMiB: imported.peakAnonMiB });
      if (!keep) rmSync(p.items, { force: true }); // several GiB at 10M
    }
    if (flag('until', '') === 'import') return run;
    const traced = await runChild('trace', n, root);
    if (!traced.ok) return stop('trace job', traced.error);
    const t = traced.value as { phase: Phase; files: Record<string, number> };
    run.phases.push({ ...t.phase, peakAnonMiB: traced.peakAnonMiB });
    run.files = t.files;
    const loaded = await runChild('load', n, root);
    if (!loaded.ok) return stop('index load', loaded.error);
    run.phases.push({ ...(loaded.value as { phase: Phase }).phase, peakAnonMiB: loaded.peakAnonMiB });
    run.indexedAccounts = (loaded.value as { accounts: number }).accounts;
    try {
      run.phases.push(await serveStart(p, info.lookup));
    } catch (err) {
      return stop('serve start', (err as Error).message);
    }
    run.phases.push(sweepPhase);
    return run;
  } finally {
    run.peakRssMiB = Math.max(0, ...run.phases.map((ph) => ph.peakRssMiB));
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

function table(runs: Run[]): string {
  const lines = ['transfers  phase        wall s   cpu s   peak RSS MiB (at start)   peak anon MiB'];
  for (const r of runs) {
    lines.push(`${String(r.n).padStart(9)}  (set-up: the NDJSON items written, ${(r.itemsMs / 1000).toFixed(1)} s, ${r.itemsMiB} MiB)`);
    for (const p of r.phases)
      lines.push(
        `${String(r.n).padStart(9)}  ${p.name.padEnd(11)} ${(p.wallMs / 1000).toFixed(2).padStart(7)} ` +
          `${(p.cpuMs / 1000).toFixed(2).padStart(7)} ${String(p.peakRssMiB).padStart(14)} ${`(${p.startRssMiB})`.padEnd(7)}` +
          `${String(p.peakAnonMiB ?? '').padStart(15)}`,
      );
    if (!r.ok) {
      lines.push(`${String(r.n).padStart(9)}  FAILED in ${r.failed}: ${r.error}`);
      continue;
    }
    const job = r.phases.find((p) => p.name === 'trace job');
    const core = r.phases.find((p) => p.name === 'core sweep');
    if (job === undefined || core === undefined) continue;
    lines.push(
      `${String(r.n).padStart(9)}  trace job ÷ core sweep: ${(job.wallMs / Math.max(1, core.wallMs)).toFixed(0)}× wall; ` +
        `${r.accounts} accounts, ${r.indexedAccounts} indexed; files (KiB): ${JSON.stringify(r.files)}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const phase = flag('phase', '');
  if (phase !== '') {
    const value = await child(phase, Number(flag('child', '0')), pathsOf(flag('root', '')));
    process.stdout.write(`${JSON.stringify(value)}\n`);
    return;
  }
  const sizes = flag('n', '1000000,10000000').split(',').map(Number);
  if (!fromSources) ensureBuilt();
  if (args.includes('--dir') && sizes.length !== 1) throw new Error('--dir keeps one size: give one --n');
  const runs: Run[] = [];
  for (const n of sizes) {
    runs.push(await runSize(n));
    if (!json) process.stdout.write(`${table([runs.at(-1)!])}\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify({ bench: 'e2e', seed, runs })}\n`);
  if (runs.some((r) => !r.ok)) process.exitCode = 1;
}

await main();
