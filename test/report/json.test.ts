import { describe, expect, it } from 'vitest';
import { buildReportJson, stringifyReportJson } from '../../src/report/json.js';
import { microOf } from '../../src/report/format.js';
import { buildReportMarkdown } from '../../src/report/markdown.js';
import { A, coincheckMini, synthetic } from './fixture.js';
import { policyOf } from '../../src/domain.js';

const XEM6 = /^\d+\.\d{6}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('buildReportJson', () => {
  const result = coincheckMini();
  const report = buildReportJson(result);

  it('has the docs/contracts.md shape, six-decimal amounts and ISO times', () => {
    expect(Object.keys(report)).toEqual(['schema', 'manifest', 'case', 'seed', 'dust', 'valuation', 'provisional', 'policies']);
    const tip = result.manifest.tipHeight;
    expect(report.provisional).toEqual({
      fromHeight: Math.max(1, tip - 359),
      transfers: [...result.transfers].filter((t) => t.height > tip - 360).map((t) => t.hash),
    });
    expect(report.schema).toBe('tainttrace/report@1');
    expect(report.seed.amount).toBe('200000010.000000');
    expect(report.seed.transfers).toHaveLength(3);
    expect(Object.keys(report.policies)).toEqual(['poison', 'haircut', 'taint-first', 'clean-first']);
    for (const pr of Object.values(report.policies)) {
      expect(Object.keys(pr)).toEqual(['totals', 'exits', 'accounts', 'hops']);
      expect(Object.keys(pr.totals)).toEqual(['seed', 'held', 'exited', 'fees']);
      for (const v of Object.values(pr.totals)) expect(v).toMatch(XEM6);
      for (const e of pr.exits) {
        expect(Object.keys(e)).toEqual(['address', 'label', 'category', 'amount', 'transfers', 'firstAt', 'minHops', 'memos']);
        expect(e.amount).toMatch(XEM6);
        expect(e.firstAt).toMatch(ISO);
        for (const m of e.memos) expect(Object.keys(m)).toEqual(['memo', 'amount', 'count']);
      }
      for (const a of pr.accounts) {
        expect(Object.keys(a)).toEqual(['address', 'label', 'hops', 'received', 'held', 'firstTaintedAt']);
        expect(a.firstTaintedAt).toMatch(ISO);
      }
      for (const h of pr.hops) expect(Object.keys(h)).toEqual(['hop', 'accounts', 'amount']);
    }
  });

  it('orders exits by amount desc then address, accounts by hops, received desc, address, hops ascending', () => {
    for (const pr of Object.values(report.policies)) {
      const ex = pr.exits;
      for (let i = 1; i < ex.length; i += 1) {
        const [a, b] = [microOf(ex[i - 1].amount), microOf(ex[i].amount)];
        expect(a > b || (a === b && ex[i - 1].address < ex[i].address)).toBe(true);
      }
      const ac = pr.accounts;
      for (let i = 1; i < ac.length; i += 1) {
        const [p, q] = [ac[i - 1], ac[i]];
        const ok =
          p.hops < q.hops ||
          (p.hops === q.hops && (microOf(p.received) > microOf(q.received) || (p.received === q.received && p.address < q.address)));
        expect(ok).toBe(true);
      }
      expect(pr.hops.map((h) => h.hop)).toEqual([...pr.hops.map((h) => h.hop)].sort((a, b) => a - b));
    }
  });

  it('hops[].amount is the sum of received at that hop; exits are not listed as accounts', () => {
    for (const pr of Object.values(report.policies)) {
      const sum = pr.accounts.reduce((s, a) => s + microOf(a.received), 0n);
      expect(pr.hops.reduce((s, h) => s + microOf(h.amount), 0n)).toBe(sum);
      const exits = new Set(pr.exits.map((e) => e.address));
      for (const a of pr.accounts) expect(exits.has(a.address)).toBe(false);
    }
  });

  it('amount policies balance: seed = held + exited + fees', () => {
    for (const p of ['haircut', 'taint-first', 'clean-first'] as const) {
      const t = policyOf(report, p).totals;
      expect(microOf(t.held) + microOf(t.exited) + microOf(t.fees)).toBe(microOf(t.seed));
    }
  });

  it('reports exits with labels, memos per deposit memo and poison upper bound', () => {
    const binance = report.policies.poison!.exits.find((e) => e.address === A.binance)!;
    expect(binance).toMatchObject({ label: 'Binance deposit', category: 'exchange', amount: '23999000.000000', transfers: 2, minHops: 4 });
    expect(binance.memos).toEqual([{ memo: '1029384', amount: '23999000.000000', count: 2 }]);
    expect(microOf(report.policies.poison!.totals.exited)).toBeGreaterThanOrEqual(microOf(report.policies.haircut!.totals.exited));
    // the 100-XEM spray is below the 150-XEM dust threshold: pruned under poison
    expect(report.dust).toEqual({ threshold: '150.000000', transfers: 1, amount: '100.000000' });
    expect(report.policies.poison!.accounts.some((a) => a.address === A.bystander)).toBe(false);
  });

  it('values the seed in the case currency exactly (88.549 JPY/XEM, rounded to yen)', () => {
    expect(report.valuation).toMatchObject({ currency: 'JPY', rate: '88.549', seed: '17709800885' });
  });

  it('is byte-identical for the same TraceResult, whatever the Map insertion order', () => {
    const a = stringifyReportJson(buildReportJson(coincheckMini()));
    const shuffled = coincheckMini();
    for (const pr of Object.values(shuffled.policies)) pr.accounts = new Map([...pr.accounts.entries()].reverse());
    shuffled.seed.transfers.reverse();
    expect(stringifyReportJson(buildReportJson(shuffled))).toBe(a);
    const s1 = stringifyReportJson(buildReportJson(synthetic(200)));
    expect(stringifyReportJson(buildReportJson(synthetic(200)))).toBe(s1);
  });
});

describe('buildReportJson caps (issue 10: a person reads report.json; the complete lists are the CSV files)', () => {
  const result = coincheckMini();
  const full = buildReportJson(result);
  const caps = { exits: 1, accounts: 2, memos: 1 };
  const capped = buildReportJson(result, caps);

  it('leaves a Coincheck-sized report complete: no caps, counts or memoCount, every account and memo listed', () => {
    expect(full.caps).toBeUndefined();
    for (const p of Object.values(full.policies)) {
      expect(p.counts).toBeUndefined();
      for (const e of p.exits) expect(e.memoCount).toBeUndefined();
      expect(p.accounts.length).toBe(p.hops.reduce((s, h) => s + h.accounts, 0));
    }
  });

  it('keeps per policy the exits and accounts that received the most, and says so in the file', () => {
    expect(capped.caps).toMatchObject({ ...caps, complete: ['accounts.csv', 'transfers.csv'] });
    for (const [name, p] of Object.entries(capped.policies)) {
      const whole = full.policies[name as keyof typeof full.policies]!;
      expect(p.counts).toEqual({ exits: whole.exits.length, accounts: whole.accounts.length });
      expect(p.exits.map((e) => e.address)).toEqual(whole.exits.slice(0, 1).map((e) => e.address));
      const most = [...whole.accounts]
        .sort((a, b) => Number(microOf(b.received) - microOf(a.received)) || (a.address < b.address ? -1 : 1))
        .slice(0, 2)
        .sort((a, b) => a.hops - b.hops || Number(microOf(b.received) - microOf(a.received)) || (a.address < b.address ? -1 : 1));
      expect(p.accounts).toEqual(most);
      expect(p.totals).toEqual(whole.totals);
      expect(p.hops).toEqual(whole.hops);
      for (const [i, e] of p.exits.entries()) {
        expect(e.memoCount).toBe(whole.exits[i].memos.length);
        expect(e.memos).toEqual(whole.exits[i].memos.slice(0, 1));
      }
    }
  });

  it('report.md states the caps and the full counts', () => {
    const md = buildReportMarkdown(capped);
    expect(md).toContain('are capped: per policy the 1 exits and the 2 accounts that received the most, 1 memos per exit');
    const haircut = capped.policies.haircut!;
    expect(md).toContain(`### Tainted accounts (${haircut.counts!.accounts}, first 2 shown of the 2 that received the most`);
    expect(buildReportMarkdown(full)).not.toContain('capped');
  });
});
