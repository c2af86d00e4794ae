/**
 * Synthetic chains (src/fixture/synthetic.ts) as an end-to-end check of the core at a few
 * thousand transfers: the typed-array sweep over the generator's columns, runTrace over the same
 * chain as Transfer records, and the naive bigint reference agree, and taint is conserved.
 */
import { describe, expect, it } from 'vitest';
import { syntheticAddress, syntheticChain, syntheticTransfers } from '../../src/fixture/synthetic.js';
import { referenceTrace } from '../../src/taint/reference.js';
import { ALIGNED_MIN_BYTES, balanceOf, hopsOf, receivedOf, sweep, taintOf } from '../../src/taint/sweep.js';
import { AMOUNT_POLICIES, POLICIES } from '../../src/taint/types.js';
import { trace } from './helpers.js';
import { policyOf } from '../../src/domain.js';

describe('syntheticChain', () => {
  it('is deterministic for a seed and in chain order', () => {
    const a = syntheticChain({ transfers: 5000, seed: 7 });
    const b = syntheticChain({ transfers: 5000, seed: 7 });
    expect(Buffer.from(a.amount.buffer).equals(Buffer.from(b.amount.buffer))).toBe(true);
    for (let k = 1; k < a.n; k++) {
      expect(a.height[k] > a.height[k - 1] || (a.height[k] === a.height[k - 1] && a.timeStamp[k] >= a.timeStamp[k - 1])).toBe(true);
    }
  });

  for (const seed of [1, 2, 3]) {
    it(`agrees with runTrace and the reference, and conserves taint (seed ${seed})`, () => {
      const chain = syntheticChain({ transfers: 3000, accounts: 1200, seed });
      const { transfers, labels, caseSpec } = syntheticTransfers(chain);
      const result = trace(transfers, caseSpec, labels);
      const ref = referenceTrace(transfers, caseSpec, labels);
      const direct = sweep(chain, { isExit: chain.isExit, seed: chain.seed, dust: Number(caseSpec.dust) });
      expect(result.dust).toEqual(ref.dust);
      expect(direct.dust).toEqual(ref.dust);
      for (const [i, p] of POLICIES.entries()) {
        expect(policyOf(result, p).totals, p).toEqual(ref.policies[p].totals);
        expect(direct.fees[i], p).toBe(ref.policies[p].totals.fees);
        expect(direct.injected[i], p).toBe(ref.policies[p].totals.seed);
        for (const [address, ra] of ref.policies[p].accounts) {
          const ga = policyOf(result, p).accounts.get(address)!;
          expect([ga.hops, ga.received, ga.held], `${p} ${address}`).toEqual([ra.hops, ra.received, ra.held]);
        }
      }
      for (const p of AMOUNT_POLICIES) {
        const t = policyOf(result, p).totals;
        expect(t.held + t.exited + t.fees, p).toBe(t.seed);
      }
      // the theft is traced somewhere beyond the thieves and reaches exits
      expect(result.policies.haircut!.totals.exited > 0n).toBe(true);
      expect(Math.max(...[...result.policies.poison!.accounts.values()].map((a) => a.hops))).toBeGreaterThan(2);
    });
  }

  it('gives the reference figures when the account table is large enough for a cache-aligned buffer', () => {
    // 40,000 accounts: the core records (32 B each) pass ALIGNED_MIN_BYTES, so they live in the
    // page-aligned memory the large chains use, not in an ordinary ArrayBuffer
    const chain = syntheticChain({ transfers: 4000, accounts: 40_000, seed: 9 });
    const { transfers, labels, caseSpec } = syntheticTransfers(chain);
    const ref = referenceTrace(transfers, caseSpec, labels);
    const res = sweep(chain, { isExit: chain.isExit, seed: chain.seed, dust: Number(caseSpec.dust) });
    expect(res.core.byteLength).toBeGreaterThanOrEqual(ALIGNED_MIN_BYTES);
    expect(res.dust).toEqual(ref.dust);
    let compared = 0;
    for (const [i, p] of POLICIES.entries()) {
      expect(res.fees[i], p).toBe(ref.policies[p].totals.fees);
      expect(res.injected[i], p).toBe(ref.policies[p].totals.seed);
    }
    for (let a = 0; a < chain.accounts; a++) {
      const address = syntheticAddress(a);
      for (const [i, p] of POLICIES.entries()) {
        const ra = ref.policies[p].accounts.get(address);
        if (ra === undefined) {
          expect(hopsOf(res, a, i), `${p} ${a}`).toBe(0);
          continue;
        }
        compared++;
        expect([hopsOf(res, a, i), receivedOf(res, a, i), BigInt(balanceOf(res, a))], `${p} ${a}`).toEqual([
          ra.hops,
          ra.received,
          ra.balance,
        ]);
        if (i > 0) expect(BigInt(taintOf(res, a, i)), `${p} ${a}`).toBe(ra.held);
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
