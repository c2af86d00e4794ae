/**
 * The account answer cache (src/server/answers.ts) and the routes that send ready JSON text:
 * same answers as the views, bounded memory, a fresh cache when the served index changes, and
 * every answer the server hands out valid against the route's 200 schema.
 */
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { nemToIso } from '../../src/nem/time.js';
import { buildTaintIndex, screenDeposit } from '../../src/screen/index.js';
import { syntheticTaintIndex } from '../../src/fixture/synthetic-index.js';
import { accountView, asOfView, screenView } from '../../src/screen/views.js';
import { AccountAnswers } from '../../src/server/answers.js';
import { accountCacheWarm, buildServer, setServerIndex } from '../../src/server/index.js';
import { accountSchema, screenResponseSchema } from '../../src/server/schemas.js';
import { A, D, T, U, V, X_, smallResult } from '../screen/fixture.js';
import { expectError, fixtureIndex, server } from './helpers.js';

const synthetic = syntheticTaintIndex({ accounts: 2000, seed: 5 });
const validAccount = new Ajv().compile(accountSchema);
const MiB = 2 ** 20;
const dashed = (a: string) => a.toLowerCase().replace(/(.{6})/g, '$1-');

describe('AccountAnswers', () => {
  it('answers JSON.stringify(accountView) for known, labelled-only and unknown addresses, cached or not', () => {
    const answers = new AccountAnswers(fixtureIndex, MiB);
    for (let round = 0; round < 2; round++) {
      for (const a of [T, A, D, X_, V, U]) expect(answers.get(a).toString()).toBe(JSON.stringify(accountView(fixtureIndex, a)));
    }
    expect(answers.size.entries).toBe(6);
  });
  it('accepts any spelling, caching only the canonical one', () => {
    const answers = new AccountAnswers(fixtureIndex, MiB);
    expect(answers.get(dashed(A)).toString()).toBe(JSON.stringify(accountView(fixtureIndex, A)));
    expect(answers.size.entries).toBe(0);
    expect(answers.get(A).equals(answers.get(dashed(A)))).toBe(true);
    expect(answers.size.entries).toBe(1);
  });
  it('refuses invalid addresses with TRACE_INVALID_ADDRESS and caches nothing for them', () => {
    const answers = new AccountAnswers(fixtureIndex, MiB);
    const badChecksum = A.slice(0, 39) + (A[39] === 'A' ? 'B' : 'A');
    for (const bad of [badChecksum, 'hello', '', 'A'.repeat(40)]) {
      let caught: unknown;
      try {
        answers.get(bad);
      } catch (err) {
        caught = err;
      }
      expect(isTracerError(caught) && caught.code).toBe('TRACE_INVALID_ADDRESS');
    }
    expect(answers.size.entries).toBe(0);
  });
  it('stays within its byte budget and answers the same after eviction', () => {
    const budget = 20_000;
    const answers = new AccountAnswers(synthetic.index, budget);
    const list = synthetic.addresses.slice(0, 200);
    for (const a of list) answers.get(a);
    expect(answers.size.bytes).toBeLessThanOrEqual(budget);
    expect(answers.size.entries).toBeGreaterThan(5);
    expect(answers.size.entries).toBeLessThan(list.length);
    for (const a of list) expect(answers.get(a).toString()).toBe(JSON.stringify(accountView(synthetic.index, a)));
    expect(answers.size.bytes).toBeLessThanOrEqual(budget);
  });
  it('evicts the oldest answer first; a hit does not reorder', () => {
    const cost = (x: string) => x.length + Buffer.byteLength(JSON.stringify(accountView(synthetic.index, x))) + 96;
    const [a, b, c] = synthetic.addresses;
    const d = synthetic.addresses.find((x, i) => i > 2 && cost(x) <= cost(a))!; // fits where a was
    const answers = new AccountAnswers(synthetic.index, cost(a) + cost(b) + cost(c));
    answers.get(a);
    answers.get(b);
    answers.get(c);
    expect([a, b, c].every((x) => answers.has(x))).toBe(true);
    answers.get(a); // a hit: a stays the oldest
    answers.get(d);
    expect(answers.has(a)).toBe(false);
    expect([b, c, d].every((x) => answers.has(x))).toBe(true);
  });
  it('caches nothing by default (the answers are written from the index), and answers the same', () => {
    const answers = new AccountAnswers(synthetic.index);
    for (const a of synthetic.addresses.slice(0, 300)) {
      expect(answers.get(a).toString()).toBe(JSON.stringify(accountView(synthetic.index, a)));
      expect(answers.known(a)?.toString() ?? answers.get(a).toString()).toBe(JSON.stringify(accountView(synthetic.index, a)));
    }
    expect(answers.size).toEqual({ entries: 0, bytes: 0 });
    expect(answers.maxBytes).toBe(0);
  });
  it('canonical() is parseAddress: canonical form, TRACE_INVALID_ADDRESS for bad ones, also when remembered', () => {
    const answers = new AccountAnswers(fixtureIndex, 0);
    for (let round = 0; round < 2; round++) {
      expect(answers.canonical(U)).toBe(U); // unknown to the index: checked once, then remembered
      expect(answers.canonical(dashed(U))).toBe(U);
      expect(answers.canonical(A)).toBe(A);
      const badChecksum = U.slice(0, 39) + (U[39] === 'A' ? 'B' : 'A');
      expect(() => answers.canonical(badChecksum)).toThrow(/invalid address/);
    }
  });
  it('maxBytes 0 caches nothing and still answers', () => {
    const answers = new AccountAnswers(synthetic.index, 0);
    expect(answers.get(synthetic.addresses[3]).toString()).toBe(JSON.stringify(accountView(synthetic.index, synthetic.addresses[3])));
    expect(answers.size).toEqual({ entries: 0, bytes: 0 });
  });
  it('every answer it hands out validates against the account response schema', () => {
    const answers = new AccountAnswers(synthetic.index, 16 * MiB);
    for (const a of synthetic.addresses) {
      const text = answers.get(a).toString();
      expect(validAccount(JSON.parse(text)), `${a}: ${JSON.stringify(validAccount.errors)}`).toBe(true);
    }
    expect(answers.size.entries).toBe(synthetic.addresses.length);
  });
});

describe('routes sending ready JSON text', () => {
  const app = server();
  afterAll(() => app.close());
  it('GET /v1/accounts/{address} sends the view as application/json, the same bytes cached or not', async () => {
    for (const a of [T, A, U]) {
      const first = await app.inject(`/v1/accounts/${a}`);
      const second = await app.inject(`/v1/accounts/${a}`);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(first.body).toBe(JSON.stringify(accountView(fixtureIndex, a)));
      expect(second.body).toBe(first.body);
      expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(first.body));
    }
  });
  it('HEAD /v1/accounts/{address} answers the headers only', async () => {
    const res = await app.inject({ method: 'HEAD', url: `/v1/accounts/${A}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });
  it('fills the answer cache in the background: every indexed account and labelled address', async () => {
    const warmed = buildServer({ index: synthetic.index, accountCacheBytes: 16 * MiB });
    const known = new Set([...synthetic.index.accounts.keys(), ...synthetic.index.labels.keys()]);
    expect(await accountCacheWarm(warmed)).toMatchObject({ entries: known.size });
    const cold = buildServer({ index: synthetic.index, warmAccountCache: false, accountCacheBytes: 16 * MiB });
    expect(await accountCacheWarm(cold)).toMatchObject({ entries: 0 });
    await cold.inject(`/v1/accounts/${synthetic.addresses[1]}`);
    expect(await accountCacheWarm(cold)).toMatchObject({ entries: 1 });
    const empty = buildServer({ loadIndex: () => new Promise(() => {}) });
    expect(await accountCacheWarm(empty)).toEqual({ entries: 0, bytes: 0 });
    await Promise.all([warmed.close(), cold.close(), empty.close()]);
  });
  it('a new index from setServerIndex is answered at once (no stale cached answers)', async () => {
    const swapping = buildServer({ index: fixtureIndex, accountCacheBytes: MiB });
    const before = (await swapping.inject(`/v1/accounts/${A}`)).json();
    expect(before.asOf.height).toBe(40);
    const result = smallResult();
    result.manifest = { ...result.manifest, tipHeight: 41 };
    result.labels.set(A, { address: A, label: 'Renamed', category: 'user' });
    setServerIndex(swapping, buildTaintIndex(result));
    const after = (await swapping.inject(`/v1/accounts/${A}`)).json();
    expect(after.asOf.height).toBe(41);
    expect(after.label).toEqual({ label: 'Renamed', category: 'user', source: null });
    await swapping.close();
  });
  it('accountCacheBytes 0 serves the same answers; a bad value is TRACE_INVALID_OPTION', async () => {
    const uncached = buildServer({ index: fixtureIndex, accountCacheBytes: 0 });
    expect((await uncached.inject(`/v1/accounts/${A}`)).body).toBe(JSON.stringify(accountView(fixtureIndex, A)));
    await uncached.close();
    for (const bad of [-1, 1.5, Number.NaN]) {
      let caught: unknown;
      try {
        buildServer({ index: fixtureIndex, accountCacheBytes: bad });
      } catch (err) {
        caught = err;
      }
      expect(isTracerError(caught) && caught.code).toBe('TRACE_INVALID_OPTION');
    }
  });
  it('POST /v1/screen sends JSON.stringify of the screen views, valid against the response schema', async () => {
    const deposits = [
      { from: A, amount: '0.000007' },
      { from: T, amount: '10', time: nemToIso(1500) },
      { from: U, amount: '1' },
      { from: D, amount: '3', time: nemToIso(3600) },
    ];
    const res = await app.inject({ method: 'POST', url: '/v1/screen', payload: { deposits } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(
      JSON.stringify({ results: deposits.map((d) => screenView(screenDeposit(fixtureIndex, d))), asOf: asOfView(fixtureIndex.asOf) }),
    );
    expect(new Ajv().compile(screenResponseSchema)(res.json())).toBe(true);
  });
  it('errors on these routes keep the error shape', async () => {
    expectError(await app.inject('/v1/accounts/hello'), 'TRACE_INVALID_ADDRESS');
    expectError(
      await app.inject({ method: 'POST', url: '/v1/screen', payload: { deposits: [{ from: 'x', amount: '1' }] } }),
      'TRACE_INVALID_ADDRESS',
    );
  });
  it('metrics count matched routes by route and everything else as unmatched', async () => {
    const fresh = server();
    await fresh.inject(`/v1/accounts/${A}`);
    await fresh.inject(`/v1/accounts/${A}`);
    await fresh.inject('/v1/accounts/hello');
    await fresh.inject('/nowhere');
    await fresh.inject('/v1/accounts/%zz');
    const body = (await fresh.inject('/metrics')).body;
    expect(body).toMatch(/^tainttrace_http_requests_total\{route="\/v1\/accounts\/:address",method="GET",status="200"\} 2$/m);
    expect(body).toMatch(/^tainttrace_http_requests_total\{route="\/v1\/accounts\/:address",method="GET",status="400"\} 1$/m);
    expect(body).toMatch(/^tainttrace_http_requests_total\{route="unmatched",method="GET",status="404"\} 1$/m);
    expect(body).toMatch(/^tainttrace_http_requests_total\{route="unmatched",method="GET",status="400"\} 1$/m);
    expect(body).toMatch(/^tainttrace_http_request_duration_seconds_count\{route="\/v1\/accounts\/:address"\} 3$/m);
    const buckets = [
      ...body.matchAll(/^tainttrace_http_request_duration_seconds_bucket\{route="\/v1\/accounts\/:address",le="([^"]+)"\} (\d+)$/gm),
    ].map((m) => Number(m[2]));
    expect(buckets).toHaveLength(13);
    expect(buckets.every((n, i) => i === 0 || n >= buckets[i - 1])).toBe(true); // cumulative
    expect(buckets.at(-1)).toBe(3);
    await fresh.close();
  });
});
