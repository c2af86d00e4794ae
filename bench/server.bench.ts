/**
 * HTTP lookup benchmark: the real listening server vs a bare fastify Map-lookup route.
 *
 *   npx tsx bench/server.bench.ts [--accounts 100000] [--duration 10] [--connections 50] [--json]
 *
 * A child process serves both on 127.0.0.1 (so the load generator, autocannon in this process,
 * does not share an event loop with them): the candidate is buildServer() over a seeded synthetic
 * taint index (all six policies, 1–8 history events per account, 1 % labelled); the baseline is a
 * bare fastify route answering `Map.get(address)` with a small precomputed object, and a second
 * bare route answering the candidate's own precomputed answer (same bytes on the wire). Runs, each
 * `duration` seconds with `connections` connections after a 2 s warm-up: baseline lookup,
 * candidate account lookup (GET /v1/accounts/{address}, random addresses, 90 % tainted), candidate
 * 1,000-deposit screen (POST /v1/screen). Prints requests/s, p50, p99 and the ratios to baseline
 * (targets: ≥ 80 % of baseline throughput, p99 ≤ 1.5× baseline p99 for account lookups).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { publicKeyToAddress } from '../src/nem/address.js';
import type { TaintIndex, IndexedAccount, PolicyTaintEntry } from '../src/screen/index-types.js';
import { TAINT_INDEX_SCHEMA } from '../src/screen/index-types.js';
import { buildServer } from '../src/server/build.js';
import { accountView } from '../src/screen/views.js';
import { POLICIES, type Label, type Policy } from '../src/taint/types.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ACCOUNTS = flag('accounts', 100_000);
const DURATION = flag('duration', 10);
const CONNECTIONS = flag('connections', 50);
const SEED = 7;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seeded address list: first 90 % tainted in the index, the rest untouched. */
function addresses(n: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push(publicKeyToAddress((i * 2654435761).toString(16).padStart(64, '0')));
  return out;
}

function syntheticIndex(list: string[]): TaintIndex {
  const r = rng(SEED);
  const accounts = new Map<string, IndexedAccount>();
  const labels = new Map<string, Label>();
  const tainted = Math.floor(list.length * 0.9);
  for (let i = 0; i < tainted; i++) {
    const address = list[i];
    const policies: Partial<Record<Policy, PolicyTaintEntry>> = {};
    const hops = 1 + Math.floor(r() * 6);
    const first = 89_000_000 + Math.floor(r() * 5_000_000);
    for (const p of POLICIES) {
      const n = 1 + Math.floor(r() * 8);
      const ht = new Int32Array(n), hh = new Int32Array(n), hb = new BigInt64Array(n), hx = new BigInt64Array(n);
      let t = first, h = 1_500_000 + (first >> 6);
      for (let k = 0; k < n; k++) {
        ht[k] = t; hh[k] = h; t += Math.floor(r() * 100_000); h += Math.floor(r() * 1000);
        hb[k] = BigInt(Math.floor(r() * 1e12)); hx[k] = p === 'poison' ? hb[k] : BigInt(Math.floor(Number(hb[k]) * r()));
      }
      policies[p] = {
        isExit: false, hops, received: BigInt(Math.floor(r() * 1e12)), held: hx[n - 1], balance: hb[n - 1], firstTaintedAt: first,
        evidence: Array.from({ length: hops }, (_, k) => (i * 7 + k).toString(16).padStart(64, '0')), historyTime: ht, historyHeight: hh, historyBalance: hb, historyTainted: hx,
      };
    }
    accounts.set(address, { address, policies, exits: [] });
    if (i % 100 === 0) labels.set(address, { address, label: `Account ${i}`, category: i % 300 === 0 ? 'exchange' : 'user' });
  }
  return {
    schema: TAINT_INDEX_SCHEMA,
    manifest: { schema: 'tainttrace/manifest@1', engineVersion: 'bench', caseId: 'bench', policies: [...POLICIES], dust: '1.000000', maxHops: 10, exitCategories: ['exchange'], labelSetHash: '', storeDigest: '', tipHeight: 1_800_000, windowTo: null },
    policies: [...POLICIES], exitCategories: ['exchange'], asOf: { height: 1_800_000, time: 95_000_000 }, accounts, transfers: new Map(), labels,
  };
}

async function child(): Promise<void> {
  const list = addresses(ACCOUNTS);
  const index = syntheticIndex(list);
  const app = buildServer({ index });
  const bare = Fastify({ logger: false });
  const map = new Map(list.map((a, i) => [a, { address: a, tainted: i < list.length * 0.9, hops: 1 + (i % 6), held: '1.000000' }] as const));
  bare.get('/accounts/:address', (req, reply) => {
    const v = map.get((req.params as { address: string }).address);
    return v ? reply.send(v) : reply.code(404).send({ error: 'not found' });
  });
  // Same-payload baseline: the candidate's answer for each address, precomputed (same bytes on the wire).
  const views = new Map(list.map((a) => [a, accountView(index, a)] as const));
  bare.get('/views/:address', (req, reply) => {
    const v = views.get((req.params as { address: string }).address);
    return v ? reply.send(v) : reply.code(404).send({ error: 'not found' });
  });
  const [candidate, baseline] = await Promise.all([app.listen({ port: 0, host: '127.0.0.1' }), bare.listen({ port: 0, host: '127.0.0.1' })]);
  process.send!({ candidate, baseline });
  process.on('message', async () => {
    await Promise.all([app.close(), bare.close()]);
    process.exit(0);
  });
}

interface Figures { name: string; rps: number; p50: number; p99: number; errors: number; non2xx: number }

async function cannon(name: string, options: autocannon.Options): Promise<Figures> {
  await autocannon({ ...options, duration: 2 }); // warm-up
  const r = await autocannon(options);
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

async function parent(): Promise<void> {
  const started = Date.now();
  const proc = fork(fileURLToPath(import.meta.url), ['child', ...args], { execArgv: process.execArgv });
  const { candidate, baseline } = await new Promise<{ candidate: string; baseline: string }>((resolve) => proc.once('message', (m) => resolve(m as never)));
  const list = addresses(ACCOUNTS);
  const r = rng(SEED + 1);
  const pickPath = (prefix: string) => (req: { path?: string }) => {
    req.path = `${prefix}${list[Math.floor(r() * list.length)]}`;
    return req;
  };
  const common = { connections: CONNECTIONS, duration: DURATION, pipelining: 1 };
  const deposits = Array.from({ length: 1000 }, (_, i) => ({ from: list[Math.floor(r() * list.length)], amount: `${1 + (i % 997)}.${String(i).padStart(6, '0')}`, ...(i % 2 ? { time: '2018-02-07T00:00:00Z' } : {}) }));
  const results: Figures[] = [];
  results.push(await cannon('baseline: bare fastify Map lookup', { ...common, url: baseline, requests: [{ method: 'GET', setupRequest: pickPath('/accounts/') as never }] }));
  results.push(await cannon('baseline: same payload, precomputed', { ...common, url: baseline, requests: [{ method: 'GET', setupRequest: pickPath('/views/') as never }] }));
  results.push(await cannon('GET /v1/accounts/{address}', { ...common, url: candidate, requests: [{ method: 'GET', setupRequest: pickPath('/v1/accounts/') as never }] }));
  results.push(await cannon('POST /v1/screen (1,000 deposits)', { ...common, timeout: 60, url: `${candidate}/v1/screen`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deposits }) }));
  proc.send('stop');
  const [base, same, account, screen] = results;
  const summary = {
    accounts: ACCOUNTS, durationSeconds: DURATION, connections: CONNECTIONS, node: process.version,
    results,
    ratios: {
      accountThroughputVsBaseline: +(account.rps / base.rps).toFixed(3),
      accountP99VsBaselineP99: +(account.p99 / Math.max(base.p99, 1)).toFixed(3),
      accountThroughputVsSamePayload: +(account.rps / same.rps).toFixed(3),
      accountP99VsSamePayloadP99: +(account.p99 / Math.max(same.p99, 1)).toFixed(3),
      screenDepositsPerSecond: Math.round(screen.rps * 1000),
    },
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  console.log(`server bench: ${ACCOUNTS} accounts, ${DURATION} s × ${CONNECTIONS} connections each, ${process.version}`);
  for (const f of results) console.log(`  ${f.name.padEnd(36)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   errors ${f.errors}  non-2xx ${f.non2xx}`);
  console.log(`  account lookup vs baseline: throughput ${(summary.ratios.accountThroughputVsBaseline * 100).toFixed(1)} % (target ≥ 80 %), p99 ${summary.ratios.accountP99VsBaselineP99}× (target ≤ 1.5×)`);
  console.log(`  account lookup vs same-payload baseline: throughput ${(summary.ratios.accountThroughputVsSamePayload * 100).toFixed(1)} %, p99 ${summary.ratios.accountP99VsSamePayloadP99}×`);
  console.log(`  screening: ${summary.ratios.screenDepositsPerSecond} deposits/s`);
}

if (process.argv[2] === 'child') await child();
else await parent();
