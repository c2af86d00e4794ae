/**
 * Properties of runTrace on random chains (fast-check; on failure fast-check prints the seed and
 * path — rerun with `fc.assert(…, { seed, path })` to reproduce).
 */
import fc from 'fast-check';
import type { Transfer } from '../../src/nem/index.js';
import { describe, expect, it } from 'vitest';
import { referenceTrace } from '../../src/taint/reference.js';
import { AMOUNT_POLICIES, POLICIES, type TraceResult } from '../../src/taint/types.js';
import { canon, randomChain, trace } from './helpers.js';
import { policyOf } from '../../src/domain.js';

const RUNS = 300;

function run(c: { transfers: Transfer[]; caseSpec: TraceResult['case']; labels: TraceResult['labels'] }): TraceResult {
  return trace(c.transfers, c.caseSpec, c.labels);
}

describe('runTrace on random chains', () => {
  it('equals the naive bigint reference, to the µXEM, under every policy', () => {
    fc.assert(
      fc.property(randomChain(), (c) => {
        const got = run(c);
        const ref = referenceTrace(c.transfers, c.caseSpec, c.labels);
        expect(got.dust).toEqual(ref.dust);
        expect(got.openings).toEqual(ref.openings);
        for (const p of POLICIES) {
          const g = policyOf(got, p);
          const r = ref.policies[p];
          expect(g.totals, p).toEqual(r.totals);
          expect(new Map([...g.transferTaint]), p).toEqual(r.transferTaint);
          expect([...g.accounts.keys()].sort(), p).toEqual([...r.accounts.keys()].sort());
          for (const [address, ra] of r.accounts) {
            const ga = g.accounts.get(address)!;
            expect(
              {
                isExit: ga.isExit,
                hops: ga.hops,
                received: ga.received,
                held: ga.held,
                balance: ga.balance,
                firstTaintedAt: ga.firstTaintedAt,
                firstHash: ga.evidence.at(-1)?.hash,
              },
              `${p} ${address}`,
            ).toEqual(ra);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('conserves taint exactly for the five amount policies: seed = held + exited + fees', () => {
    fc.assert(
      fc.property(randomChain(), (c) => {
        const got = run(c);
        for (const p of AMOUNT_POLICIES) {
          const t = policyOf(got, p).totals;
          expect(t.held + t.exited + t.fees, p).toBe(t.seed);
          const heldSum = [...policyOf(got, p).accounts.values()].reduce((s, a) => s + a.held, 0n);
          expect(heldSum, p).toBe(t.held);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never shows a negative balance, and taint never exceeds the balance holding it', () => {
    fc.assert(
      fc.property(randomChain(), (c) => {
        const got = run(c);
        for (const p of POLICIES) {
          for (const a of policyOf(got, p).accounts.values()) {
            expect(a.balance >= 0n && a.held >= 0n && a.held <= a.balance, `${p} ${a.address}`).toBe(true);
            for (const h of a.history) expect(h.tainted >= 0n && h.tainted <= h.balance, `${p} ${a.address} history`).toBe(true);
            if (!a.isExit && a.history.length > 0) expect(a.history.at(-1)!.tainted, `${p} ${a.address} last history row`).toBe(a.held);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("poison (dust 0) taints a superset of every other policy's accounts and transfers", () => {
    fc.assert(
      fc.property(randomChain({ dust: false }), (c) => {
        const got = run(c);
        const poison = got.policies.poison!;
        for (const p of AMOUNT_POLICIES) {
          for (const [address, a] of policyOf(got, p).accounts) {
            if (a.received > 0n) expect(poison.accounts.has(address), `${p} ${address}`).toBe(true);
            if (a.received > 0n) expect(poison.accounts.get(address)!.hops <= a.hops, `${p} ${address} hops`).toBe(true);
          }
          for (const [hash, taint] of policyOf(got, p).transferTaint) {
            expect(poison.transferTaint.get(hash)! >= taint, `${p} ${hash}`).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('does not depend on the order of its input', () => {
    fc.assert(
      fc.property(randomChain(), fc.nat(), (c, salt) => {
        const shuffled = [...c.transfers];
        let state = salt + 1;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (state * 1103515245 + 12345) >>> 0;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        expect(canon(run({ ...c, transfers: shuffled }))).toBe(canon(run(c)));
      }),
      { numRuns: 100 },
    );
  });

  it('gives identical results for identical inputs', () => {
    fc.assert(
      fc.property(randomChain(), (c) => {
        expect(canon(run(c))).toBe(canon(run(c)));
      }),
      { numRuns: 50 },
    );
  });
});
