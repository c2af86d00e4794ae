/**
 * Taint index memory and load time: what `tainttrace serve` holds per indexed account.
 *
 *   npx tsx bench/index.bench.ts [--accounts 100000,1000000] [--objects 100000] [--keep DIR] [--before DIR] [--json]
 *
 * For each size, a seeded synthetic index (src/fixture/synthetic-index.ts: shaped like a trace's — a
 * tree of first-taint transfers, evidence paths that share their prefixes, six policies, 1–8 balance
 * events per account) is packed and saved into a fresh store directory by one process; then a fresh
 * process does what `serve` does — loadTaintIndexFromDir, buildServer, the account answer cache warmed
 * — and answers 20,000 lookups over loopback (90 % indexed addresses), and reports its RSS after a full GC.
 * The baseline is the same process serving a 10-account index, measured in the same run: bytes per
 * account = (RSS − baseline RSS) / accounts. `--objects N` also measures, in the same run, the index as
 * objects (one IndexedAccount with its typed arrays and evidence strings per account, a Map per
 * table: the shape the index had before it was packed) with an answer cached per account, as the
 * server did then. Child processes run with --expose-gc. `--keep DIR` keeps each size's store in DIR/n<N> and
 * reuses it when present (the synthetic 1M index takes minutes to build; loading it is what is measured). The
 * lookups pick random rows of the loaded index's address table (indexed accounts and the untainted ends and
 * covered addresses beside them), so no address is derived (a Keccak each) at 1M.
 *
 *   npx tsx bench/index.bench.ts --load 100000,1000000 [--rounds 3] [--keep DIR] [--before DIR] [--json]
 *   npx tsx bench/index.bench.ts --load --index STORE [--before DIR]
 *
 * Load time and what the loaded index holds (issue 10 item 3: `serve` loads 1M accounts in about a second, well under
 * 1 KB per account): the same seeded synthetic index, saved once per size (`--keep DIR` keeps and reuses it; the save's
 * wall and CPU seconds are printed when it is made), then R rounds of fresh processes, alternating: the floor — the
 * index file's bytes read by fs.readFile and CRC-32'd (node:zlib), what any load of a checked file costs — and
 * loadTaintIndexFromDir (the store's snapshot opened, the file read and checked, the lookup tables built, the whole
 * checked), and with `--before DIR` the earlier tree's loadTaintIndexFromDir on the same index as that tree saves it
 * (`<dir>-before`: its layout may be older). Medians of wall and CPU seconds; memory is the process's growth over the
 * load, after a full GC: RSS, V8 heap and array buffers, per indexed account. `--index STORE`: the index a store holds
 * (a trace's) instead of the synthetic ones; with --before, `STORE-before` holds it as the earlier tree saves it.
 *
 *   npx tsx --expose-gc bench/index.bench.ts --trace 200000,1000000 [--rounds 3] [--before DIR] [--json]
 *
 * The index of a trace (issue 10 item 3): a seeded synthetic chain of N transfers (src/fixture/synthetic.ts, seed 7)
 * traced by runTrace, then in one process, alternating, R rounds: buildTaintIndex (from the sweep's columns) and the
 * build from the result's objects (an AccountTaint per account: the build before) — the two indexes' packed bytes
 * compared (a SHA-256 of every array); then the index saved into a fresh LevelDB store (saveTaintIndex, as `trace`
 * does) and loaded back from it (loadTaintIndex, as `serve` does), R rounds each. CPU seconds (process.cpuUsage),
 * medians; save and load also wall seconds.
 *
 * `--before DIR`: a tree of an earlier commit (`git archive <commit> src fixtures package.json | tar -x -C DIR` and
 * `ln -s "$PWD/node_modules" DIR/`, as bench/server-ab.bench.ts): with --trace, its own saveTaintIndex and
 * loadTaintIndex (its layout, its store code) on the same index in the same rounds, alternating; without, the
 * serving children alternate between its load and server and this tree's, on the same synthetic index saved by each.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import type * as Screen from '../src/screen/index.js';
import type * as Server from '../src/server/index.js';
import type * as Store from '../src/store/index.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZES = option('accounts', '100000,1000000').split(',').map(Number);
const OBJECTS = Number(option('objects', '100000'));
const KEEP = option('keep', '');
/** A tree of an earlier commit (as bench/server-ab.bench.ts makes one): its save, load and server measured beside. */
const BEFORE = option('before', '');
const SEED = 7;
const LOOKUPS = 20_000;

interface Served {
  accounts: number;
  rssMiB: number;
  heapUsedMiB: number;
  arrayBuffersMiB: number;
  loadSeconds: number;
  loadCpuSeconds: number;
  cacheEntries: number;
  lookups: number;
}

interface Loaded {
  wall: number;
  cpu: number;
  accounts: number;
  rssMiB: number;
  heapMiB: number;
  arrayBuffersMiB: number;
}

/** `floor` / `load` / `load-before` (--load): one load in this fresh process, timed, and the memory it left. */
async function loadChild(mode: string, dir: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const src = mode === 'load-before' ? resolve(BEFORE, 'src') : fileURLToPath(new URL('../src', import.meta.url));
  const { loadTaintIndexFromDir } = (await import(join(src, 'screen/index.ts'))) as typeof Screen;
  const { readFile } = await import('node:fs/promises');
  const { crc32 } = await import('node:zlib');
  const file = readdirSync(dir).find((f) => f.endsWith('.tti'));
  gc();
  const before = process.memoryUsage();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let accounts = 0;
  let held: unknown;
  if (mode === 'floor') {
    const bytes = await readFile(join(dir, file!));
    held = [bytes, crc32(bytes)];
  } else {
    const index = await loadTaintIndexFromDir(dir);
    accounts = index.accountCount;
    held = index;
  }
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  const mib = (x: number) => +(x / 2 ** 20).toFixed(1);
  process.send!({
    wall,
    cpu: (used.user + used.system) / 1e6,
    accounts,
    rssMiB: mib(m.rss - before.rss),
    heapMiB: mib(m.heapUsed - before.heapUsed),
    arrayBuffersMiB: mib(m.arrayBuffers - before.arrayBuffers),
  } satisfies Loaded);
  (globalThis as { held?: unknown }).held = held; // reachable until the figures are taken
}

async function childMain(): Promise<void> {
  const [mode, dir, n] = [args[1], args[2], Number(args[3])];
  if (mode === 'floor' || mode.startsWith('load')) return loadChild(mode, dir);
  const gc = (globalThis as { gc?: () => void }).gc!;
  const { syntheticTaintIndex, syntheticAddresses } = await import('../src/fixture/synthetic-index.js');
  // `serve-before`: the --before tree's own load and server (its index class, its layout)
  const src = mode === 'serve-before' ? resolve(BEFORE, 'src') : fileURLToPath(new URL('../src', import.meta.url));
  const { saveTaintIndexToDir, loadTaintIndexFromDir } = (await import(join(src, 'screen/index.ts'))) as typeof Screen;
  const { accountJson } = await import('../src/screen/json.js');
  const { buildServer, accountCacheWarm } = (await import(join(src, 'server/index.ts'))) as typeof Server;
  if (mode === 'write') {
    const started = performance.now();
    const { index } = syntheticTaintIndex({ accounts: n, seed: SEED });
    const packed = (performance.now() - started) / 1000;
    const t = performance.now();
    const cpu = process.cpuUsage();
    await saveTaintIndexToDir(dir, index);
    const saveSeconds = (performance.now() - t) / 1000;
    const saved = process.cpuUsage(cpu);
    const saveCpuSeconds = (saved.user + saved.system) / 1e6;
    let beforeSeconds: number | undefined;
    if (BEFORE) {
      const old = (await import(resolve(BEFORE, 'src/screen/index.ts'))) as typeof Screen;
      const tb = performance.now();
      await old.saveTaintIndexToDir(`${dir}-before`, index);
      beforeSeconds = (performance.now() - tb) / 1000;
    }
    process.send!({ packSeconds: packed, saveSeconds, saveCpuSeconds, beforeSaveSeconds: beforeSeconds });
    return;
  }
  let s = 0x9e3779b9;
  const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  let pick = (): string => '';
  const started = performance.now();
  const cpu = process.cpuUsage();
  let app;
  if (mode === 'objects') {
    // the index as objects (its shape before packing) plus an answer per account, as the server cached them
    const { index } = syntheticTaintIndex({ accounts: n, seed: SEED });
    const accounts = new Map(index.accounts);
    const transfers = new Map(index.transfers);
    const covered = new Set(index.covered);
    const answers = new Map<string, Buffer>();
    for (const a of accounts.keys()) answers.set(a, Buffer.from(accountJson(index, a)));
    // kept reachable until the figures are taken (a local the function no longer reads may be collected)
    (globalThis as { heldIndex?: unknown }).heldIndex = { accounts, transfers, covered, answers };
    const addresses = syntheticAddresses(n);
    pick = () => addresses[(random() * addresses.length) | 0];
    app = buildServer({ index: syntheticTaintIndex({ accounts: 10, seed: SEED }).index, rateLimit: false });
  } else {
    const index = await loadTaintIndexFromDir(dir);
    app = buildServer({ index, rateLimit: false });
    pick = () => index.addressAt((random() * index.addressCount) | 0);
  }
  const loadSeconds = (performance.now() - started) / 1000;
  const loadCpu = process.cpuUsage(cpu);
  const loadCpuSeconds = (loadCpu.user + loadCpu.system) / 1e6;
  const cache = await accountCacheWarm(app);
  // lookups over loopback (light-my-request's inject keeps ≈ 11 KB per request reachable: not what a server holds)
  const pool = new Pool(await app.listen({ port: 0, host: '127.0.0.1' }), { connections: 8 });
  let ok = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = 0; i < LOOKUPS / 8; i++) {
        const res = await pool.request({ path: `/v1/accounts/${pick()}`, method: 'GET' });
        await res.body.text();
        if (res.statusCode === 200) ok++;
      }
    }),
  );
  await pool.close();
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  const mib = (x: number) => +(x / 2 ** 20).toFixed(1);
  process.send!({
    accounts: n,
    rssMiB: mib(m.rss),
    heapUsedMiB: mib(m.heapUsed),
    arrayBuffersMiB: mib(m.arrayBuffers),
    loadSeconds,
    loadCpuSeconds,
    cacheEntries: cache.entries,
    lookups: ok,
  } satisfies Served);
  await app.close();
}

function run<T>(childArgs: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['child', ...childArgs, ...(BEFORE ? ['--before', BEFORE] : [])], {
      execArgv: [...process.execArgv, '--expose-gc', '--max-old-space-size=12000'],
    });
    let answer: T | undefined;
    proc.once('message', (m) => (answer = m as T));
    proc.on('exit', (code) =>
      code === 0 && answer !== undefined ? resolve(answer) : reject(new Error(`child ${childArgs[0]} exited ${code}`)),
    );
  });
}

async function parentMain(): Promise<void> {
  const load = loadavg()[0];
  type Row = Served & { index: string; bytesPerAccount: number; packSeconds?: number; saveSeconds?: number; storeMiB?: number };
  const rows: Row[] = [];
  const base = mkdtempSync(join(tmpdir(), 'tainttrace-index-bench-'));
  try {
    const baseDir = join(base, 'base');
    await run(['write', baseDir, '10']);
    const baseline = await run<Served>(['serve', baseDir, '10']);
    for (const n of SIZES) {
      const dir = join(KEEP || base, `n${n}`);
      type Written = { packSeconds?: number; saveSeconds?: number; beforeSaveSeconds?: number };
      const written: Written =
        KEEP && existsSync(dir)
          ? {}
          : await run<{ packSeconds: number; saveSeconds: number; beforeSaveSeconds?: number }>(['write', dir, String(n)]);
      const du = (d: string) => Number(execFileSync('du', ['-sm', d], { encoding: 'utf8' }).split('\t')[0]);
      // with --before, the two trees' servers alternate: before, this, before, this
      for (const which of BEFORE ? ['serve-before', 'serve', 'serve-before', 'serve'] : ['serve']) {
        const at = which === 'serve' ? dir : `${dir}-before`;
        const served = await run<Served>([which, at, String(n)]);
        rows.push({
          index: which === 'serve' ? 'packed' : 'packed (--before tree)',
          ...served,
          bytesPerAccount: Math.round(((served.rssMiB - baseline.rssMiB) * 2 ** 20) / n),
          packSeconds: written.packSeconds,
          saveSeconds: which === 'serve' ? written.saveSeconds : written.beforeSaveSeconds,
          storeMiB: du(at),
        });
      }
      if (!KEEP) rmSync(dir, { recursive: true, force: true });
      if (!KEEP) rmSync(`${dir}-before`, { recursive: true, force: true });
    }
    if (OBJECTS > 0) {
      const served = await run<Served>(['objects', '', String(OBJECTS)]);
      rows.push({
        index: 'objects + an answer per account (before)',
        ...served,
        bytesPerAccount: Math.round(((served.rssMiB - baseline.rssMiB) * 2 ** 20) / OBJECTS),
      });
    }
    const summary = { node: process.version, cpus: cpus().length, loadAverage: { before: load, after: loadavg()[0] }, baseline, rows };
    if (args.includes('--json')) return void process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    console.log(
      `index bench: baseline (10-account index) RSS ${baseline.rssMiB} MiB; ${process.version}, ` +
        `load ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}\n`,
    );
    console.log(
      '| index | accounts | server RSS MiB | bytes / account | heap MiB | array buffers MiB | load s | load CPU s | ' +
        'pack s | save s | store MiB |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows)
      console.log(
        `| ${r.index} | ${r.accounts.toLocaleString('en-US')} | ${r.rssMiB} | ${r.bytesPerAccount} | ` +
          `${r.heapUsedMiB} | ${r.arrayBuffersMiB} | ` +
          `${r.index.startsWith('packed') ? `${r.loadSeconds.toFixed(2)} | ${r.loadCpuSeconds.toFixed(2)}` : '— | —'} | ` +
          `${r.packSeconds?.toFixed(1) ?? '—'} | ` +
          `${r.saveSeconds?.toFixed(2) ?? '—'} | ${r.storeMiB ?? '—'} |`,
      );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** --trace: build (columns vs objects), save and load of a trace's index, CPU medians in one process. */
async function traceMain(): Promise<void> {
  const { createHash } = await import('node:crypto');
  const { syntheticChain, syntheticTransfers } = await import('../src/fixture/synthetic.js');
  const { runTrace } = await import('../src/taint/index.js');
  const { buildTaintIndex, saveTaintIndex, loadTaintIndex, TAINT_INDEX_SUBLEVEL } = await import('../src/screen/index.js');
  const { buildTaintIndexFromObjects } = await import('../src/screen/index-build.js');
  const { openStore } = await import('../src/store/index.js');
  type Index = ReturnType<typeof buildTaintIndex>;
  const rounds = Number(option('rounds', '3'));
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const cpu = <T>(f: () => T): [number, T] => {
    gc();
    const c = process.cpuUsage();
    const x = f();
    const u = process.cpuUsage(c);
    return [(u.user + u.system) / 1e6, x];
  };
  const cpuAsync = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
    gc();
    const c = process.cpuUsage();
    const x = await f();
    const u = process.cpuUsage(c);
    return [(u.user + u.system) / 1e6, x];
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const digest = (index: Index) => {
    const h = createHash('sha256');
    for (const [name, arr] of Object.entries(index.a)) {
      if (name === 'addrTable' || name === 'hashTable') continue; // rebuilt at load, never stored
      h.update(name);
      h.update(Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength));
    }
    h.update(JSON.stringify(index.extras().messages));
    return h.digest('hex').slice(0, 16);
  };
  const out = [];
  for (const n of option('trace', '200000').split(',').map(Number)) {
    const { transfers, labels, caseSpec } = syntheticTransfers(syntheticChain({ transfers: n, seed: SEED }));
    const tipHeight = transfers.reduce((m, t) => Math.max(m, t.height), 0);
    const result = runTrace({ transfers, caseSpec, labels, storeDigest: 'bench', tipHeight, engineVersion: 'bench' });
    const times: Record<string, number[]> = { columns: [], objects: [] };
    let index: Index | undefined;
    let same = true;
    for (let r = 0; r < rounds; r++) {
      const [tc, fromColumns] = cpu(() => buildTaintIndex(result));
      const [to, fromObjects] = cpu(() => buildTaintIndexFromObjects(result));
      times.columns.push(tc);
      times.objects.push(to);
      same &&= digest(fromColumns) === digest(fromObjects);
      index = fromColumns;
    }
    // this tree's save and load, and with --before the earlier tree's (its own store code and layout), alternating
    const trees: [string, typeof Screen, typeof Store][] = [
      ['', { saveTaintIndex, loadTaintIndex, TAINT_INDEX_SUBLEVEL } as typeof Screen, { openStore } as typeof Store],
    ];
    if (BEFORE)
      trees.unshift([
        'Before',
        (await import(resolve(BEFORE, 'src/screen/index.ts'))) as typeof Screen,
        (await import(resolve(BEFORE, 'src/store/index.ts'))) as typeof Store,
      ]);
    const stores = await Promise.all(trees.map(([, , st]) => st.openStore(mkdtempSync(join(tmpdir(), 'tainttrace-index-trace-')))));
    try {
      for (let r = 0; r < rounds; r++)
        for (let i = 0; i < trees.length; i++) {
          const [name, screen] = trees[i];
          const sublevel = stores[i].sublevel(screen.TAINT_INDEX_SUBLEVEL);
          const w0 = performance.now();
          const [ts] = await cpuAsync(() => screen.saveTaintIndex(sublevel, index!));
          (times[`saveWall${name}`] ??= []).push((performance.now() - w0) / 1000);
          (times[`save${name}`] ??= []).push(ts);
          const w1 = performance.now();
          const [tl, loaded] = await cpuAsync(() => screen.loadTaintIndex(sublevel));
          (times[`loadWall${name}`] ??= []).push((performance.now() - w1) / 1000);
          (times[`load${name}`] ??= []).push(tl);
          same &&= digest(loaded) === digest(index!);
        }
    } finally {
      for (const st of stores) {
        await st.close();
        rmSync(st.dir, { recursive: true, force: true });
      }
    }
    const bytes = Object.values(index!.a).reduce((s, a) => s + a.byteLength, 0);
    out.push({
      transfers: n,
      accounts: index!.accountCount,
      indexTransfers: index!.transferCount,
      events: index!.a.evTime.length,
      indexMiB: +(bytes / 2 ** 20).toFixed(1),
      sameBytes: same,
      cpuSeconds: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, +median(v).toFixed(3)])),
    });
  }
  const summary = { node: process.version, loadAverage: loadavg()[0], rounds, rows: out };
  if (args.includes('--json')) return void process.stdout.write(`${JSON.stringify(summary)}\n`);
  console.log(`index of a trace: medians of ${rounds} rounds, CPU s; load average ${loadavg()[0].toFixed(1)}`);
  const pair = (c: Record<string, number>, k: string) => (c[k] === undefined ? '—' : `${c[`${k.slice(0, 4)}Wall${k.slice(4)}`]} / ${c[k]}`);
  console.log(
    '| transfers | indexed accounts | index transfers | index MiB | build from columns | build from objects | ' +
      'save (wall / CPU) | load (wall / CPU) | --before: save | --before: load | same bytes |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of out)
    console.log(
      `| ${r.transfers.toLocaleString('en-US')} | ${r.accounts.toLocaleString('en-US')} | ` +
        `${r.indexTransfers.toLocaleString('en-US')} | ${r.indexMiB} | ${r.cpuSeconds.columns} | ${r.cpuSeconds.objects} | ` +
        `${pair(r.cpuSeconds, 'save')} | ${pair(r.cpuSeconds, 'load')} | ${pair(r.cpuSeconds, 'saveBefore')} | ` +
        `${pair(r.cpuSeconds, 'loadBefore')} | ${r.sameBytes} |`,
    );
}

/** --load: load time and memory against the floor (the file read and CRC-32'd), fresh processes, alternating. */
async function loadMain(): Promise<void> {
  const load = loadavg()[0];
  const rounds = Number(option('rounds', '3'));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = mkdtempSync(join(tmpdir(), 'tainttrace-index-load-'));
  const out = [];
  try {
    // --index DIR: a store's saved index (a trace's) instead of the synthetic ones
    const sizes = option('index', '') ? [0] : option('load', '100000,1000000').split(',').map(Number);
    for (const n of sizes) {
      const dir = option('index', '') || join(KEEP || base, `n${n}`);
      const reuse = n === 0 || (KEEP !== '' && existsSync(dir)); // --index: the store's own index, never rewritten
      const saved = reuse ? undefined : await run<{ saveSeconds: number; saveCpuSeconds: number }>(['write', dir, String(n)]);
      const fileBytes = statSync(
        join(
          dir,
          readdirSync(dir).find((f) => f.endsWith('.tti'))!,
        ),
      ).size;
      const modes = ['floor', ...(BEFORE ? ['load-before'] : []), 'load'];
      const runs: Record<string, Loaded[]> = {};
      // the earlier tree loads the same index as its own code saved it (`write` saves both with --before)
      const at = (mode: string) => (mode === 'load-before' ? `${dir}-before` : dir);
      for (let r = 0; r < rounds; r++) for (const mode of modes) (runs[mode] ??= []).push(await run<Loaded>([mode, at(mode), String(n)]));
      const accounts = runs.load[0].accounts;
      const rows = Object.fromEntries(
        modes.map((mode) => {
          const xs = runs[mode];
          const rss = median(xs.map((x) => x.rssMiB));
          return [
            mode,
            {
              wall: +median(xs.map((x) => x.wall)).toFixed(3),
              cpu: +median(xs.map((x) => x.cpu)).toFixed(3),
              rssMiB: rss,
              heapMiB: median(xs.map((x) => x.heapMiB)),
              arrayBuffersMiB: median(xs.map((x) => x.arrayBuffersMiB)),
              rssPerAccount: Math.round((rss * 2 ** 20) / accounts),
            },
          ];
        }),
      );
      out.push({ accounts, fileMiB: +(fileBytes / 2 ** 20).toFixed(1), save: saved, rows });
      if (!KEEP && n > 0) rmSync(dir, { recursive: true, force: true });
      if (!KEEP && n > 0) rmSync(`${dir}-before`, { recursive: true, force: true });
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const summary = { node: process.version, cpus: cpus().length, loadAverage: { before: load, after: loadavg()[0] }, rounds, sizes: out };
  if (args.includes('--json')) return void process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `index load: medians of ${rounds} fresh processes each; ${process.version}, load ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}\n`,
  );
  console.log(
    '| indexed accounts | file MiB | save wall / CPU s | what | load wall s | load CPU s | × floor CPU | RSS MiB | B / account | ' +
      'heap MiB | array buffers MiB |',
  );
  console.log('|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const size of out)
    for (const [mode, r] of Object.entries(size.rows)) {
      const save = size.save ? `${size.save.saveSeconds.toFixed(2)} / ${size.save.saveCpuSeconds.toFixed(2)}` : '—';
      const perAccount = mode === 'floor' ? '—' : r.rssPerAccount;
      console.log(
        `| ${size.accounts.toLocaleString('en-US')} | ${size.fileMiB} | ${save} | ${mode} | ${r.wall} | ${r.cpu} | ` +
          `${(r.cpu / size.rows.floor.cpu).toFixed(2)} | ${r.rssMiB} | ${perAccount} | ${r.heapMiB} | ${r.arrayBuffersMiB} |`,
      );
    }
}

if (args[0] === 'child') await childMain();
else if (args.includes('--load')) await loadMain();
else if (args.includes('--trace')) await traceMain();
else await parentMain();
