/**
 * accountColumnsOf / historyColumnsOf (src/taint/account-columns.ts): a policy's accounts and their history rows as
 * columns say what the AccountTaint objects say — for runTrace's results (read from the sweep) and for a hand-built
 * result of the same objects (converted), on random chains with exits, cycles, self-transfers and ties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runTrace } from '../../src/taint/trace.js';
import { accountColumnsOf, historyColumnsOf, tableOf } from '../../src/taint/index.js';
import { POLICIES, type TraceResult } from '../../src/taint/types.js';
import { detached, randomChain } from './helpers.js';

function columnsAsObjects(result: TraceResult) {
  const table = tableOf(result);
  return POLICIES.map((p) => {
    const ac = accountColumnsOf(result, p)!;
    const hc = historyColumnsOf(result, p)!;
    const accounts = Array.from({ length: ac.length }, (_, i) => ({
      address: table.addresses[ac.account[i]],
      received: ac.receivedAt(i),
      held: BigInt(ac.held[i]),
      hops: ac.hops[i],
      isExit: ac.exit[i] === 1,
      firstTaintedAt: ac.firstTaintedAt[i],
      row: ac.rowOf(ac.account[i]) === i,
    }));
    const history = new Map<string, { height: number; timeStamp: number; tainted: bigint }[]>();
    for (let i = 0; i < hc.length; i++) {
      const a = table.addresses[hc.account[i]];
      history.set(a, [...(history.get(a) ?? []), { height: hc.height[i], timeStamp: hc.timeStamp[i], tainted: BigInt(hc.tainted[i]) }]);
    }
    return { accounts, history };
  });
}

describe('accountColumnsOf and historyColumnsOf', () => {
  it("give each account's figures and history rows as its AccountTaint does, from the sweep and from objects", () => {
    fc.assert(
      fc.property(randomChain(), ({ transfers, caseSpec, labels }) => {
        const result = runTrace({ transfers, caseSpec, labels, storeDigest: 't', tipHeight: 0, engineVersion: 't' });
        const expected = POLICIES.map((p) => {
          const objects = [...result.policies[p]!.accounts.values()].sort(
            (x, y) => tableOf(result).index.get(x.address)! - tableOf(result).index.get(y.address)!,
          );
          return {
            accounts: objects.map((a) => ({
              address: a.address,
              received: a.received,
              held: a.held,
              hops: a.hops,
              isExit: a.isExit,
              firstTaintedAt: a.firstTaintedAt,
              row: true,
            })),
            history: new Map(
              objects
                .filter((a) => a.history.length > 0)
                .map((a) => [a.address, a.history.map((h) => ({ height: h.height, timeStamp: h.timeStamp, tainted: h.tainted }))]),
            ),
          };
        });
        expect(columnsAsObjects(result)).toEqual(expected);
        expect(columnsAsObjects(detached(result))).toEqual(expected);
        // rows of an account no policy tainted: none
        const table = tableOf(result);
        for (const p of POLICIES) {
          const ac = accountColumnsOf(result, p)!;
          for (let a = 0; a < table.accounts; a++) expect(ac.rowOf(a) >= 0).toBe(result.policies[p]!.accounts.has(table.addresses[a]));
        }
      }),
      { numRuns: 120, seed: 5 },
    );
  });
});
