/**
 * The abuse guards (src/server/guards, keys.ts, options.ts): failed API keys rate-limited per
 * client address, short keys refused, generated keys long and random, a per-address rate limit on
 * by default, /metrics behind a key when keys are configured.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_RATE_LIMIT, generateKey, MIN_KEY_LENGTH, parseApiKeys } from '../../src/server/index.js';
import type { FastifyRequest } from 'fastify';
import { main } from '../../src/cli/main.js';
import { clientAddressOf } from '../../src/server/guards/client-address.js';
import { A } from '../screen/fixture.js';
import { expectError, server } from './helpers.js';

const KEY = generateKey();
const apps: { close(): Promise<unknown> }[] = [];
const track = <T extends { close(): Promise<unknown> }>(app: T): T => (apps.push(app), app);
afterAll(() => Promise.all(apps.map((a) => a.close())));

describe('failed API keys', () => {
  it('are limited per client address: after the allowance even the right key waits, other addresses do not', async () => {
    let clock = 0;
    const app = track(server({ apiKeys: [{ key: KEY }], now: () => clock }));
    const get = (authorization: string | undefined, remoteAddress = '10.0.0.1') =>
      app.inject({ url: `/v1/accounts/${A}`, remoteAddress, headers: authorization ? { authorization } : {} });
    for (let i = 0; i < DEFAULT_AUTH_FAILURE_LIMIT.capacity; i++)
      expectError(await get(`Bearer wrong-${i}-${'x'.repeat(40)}`), 'TRACE_UNAUTHORIZED');
    const refused = await get(`Bearer ${KEY}`);
    expectError(refused, 'TRACE_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get(`Bearer ${KEY}`, '10.0.0.2')).statusCode).toBe(200);
    clock += 1000 / DEFAULT_AUTH_FAILURE_LIMIT.perSecond;
    expect((await get(`Bearer ${KEY}`)).statusCode).toBe(200);
    expectError(await get(undefined), 'TRACE_UNAUTHORIZED');
    expectError(await get(undefined), 'TRACE_RATE_LIMITED');
  });
  it('30 wrong keys from one address are not 30 × 401', async () => {
    const app = track(server({ apiKeys: [{ key: KEY }] }));
    const statuses = [];
    for (let i = 0; i < 30; i++)
      statuses.push(
        (await app.inject({ url: `/v1/accounts/${A}`, headers: { authorization: `Bearer guess-${i}-${'y'.repeat(40)}` } })).statusCode,
      );
    expect(statuses.filter((s) => s === 401)).toHaveLength(DEFAULT_AUTH_FAILURE_LIMIT.capacity);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - DEFAULT_AUTH_FAILURE_LIMIT.capacity);
  });
});

describe('API keys', () => {
  it('short or unprintable keys are refused in the key file and in the options', () => {
    for (const bad of [
      'short-key',
      'k'.repeat(MIN_KEY_LENGTH - 1),
      `${'k'.repeat(40)} space`,
      `${'k'.repeat(40)}\u0000`,
      `${'k'.repeat(40)}é`,
    ]) {
      expect(() => parseApiKeys(JSON.stringify([bad]))).toThrow(expect.objectContaining({ code: 'TRACE_INVALID_OPTION' }));
      expect(() => server({ apiKeys: [{ key: bad }] })).toThrow(expect.objectContaining({ code: 'TRACE_INVALID_OPTION' }));
    }
    expect(parseApiKeys(`# ops\n${KEY}\n`)).toEqual([{ key: KEY }]);
  });
  it('generated keys are long, URL-safe and never repeat', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateKey));
    expect(keys.size).toBe(1000);
    for (const k of keys) expect(k).toMatch(/^ttk_[A-Za-z0-9_-]{43}$/);
  });
  it('tainttrace keys new prints keys the server accepts', async () => {
    let out = '';
    const io = {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: () => true },
      signal: new AbortController().signal,
    } as never;
    expect(await main(['keys', 'new', '--count', '3', '--name', 'exchange', '--json'], io)).toBe(0);
    const file = JSON.parse(out) as { keys: { key: string; name: string }[] };
    expect(file.keys.map((k) => k.name)).toEqual(['exchange-1', 'exchange-2', 'exchange-3']);
    expect(parseApiKeys(out)).toHaveLength(3);
    out = '';
    expect(await main(['keys', 'new'], io)).toBe(0);
    expect(parseApiKeys(out)).toHaveLength(1);
    expect(await main(['keys', 'old'], io)).toBe(2);
  });
});

describe('rate limit without keys', () => {
  it('is on by default, per client address', async () => {
    const app = track(server({ now: () => 0 }));
    const get = (remoteAddress: string) => app.inject({ url: `/v1/accounts/${A}`, remoteAddress });
    for (let i = 0; i < DEFAULT_RATE_LIMIT.capacity; i++) expect((await get('10.1.0.1')).statusCode).toBe(200);
    expectError(await get('10.1.0.1'), 'TRACE_RATE_LIMITED');
    expect((await get('10.1.0.2')).statusCode).toBe(200);
  });
  it('can be turned off or set', async () => {
    const off = track(server({ rateLimit: false }));
    for (let i = 0; i < DEFAULT_RATE_LIMIT.capacity + 10; i++) expect((await off.inject(`/v1/accounts/${A}`)).statusCode).toBe(200);
    expect(() => server({ rateLimit: { capacity: 0, perSecond: 1 } })).toThrow(expect.objectContaining({ code: 'TRACE_INVALID_OPTION' }));
  });
});

describe('trustProxy', () => {
  const rateLimit = { capacity: 2, perSecond: 0.001 };
  const get = (app: ReturnType<typeof server>, forwarded: string, remoteAddress = '10.9.0.1') =>
    app.inject({ url: `/v1/accounts/${A}`, remoteAddress, headers: { 'x-forwarded-for': forwarded } });

  it('is off by default: X-Forwarded-For is ignored, so a client cannot pick a fresh bucket per request', async () => {
    const app = track(server({ now: () => 0, rateLimit }));
    expect((await get(app, '192.0.2.1')).statusCode).toBe(200);
    expect((await get(app, '192.0.2.2')).statusCode).toBe(200);
    expectError(await get(app, '192.0.2.3'), 'TRACE_RATE_LIMITED');
  });

  it('when set to the proxy addresses, limits per forwarded client address — and ignores the header from anyone else', async () => {
    const app = track(server({ now: () => 0, rateLimit, trustProxy: ['10.9.0.0/16'] }));
    for (let i = 0; i < 2; i++) expect((await get(app, '192.0.2.1')).statusCode).toBe(200);
    expectError(await get(app, '192.0.2.1'), 'TRACE_RATE_LIMITED');
    // the entry the proxy appended counts, not a forged one before it
    expectError(await get(app, '198.51.100.7, 192.0.2.1'), 'TRACE_RATE_LIMITED');
    expect((await get(app, '192.0.2.2')).statusCode).toBe(200);
    const direct = (forwarded: string) => get(app, forwarded, '203.0.113.5'); // not through the proxy: its header is not believed
    for (let i = 0; i < 2; i++) expect((await direct(`192.0.2.${10 + i}`)).statusCode).toBe(200);
    expectError(await direct('192.0.2.12'), 'TRACE_RATE_LIMITED');
  });

  it('remembers a resolved client per socket and header: the same header from a socket it does not trust is not believed', async () => {
    const app = track(server({ now: () => 0, rateLimit, trustProxy: ['10.9.0.0/16'] }));
    for (let i = 0; i < 2; i++) expect((await get(app, '192.0.2.1')).statusCode).toBe(200); // resolved and remembered via the proxy
    expect((await get(app, '192.0.2.1', '203.0.113.9')).statusCode).toBe(200); // same header, another socket: its own bucket
    expectError(await get(app, '192.0.2.1'), 'TRACE_RATE_LIMITED');
  });

  it('keeps the memo of resolved clients bounded: the oldest pair is dropped, answers stay those of request.ip', () => {
    const request = (remoteAddress: string, forwarded: string, ip: string) =>
      ({ headers: { 'x-forwarded-for': forwarded }, raw: { socket: { remoteAddress } }, ip }) as unknown as FastifyRequest;
    const addressOf = clientAddressOf(['10.9.0.1'], 2);
    expect(addressOf(request('10.9.0.1', '192.0.2.1', '192.0.2.1'))).toBe('192.0.2.1');
    expect(addressOf(request('10.9.0.1', '192.0.2.1', 'not asked again'))).toBe('192.0.2.1');
    addressOf(request('10.9.0.1', '192.0.2.2', '192.0.2.2'));
    addressOf(request('10.9.0.1', '192.0.2.3', '192.0.2.3')); // the first pair goes
    expect(addressOf(request('10.9.0.1', '192.0.2.1', 'asked again'))).toBe('asked again');
    expect(clientAddressOf(false)(request('10.9.0.1', '192.0.2.1', '10.9.0.1'))).toBe('10.9.0.1');
  });

  it('limits failed API keys per forwarded address too', async () => {
    const app = track(server({ now: () => 0, apiKeys: [{ key: KEY }], trustProxy: '10.9.0.1' }));
    const bad = (forwarded: string) =>
      app.inject({
        url: `/v1/accounts/${A}`,
        remoteAddress: '10.9.0.1',
        headers: { 'x-forwarded-for': forwarded, authorization: 'Bearer x' },
      });
    for (let i = 0; i < DEFAULT_AUTH_FAILURE_LIMIT.capacity; i++) expectError(await bad('192.0.2.50'), 'TRACE_UNAUTHORIZED');
    expectError(await bad('192.0.2.50'), 'TRACE_RATE_LIMITED');
    expectError(await bad('192.0.2.51'), 'TRACE_UNAUTHORIZED');
  });

  it('tainttrace serve --trust-proxy refuses a bad list with one line, before reading the store', async () => {
    let err = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((err += s), true) },
      signal: new AbortController().signal,
    };
    expect(await main(['serve', '--db', '/nonexistent/store', '--trust-proxy', '10.0.0.1,proxy.example'], io as never)).toBe(2);
    expect(err).toMatch(/^tainttrace serve: trustProxy must be .*\[TRACE_INVALID_OPTION\]\n$/);
  });

  it.each([[1], ['not-an-ip'], ['10.0.0.0/33'], ['10.0.0.1/8/2'], [[]], [{}]])('refuses trustProxy %j at build', (trustProxy) => {
    expect(() => server({ trustProxy: trustProxy as never })).toThrow(expect.objectContaining({ code: 'TRACE_INVALID_OPTION' }));
  });
});

describe('/metrics', () => {
  it('needs a key when keys are configured, unless openMetrics', async () => {
    const keyed = track(server({ apiKeys: [{ key: KEY }] }));
    expectError(await keyed.inject('/metrics'), 'TRACE_UNAUTHORIZED');
    expect((await keyed.inject({ url: '/metrics', headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(200);
    const open = track(server({ apiKeys: [{ key: KEY }], openMetrics: true }));
    expect((await open.inject('/metrics')).statusCode).toBe(200);
    expect((await keyed.inject('/healthz')).statusCode).toBe(200);
  });
  it('the OpenAPI document says so', async () => {
    const keyed = track(server({ apiKeys: [{ key: KEY }] }));
    const doc = (await keyed.inject('/openapi.json')).json();
    expect(doc.paths['/metrics'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
  });
});

describe('limits', () => {
  it('bad limits are refused at build', () => {
    for (const limits of [
      { maxConnections: 0 },
      { requestTimeout: -1 },
      { headersTimeout: 20_000, requestTimeout: 10_000 },
      { bodyLimit: 1.5 },
    ]) {
      let err: unknown;
      try {
        server({ limits });
      } catch (e) {
        err = e;
      }
      expect(isTracerError(err, 'TRACE_INVALID_OPTION'), JSON.stringify(limits)).toBe(true);
    }
  });
});
