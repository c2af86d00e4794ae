/**
 * GET /v1/exposure/{address}: the library's exposure as JSON (the same view the CLI prints with
 * --json), its query options, and each bad request as a 4xx { error: { code, message } }.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposure, exposureView, loadConeSource } from '../../src/exposure/index.js';
import { publicKeyToAddress } from '../../src/nem/index.js';
import { buildServer } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';
import { tempRoot } from '../crawl/helpers.js';
import { byLabel, firstTransfer, roles, scenarioStore } from '../exposure/fixture.js';

const root = tempRoot('tt-exposure-route-');
let store: Store;
let app: ReturnType<typeof buildServer>;
const site = byLabel('Dark-web XEM exchange');
const buyer = firstTransfer((t) => t.sender === site && roles.get(t.recipient) === 'buyer').recipient;

beforeAll(async () => {
  store = await scenarioStore(root.sub('store'));
  app = buildServer({ exposure: await loadConeSource(store) });
});
afterAll(async () => {
  await app.close();
  await store.close();
  root.remove();
});

describe('GET /v1/exposure/{address}', () => {
  it('answers the library exposure, from memory, as the CLI JSON view', async () => {
    const res = await app.inject(`/v1/exposure/${buyer}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(exposureView(await exposure(store, buyer)))));
  });

  it('takes hops, asOf, categories and policy from the query', async () => {
    const res = await app.inject(`/v1/exposure/${buyer}?hops=1&categories=darkweb&policy=haircut,poison&asOf=2018-03-01T00:00:00Z`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ hops: number; asOf: string; categories: string[]; policies: Record<string, unknown> }>();
    expect(body).toMatchObject({ hops: 1, asOf: '2018-03-01T00:00:00.000Z', categories: ['darkweb'] });
    expect(Object.keys(body.policies)).toEqual(['poison', 'haircut']);
  });

  it.each([
    ['/v1/exposure/NOTANADDRESS', 400, 'TRACE_INVALID_ADDRESS'],
    [`/v1/exposure/${buyer}?hops=0`, 400, 'TRACE_INVALID_OPTION'],
    [`/v1/exposure/${buyer}?hops=99`, 400, 'TRACE_INVALID_OPTION'],
    [`/v1/exposure/${buyer}?asOf=tomorrow`, 400, 'TRACE_INVALID_TIME'],
    [`/v1/exposure/${buyer}?policy=magic`, 400, 'TRACE_INVALID_OPTION'],
    [`/v1/exposure/${buyer}?depth=3`, 400, 'TRACE_INVALID_OPTION'],
    [`/v1/exposure/${publicKeyToAddress('ab'.repeat(32))}`, 404, 'TRACE_NOT_FOUND'],
  ])('%s → %i %s', async (url, status, code) => {
    const res = await app.inject(url);
    expect(res.statusCode).toBe(status);
    expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
  });

  it('answers 404 on a server started without transfers', async () => {
    const bare = buildServer({});
    const res = await bare.inject(`/v1/exposure/${buyer}`);
    expect(res.statusCode).toBe(404);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('TRACE_NOT_FOUND');
    await bare.close();
  });
});
