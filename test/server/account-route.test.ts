/**
 * GET /v1/accounts/{address}, the hot route (src/server/build.ts getAccount): fastify's route
 * carries no params schema and, without keys or a rate limit, no hooks — the handler checks the
 * params itself for a text the index does not hold and records its own metrics. What a client and the metrics see
 * must be what the schema stage and the onResponse hook gave: the same 400s, the same order of
 * 400 before 503, HEAD like GET, every answer counted; the schema still documented in OpenAPI.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AccountAnswers } from '../../src/server/answers.js';
import { buildServer } from '../../src/server/index.js';
import { addressParams } from '../../src/server/schemas.js';
import { A, U } from '../screen/fixture.js';
import { expectError, fixtureIndex, server } from './helpers.js';

const app = server();
afterAll(() => app.close());
const tooLong = 'N'.repeat(65);
const count = (metrics: string, method: string, status: number): number => {
  const m = new RegExp(
    `^tainttrace_http_requests_total\\{route="/v1/accounts/:address",method="${method}",status="${status}"\\} (\\d+)$`,
    'm',
  ).exec(metrics);
  return m ? Number(m[1]) : 0;
};

describe('params checked in the handler, as the schema would', () => {
  it('an address above the schema maxLength is the schema validation 400, word for word', async () => {
    const res = await app.inject(`/v1/accounts/${tooLong}`);
    expectError(res, 'TRACE_INVALID_ADDRESS');
    expect(res.json().error.message).toBe('params/address must NOT have more than 64 characters');
  });
  it("64 characters pass the schema and fail as an address, with the parser's message", async () => {
    const res = await app.inject(`/v1/accounts/${'N'.repeat(64)}`);
    expectError(res, 'TRACE_INVALID_ADDRESS');
    expect(res.json().error.message).toMatch(/^invalid address/);
  });
  it('the 400 comes before the 503 while no index is loaded', async () => {
    const loading = buildServer({ loadIndex: () => new Promise(() => {}) });
    expectError(await loading.inject(`/v1/accounts/${tooLong}`), 'TRACE_INVALID_ADDRESS');
    expectError(await loading.inject(`/v1/accounts/${A}`), 'TRACE_INDEX_NOT_READY');
    await loading.close();
  });
  it('a cached answer and a computed one are the same bytes and headers', async () => {
    const fresh = server({ warmAccountCache: false, accountCacheBytes: 2 ** 20 });
    const first = await fresh.inject(`/v1/accounts/${A}`); // miss: computed, then cached
    const second = await fresh.inject(`/v1/accounts/${A}`); // hit
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(second.headers['content-length']).toBe(first.headers['content-length']);
    await fresh.close();
  });
  it('the params schema stays in the OpenAPI document', async () => {
    const doc = (await app.inject('/openapi.json')).json();
    expect(doc.paths['/v1/accounts/{address}'].get.parameters[0].schema).toEqual(addressParams.properties.address);
  });
});

describe('AccountAnswers.known, the hit path that validates nothing', () => {
  it('answers exactly the texts the index vouches for: indexed accounts, labelled addresses, valid addresses seen lately', () => {
    const answers = new AccountAnswers(fixtureIndex, 0);
    expect(answers.known(A)!.toString()).toBe(answers.get(A).toString());
    const labelledOnly = [...fixtureIndex.labels.keys()].find((x) => !fixtureIndex.accounts.has(x))!;
    expect(answers.known(labelledOnly)!.toString()).toBe(answers.get(labelledOnly).toString());
    expect(answers.known(U)).toBeUndefined(); // valid, unknown to the index: not vouched for until checked
    answers.get(U); // checked (Keccak) once
    expect(answers.known(U)!.toString()).toBe(answers.get(U).toString());
  });
  it('leaves every other text to the validating path: other spellings, bad checksums, garbage', () => {
    const answers = new AccountAnswers(fixtureIndex);
    const badChecksum = A.slice(0, 39) + (A[39] === 'A' ? 'B' : 'A');
    for (const text of [A.toLowerCase(), badChecksum, tooLong, 'hello', '', 'A'.repeat(40), `${A.slice(0, 39)}\u0000`])
      expect(answers.known(text), JSON.stringify(text)).toBeUndefined();
    expect(() => answers.get(badChecksum)).toThrow(/invalid address/);
    expect(answers.known(badChecksum)).toBeUndefined(); // a refused text is never remembered
  });
});

describe('metrics of the route without an onResponse hook', () => {
  it('counts 200, 400 and 503 by method, HEAD too, each with a latency observation', async () => {
    const fresh = server();
    await fresh.inject(`/v1/accounts/${A}`);
    await fresh.inject(`/v1/accounts/${U}`);
    await fresh.inject({ method: 'HEAD', url: `/v1/accounts/${A}` });
    await fresh.inject(`/v1/accounts/${tooLong}`);
    await fresh.inject('/v1/accounts/hello');
    const body = (await fresh.inject('/metrics')).body;
    expect(count(body, 'GET', 200)).toBe(2);
    expect(count(body, 'HEAD', 200)).toBe(1);
    expect(count(body, 'GET', 400)).toBe(2);
    expect(body).toMatch(/^tainttrace_http_request_duration_seconds_count\{route="\/v1\/accounts\/:address"\} 5$/m);
    expect(body).toMatch(/^tainttrace_http_request_duration_seconds_bucket\{route="\/v1\/accounts\/:address",le="\+Inf"\} 5$/m);
    await fresh.close();

    const loading = buildServer({ loadIndex: () => new Promise(() => {}) });
    await loading.inject(`/v1/accounts/${A}`);
    expect(count((await loading.inject('/metrics')).body, 'GET', 503)).toBe(1);
    await loading.close();
  });
  it('alternating methods and statuses keep separate counts', async () => {
    const fresh = server();
    for (const url of [A, 'x', A, 'y', A]) await fresh.inject(`/v1/accounts/${url}`);
    await fresh.inject({ method: 'HEAD', url: '/v1/accounts/x' });
    const body = (await fresh.inject('/metrics')).body;
    expect([count(body, 'GET', 200), count(body, 'GET', 400), count(body, 'HEAD', 400)]).toEqual([3, 2, 1]);
    await fresh.close();
  });
  it('with API keys the guard runs first, and its 401 is counted on the route', async () => {
    const guarded = server({ apiKeys: [{ key: 'key-gamma-890-0123456789abcdefghij' }] });
    await guarded.inject(`/v1/accounts/${A}`);
    await guarded.inject({ url: `/v1/accounts/${A}`, headers: { authorization: 'Bearer key-gamma-890-0123456789abcdefghij' } });
    expectError(
      await guarded.inject({ url: `/v1/accounts/${tooLong}`, headers: { authorization: 'Bearer key-gamma-890-0123456789abcdefghij' } }),
      'TRACE_INVALID_ADDRESS',
    );
    const body = (await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer key-gamma-890-0123456789abcdefghij' } })).body;
    expect([count(body, 'GET', 401), count(body, 'GET', 200), count(body, 'GET', 400)]).toEqual([1, 1, 1]);
    await guarded.close();
  });
});
