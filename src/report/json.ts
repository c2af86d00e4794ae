/**
 * `report.json` (docs/contracts.md, schema "tainttrace/report@1"): a pure, deterministic projection of a
 * TraceResult. Amounts are XEM strings with six decimals, times ISO-8601 UTC. Ordering is fixed
 * (exits by amount desc then address; accounts by hops, received desc, address; hops ascending;
 * policies in the canonical POLICIES order), so one TraceResult always gives byte-identical JSON.
 *
 * Beyond the contract's minimum the report carries `case`, `dust` (what the threshold pruned) and
 * `valuation` (case currency, exact decimal arithmetic, rounded to the currency's minor unit).
 *
 * Summarised for people (issue 10; docs/contracts.md §4, "Caps"): per policy at most `REPORT_CAPS.exits` exits and
 * `REPORT_CAPS.accounts` accounts (those that received the most, ties by address; then in the order above) and
 * `REPORT_CAPS.memos` memos per exit. Only a report that had to cap says so, in additive fields: top-level `caps`
 * (the caps, the rule, the files with the complete lists), per policy `counts` (how many exits and accounts there
 * are in all) and per exit `memoCount`; `totals` and `hops` always cover everything. A case the size of Coincheck
 * is far below the caps: its report is complete and has none of these fields. Accounts are read from the policy's
 * account columns (accountColumnsOf) and only the best rows are kept (TopN): no object per account, no list of them.
 */
import { accountColumnsOf, tableOf, type PolicyResult, type TraceResult } from '../taint/index.js';
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
  /** The largest deposit memos (amount desc); at most `caps.memos` of them when the report is capped. */
  memos: ReportMemo[];
  /** Capped reports only: how many memos the exit has. */
  memoCount?: number;
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
  /** Capped reports only: how many tainted exits and accounts there are in all (the lists hold at most `caps` of them). */
  counts?: { exits: number; accounts: number };
}
export interface ReportValuation {
  currency: string;
  rate: string;
  seed: string;
  policies: Partial<Record<Policy, { held: string; exited: string }>>;
}
/** Most entries of each list report.json holds (the largest by taint received); the complete lists are the CSV files. */
export interface ReportCaps {
  exits: number;
  accounts: number;
  memos: number;
}
export const REPORT_CAPS: ReportCaps = { exits: 1000, accounts: 1000, memos: 100 };

/** What a capped report states about its caps (top-level `caps`). */
export interface ReportCapsNote extends ReportCaps {
  order: string;
  complete: string[];
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
  /** Capped reports only (additive to report@1): the caps, the rule that chose the entries, the complete lists. */
  caps?: ReportCapsNote;
}

/** The policies present in a result, in canonical order. */
export function policiesOf(result: TraceResult): Policy[] {
  return POLICIES.filter((p) => result.policies[p] !== undefined);
}

export function buildReportJson(result: TraceResult, caps: ReportCaps = REPORT_CAPS): ReportJson {
  const built = policiesOf(result).map((p) => [p, buildPolicy(result, policyOf(result, p), caps)] as const);
  const capped = built.some(([, b]) => b.capped);
  const policies: Partial<Record<Policy, ReportPolicy>> = {};
  for (const [p, b] of built) policies[p] = capped ? b.policy : withoutCounts(b.policy);
  const c = result.case;
  const report: ReportJson = {
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
      transfers: provisionalHashes(result),
    },
    policies,
  };
  if (capped) {
    report.caps = {
      ...caps,
      order: 'per policy, the exits and the accounts that received the most taint (ties by address), listed in the report order',
      complete: ['accounts.csv', 'transfers.csv'],
    };
  }
  return report;
}

/** Serialise exactly as written to disk: two-space indent, trailing newline. */
export function stringifyReportJson(report: ReportJson): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The n best items offered by `cmp`, holding at most about 2n at a time; `count` = items offered. */
class TopN<T> {
  private items: T[] = [];
  count = 0;
  constructor(
    private readonly n: number,
    private readonly cmp: (a: T, b: T) => number,
  ) {}
  add(item: T): void {
    this.count++;
    this.items.push(item);
    if (this.items.length >= 2 * this.n + 64) this.items = this.items.sort(this.cmp).slice(0, this.n);
  }
  get top(): T[] {
    return this.items.sort(this.cmp).slice(0, this.n);
  }
}

/**
 * One policy's part: the accounts read from the policy's account columns (accountColumnsOf) — the hop totals over
 * all of them, the best `caps` exits and accounts kept by row (TopN) — and an AccountTaint made only for a kept exit
 * (its deposit memos).
 */
function buildPolicy(result: TraceResult, pr: PolicyResult, caps: ReportCaps): { policy: ReportPolicy; capped: boolean } {
  const c = accountColumnsOf(result, pr.policy)!;
  const { addresses } = tableOf(result);
  const received = c.received;
  const addressOf = (i: number): string => addresses[c.account[i]];
  // received descending (exact: a double past 2^53 is compared as its bigint), then address
  const byReceived = (i: number, j: number): number => {
    const x = received[i];
    const y = received[j];
    if (x > Number.MAX_SAFE_INTEGER || y > Number.MAX_SAFE_INTEGER)
      return cmpBigDesc(c.receivedAt(i), c.receivedAt(j)) || cmpStr(addressOf(i), addressOf(j));
    return y - x || cmpStr(addressOf(i), addressOf(j));
  };
  const receivedXem = (i: number): string => xem(received[i] <= Number.MAX_SAFE_INTEGER ? received[i] : c.receivedAt(i));
  const byHop = new Map<number, { accounts: number; sum: number; big: bigint }>();
  const exitList = new TopN(caps.exits, byReceived);
  const accountList = new TopN(caps.accounts, byReceived);
  for (let i = 0; i < c.length; i++) {
    const x = received[i];
    if (!(x > 0)) continue;
    if (c.exit[i] === 1) {
      exitList.add(i);
      continue;
    }
    accountList.add(i);
    let h = byHop.get(c.hops[i]);
    if (h === undefined) byHop.set(c.hops[i], (h = { accounts: 0, sum: 0, big: 0n }));
    h.accounts += 1;
    // a sum kept as a number while it is exact, the rest as bigint
    if (x <= Number.MAX_SAFE_INTEGER && h.sum + x <= Number.MAX_SAFE_INTEGER) h.sum += x;
    else h.big += c.receivedAt(i);
  }
  let capped = exitList.count > caps.exits || accountList.count > caps.accounts;
  const exits = exitList.top.map((i): ReportExit => {
    const a = pr.accounts.get(addressOf(i))!;
    const label = result.labels.get(a.address);
    const all = [...(a.memos ?? new Map<string, { amount: bigint; count: number }>()).entries()].sort(
      ([ma, va], [mb, vb]) => cmpBigDesc(va.amount, vb.amount) || cmpStr(ma, mb),
    );
    if (all.length > caps.memos) capped = true;
    return {
      address: a.address,
      label: label?.label ?? null,
      category: label?.category ?? null,
      amount: xem(a.received),
      transfers: a.taintedTransfers ?? all.reduce((s, [, m]) => s + m.count, 0),
      firstAt: iso(a.firstTaintedAt),
      minHops: a.hops,
      memos: all.slice(0, caps.memos).map(([memo, v]) => ({ memo, amount: xem(v.amount), count: v.count })),
      memoCount: all.length,
    };
  });
  const accounts = accountList.top.sort((i, j) => c.hops[i] - c.hops[j] || byReceived(i, j));
  const policy: ReportPolicy = {
    totals: { seed: xem(pr.totals.seed), held: xem(pr.totals.held), exited: xem(pr.totals.exited), fees: xem(pr.totals.fees) },
    exits,
    accounts: accounts.map((i) => ({
      address: addressOf(i),
      label: result.labels.get(addressOf(i))?.label ?? null,
      hops: c.hops[i],
      received: receivedXem(i),
      held: xem(c.held[i]),
      firstTaintedAt: iso(c.firstTaintedAt[i]),
    })),
    hops: [...byHop.entries()]
      .sort(([a], [b]) => a - b)
      .map(([hop, h]) => ({ hop, accounts: h.accounts, amount: xem(h.big === 0n ? h.sum : BigInt(h.sum) + h.big) })),
    counts: { exits: exitList.count, accounts: accountList.count },
  };
  return { policy, capped };
}

/** A complete report's policy: no `counts`, no `memoCount` (the lists are the counts). */
function withoutCounts(pr: ReportPolicy): ReportPolicy {
  const { counts: _counts, ...rest } = pr;
  return { ...rest, exits: pr.exits.map(({ memoCount: _memoCount, ...e }) => e) };
}

/** How many exits / tainted accounts a policy has in all (capped reports say so in `counts`). */
export function countsOf(pr: ReportPolicy): { exits: number; accounts: number } {
  return pr.counts ?? { exits: pr.exits.length, accounts: pr.accounts.length };
}

/** How many memos an exit has in all. */
export function memoCountOf(e: ReportExit): number {
  return e.memoCount ?? e.memos.length;
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

/** Hashes of the transfers not yet final at the tip, in chain order (read from the trace's columns). */
function provisionalHashes(result: TraceResult): string[] {
  const table = tableOf(result);
  const out: string[] = [];
  for (let k = 0; k < table.n; k++) if (isProvisional(table.height[k], result.manifest.tipHeight)) out.push(table.hashAt(k));
  return out;
}
