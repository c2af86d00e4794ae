/**
 * The transport under abuse (src/server/guards/transport.ts, shutdown.ts), over loopback with raw
 * sockets: a body or headers sent at a trickle are cut at the deadline with 408 in the API's error
 * shape, parser errors are 400, oversized headers 431, connections above the cap 503, and a
 * graceful shutdown lets an in-flight request finish. Deadlines are shortened (1 s, not 10 s); each
 * trickle would take 10 s to finish, so an answer before the last byte proves the cut.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import { closeGracefully, DEFAULT_LIMITS, type ServerOptions } from '../../src/server/index.js';
import { A } from '../screen/fixture.js';
import { server } from './helpers.js';

let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function listen(options: ServerOptions): Promise<number> {
  app = server(options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as net.AddressInfo).port;
}

interface Exchange {
  status: number;
  headers: string;
  body: string;
  sent: number;
  elapsed: number;
}

/** Sends `chunks` with `gap` ms between them, stops sending once an answer comes; resolves when the socket closes. */
function exchange(port: number, chunks: (string | Buffer)[], gap = 0, socket?: net.Socket): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const s = socket ?? net.connect(port, '127.0.0.1');
    const started = performance.now();
    let raw = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    s.on('data', (d) => (raw += d.toString('utf8')));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(raw);
      if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 200))}`));
      resolve({ status: Number(m[1]), headers: m[2].toLowerCase(), body: m[3], sent, elapsed: performance.now() - started });
    });
    const next = (): void => {
      if (s.destroyed || raw !== '' || sent === chunks.length) return;
      s.write(chunks[sent++]);
      timer = setTimeout(next, gap);
    };
    next();
  });
}

function expectShape(res: Exchange, code: ErrorCode): void {
  expect(res.status, res.body).toBe(ERRORS[code].status);
  expect(res.headers).toMatch(/content-type: application\/json/);
  expect(JSON.parse(res.body)).toEqual({ error: { code, message: expect.any(String) } });
}

const bytes = (s: string) => [...s];

describe('deadlines', () => {
  it('a body sent at a trickle is cut at the request deadline: 408 TRACE_REQUEST_TIMEOUT', async () => {
    const port = await listen({ limits: { requestTimeout: 1000, headersTimeout: 1000 } });
    const body = JSON.stringify({ deposits: [{ from: A, amount: '1.000000' }] }).padEnd(100, ' ');
    const head = `POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const res = await exchange(port, [head, ...bytes(body)], 100);
    expectShape(res, 'TRACE_REQUEST_TIMEOUT');
    expect(res.sent).toBeLessThan(1 + body.length);
    expect(res.elapsed).toBeGreaterThanOrEqual(1000 - 5);
  });
  it('headers sent at a trickle are cut at the headers deadline', async () => {
    const port = await listen({ limits: { requestTimeout: 1000, headersTimeout: 500 } });
    const head = `GET /v1/accounts/${A} HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(40)}\r\n\r\n`;
    const res = await exchange(port, bytes(head), 100);
    expectShape(res, 'TRACE_REQUEST_TIMEOUT');
    expect(res.sent).toBeLessThan(head.length);
    expect(res.elapsed).toBeGreaterThanOrEqual(500 - 5);
  });
  it('the default server carries the default limits into node', async () => {
    await listen({});
    const s = app!.server;
    expect([s.requestTimeout, s.headersTimeout, s.keepAliveTimeout, s.timeout]).toEqual([
      DEFAULT_LIMITS.requestTimeout,
      DEFAULT_LIMITS.headersTimeout,
      DEFAULT_LIMITS.keepAliveTimeout,
      DEFAULT_LIMITS.connectionTimeout,
    ]);
  });
});

describe('errors before routing', () => {
  it('a request node cannot parse is 400 TRACE_BAD_REQUEST', async () => {
    const port = await listen({});
    for (const raw of [
      '\u0000\u0001garbage\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'GET /healthz HTTP/1.1\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n',
      'POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
      'POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ]) {
      expectShape(await exchange(port, [raw]), 'TRACE_BAD_REQUEST');
    }
  });
  it('headers above maxHeaderSize are 431 TRACE_HEADERS_TOO_LARGE', async () => {
    const port = await listen({});
    const res = await exchange(port, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(DEFAULT_LIMITS.maxHeaderSize)}\r\n\r\n`]);
    expectShape(res, 'TRACE_HEADERS_TOO_LARGE');
  });
});

describe('connection cap', () => {
  it('a connection above maxConnections is answered 503 TRACE_OVERLOADED; freed places are served again', async () => {
    const port = await listen({ limits: { maxConnections: 2 } });
    const held = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<net.Socket>((ok) => {
            const s = net.connect(port, '127.0.0.1', () => ok(s));
          }),
      ),
    );
    await new Promise((ok) => setTimeout(ok, 50));
    const over = await exchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n']);
    expectShape(over, 'TRACE_OVERLOADED');
    expect(over.headers).toMatch(/retry-after: 1/);
    held.forEach((s) => s.destroy());
    await new Promise((ok) => setTimeout(ok, 50));
    expect((await exchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'])).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('an in-flight request finishes; new connections are refused', async () => {
    const port = await listen({});
    const body = JSON.stringify({ deposits: [{ from: A, amount: '1.000000' }] });
    const half = body.length >> 1;
    const s = net.connect(port, '127.0.0.1');
    await new Promise((ok) => s.once('connect', ok));
    s.write(
      `POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: ` +
        `application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`,
    );
    await new Promise((ok) => setTimeout(ok, 50));
    const closed = closeGracefully(app!, 5000);
    await new Promise((ok) => setTimeout(ok, 50));
    const refused = await new Promise<string>((ok) =>
      net
        .connect(port, '127.0.0.1')
        .on('error', (e: NodeJS.ErrnoException) => ok(e.code ?? ''))
        .on('connect', () => ok('connected')),
    );
    expect(refused).toBe('ECONNREFUSED');
    const res = await exchange(port, [body.slice(half)], 0, s);
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body).results).toHaveLength(1);
    await closed;
    app = null;
  });
});
