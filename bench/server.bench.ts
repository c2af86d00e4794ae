/**
 * HTTP lookup benchmark: the real listening server vs a bare fastify Map-lookup route, same run.
 *
 *   npx tsx bench/server.bench.ts [--accounts 100000] [--rounds 3] [--duration 5] [--connections 50]
 *        [--screen-connections 10] [--only base,same,account,screen] [--generator auto|wrk|autocannon] [--json] [--cpu-prof]
 *
 * Load generator: wrk (one thread) when it is on PATH, else autocannon (a devDependency) in this
 * process; `--generator` forces one. wrk is the fairer one: autocannon, being JavaScript, needs
 * about as much CPU per request as the server, so on two cores it caps the baseline and squeezes
 * every ratio towards 1; it also reports whole milliseconds. A child process serves everything on
 * 127.0.0.1, so load generator and servers each have a core of the two. The child
 * holds one seeded synthetic taint index (src/fixture/synthetic-index.ts: all six policies, 1–8
 * history events per account, 1 % labelled) and serves:
 *  - base:    a bare fastify route answering `Map.get(address)` with a small object — the baseline
 *             of the issue (≈ 36,000 req/s at p99 3.6 ms with wrk on these machines);
 *  - same:    a bare fastify route sending the candidate's answer for the address, precomputed as
 *             a Buffer (the same bytes on the wire: what the bigger payload alone costs);
 *  - account: GET /v1/accounts/{address} of buildServer with the DEFAULT options — the per-client rate
 *             limit on — behind a proxy on loopback (`trustProxy: 'loopback'`): every request carries an
 *             X-Forwarded-For from a pool of 5,000 client addresses (seeded), so the limiter does its
 *             whole work (a bucket per client) and no client exceeds its 100/s (random addresses, 90 % in the index);
 *  - account-nolimit: the same server with `rateLimit: false` (what the limiter costs);
 *  - account-cached: the default server with a 16 MiB account answer cache, warmed (`accountCacheBytes`; off by default);
 *  - rl-ours / rl-fastify / metrics-ours / metrics-prom: the library comparison (issue 13) on the bare
 *             `same` route, one hook each: our token bucket (guards/rate-limit.ts, the default 200 burst,
 *             100/s) vs @fastify/rate-limit (100 per 1 s window, a 10,000-client cache), and our metrics
 *             recorder (metrics.ts RouteMetrics.observe) vs a prom-client Histogram (same buckets and
 *             labels) observed in onResponse; each against `same` in the same round;
 *  - screen:  POST /v1/screen with 1,000 deposits (half with a time), fewer connections (one
 *             request is ~1.5 MB of answer; at 50 connections its latency is mostly queueing).
 * The server fills its account answer cache before the runs (accountCacheWarm): the figures are
 * the steady state. Every scenario gets a 2 s warm-up, then `rounds` rounds run each scenario for `duration` seconds
 * with identical connections and no pipelining, interleaved, so a noisy neighbour (these machines
 * are shared) hits baseline and candidate alike. Figures are medians over the rounds; the ratios
 * are medians of the per-round ratios; "server GC" is the share of each run's time the server
 * process spent in garbage collection, "server CPU µs/req" its CPU time (user + system) per
 * answered request — steadier than req/s when other work shares the cores. autocannon records
 * latency in whole milliseconds, wrk in microseconds.
 * `--cpu-prof` writes the servers' CPU profile to $TMPDIR/tainttrace-prof.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import promClient from 'prom-client';
import { accountJson } from '../src/screen/json.js';
import { syntheticAddresses, syntheticTaintIndex } from '../src/fixture/synthetic-index.js';
import { accountCacheWarm, buildServer } from '../src/server/build.js';
import { TokenBuckets, DEFAULT_RATE_LIMIT } from '../src/server/guards/rate-limit.js';
import { Metrics } from '../src/server/metrics.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ACCOUNTS = flag('accounts', 100_000);
const ROUNDS = flag('rounds', 3);
const DURATION = flag('duration', 5);
const CONNECTIONS = flag('connections', 50);
const SCREEN_CONNECTIONS = flag('screen-connections', 10);
const ONLY = (() => {
  const i = args.indexOf('--only');
  return i >= 0 ? args[i + 1].split(',') : null;
})();
const SEED = 7;
/** The answer cache of the `account-cached` run (the server's default before the answers were written as bytes). */
const CACHED_BYTES = 16 * 1024 * 1024;
const GENERATOR = (() => {
  const i = args.indexOf('--generator');
  const wanted = i >= 0 ? args[i + 1] : 'auto';
  if (wanted === 'autocannon') return 'autocannon';
  const found = spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout?.startsWith('wrk') ?? false;
  if (wanted === 'wrk' && !found) throw new Error('--generator wrk: wrk is not on PATH');
  return found ? 'wrk' : 'autocannon';
})();

interface Ports {
  candidate: string;
  baseline: string;
  unlimited: string;
  withCache: string;
  library: Record<string, string>;
  cache: { entries: number; bytes: number; warmSeconds: number };
}

async function child(): Promise<void> {
  const { index, addresses } = syntheticTaintIndex({ accounts: ACCOUNTS, seed: SEED });
  // The default server behind a loopback proxy (clients from X-Forwarded-For), and the same without its rate limit.
  const app = buildServer({ index, trustProxy: 'loopback' });
  const nolimit = buildServer({ index, rateLimit: false, trustProxy: 'loopback' });
  const cached = buildServer({ index, trustProxy: 'loopback', accountCacheBytes: CACHED_BYTES });
  const bare = Fastify({ logger: false });
  const small = new Map(
    addresses.map((a, i) => [a, { address: a, tainted: i < addresses.length * 0.9, hops: 1 + (i % 6), held: '1.000000' }] as const),
  );
  bare.get('/accounts/:address', (req, reply) => {
    const v = small.get((req.params as { address: string }).address);
    return v ? reply.send(v) : reply.code(404).send({ error: 'not found' });
  });
  const texts = new Map(addresses.map((a) => [a, Buffer.from(accountJson(index, a))] as const));
  bare.get('/views/:address', (req, reply) => {
    const v = texts.get((req.params as { address: string }).address);
    return v ? reply.header('content-type', 'application/json; charset=utf-8').send(v) : reply.code(404).send({ error: 'not found' });
  });
  const libraries = await libraryServers(texts);
  const [candidate, baseline, unlimited, withCache, ...libs] = await Promise.all([
    app.listen({ port: 0, host: '127.0.0.1' }),
    bare.listen({ port: 0, host: '127.0.0.1' }),
    nolimit.listen({ port: 0, host: '127.0.0.1' }),
    cached.listen({ port: 0, host: '127.0.0.1' }),
    ...libraries.map((l) => l.app.listen({ port: 0, host: '127.0.0.1' })),
  ]);
  const warmStarted = performance.now();
  const cache = await accountCacheWarm(app); // the server fills its answer cache in the background; measure the steady state
  await accountCacheWarm(nolimit);
  await accountCacheWarm(cached);
  const warmSeconds = (performance.now() - warmStarted) / 1000;
  // GC time of the server process, by kind, since the last 'gc' question (the index is a large heap).
  let gc: GcFigures = { minorMs: 0, minor: 0, majorMs: 0, major: 0, cpuUs: 0 };
  let cpu = process.cpuUsage();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minor++;
        gc.minorMs += e.duration;
      } else {
        gc.major++;
        gc.majorMs += e.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  const library = Object.fromEntries(libraries.map((l, i) => [l.key, libs[i]]));
  process.send!({ candidate, baseline, unlimited, withCache, library, cache: { ...cache, warmSeconds } } satisfies Ports);
  process.on('message', (m) => void onMessage(m));
  async function onMessage(m: unknown): Promise<void> {
    if (m === 'memory') {
      process.send!(process.memoryUsage());
      return;
    }
    if (m === 'gc') {
      const used = process.cpuUsage(cpu);
      process.send!({ ...gc, cpuUs: used.user + used.system });
      gc = { minorMs: 0, minor: 0, majorMs: 0, major: 0, cpuUs: 0 };
      cpu = process.cpuUsage();
      return;
    }
    await Promise.all([app.close(), bare.close(), nolimit.close(), ...libraries.map((l) => l.app.close())]);
    process.exit(0);
  }
}

/**
 * The library comparison: the bare `same` route (the account answer's bytes from a Map) with one hook
 * each — our token bucket or @fastify/rate-limit; our route metrics or a prom-client histogram.
 */
async function libraryServers(texts: Map<string, Buffer>): Promise<{ key: string; app: FastifyInstance }[]> {
  const route = (app: FastifyInstance) =>
    app.get('/views/:address', (req, reply) => {
      const v = texts.get((req.params as { address: string }).address);
      return v ? reply.header('content-type', 'application/json; charset=utf-8').send(v) : reply.code(404).send({ error: 'not found' });
    });
  const ours = Fastify({ logger: false, trustProxy: 'loopback' });
  const buckets = new TokenBuckets();
  ours.addHook('onRequest', (req, reply, done) => {
    if (buckets.take(`ip:${req.ip}`, DEFAULT_RATE_LIMIT) > 0) return void reply.code(429).send({ error: 'rate limited' });
    done();
  });
  route(ours);
  const theirs = Fastify({ logger: false, trustProxy: 'loopback' });
  await theirs.register(rateLimit, { max: DEFAULT_RATE_LIMIT.perSecond, timeWindow: 1000, cache: 10_000 });
  route(theirs);
  const metricsOurs = Fastify({ logger: false });
  const recorder = new Metrics().route('/views/:address');
  metricsOurs.addHook('onResponse', (req, reply, done) => {
    recorder.observe(req.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  route(metricsOurs);
  const metricsProm = Fastify({ logger: false });
  const histogram = new promClient.Histogram({
    name: 'tainttrace_http_request_duration_seconds',
    help: 'request latency',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [new promClient.Registry()],
  });
  metricsProm.addHook('onResponse', (req, reply, done) => {
    histogram.observe({ route: '/views/:address', method: req.method, status: reply.statusCode }, reply.elapsedTime / 1000);
    done();
  });
  route(metricsProm);
  return [
    { key: 'rl-ours', app: ours },
    { key: 'rl-fastify', app: theirs },
    { key: 'metrics-ours', app: metricsOurs },
    { key: 'metrics-prom', app: metricsProm },
  ];
}

interface GcFigures {
  minor: number;
  minorMs: number;
  major: number;
  majorMs: number;
  cpuUs: number;
}
interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  gcShare: number;
  cpuUsPerRequest: number;
}
/** One load: GET `prefix` + a random address, or POST `body` to `prefix`. */
interface Load {
  url: string;
  prefix: string;
  connections: number;
  body?: string;
}
interface Scenario {
  key: string;
  name: string;
  load: Load;
  rounds: Figures[];
}
interface Raw {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** wrk's Lua side: random addresses from a file (seeded), or one POST body; figures as JSON at the end. */
const WRK_SCRIPT = `
local addresses = {}
for line in io.lines(os.getenv("TT_ADDRESSES")) do addresses[#addresses + 1] = line end
local prefix = os.getenv("TT_PREFIX")
local body = os.getenv("TT_BODY")
math.randomseed(7)
if body then
  local f = io.open(body, "rb"); wrk.body = f:read("*a"); f:close()
  wrk.method = "POST"; wrk.headers["Content-Type"] = "application/json"
end
local clients = tonumber(os.getenv("TT_CLIENTS"))
request = function()
  local c = math.random(clients) - 1
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(c / 65536), math.floor(c / 256) % 256, c % 256)
  if body then return wrk.format(nil, prefix) end
  return wrk.format(nil, prefix .. addresses[math.random(#addresses)])
end
done = function(s, latency)
  io.write(string.format('{"requests":%d,"us":%d,"errors":%d,"status":%d,"p50":%d,"p99":%d}\\n', s.requests, s.duration,
    s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout, s.errors.status, latency:percentile(50), latency:percentile(99)))
end
`;

function wrk(load: Load, seconds: number, files: { script: string; addresses: string; body: string }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const env = {
      ...process.env,
      TT_ADDRESSES: files.addresses,
      TT_PREFIX: load.prefix,
      TT_CLIENTS: String(CLIENTS),
      ...(load.body ? { TT_BODY: files.body } : {}),
    };
    const p = spawn('wrk', ['-t1', `-c${load.connections}`, `-d${seconds}s`, '--timeout', '60s', '-s', files.script, load.url], { env });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}): ${out.slice(0, 500)}`));
      const r = JSON.parse(line) as { requests: number; us: number; errors: number; status: number; p50: number; p99: number };
      resolve({ requests: r.requests, seconds: r.us / 1e6, p50: r.p50 / 1000, p99: r.p99 / 1000, errors: r.errors, non2xx: r.status });
    });
  });
}

async function cannon(load: Load, seconds: number, pick: () => string): Promise<Raw> {
  const options: autocannon.Options = load.body
    ? {
        url: `${load.url}${load.prefix}`,
        connections: load.connections,
        pipelining: 1,
        timeout: 60,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: load.body,
        setupClient: (client: { setHeaders(h: Record<string, string>): void }) =>
          client.setHeaders({ 'content-type': 'application/json', 'x-forwarded-for': clientAddress() }),
      }
    : {
        url: load.url,
        connections: load.connections,
        pipelining: 1,
        requests: [
          {
            method: 'GET',
            // autocannon's Request type has no `headers` on the request it hands over, though it sends them
            setupRequest: ((req: { path?: string; headers?: Record<string, string> }) => {
              req.path = `${load.prefix}${pick()}`;
              req.headers = { 'x-forwarded-for': clientAddress() };
              return req;
            }) as never,
          },
        ],
      };
  const r = await autocannon({ ...options, duration: seconds });
  return { requests: r.requests.total, seconds, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

/** Client addresses behind the loopback proxy: a pool of CLIENTS, drawn by a seeded generator of their own. */
const CLIENTS = 5000;
let clientSeed = 0x2545f491;
function clientAddress(): string {
  clientSeed = (Math.imul(clientSeed, 1664525) + 1013904223) >>> 0;
  const n = clientSeed % CLIENTS;
  return `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
}

const median = (xs: number[]): number => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function parent(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const prof = args.includes('--cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir', `${process.env.TMPDIR ?? '/tmp'}/tainttrace-prof`] : [];
  const proc = fork(fileURLToPath(import.meta.url), ['child', ...args], { execArgv: [...process.execArgv, ...prof] });
  const ask = <T>(m?: string) =>
    new Promise<T>((resolve) => {
      proc.once('message', (x) => resolve(x as T));
      if (m) proc.send(m);
    });
  const { candidate, baseline, unlimited, withCache, library, cache } = await ask<Ports>();
  const gc = () => ask<GcFigures>('gc');
  const list = syntheticAddresses(ACCOUNTS);
  let s = 0x9e3779b9;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const pick = () => list[Math.floor(next() * list.length)];
  const deposits = Array.from({ length: 1000 }, (_, i) => ({
    from: pick(),
    amount: `${1 + (i % 997)}.${String(i).padStart(6, '0')}`,
    ...(i % 2 ? { time: '2018-02-07T00:00:00Z' } : {}),
  }));
  const body = JSON.stringify({ deposits });
  const all: Scenario[] = [
    {
      key: 'base',
      name: 'baseline: bare fastify, Map lookup',
      load: { url: baseline, prefix: '/accounts/', connections: CONNECTIONS },
      rounds: [],
    },
    {
      key: 'same',
      name: 'bare fastify, same answer bytes',
      load: { url: baseline, prefix: '/views/', connections: CONNECTIONS },
      rounds: [],
    },
    {
      key: 'account',
      name: 'GET /v1/accounts/{address}',
      load: { url: candidate, prefix: '/v1/accounts/', connections: CONNECTIONS },
      rounds: [],
    },
    {
      key: 'account-nolimit',
      name: 'GET /v1/accounts/{address}, rate limit off',
      load: { url: unlimited, prefix: '/v1/accounts/', connections: CONNECTIONS },
      rounds: [],
    },
    {
      key: 'account-cached',
      name: `GET /v1/accounts/{address}, ${CACHED_BYTES / 2 ** 20} MiB answer cache`,
      load: { url: withCache, prefix: '/v1/accounts/', connections: CONNECTIONS },
      rounds: [],
    },
    ...(
      [
        ['rl-ours', 'same + our token bucket (guards/rate-limit.ts)'],
        ['rl-fastify', 'same + @fastify/rate-limit'],
        ['metrics-ours', 'same + our route metrics (metrics.ts)'],
        ['metrics-prom', 'same + prom-client histogram'],
      ] as const
    ).map(([key, name]) => ({
      key,
      name,
      load: { url: library[key], prefix: '/views/', connections: CONNECTIONS },
      rounds: [] as Figures[],
    })),
    {
      key: 'screen',
      name: 'POST /v1/screen, 1,000 deposits',
      load: { url: candidate, prefix: '/v1/screen', connections: SCREEN_CONNECTIONS, body },
      rounds: [],
    },
  ];
  const scenarios = all.filter((x) => !ONLY || ONLY.includes(x.key));
  const dir = mkdtempSync(join(tmpdir(), 'tainttrace-bench-'));
  const files = { script: join(dir, 'load.lua'), addresses: join(dir, 'addresses.txt'), body: join(dir, 'body.json') };
  writeFileSync(files.script, WRK_SCRIPT);
  writeFileSync(files.addresses, `${list.join('\n')}\n`);
  writeFileSync(files.body, body);
  /** One run: the load for `seconds`, with the server's CPU and GC time over the same span. */
  const run = async (load: Load, seconds: number): Promise<Figures> => {
    await gc();
    const r = GENERATOR === 'wrk' ? await wrk(load, seconds, files) : await cannon(load, seconds, pick);
    const g = await gc();
    return {
      rps: r.requests / r.seconds,
      p50: r.p50,
      p99: r.p99,
      errors: r.errors,
      non2xx: r.non2xx,
      gcShare: (g.minorMs + g.majorMs) / (seconds * 1000),
      cpuUsPerRequest: g.cpuUs / Math.max(1, r.requests),
    };
  };
  try {
    for (const sc of scenarios) await run(sc.load, 2); // warm-up
    for (let round = 0; round < ROUNDS; round++) for (const sc of scenarios) sc.rounds.push(await run(sc.load, DURATION));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const memory = await ask<NodeJS.MemoryUsage>('memory');
  proc.send('stop');

  const base = scenarios.find((x) => x.key === 'base');
  const same = scenarios.find((x) => x.key === 'same');
  const rows = scenarios.map((sc) => ({
    key: sc.key,
    name: sc.name,
    connections: sc.load.connections,
    rps: median(sc.rounds.map((f) => f.rps)),
    p50: median(sc.rounds.map((f) => f.p50)),
    p99: median(sc.rounds.map((f) => f.p99)),
    /** Share of the run's wall time the server spent collecting garbage. */
    gcShare: median(sc.rounds.map((f) => f.gcShare)),
    /** Server CPU time (user + system) per answered request: steadier than req/s on a shared machine. */
    cpuUsPerRequest: median(sc.rounds.map((f) => f.cpuUsPerRequest)),
    errors: sc.rounds.reduce((n, f) => n + f.errors, 0),
    non2xx: sc.rounds.reduce((n, f) => n + f.non2xx, 0),
    /** Medians of the per-round ratios to the baseline. */
    rpsVsBaseline: base && sc.key !== 'screen' ? median(sc.rounds.map((f, i) => f.rps / base.rounds[i].rps)) : null,
    p99VsBaseline: base && sc.key !== 'screen' ? median(sc.rounds.map((f, i) => f.p99 / base.rounds[i].p99)) : null,
    /** The library rows against `same` (the bare route they hook into), medians of the per-round ratios. */
    rpsVsSame:
      same && ['rl-ours', 'rl-fastify', 'metrics-ours', 'metrics-prom'].includes(sc.key)
        ? median(sc.rounds.map((f, i) => f.rps / same.rounds[i].rps))
        : null,
    perRound: sc.rounds,
  }));
  const account = rows.find((r) => r.key === 'account');
  const screen = rows.find((r) => r.key === 'screen');
  const summary = {
    generator: GENERATOR,
    accounts: ACCOUNTS,
    rounds: ROUNDS,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    screenConnections: SCREEN_CONNECTIONS,
    node: process.version,
    cpus: cpus().length,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    rows,
    targetsMet:
      account?.rpsVsBaseline != null && account.p99VsBaseline != null ? account.rpsVsBaseline >= 0.8 && account.p99VsBaseline <= 1.5 : null,
    screenDepositsPerSecond: screen ? Math.round(screen.rps * 1000) : null,
    serverRssMiB: Math.round(memory.rss / 2 ** 20),
    accountCache: { entries: cache.entries, MiB: +(cache.bytes / 2 ** 20).toFixed(1), warmSeconds: +cache.warmSeconds.toFixed(2) },
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const n = (x: number | null, digits = 0) =>
    x === null || !Number.isFinite(x) ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  console.log(
    `server bench: ${n(ACCOUNTS)} accounts; ${ROUNDS} rounds × ${DURATION} s per run, medians; ${CONNECTIONS} connections ` +
      `(screens ${SCREEN_CONNECTIONS}), no pipelining;`,
  );
  console.log(
    `load from ${GENERATOR} (one thread) in this process group, servers in a child process; ${process.version}, ${cpus().length} ` +
      `cores, load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}; server ` +
      `RSS ${summary.serverRssMiB} MiB;`,
  );
  console.log(
    `account answer cache warmed before the runs: ${n(cache.entries)} answers, ${summary.accountCache.MiB} MiB, ` +
      `in ${summary.accountCache.warmSeconds} s\n`,
  );
  console.log('| run | connections | req/s | p50 ms | p99 ms | req/s vs baseline | p99 vs baseline | server CPU µs/req | server GC |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const flags = r.errors || r.non2xx ? ` (errors ${r.errors}, non-2xx ${r.non2xx})` : '';
    console.log(
      `| ${r.name}${flags} | ${r.connections} | ${n(r.rps)} | ${n(r.p50, 2)} | ${n(r.p99, 2)} ` +
        `| ${r.rpsVsBaseline === null ? '—' : `${n(r.rpsVsBaseline * 100, 1)} %`} ` +
        `| ${r.p99VsBaseline === null ? '—' : `${n(r.p99VsBaseline, 2)}×`} | ${n(r.cpuUsPerRequest, 1)} ` +
        `| ${n(r.gcShare * 100, 1)} % |`,
    );
  }
  if (account && account.rpsVsBaseline !== null) {
    console.log(
      `\naccount lookup: ${n(account.rpsVsBaseline * 100, 1)} % of the baseline's req/s (target ≥ 80 %), ` +
        `p99 ${n(account.p99VsBaseline, 2)}× (target ≤ 1.5×): ${summary.targetsMet ? 'met' : 'not met'}`,
    );
  }
  if (screen) console.log(`screening: ${n(summary.screenDepositsPerSecond)} deposits/s`);
  for (const r of rows) if (r.rpsVsSame !== null) console.log(`${r.name}: ${n(r.rpsVsSame * 100, 1)} % of the bare route's req/s`);
  const off = rows.find((r) => r.key === 'account-nolimit');
  if (account && off)
    console.log(`default rate limit on the account route: ${n((account.rps / off.rps) * 100, 1)} % of its req/s without it`);
}

if (process.argv[2] === 'child') {
  process.on('disconnect', () => process.exit(0)); // the parent is gone (done or failed): stop serving
  await child();
} else await parent();
