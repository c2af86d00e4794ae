/**
 * screenDeposit(index, { from, amount?, time? }, rules?) — "is this deposit's sender tainted, by
 * how much, and why?"
 *
 * Per policy: whether the sender was tainted before `time` (latest state when absent), its tainted
 * share of balance then (tainted / balance; poison: 1 once poisoned) and, with an amount, the
 * tainted part of the deposit, floor(amount × tainted / balance) µXEM in bigint. Then the risk rule
 * of risk.ts / RISK.md, the evidence path (transfer hashes, seed first) of the tainted policy with
 * the fewest hops (amount policies before poison), the exits involved and their labels.
 * Input is validated here: TRACE_INVALID_ADDRESS / _AMOUNT / _TIME.
 */
import { parseAddress, parseXem, SUPPLY_MICRO, isoToNem, isProvisional } from '../nem/index.js';
import { TracerError } from '../errors.js';
import { isExitLabel, POLICIES, type Label, type Policy } from '../domain.js';
import type { TaintIndexAsOf } from './index-types.js';
import type { TaintIndex } from './packed.js';
import { classifyRisk, DEFAULT_RISK_RULES, type RiskRules, type ScreenRisk } from './risk.js';
import { POLICY_INDEX, shareNumber, stateAtSlot } from './share.js';

const HASH_BYTES = 32;

export interface Deposit {
  /** Sender address (dashes and lower case accepted). */
  from: string;
  /** µXEM as bigint, or XEM as a decimal string ("100.5"). */
  amount?: bigint | string;
  /** NEM timestamp (seconds) or ISO-8601 with a zone. */
  time?: number | string;
}

export interface PolicyScreen {
  tainted: boolean;
  /** Tainted share of the sender's balance at the time, 0..1 (floored to 9 decimals). */
  share: number;
  /** floor(amount × share) µXEM; null when no amount was given. */
  taintedAmount: bigint | null;
  hops: number | null;
}

export interface LabelRef {
  address: string;
  label: string;
  category: string;
}

/** What the answer rests on: the case, the data's tip, and whether the address is inside coverage. */
export interface Coverage {
  caseId: string;
  /** Tip height of the store the trace ran on. */
  tip: number;
  /** The address appears in a transfer the trace considered (src/screen/RISK.md "Coverage"). */
  reached: boolean;
  /**
   * The sender's taint rests on transfers at or above `asOf.provisionalFrom` (within 360 blocks of the
   * tip, src/nem/finality.ts): a fork can still remove them, and this answer with them.
   */
  provisional: boolean;
}

export interface ScreenResult {
  from: string;
  amount: bigint | null;
  time: number | null;
  /** `unknown`: outside coverage (see `coverage`); never read it as clean. */
  risk: ScreenRisk;
  /** 0–100; null when the risk is unknown. */
  score: number | null;
  /** Which rule decided the risk, in words. */
  rule: string;
  perPolicy: Partial<Record<Policy, PolicyScreen>>;
  hops: number | null;
  /** Exits involved: the sender itself when it is one, and the exits it sent taint to. */
  exits: string[];
  /** Labels of the sender, the exits and the evidence path's accounts. */
  labels: LabelRef[];
  /** Transfer hashes of the evidence path, seed transfer first. */
  evidence: string[];
  coverage: Coverage;
  asOf: TaintIndexAsOf;
}

export function screenDeposit(index: TaintIndex, deposit: Deposit, rules: RiskRules = DEFAULT_RISK_RULES): ScreenResult {
  const from = parseAddress(deposit.from);
  const amount = deposit.amount === undefined ? null : readAmount(deposit.amount);
  const time = deposit.time === undefined ? null : readTime(deposit.time);
  return screenParsed(index, from, amount, time, rules);
}

/** The same, on already-validated input (the server validates a whole batch first). */
export function screenParsed(
  index: TaintIndex,
  from: string,
  amount: bigint | null,
  time: number | null,
  rules: RiskRules = DEFAULT_RISK_RULES,
): ScreenResult {
  const acct = index.accountOf(from);
  const perPolicy: Partial<Record<Policy, PolicyScreen>> = {};
  let hops: number | null = null;
  let amountHops: number | null = null;
  let taintedAny = false;
  let taintedAmount = false;
  let maxAmountShare = 0;
  let best: { hops: number; poison: boolean; slot: number } | null = null;
  const entryHops = index.a.hops;

  for (const policy of index.policies) {
    const slot = acct < 0 ? -1 : index.slot(acct, POLICY_INDEX[policy]);
    if (slot < 0) {
      perPolicy[policy] = { tainted: false, share: 0, taintedAmount: amount === null ? null : 0n, hops: null };
      continue;
    }
    const s = stateAtSlot(index, slot, time ?? undefined);
    const poison = policy === 'poison';
    const h = entryHops[slot];
    let share = 0;
    let part: bigint | null = amount === null ? null : 0n;
    if (s.tainted) {
      if (poison) {
        share = 1;
        if (amount !== null) part = amount;
      } else {
        share = shareNumber(s.taintedBalance, s.balance);
        if (amount !== null && s.balance > 0n) part = (amount * s.taintedBalance) / s.balance;
      }
      taintedAny = true;
      if (hops === null || h < hops) hops = h;
      if (!poison) {
        taintedAmount = true;
        if (amountHops === null || h < amountHops) amountHops = h;
        if (share > maxAmountShare) maxAmountShare = share;
      }
      if (best === null || h < best.hops || (h === best.hops && best.poison && !poison)) best = { hops: h, poison, slot };
    }
    perPolicy[policy] = { tainted: s.tainted, share, taintedAmount: part, hops: s.tainted ? h : null };
  }

  const label = index.labels.get(from) ?? null;
  const reached = acct >= 0 || (index.covered?.has(from) ?? false);
  const sharePolicy = perPolicy[rules.sharePolicy];
  const verdict = classifyRisk(
    {
      category: label?.category ?? null,
      taintedAny,
      taintedAmount,
      hops,
      amountHops,
      share: sharePolicy?.tainted ? sharePolicy.share : 0,
      maxAmountShare,
      covered: reached,
    },
    rules,
  );

  const exits = new Set<string>();
  if (acct >= 0 && index.accountIsExit(acct)) exits.add(from);
  else if (isExitLabel(label, index.exitCategories)) exits.add(from);
  if (taintedAny && acct >= 0) for (const r of index.exitRowsOf(acct)) exits.add(index.addressAt(r));

  const evidenceRows = best === null ? [] : index.evidenceRows(best.slot);
  // Labels of the sender, the exits and the evidence path's accounts, sorted by address: the path's accounts by row
  // (no address text for an account without a label).
  const labelled = new Set<string>();
  for (const address of [from, ...exits]) if (index.labels.has(address)) labelled.add(address);
  const byRow = labelledRows(index);
  for (const r of evidenceRows) {
    if (r >= index.transferCount) continue; // a hash the index holds no transfer for
    const f = byRow.get(index.a.tFrom[r]);
    if (f !== undefined) labelled.add(f);
    const t = byRow.get(index.a.tTo[r]);
    if (t !== undefined) labelled.add(t);
  }
  const labels: LabelRef[] = [];
  for (const address of [...labelled].sort()) {
    const l: Label = index.labels.get(address)!;
    labels.push({ address, label: l.label, category: l.category });
  }

  return {
    from,
    amount,
    time,
    risk: verdict.risk,
    score: verdict.score,
    rule: verdict.rule,
    perPolicy,
    hops,
    exits: [...exits].sort(),
    labels,
    evidence: hexOfRows(index, evidenceRows),
    coverage: {
      caseId: index.manifest.caseId,
      tip: index.asOf.height,
      reached,
      provisional: acct >= 0 && restsOnProvisional(index, acct),
    },
    asOf: index.asOf,
  };
}

const hashViews = new WeakMap<TaintIndex, Buffer>();

/** index.hashAt of each row, read through one Buffer view of the hash bytes per index (no Buffer object per hash). */
function hexOfRows(index: TaintIndex, rows: readonly number[]): string[] {
  const bytes = index.a.hashBytes;
  let view = hashViews.get(index);
  if (view === undefined) hashViews.set(index, (view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  return rows.map((r) => view.toString('hex', r * HASH_BYTES, r * HASH_BYTES + HASH_BYTES));
}

const labelledRowsOf = new WeakMap<TaintIndex, Map<number, string>>();

/** Address row → address, for the labelled addresses the index has a row for (once per index). */
function labelledRows(index: TaintIndex): Map<number, string> {
  let rows = labelledRowsOf.get(index);
  if (rows === undefined) {
    rows = new Map();
    for (const address of index.labels.keys()) {
      const r = index.addressRow(address);
      if (r >= 0) rows.set(r, address);
    }
    labelledRowsOf.set(index, rows);
  }
  return rows;
}

/** Some policy's history of the account (every balance event from its first taint on) reaches into the provisional blocks. */
function restsOnProvisional(index: TaintIndex, acct: number): boolean {
  const { histLen, histStart, evHeight } = index.a;
  for (let p = 0; p < POLICIES.length; p++) {
    const slot = index.slot(acct, p);
    if (slot < 0) continue;
    const n = histLen[slot];
    if (n > 0 && isProvisional(evHeight[histStart[slot] + n - 1], index.asOf.height)) return true;
  }
  return false;
}

function readAmount(value: bigint | string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n || value > SUPPLY_MICRO)
      throw new TracerError('TRACE_INVALID_AMOUNT', `invalid amount ${value} µXEM: outside 0 … supply`);
    return value;
  }
  return parseXem(value);
}

function readTime(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0 || value > 0x7fffffff)
      throw new TracerError('TRACE_INVALID_TIME', `invalid NEM timestamp ${value}`);
    return value;
  }
  return isoToNem(value);
}
