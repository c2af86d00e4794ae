/**
 * The server's answers agree with a real runTrace of a small chain: same taint numbers for the same
 * account and policy, and screens whose tainted amount is floor(amount × held / balance).
 */
import { describe, expect, it } from 'vitest';
import { formatXem } from '../../src/nem/amount.js';
import { nemToIso } from '../../src/nem/time.js';
import type { Transfer } from '../../src/nem/types.js';
import { buildTaintIndex } from '../../src/screen/index.js';
import { buildServer } from '../../src/server/index.js';
import { runTrace } from '../../src/taint/trace.js';
import { DEFAULT_EXIT_CATEGORIES, POLICIES, type Label } from '../../src/taint/types.js';
import { addr, hash } from '../screen/fixture.js';
import { policyOf } from '../../src/domain.js';

const [V, T, P, Q, R, X, C] = [11, 12, 13, 14, 15, 16, 17].map(addr);
let n = 100;
const tx = (from: string, to: string, xem: number, height: number, fee = 0, memo: string | null = null): Transfer => ({
  hash: hash(++n),
  innerHash: null,
  height,
  timeStamp: height * 60,
  time: nemToIso(height * 60),
  sender: from,
  recipient: to,
  amount: xem * 1_000_000,
  fee: fee * 1_000_000,
  message: memo,
  messageType: memo ? 1 : 0,
  mosaics: [],
  type: 257,
  signer: from,
});
const transfers = [
  tx(C, P, 300, 1),
  tx(C, Q, 50, 2),
  tx(V, T, 1000, 3, 1), // the seed
  tx(T, P, 400, 4, 1),
  tx(T, Q, 100, 5, 1),
  tx(P, R, 350, 6, 1),
  tx(Q, X, 120, 7, 1, 'memo-1'),
  tx(R, X, 200, 8, 1, 'memo-2'),
  tx(C, R, 75, 9),
];
const labels = new Map<string, Label>([
  [V, { address: V, label: 'victim', category: 'victim' }],
  [X, { address: X, label: 'Exchange', category: 'exchange' }],
]);
const result = runTrace({
  transfers,
  labels,
  storeDigest: 'sha256:test',
  tipHeight: 9,
  engineVersion: 'test',
  caseSpec: {
    id: 't',
    title: 't',
    seeds: [{ hash: transfers[2].hash }],
    windowTo: null,
    labelFiles: [],
    exitCategories: [...DEFAULT_EXIT_CATEGORIES],
    dust: 0n,
    maxHops: 10,
    valuation: null,
  },
});
const app = buildServer({ index: buildTaintIndex(result) });

describe('server vs a real runTrace', () => {
  it('account answers carry the TraceResult numbers for every account and policy', async () => {
    let checked = 0;
    for (const address of [V, T, P, Q, R, X, C]) {
      const body = (await app.inject(`/v1/accounts/${address}`)).json();
      for (const policy of POLICIES) {
        const at = policyOf(result, policy).accounts.get(address);
        const got = body.policies[policy];
        if (!at) {
          expect(got.tainted).toBe(false);
          continue;
        }
        checked++;
        expect(got).toMatchObject({
          tainted: true,
          hops: at.hops,
          received: formatXem(at.received),
          held: formatXem(at.held),
          balance: formatXem(at.balance),
          firstTaintedAt: nemToIso(at.firstTaintedAt),
          exit: at.isExit,
        });
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
  it('transfer answers carry transferTaint per policy', async () => {
    for (const t of transfers) {
      const res = await app.inject(`/v1/transfers/${t.hash}`);
      const carried = POLICIES.map((p) => policyOf(result, p).transferTaint.get(t.hash) ?? 0n);
      if (carried.every((x) => x === 0n)) {
        expect(res.statusCode).toBe(404);
        continue;
      }
      POLICIES.forEach((p, i) => expect(res.json().taint[p]).toBe(formatXem(carried[i])));
    }
  });
  it('screens: tainted amount = floor(amount × held / balance) at the latest state', async () => {
    const amount = 123_456_789n;
    const deposits = [T, P, Q, R, X, C].map((from) => ({ from, amount: formatXem(amount) }));
    const { results } = (await app.inject({ method: 'POST', url: '/v1/screen', payload: { deposits } })).json();
    deposits.forEach((d, i) => {
      for (const policy of POLICIES.filter((p) => p !== 'poison')) {
        const at = policyOf(result, policy).accounts.get(d.from);
        const want = at && at.balance > 0n ? (amount * at.held) / at.balance : 0n;
        expect(results[i].perPolicy[policy].taintedAmount, `${policy} ${d.from}`).toBe(formatXem(want));
      }
    });
    expect(results[0].risk).toBe('severe'); // T got the seed: hop 1
    expect(results[5].risk).toBe('none'); // C only sent clean funds
  });
});
