import { afterAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors.js';
import { formatXem } from '../../src/nem/amount.js';
import { nemToIso } from '../../src/nem/time.js';
import { screenDeposit } from '../../src/screen/index.js';
import { buildServer, setServerIndex } from '../../src/server/index.js';
import { A, B, D, H, T, U, X_, smallResult } from '../screen/fixture.js';
import { expectError, fixtureIndex, server } from './helpers.js';

const app = server();
afterAll(() => app.close());
const badChecksum = A.slice(0, 39) + (A[39] === 'A' ? 'B' : 'A');

describe('GET /v1/accounts/{address}', () => {
  it('answers label and per-policy taint that agree with the TraceResult', async () => {
    const result = smallResult();
    for (const address of [T, A, B, D, X_]) {
      const res = await app.inject(`/v1/accounts/${address}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.asOf).toEqual({ height: 40, time: nemToIso(3500), provisionalFrom: 1 });
      for (const [policy, pr] of Object.entries(result.policies)) {
        const at = pr.accounts.get(address);
        const got = body.policies[policy];
        if (!at) {
          expect(got).toMatchObject({ tainted: false, hops: null, received: '0.000000', held: '0.000000', firstTaintedAt: null });
          continue;
        }
        expect(got).toMatchObject({
          tainted: true,
          exit: at.isExit,
          hops: at.hops,
          received: formatXem(at.received),
          held: formatXem(at.held),
          balance: formatXem(at.balance),
          firstTaintedAt: nemToIso(at.firstTaintedAt),
        });
      }
    }
    expect((await app.inject(`/v1/accounts/${T}`)).json().label).toEqual({ label: 'Thief 1', category: 'thief', source: null });
    expect((await app.inject(`/v1/accounts/${A}`)).json().policies.haircut.share).toBe(0.6);
  });
  it('an untouched valid address is 200 with nothing tainted', async () => {
    const body = (await app.inject(`/v1/accounts/${U}`)).json();
    expect(body.known).toBe(false);
    expect(Object.values(body.policies).every((p) => !(p as { tainted: boolean }).tainted)).toBe(true);
  });
  it('accepts lower case with dashes', async () => {
    const res = await app.inject(`/v1/accounts/${A.toLowerCase().replace(/(.{6})/g, '$1-')}`);
    expect(res.json().address).toBe(A);
  });
  it('a bad checksum is TRACE_INVALID_ADDRESS 400', async () => {
    expectError(await app.inject(`/v1/accounts/${badChecksum}`), 'TRACE_INVALID_ADDRESS');
    expectError(await app.inject('/v1/accounts/hello'), 'TRACE_INVALID_ADDRESS');
    expectError(await app.inject(`/v1/accounts/${'A'.repeat(90)}`), 'TRACE_INVALID_ADDRESS');
    expectError(await app.inject(`/v1/accounts/${'A'.repeat(200)}`), 'TRACE_INVALID_OPTION'); // above the router's max param length
  });
});

describe('GET /v1/transfers/{hash}', () => {
  it('answers the transfer and the taint it carried per policy', async () => {
    const res = await app.inject(`/v1/transfers/${H.aX.toUpperCase()}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      hash: H.aX,
      from: A,
      to: X_,
      height: 30,
      amount: '500.000000',
      fee: '0.000000',
      message: '123',
      toLabel: { label: 'Yobit', category: 'exchange' },
    });
    expect(res.json().taint).toEqual({ poison: '500.000000', haircut: '300.000000', fifo: '100.000000' });
  });
  it('an unknown hash is TRACE_NOT_FOUND 404, a malformed one TRACE_INVALID_HASH 400', async () => {
    expectError(await app.inject(`/v1/transfers/${'f'.repeat(64)}`), 'TRACE_NOT_FOUND');
    expectError(await app.inject('/v1/transfers/xyz'), 'TRACE_INVALID_HASH');
    expectError(await app.inject(`/v1/transfers/${'f'.repeat(65)}`), 'TRACE_INVALID_HASH');
  });
});

describe('POST /v1/screen', () => {
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/v1/screen', payload: payload as string, headers });
  it('screens deposits like screenDeposit does', async () => {
    const deposits = [
      { from: A, amount: '0.000007' },
      { from: T, amount: '10', time: nemToIso(1500) },
      { from: U, amount: '1' },
      { from: D, amount: '3' },
    ];
    const res = await post({ deposits });
    expect(res.statusCode).toBe(200);
    const { results } = res.json();
    deposits.forEach((d, i) => {
      const want = screenDeposit(fixtureIndex, d);
      expect(results[i]).toMatchObject({
        from: want.from,
        risk: want.risk,
        score: want.score,
        hops: want.hops,
        evidence: want.evidence,
        exits: want.exits,
      });
      for (const [p, s] of Object.entries(want.perPolicy))
        expect(results[i].perPolicy[p]).toEqual({ ...s, taintedAmount: formatXem(s.taintedAmount!) });
    });
    expect(results[0].perPolicy.haircut.taintedAmount).toBe('0.000004');
  });
  it('an address the store never saw is unknown with its coverage, never none', async () => {
    const { results } = (
      await post({
        deposits: [
          { from: U, amount: '1' },
          { from: A, amount: '1' },
        ],
      })
    ).json();
    expect(results[0]).toMatchObject({ risk: 'unknown', score: null, coverage: { caseId: 'small', tip: 40, reached: false } });
    expect(results[1].coverage).toEqual({ caseId: 'small', tip: 40, reached: true, provisional: true });
  });
  it('takes 1,000 deposits; 1,001 is TRACE_PAYLOAD_TOO_LARGE 413', async () => {
    const one = { from: A, amount: '1' };
    expect((await post({ deposits: Array(1000).fill(one) })).json().results).toHaveLength(1000);
    expectError(await post({ deposits: Array(1001).fill(one) }), 'TRACE_PAYLOAD_TOO_LARGE');
  });
  it('a body above bodyLimit is 413', async () => {
    const small = server({ limits: { bodyLimit: 1024 } });
    expectError(
      await small.inject({ method: 'POST', url: '/v1/screen', payload: { deposits: Array(50).fill({ from: A, amount: '1' }) } }),
      'TRACE_PAYLOAD_TOO_LARGE',
    );
  });
  it('wrong types and bad fields are 400 with the fitting code', async () => {
    expectError(await post({ deposits: [{ from: 5, amount: '1' }] }), 'TRACE_INVALID_ADDRESS');
    expectError(await post({ deposits: [{ from: A, amount: 1 }] }), 'TRACE_INVALID_AMOUNT');
    expectError(await post({ deposits: [{ from: A }] }), 'TRACE_INVALID_AMOUNT');
    expectError(await post({ deposits: [{ from: A, amount: '1', time: 7 }] }), 'TRACE_INVALID_TIME');
    expectError(await post({ deposits: [{ from: badChecksum, amount: '1' }] }), 'TRACE_INVALID_ADDRESS');
    expectError(await post({ deposits: [{ from: A, amount: '-1' }] }), 'TRACE_INVALID_AMOUNT');
    expectError(await post({ deposits: [{ from: A, amount: '1', time: 'noon' }] }), 'TRACE_INVALID_TIME');
    expectError(await post({ deposits: [{ from: A, amount: '1', extra: true }] }), 'TRACE_INVALID_OPTION');
    expectError(await post({ deposits: 'all' }), 'TRACE_INVALID_OPTION');
    expectError(await post({ deposits: [] }), 'TRACE_INVALID_OPTION');
    expectError(await post([1, 2]), 'TRACE_INVALID_OPTION');
  });
  it('bad JSON, empty JSON and other content types are 4xx', async () => {
    expectError(await post('{"deposits": [', { 'content-type': 'application/json' }), 'TRACE_INVALID_JSON');
    expectError(await post('', { 'content-type': 'application/json' }), 'TRACE_INVALID_JSON');
    expectError(await post('<x/>', { 'content-type': 'application/xml' }), 'TRACE_UNSUPPORTED_MEDIA_TYPE');
    expectError(await post('deposits', { 'content-type': 'text/plain' }), 'TRACE_INVALID_OPTION');
    expectError(await post('{"__proto__": {"x": 1}}', { 'content-type': 'application/json' }), 'TRACE_INVALID_JSON');
  });
});

describe('health, readiness, metrics, OpenAPI, unknown routes', () => {
  it('healthz is 200; unknown routes and methods are TRACE_NOT_FOUND', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expectError(await app.inject('/v2/nothing'), 'TRACE_NOT_FOUND');
    expectError(await app.inject({ method: 'DELETE', url: '/v1/screen' }), 'TRACE_NOT_FOUND');
    expectError(await app.inject('/v1/accounts/%zz'), 'TRACE_INVALID_OPTION');
  });
  it('readyz is 503 TRACE_INDEX_NOT_READY until the index is loaded, /v1 too', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const lazy = buildServer({
      loadIndex: async () => {
        await gate;
        return fixtureIndex;
      },
    });
    expectError(await lazy.inject('/readyz'), 'TRACE_INDEX_NOT_READY');
    expectError(await lazy.inject(`/v1/accounts/${A}`), 'TRACE_INDEX_NOT_READY');
    expect((await lazy.inject('/healthz')).statusCode).toBe(200);
    release();
    await gate;
    await new Promise((r) => setImmediate(r));
    expect((await lazy.inject('/readyz')).json()).toMatchObject({ status: 'ready', accounts: fixtureIndex.accounts.size });
    await lazy.close();
  });
  it('a failed load stays 503 with the reason; setServerIndex makes it ready', async () => {
    const failing = buildServer({
      loadIndex: () => Promise.reject(new Error('no index in store')),
    });
    await new Promise((r) => setImmediate(r));
    const res = await failing.inject('/readyz');
    expectError(res, 'TRACE_INDEX_NOT_READY');
    expect(res.json().error.message).toMatch(/no index in store/);
    setServerIndex(failing, fixtureIndex);
    expect((await failing.inject('/readyz')).statusCode).toBe(200);
  });
  it('metrics is Prometheus text with the counters and histogram', async () => {
    const res = await app.inject('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^tainttrace_http_requests_total\{route="\/v1\/accounts\/:address",method="GET",status="200"\} \d+$/m);
    expect(res.body).toMatch(/^tainttrace_http_request_duration_seconds_bucket\{route="\/v1\/screen",le="\+Inf"\} \d+$/m);
    expect(res.body).toMatch(/^tainttrace_screened_deposits_total\{risk="high"\} \d+$/m);
    expect(res.body).toMatch(/^tainttrace_index_loaded 1$/m);
  });
  it('openapi.json is an OpenAPI 3.1 document of every route, with the route schemas', async () => {
    const doc = (await app.inject('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/readyz',
      '/v1/accounts/{address}',
      '/v1/events',
      '/v1/exposure/{address}',
      '/v1/screen',
      '/v1/transfers/{hash}',
    ]);
    expect(doc.paths['/v1/events'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'query:after',
      'query:wait',
      'query:limit',
    ]);
    expect(doc.paths['/v1/exposure/{address}'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:address',
      'query:hops',
      'query:asOf',
      'query:categories',
      'query:policy',
    ]);
    expect(doc.paths['/v1/screen'].post.requestBody.content['application/json'].schema.properties.deposits.maxItems).toBe(1000);
    expect(doc.paths['/v1/accounts/{address}'].get.parameters[0]).toMatchObject({ name: 'address', in: 'path', required: true });
    expect(doc.paths['/v1/transfers/{hash}'].get.responses['4XX'].content['application/json'].schema.required).toEqual(['error']);
  });
});

describe('API keys and rate limits', () => {
  const keys = [
    { key: 'key-alpha-123-0123456789abcdefghij', name: 'alpha', rate: { capacity: 2, perSecond: 1 } },
    { key: 'key-beta-4567-0123456789abcdefghij' },
  ];
  let clock = 0;
  const guarded = server({ apiKeys: keys, now: () => clock });
  const get = (auth?: string) => guarded.inject({ url: `/v1/accounts/${A}`, headers: auth ? { authorization: auth } : {} });
  it('a missing key is TRACE_UNAUTHORIZED 401 with WWW-Authenticate', async () => {
    const res = await get();
    expectError(res, 'TRACE_UNAUTHORIZED');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expectError(await get('Basic a2V5'), 'TRACE_UNAUTHORIZED');
  });
  it('an unknown key is TRACE_UNAUTHORIZED 401', async () => {
    expectError(await get('Bearer nope-nope-nope'), 'TRACE_UNAUTHORIZED');
  });
  it('a known key passes; health stays open', async () => {
    expect((await get('Bearer key-beta-4567-0123456789abcdefghij')).statusCode).toBe(200);
    expect((await guarded.inject('/healthz')).statusCode).toBe(200);
  });
  it('past its bucket a key is TRACE_RATE_LIMITED 429 with Retry-After, and refills with time', async () => {
    expect((await get('Bearer key-alpha-123-0123456789abcdefghij')).statusCode).toBe(200);
    expect((await get('Bearer key-alpha-123-0123456789abcdefghij')).statusCode).toBe(200);
    const limited = await get('Bearer key-alpha-123-0123456789abcdefghij');
    expectError(limited, 'TRACE_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('1');
    expect((await get('Bearer key-beta-4567-0123456789abcdefghij')).statusCode).toBe(200); // other keys unaffected
    clock += 1000;
    expect((await get('Bearer key-alpha-123-0123456789abcdefghij')).statusCode).toBe(200);
  });
  it('without keys a rate limit applies per client IP', async () => {
    const open = server({ rateLimit: { capacity: 1, perSecond: 0.001 } });
    expect((await open.inject(`/v1/accounts/${A}`)).statusCode).toBe(200);
    expectError(await open.inject(`/v1/accounts/${A}`), 'TRACE_RATE_LIMITED');
    expect((await open.inject({ url: `/v1/accounts/${A}`, remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
  });
});

describe('error registry use', () => {
  it('every code the server maps to exists in the registry with the status it answers with', async () => {
    const { toErrorReply } = await import('../../src/server/guards/errors.js');
    const samples: unknown[] = [
      { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 },
      { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 },
      { code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400 },
      { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 },
      { code: 'FST_ERR_BAD_URL', statusCode: 400 },
      { code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', statusCode: 400 },
      { statusCode: 401 },
      { statusCode: 404 },
      { statusCode: 405 },
      { statusCode: 429 },
      { statusCode: 431 },
      new SyntaxError('x'),
      { validation: [{ instancePath: '/deposits/0/from' }], validationContext: 'body' },
      new Error('boom'),
      null,
      'string',
    ];
    for (const s of samples) {
      const r = toErrorReply(s);
      expect(Object.keys(ERRORS)).toContain(r.body.error.code);
      expect(r.status).toBe(ERRORS[r.body.error.code].status);
      expect(r.status === 500).toBe((s instanceof Error && !(s instanceof SyntaxError)) || s === null || s === 'string');
    }
    expect(toErrorReply(new Error('secret detail')).body.error.message).toBe('internal error');
  });
});

describe('route registry', () => {
  it('every row of the route table has a handler and every handler a row', async () => {
    const { HANDLERS } = await import('../../src/server/handlers/index.js');
    const { routeTable } = await import('../../src/server/routes.js');
    expect(Object.keys(HANDLERS).sort()).toEqual(
      routeTable(10)
        .map((r) => r.operationId)
        .sort(),
    );
  });
});
