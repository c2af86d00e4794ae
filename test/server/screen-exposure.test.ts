/**
 * POST /v1/screen with `exposure: true` per deposit: the sender's source-of-funds exposure (the
 * GET /v1/exposure answer as of the deposit) next to the case's forward taint, on the Coincheck
 * scenario; the per-request cap on the transfers all exposures of a request gather (413
 * TRACE_WORK_LIMIT), shared by the deposits and paid once for a repeated sender.
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposure, exposureView, gatherCone, loadConeSource, type ConeSource } from '../../src/exposure/index.js';
import { loadCase } from '../../src/labels/index.js';
import { publicKeyToAddress } from '../../src/nem/index.js';
import { buildTaintIndex } from '../../src/screen/index.js';
import { buildServer, type ServerOptions } from '../../src/server/index.js';
import { screenResponseSchema } from '../../src/server/schemas.js';
import type { Store } from '../../src/store/index.js';
import { runTrace } from '../../src/taint/index.js';
import { tempRoot } from '../crawl/helpers.js';
import { byLabel, firstTransfer, roles, scenarioStore, transfers } from '../exposure/fixture.js';
import { expectError } from './helpers.js';

const root = tempRoot('tt-screen-exposure-');
let store: Store;
let source: ConeSource;
let index: ReturnType<typeof buildTaintIndex>;
const site = byLabel('Dark-web XEM exchange');
const buyer = firstTransfer((t) => t.sender === site && roles.get(t.recipient) === 'buyer').recipient;
const other = firstTransfer((t) => t.sender === site && roles.get(t.recipient) === 'buyer' && t.recipient !== buyer).recipient;
const stranger = publicKeyToAddress('cd'.repeat(32));
const validResponse = new Ajv({ coerceTypes: false, allErrors: true }).compile(screenResponseSchema);

interface Result {
  from: string;
  risk: string;
  exposure?: { address: string; asOf: string | null; policies: Record<string, { exposed: string }> } | null;
}
const screen = async (app: ReturnType<typeof buildServer>, deposits: object[]) => {
  const res = await app.inject({ method: 'POST', url: '/v1/screen', payload: { deposits } });
  return { res, results: res.statusCode === 200 ? res.json<{ results: Result[] }>().results : [] };
};
const serve = (options: ServerOptions = {}) => buildServer({ index, exposure: source, ...options });

beforeAll(async () => {
  store = await scenarioStore(root.sub('store'));
  source = await loadConeSource(store);
  const { caseSpec, labels } = await loadCase('fixtures/coincheck/case.json');
  const tipHeight = Math.max(...transfers.map((t) => t.height));
  index = buildTaintIndex(runTrace({ transfers, caseSpec, labels, storeDigest: 'scenario', tipHeight, engineVersion: 'test' }));
});
afterAll(async () => {
  await store.close();
  root.remove();
});

describe('POST /v1/screen with exposure', () => {
  it('answers the sender’s exposure next to its forward taint, only where a deposit asks', async () => {
    const app = serve();
    const { res, results } = await screen(app, [
      { from: buyer, amount: '10', exposure: true },
      { from: buyer, amount: '10' },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(validResponse(res.json()), JSON.stringify(validResponse.errors)).toBe(true);
    expect(results[0].exposure).toEqual(JSON.parse(JSON.stringify(exposureView(await exposure(store, buyer)))));
    expect(results[0].exposure!.policies.haircut.exposed).not.toBe('0.000000'); // the buyer paid the dark-web site
    expect('exposure' in results[1]).toBe(false);
    const { exposure: _e, ...plain } = results[0];
    expect(plain).toEqual(results[1]); // the screening itself is the same
    await app.close();
  });

  it('takes the deposit’s time as the exposure’s asOf', async () => {
    const app = serve();
    const time = '2018-03-01T00:00:00.000Z';
    const { results } = await screen(app, [{ from: buyer, amount: '10', time, exposure: true }]);
    expect(results[0].exposure!.asOf).toBe(time);
    expect(results[0].exposure).toEqual(JSON.parse(JSON.stringify(exposureView(await exposure(store, buyer, { asOf: time })))));
    await app.close();
  });

  it('answers null for a sender the served transfers never paid, and the screening says unknown', async () => {
    const app = serve();
    const { results } = await screen(app, [{ from: stranger, amount: '1', exposure: true }]);
    expect(results[0]).toMatchObject({ risk: 'unknown', exposure: null });
    await app.close();
  });

  it('caps the transfers one request’s exposures gather, shared by its deposits, a repeated sender paid once', async () => {
    const gathered = async (a: string) => (await gatherCone(source, a, 4, null)).transfers.length;
    const [a, b] = [await gathered(buyer), await gathered(other)];
    const app = serve({ limits: { exposureTransfers: Math.max(a, b) } });
    expect((await screen(app, [{ from: buyer, amount: '1', exposure: true }])).res.statusCode).toBe(200);
    const twice = await screen(app, [
      { from: buyer, amount: '1', exposure: true },
      { from: buyer, amount: '2', exposure: true },
    ]);
    expect(twice.res.statusCode).toBe(200);
    expect(twice.results[1].exposure).toEqual(twice.results[0].exposure);
    const both = await app.inject({
      method: 'POST',
      url: '/v1/screen',
      payload: { deposits: [buyer, other].map((from) => ({ from, amount: '1', exposure: true })) },
    });
    expectError(both, 'TRACE_WORK_LIMIT');
    expect(both.json<{ error: { message: string } }>().error.message).toMatch(/^deposits\[1\]: /);
    await app.close();
  });

  it('bounds GET /v1/exposure by the same cap', async () => {
    const app = serve({ limits: { exposureTransfers: 10 } });
    expectError(await app.inject(`/v1/exposure/${buyer}`), 'TRACE_WORK_LIMIT');
    await app.close();
  });

  it('refuses exposure on a server without transfers, and a non-boolean flag', async () => {
    const bare = buildServer({ index });
    const deposit = { from: buyer, amount: '1', exposure: true };
    expectError(await bare.inject({ method: 'POST', url: '/v1/screen', payload: { deposits: [deposit] } }), 'TRACE_NOT_FOUND');
    const plain = await bare.inject({ method: 'POST', url: '/v1/screen', payload: { deposits: [{ ...deposit, exposure: false }] } });
    expect(plain.statusCode).toBe(200);
    await bare.close();
    const app = serve();
    const res = await app.inject({ method: 'POST', url: '/v1/screen', payload: { deposits: [{ ...deposit, exposure: 'yes' }] } });
    expect(res.statusCode).toBe(400);
    await app.close();
  });
});
