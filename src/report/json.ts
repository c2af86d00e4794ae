/**
 * `report.json` (docs/contracts.md, schema "tainttrace/report@1"): a pure, deterministic projection of a
 * TraceResult. Amounts are XEM strings with six decimals, times ISO-8601 UTC. Ordering is fixed
 * (exits by amount desc then address; accounts by hops, received desc, address; hops ascending;
 * policies in the canonical POLICIES order), so one TraceResult always gives byte-identical JSON.
 *
 * Beyond the contract's minimum the report carries `case`, `dust` (what the threshold pruned) and
 * `valuation` (case currency, exact decimal arithmetic, rounded to the currency's minor unit).
 */
import type { PolicyResult, TraceResult } from '../taint/index.js';
import { policyOf, POLICIES, type Policy } from '../domain.js';
import { isProvisional, provisionalFrom } from '../nem/index.js';
import { chainOrder, cmpBigDesc, cmpStr, iso, valuate, xem } from './format.js';

export const REPORT_SCHEMA = 'tainttrace/report@1' as const;

export interface ReportSeedTransfer {
  hash: string;
  from: string;
  to: string;
  height: number;
  time: string;
  amount: string;
  fee: string;
}
export interface ReportMemo {
  memo: string;
  amount: string;
  count: number;
}
export interface ReportExit {
  address: string;
  label: string | null;
  category: string | null;
  amount: string;
  transfers: number;
  firstAt: string;
  minHops: number;
  memos: ReportMemo[];
}
export interface ReportAccount {
  address: string;
  label: string | null;
  hops: number;
  received: string;
  held: string;
  firstTaintedAt: string;
}
export interface ReportHop {
  hop: number;
  accounts: number;
  amount: string;
}
export interface ReportPolicy {
  totals: { seed: string; held: string; exited: string; fees: string };
  exits: ReportExit[];
  accounts: ReportAccount[];
  hops: ReportHop[];
}
export interface ReportValuation {
  currency: string;
  rate: string;
  seed: string;
  policies: Partial<Record<Policy, { held: string; exited: string }>>;
}
export interface ReportJson {
  schema: typeof REPORT_SCHEMA;
  manifest: TraceResult['manifest'];
  case: { id: string; title: string; windowTo: string | null; exitCategories: string[]; dust: string; maxHops: number };
  seed: { amount: string; transfers: ReportSeedTransfer[] };
  dust: { threshold: string; transfers: number; amount: string };
  valuation: ReportValuation | null;
  /**
   * Transfers at or above `fromHeight` (within 360 blocks of the manifest's tip height) are provisional:
   * a fork may still remove them and change the figures; `transfers` lists those the trace ran over, in chain order.
   */
  provisional: { fromHeight: number; transfers: string[] };
  policies: Partial<Record<Policy, ReportPolicy>>;
}

/** The policies present in a result, in canonical order. */
export function policiesOf(result: TraceResult): Policy[] {
  return POLICIES.filter((p) => result.policies[p] !== undefined);
}

export function buildReportJson(result: TraceResult): ReportJson {
  const policies: Partial<Record<Policy, ReportPolicy>> = {};
  for (const p of policiesOf(result)) policies[p] = buildPolicy(result, policyOf(result, p));
  const c = result.case;
  return {
    schema: REPORT_SCHEMA,
    manifest: result.manifest,
    case: {
      id: c.id,
      title: c.title,
      windowTo: c.windowTo === null ? null : iso(c.windowTo),
      exitCategories: [...c.exitCategories],
      dust: xem(c.dust),
      maxHops: c.maxHops,
    },
    seed: {
      amount: xem(result.seed.amount),
      transfers: [...result.seed.transfers].sort(chainOrder).map((t) => ({
        hash: t.hash,
        from: t.from,
        to: t.to,
        height: t.height,
        time: iso(t.timeStamp),
        amount: xem(t.amount),
        fee: xem(t.fee),
      })),
    },
    dust: { threshold: xem(c.dust), transfers: result.dust.transfers, amount: xem(result.dust.amount) },
    valuation: buildValuation(result),
    provisional: {
      fromHeight: provisionalFrom(result.manifest.tipHeight),
      transfers: result.transfers.filter((t) => isProvisional(t.height, result.manifest.tipHeight)).map((t) => t.hash),
    },
    policies,
  };
}

/** Serialise exactly as written to disk: two-space indent, trailing newline. */
export function stringifyReportJson(report: ReportJson): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function buildPolicy(result: TraceResult, pr: PolicyResult): ReportPolicy {
  const all = [...pr.accounts.values()].filter((a) => a.received > 0n);
  const exits = all
    .filter((a) => a.isExit)
    .sort((a, b) => cmpBigDesc(a.received, b.received) || cmpStr(a.address, b.address))
    .map((a): ReportExit => {
      const label = result.labels.get(a.address);
      const memos = [...(a.memos ?? new Map<string, { amount: bigint; count: number }>()).entries()]
        .sort(([ma, va], [mb, vb]) => cmpBigDesc(va.amount, vb.amount) || cmpStr(ma, mb))
        .map(([memo, v]) => ({ memo, amount: xem(v.amount), count: v.count }));
      return {
        address: a.address,
        label: label?.label ?? null,
        category: label?.category ?? null,
        amount: xem(a.received),
        transfers: a.taintedTransfers ?? memos.reduce((s, m) => s + m.count, 0),
        firstAt: iso(a.firstTaintedAt),
        minHops: a.hops,
        memos,
      };
    });
  const accounts = all
    .filter((a) => !a.isExit)
    .sort((a, b) => a.hops - b.hops || cmpBigDesc(a.received, b.received) || cmpStr(a.address, b.address));
  const byHop = new Map<number, { accounts: number; amount: bigint }>();
  for (const a of accounts) {
    const h = byHop.get(a.hops) ?? { accounts: 0, amount: 0n };
    h.accounts += 1;
    h.amount += a.received;
    byHop.set(a.hops, h);
  }
  return {
    totals: { seed: xem(pr.totals.seed), held: xem(pr.totals.held), exited: xem(pr.totals.exited), fees: xem(pr.totals.fees) },
    exits,
    accounts: accounts.map((a) => ({
      address: a.address,
      label: result.labels.get(a.address)?.label ?? null,
      hops: a.hops,
      received: xem(a.received),
      held: xem(a.held),
      firstTaintedAt: iso(a.firstTaintedAt),
    })),
    hops: [...byHop.entries()].sort(([a], [b]) => a - b).map(([hop, h]) => ({ hop, accounts: h.accounts, amount: xem(h.amount) })),
  };
}

function buildValuation(result: TraceResult): ReportValuation | null {
  const v = result.case.valuation;
  if (!v) return null;
  const policies: ReportValuation['policies'] = {};
  for (const p of policiesOf(result)) {
    const t = policyOf(result, p).totals;
    policies[p] = { held: valuate(t.held, v.rate, v.currency), exited: valuate(t.exited, v.rate, v.currency) };
  }
  return { currency: v.currency, rate: v.rate, seed: valuate(result.seed.amount, v.rate, v.currency), policies };
}
