/**
 * report.json's policies are built from the policy's account columns (issue 10); what they must say is the plain
 * reading of the result's AccountTaint objects below (docs/contracts.md §4: exits by amount desc then address,
 * accounts by hops, received desc, address; hop totals over every account; the caps keep the most received). On
 * random chains — exits, cycles, dust, µXEM past 2^46 — complete and capped, for runTrace's result and a hand-built one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmpBigDesc, cmpStr, policyOf } from '../../src/domain.js';
import { iso, xem } from '../../src/report/format.js';
import { buildReportJson, policiesOf, type ReportCaps } from '../../src/report/json.js';
import { runTrace } from '../../src/taint/trace.js';
import type { AccountTaint, TraceResult } from '../../src/taint/types.js';
import { detached, randomChain } from '../taint/helpers.js';

const byReceived = (a: AccountTaint, b: AccountTaint) => cmpBigDesc(a.received, b.received) || cmpStr(a.address, b.address);

function expectedPolicies(result: TraceResult, caps: ReportCaps) {
  return policiesOf(result).map((p) => {
    const all = [...policyOf(result, p).accounts.values()].filter((a) => a.received > 0n);
    const exits = all.filter((a) => a.isExit).sort(byReceived);
    const accounts = all.filter((a) => !a.isExit).sort(byReceived);
    const hops = new Map<number, { accounts: number; amount: bigint }>();
    for (const a of accounts) {
      const h = hops.get(a.hops) ?? { accounts: 0, amount: 0n };
      hops.set(a.hops, { accounts: h.accounts + 1, amount: h.amount + a.received });
    }
    return {
      exits: exits.slice(0, caps.exits).map((a) => ({
        address: a.address,
        amount: xem(a.received),
        firstAt: iso(a.firstTaintedAt),
        minHops: a.hops,
        memos: [...a.memos!.entries()]
          .sort(([ma, va], [mb, vb]) => cmpBigDesc(va.amount, vb.amount) || cmpStr(ma, mb))
          .slice(0, caps.memos)
          .map(([memo, v]) => ({ memo, amount: xem(v.amount), count: v.count })),
      })),
      accounts: accounts
        .slice(0, caps.accounts)
        .sort((a, b) => a.hops - b.hops || byReceived(a, b))
        .map((a) => ({
          address: a.address,
          hops: a.hops,
          received: xem(a.received),
          held: xem(a.held),
          firstTaintedAt: iso(a.firstTaintedAt),
        })),
      hops: [...hops.entries()].sort(([a], [b]) => a - b).map(([hop, h]) => ({ hop, accounts: h.accounts, amount: xem(h.amount) })),
    };
  });
}

function reported(result: TraceResult, caps: ReportCaps) {
  const report = buildReportJson(result, caps);
  return policiesOf(result).map((p) => {
    const r = report.policies[p]!;
    return {
      exits: r.exits.map((e) => ({ address: e.address, amount: e.amount, firstAt: e.firstAt, minHops: e.minHops, memos: e.memos })),
      accounts: r.accounts.map(({ label: _label, ...a }) => a),
      hops: r.hops,
    };
  });
}

describe('report.json from the account columns', () => {
  it("lists what the result's objects say, complete and capped, for runTrace's result and a hand-built one", () => {
    fc.assert(
      fc.property(randomChain(), fc.integer({ min: 1, max: 4 }), ({ transfers, caseSpec, labels }, cap) => {
        const result = runTrace({ transfers, caseSpec, labels, storeDigest: 't', tipHeight: 0, engineVersion: 't' });
        for (const caps of [
          { exits: 1000, accounts: 1000, memos: 100 },
          { exits: cap, accounts: cap, memos: cap },
        ]) {
          const expected = expectedPolicies(result, caps);
          expect(reported(result, caps)).toEqual(expected);
          expect(reported(detached(result), caps)).toEqual(expected);
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
