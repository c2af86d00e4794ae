/**
 * JSON views of the index for the HTTP API and `screen --json`: amounts as XEM decimal strings with
 * six decimals, times as ISO-8601 UTC, shares as numbers in [0, 1]. Pure functions of the index.
 */
import { parseAddress, formatXem, provisionalFrom, nemToIso } from '../nem/index.js';
import type { Policy } from '../domain.js';
import type { TaintIndexAsOf } from './index-types.js';
import type { TaintIndex } from './packed.js';
import type { Coverage, LabelRef, ScreenResult } from './screen.js';
import { shareNumber } from './share.js';

/** `provisionalFrom`: transfers at or above this height are provisional (a fork may still remove them; src/nem/finality.ts). */
export interface AsOfView {
  height: number;
  time: string | null;
  provisionalFrom: number;
}
export interface LabelView {
  label: string;
  category: string;
  source: string | null;
}
export interface AccountPolicyView {
  tainted: boolean;
  exit: boolean;
  hops: number | null;
  received: string;
  held: string;
  balance: string;
  share: number;
  firstTaintedAt: string | null;
}
export interface AccountView {
  address: string;
  /** Whether the index knows the address at all (tainted under some policy or labelled). */
  known: boolean;
  label: LabelView | null;
  policies: Partial<Record<Policy, AccountPolicyView>>;
  asOf: AsOfView;
}
export interface TransferView {
  hash: string;
  from: string;
  to: string;
  height: number;
  time: string;
  amount: string;
  fee: string;
  message: string | null;
  fromLabel: LabelView | null;
  toLabel: LabelView | null;
  taint: Partial<Record<Policy, string>>;
  asOf: AsOfView;
}
export interface ScreenPolicyView {
  tainted: boolean;
  share: number;
  taintedAmount: string | null;
  hops: number | null;
}
export interface ScreenView {
  from: string;
  amount: string | null;
  time: string | null;
  risk: ScreenResult['risk'];
  score: number | null;
  rule: string;
  perPolicy: Partial<Record<Policy, ScreenPolicyView>>;
  hops: number | null;
  exits: string[];
  labels: LabelRef[];
  evidence: string[];
  coverage: Coverage;
  asOf: AsOfView;
}

const ZERO = '0.000000';

const asOfViews = new WeakMap<TaintIndexAsOf, AsOfView>();

export function asOfView(asOf: TaintIndexAsOf): AsOfView {
  let v = asOfViews.get(asOf);
  if (!v)
    asOfViews.set(
      asOf,
      (v = { height: asOf.height, time: asOf.time === null ? null : nemToIso(asOf.time), provisionalFrom: provisionalFrom(asOf.height) }),
    );
  return v;
}

/**
 * parseAddress, skipping the checksum (a Keccak per call) for addresses the index already holds:
 * those were validated when they entered it. Throws TRACE_INVALID_ADDRESS like parseAddress.
 */
export function indexedAddress(index: TaintIndex, text: string): string {
  if (typeof text === 'string' && text.length === 40 && (index.accounts.has(text) || index.labels.has(text))) return text;
  return parseAddress(text);
}

function labelView(index: TaintIndex, address: string): LabelView | null {
  const l = index.labels.get(address);
  return l ? { label: l.label, category: l.category, source: l.source ?? null } : null;
}

/** `address` must already be canonical (parseAddress). */
export function accountView(index: TaintIndex, address: string): AccountView {
  const account = index.accounts.get(address);
  const policies: Partial<Record<Policy, AccountPolicyView>> = {};
  let lastTs = -1;
  let lastIso = '';
  const isoOf = (ts: number): string => (ts === lastTs ? lastIso : ((lastTs = ts), (lastIso = nemToIso(ts)))); // policies mostly share it
  for (const policy of index.policies) {
    const e = account?.policies[policy];
    policies[policy] = e
      ? {
          tainted: true,
          exit: e.isExit,
          hops: e.hops,
          received: formatXem(e.received),
          held: formatXem(e.held),
          balance: formatXem(e.balance),
          share: policy === 'poison' ? (e.balance > 0n ? 1 : 0) : shareNumber(e.held, e.balance),
          firstTaintedAt: isoOf(e.firstTaintedAt),
        }
      : { tainted: false, exit: false, hops: null, received: ZERO, held: ZERO, balance: ZERO, share: 0, firstTaintedAt: null };
  }
  const label = labelView(index, address);
  return { address, known: account !== undefined || label !== null, label, policies, asOf: asOfView(index.asOf) };
}

/** null when the index holds no such transfer. `hash` lower-case. */
export function transferView(index: TaintIndex, hash: string): TransferView | null {
  const t = index.transfers.get(hash);
  if (!t) return null;
  const taint: Partial<Record<Policy, string>> = {};
  for (const policy of index.policies) taint[policy] = formatXem(t.taint[policy] ?? 0n);
  return {
    hash: t.hash,
    from: t.from,
    to: t.to,
    height: t.height,
    time: nemToIso(t.timeStamp),
    amount: formatXem(t.amount),
    fee: formatXem(t.fee),
    message: t.message,
    fromLabel: labelView(index, t.from),
    toLabel: labelView(index, t.to),
    taint,
    asOf: asOfView(index.asOf),
  };
}

export function screenView(r: ScreenResult): ScreenView {
  const perPolicy: Partial<Record<Policy, ScreenPolicyView>> = {};
  for (const [policy, p] of Object.entries(r.perPolicy) as [Policy, NonNullable<ScreenResult['perPolicy'][Policy]>][]) {
    perPolicy[policy] = {
      tainted: p.tainted,
      share: p.share,
      taintedAmount: p.taintedAmount === null ? null : formatXem(p.taintedAmount),
      hops: p.hops,
    };
  }
  return {
    from: r.from,
    amount: r.amount === null ? null : formatXem(r.amount),
    time: r.time === null ? null : nemToIso(r.time),
    risk: r.risk,
    score: r.score,
    rule: r.rule,
    perPolicy,
    hops: r.hops,
    exits: r.exits,
    labels: r.labels,
    evidence: r.evidence,
    coverage: r.coverage,
    asOf: asOfView(r.asOf),
  };
}
