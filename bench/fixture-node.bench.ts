/**
 * Fixture node paging throughput: the real node vs bare node:http routes, same run, same machine.
 *
 *   npx tsx bench/fixture-node.bench.ts [--duration 10] [--connections 50] [--json]
 *
 * A child process serves, on 127.0.0.1 (so autocannon in this process does not share its event
 * loop): the candidate, `startFixtureNode` over the Coincheck scenario, answering
 * GET /account/transfers/all?address=…&id=…&pageSize=100 (random busy account, random cursor; every
 * answer is a full 100-item page, ~80 KB, sent chunked as Jetty would); baseline A, a bare node:http
 * route answering the same path with the candidate's own precomputed bytes from a Map (same payload
 * on the wire: the cost of the node's routing, validation and page assembly shows as the gap);
 * baseline B, a bare node:http route answering a small JSON object from a Map (the ceiling of this
 * machine for a trivial route). Each run lasts `duration` seconds with `connections` connections
 * after a 2 s warm-up. Prints requests/s, p50/p99 latency, throughput and the ratios.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { mulberry32 } from '../src/fixture/synthetic.js';
import { loadScenario } from '../src/fixture/scenarios.js';
import { startFixtureNode } from '../src/fixture/node/server.js';
import { buildNodeIndex, metaId } from '../src/fixture/node/paging.js';
import { handleRequest, replyBytes } from '../src/fixture/node/routes.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DURATION = flag('duration', 10);
const CONNECTIONS = flag('connections', 50);
const PAGE = 100;

/** Paths of full pages: busy accounts, cursors that leave at least PAGE older items. */
function pagePaths(): string[] {
  const scenario = loadScenario('coincheck');
  const index = buildNodeIndex(scenario, 0);
  const paths: string[] = [];
  for (const [address, lists] of [...index.accounts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const all = lists.all;
    for (let k = PAGE; k < all.length; k += 7)
      paths.push(`/account/transfers/all?address=${address}&id=${metaId(index, all[k])}&pageSize=${PAGE}`);
  }
  return paths;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function child(): Promise<void> {
  const scenario = loadScenario('coincheck');
  const node = await startFixtureNode({ scenario });
  const paths = pagePaths();
  const index = buildNodeIndex(scenario, 0);
  const ctx = { index, pageSizeMax: 100, nemNow: () => 0, endpoint: { host: '127.0.0.1', port: 0 } };
  const bodies = new Map(
    paths.map((p) => {
      const [path, qs] = p.split('?');
      return [
        p,
        replyBytes(handleRequest(ctx, { method: 'GET', path, query: new URLSearchParams(qs), body: '', remoteAddress: '' })),
      ] as const;
    }),
  );
  const small = Buffer.from(JSON.stringify({ height: scenario.tipHeight, ok: true }));
  const samePayload = http.createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.end(body);
  });
  const trivial = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': small.length });
    res.end(small);
  });
  const [baseline, ceiling] = await Promise.all([listen(samePayload), listen(trivial)]);
  process.send!({
    candidate: node.url,
    baseline,
    ceiling,
    paths: paths.length,
    bytes: Math.round([...bodies.values()].reduce((s, b) => s + b.length, 0) / bodies.size),
  });
  process.once('message', () => {
    void node.close().then(() => {
      samePayload.close();
      trivial.close();
      process.exit(0);
    });
  });
}

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  mbPerSec: number;
  errors: number;
  non2xx: number;
}

async function cannon(name: string, options: autocannon.Options): Promise<Figures> {
  await autocannon({ ...options, duration: 2 }); // warm-up
  const r = await autocannon(options);
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mbPerSec: +(r.throughput.average / 1e6).toFixed(1),
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

async function parent(): Promise<void> {
  const started = Date.now();
  const proc = fork(fileURLToPath(import.meta.url), ['child', ...args], { execArgv: process.execArgv });
  const info = await new Promise<{ candidate: string; baseline: string; ceiling: string; paths: number; bytes: number }>((resolve) =>
    proc.once('message', (m) => resolve(m as never)),
  );
  const paths = pagePaths();
  const r = mulberry32(7);
  const pick = (req: { path?: string }) => {
    req.path = paths[Math.floor(r() * paths.length)];
    return req;
  };
  const common = { connections: CONNECTIONS, duration: DURATION, pipelining: 1 };
  const results: Figures[] = [];
  results.push(
    await cannon('baseline B: bare node:http, small JSON', { ...common, url: info.ceiling, requests: [{ method: 'GET', path: '/' }] }),
  );
  results.push(
    await cannon('baseline A: bare node:http, same page bytes', {
      ...common,
      url: info.baseline,
      requests: [{ method: 'GET', setupRequest: pick }],
    }),
  );
  results.push(
    await cannon('fixture node: /account/transfers/all pageSize=100', {
      ...common,
      url: info.candidate,
      requests: [{ method: 'GET', setupRequest: pick }],
    }),
  );
  proc.send('stop');
  const [ceiling, same, node] = results;
  const summary = {
    scenario: 'coincheck',
    pagePaths: info.paths,
    meanPageBytes: info.bytes,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    node: process.version,
    results,
    ratios: {
      nodeVsSamePayload: +(node.rps / same.rps).toFixed(3),
      nodeP99VsSamePayloadP99: +(node.p99 / Math.max(same.p99, 1)).toFixed(3),
      nodeVsTrivial: +(node.rps / ceiling.rps).toFixed(3),
      itemsPerSecond: Math.round(node.rps * PAGE),
    },
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  console.log(
    `fixture-node bench: ${info.paths} page paths, ~${info.bytes} bytes per page, ${DURATION} s × ${CONNECTIONS} connections,` +
      ` ${process.version}`,
  );
  for (const f of results)
    console.log(
      `  ${f.name.padEnd(52)} ${f.rps.toFixed(0).padStart(7)} req/s  ${String(f.mbPerSec).padStart(6)} MB/s  ` +
        `p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  errors ${f.errors}  ` +
        `non-2xx ${f.non2xx}`,
    );
  console.log(
    `  fixture node vs same-payload baseline: ${(summary.ratios.nodeVsSamePayload * 100).toFixed(1)} % of its requests/s, ` +
      `p99 ${summary.ratios.nodeP99VsSamePayloadP99}×; ${summary.ratios.itemsPerSecond} items/s`,
  );
  console.log(`  fixture node vs trivial-route ceiling: ${(summary.ratios.nodeVsTrivial * 100).toFixed(1)} %`);
}

if (process.argv[2] === 'child') await child();
else await parent();
