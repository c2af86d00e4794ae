/**
 * Tainted share of an account's balance at a time, from its history (binary search).
 *
 * "At time t" means the state before t: the last history event whose (running-max) NEM timestamp
 * is strictly below t — the deposit being screened at t is not yet applied. Without t, the latest
 * state. Before the first event the account held no taint (taint never flows backwards).
 */
import { POLICIES, type Policy } from '../domain.js';
import type { PolicyTaintEntry } from './index-types.js';
import type { TaintIndex } from './packed.js';

/** Index of the last event with historyTime < t, or -1. */
export function lastEventBefore(times: Int32Array, t: number): number {
  let lo = 0;
  let hi = times.length; // first index with times[i] >= t
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Balance and tainted balance of the account under one policy at `time` (latest when undefined). */
export function stateAt(entry: PolicyTaintEntry, time: number | undefined): { tainted: boolean; balance: bigint; taintedBalance: bigint } {
  const n = entry.historyTime.length;
  if (time === undefined) {
    if (n === 0) return { tainted: true, balance: entry.balance, taintedBalance: entry.held };
    return { tainted: true, balance: entry.historyBalance[n - 1], taintedBalance: entry.historyTainted[n - 1] };
  }
  if (n === 0) {
    const tainted = entry.firstTaintedAt < time;
    return { tainted, balance: tainted ? entry.balance : 0n, taintedBalance: tainted ? entry.held : 0n };
  }
  const i = lastEventBefore(entry.historyTime, time);
  if (i < 0) return { tainted: false, balance: 0n, taintedBalance: 0n };
  return { tainted: true, balance: entry.historyBalance[i], taintedBalance: entry.historyTainted[i] };
}

/** tainted / balance as a float in [0, 1] (0 when the balance is 0), floored to 9 decimals. */
export function shareNumber(taintedBalance: bigint, balance: bigint): number {
  if (balance <= 0n || taintedBalance <= 0n) return 0;
  if (taintedBalance >= balance) return 1;
  return Number((taintedBalance * 1_000_000_000n) / balance) / 1e9;
}

/** Position of each policy in POLICIES: the bit of a packed entry mask (packed.ts). */
export const POLICY_INDEX: Readonly<Record<Policy, number>> = Object.fromEntries(POLICIES.map((p, i) => [p, i])) as Record<Policy, number>;

/** shareNumber on safe-integer amounts: the same float, exact, without bigints where the products fit. */
export function shareOf(taintedBalance: number, balance: number): number {
  if (balance <= 0 || taintedBalance <= 0) return 0;
  if (taintedBalance >= balance) return 1;
  const a = taintedBalance * 1e9;
  if (a <= 2 ** 52) return floorDiv(a, balance) / 1e9;
  if (balance > LONG_DIVISION_MAX) return shareNumber(BigInt(taintedBalance), BigInt(balance));
  // floor(t · 10^9 / b) by long division in base 1000: each remainder r < b, so r · 1000 stays exact
  let q = 0;
  let r = taintedBalance;
  for (let k = 0; k < 3; k++) {
    r *= 1000;
    const d = floorDiv(r, balance);
    r -= d * balance;
    q = q * 1000 + d;
  }
  return q / 1e9;
}

/** Above this balance r · 1000 (r < balance) may leave the safe-integer range. */
const LONG_DIVISION_MAX = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

/** floor(a / b) for safe integers a ≥ 0, b > 0 whose product terms stay exact: the float quotient can only round up onto an integer. */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  return q;
}

/** Index of the last event in `times[start, start + n)` below t, relative to `start`; -1 when none. */
export function lastEventBeforeIn(times: Int32Array, start: number, n: number, t: number): number {
  let lo = start;
  let hi = start + n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1 - start;
}

/** stateAt on a packed entry (packed.ts slot). */
export function stateAtSlot(
  index: TaintIndex,
  slot: number,
  time: number | undefined,
): { tainted: boolean; balance: bigint; taintedBalance: bigint } {
  const n = index.a.histLen[slot];
  if (time === undefined) {
    if (n === 0) return { tainted: true, balance: index.balance(slot), taintedBalance: index.held(slot) };
    return { tainted: true, balance: index.historyBalance(slot, n - 1), taintedBalance: index.historyTainted(slot, n - 1) };
  }
  if (n === 0) {
    const tainted = index.a.firstTaintedAt[slot] < time;
    return { tainted, balance: tainted ? index.balance(slot) : 0n, taintedBalance: tainted ? index.held(slot) : 0n };
  }
  const i = lastEventBeforeIn(index.a.evTime, index.a.histStart[slot], n, time);
  if (i < 0) return { tainted: false, balance: 0n, taintedBalance: 0n };
  return { tainted: true, balance: index.historyBalance(slot, i), taintedBalance: index.historyTainted(slot, i) };
}
