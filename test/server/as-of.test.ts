/**
 * Every HTTP answer that rests on the taint index says which index it came from: `asOf` { height, time,
 * provisionalFrom } on an account (known or not), a transfer, each screening request, and readiness —
 * the same object on every route, taken from the index the answer was read from (docs/contracts.md §5).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { nemToIso } from '../../src/nem/time.js';
import { A, H, U } from '../screen/fixture.js';
import { server } from './helpers.js';

const app = server();
afterAll(() => app.close());
const asOf = { height: 40, time: nemToIso(3500), provisionalFrom: 1 };

describe('asOf on every answer that rests on the index', () => {
  it('GET /v1/accounts/{address}, for a tainted account and for one the index never saw', async () => {
    expect((await app.inject(`/v1/accounts/${A}`)).json().asOf).toEqual(asOf);
    const unseen = (await app.inject(`/v1/accounts/${U}`)).json();
    expect(unseen.known).toBe(false);
    expect(unseen.asOf).toEqual(asOf);
  });

  it('GET /v1/transfers/{hash}', async () => {
    expect((await app.inject(`/v1/transfers/${H.aX}`)).json().asOf).toEqual(asOf);
  });

  it('POST /v1/screen: the request and each deposit', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/screen',
      payload: {
        deposits: [
          { from: A, amount: '1' },
          { from: U, amount: '1' },
        ],
      },
    });
    const body = res.json();
    expect(body.asOf).toEqual(asOf);
    for (const r of body.results) expect(r.asOf).toEqual(asOf);
  });

  it('GET /readyz', async () => {
    expect((await app.inject('/readyz')).json().asOf).toEqual(asOf);
  });
});
