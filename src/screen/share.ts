/**
 * Tainted share of an account's balance at a time, from its history (binary search).
 *
 * "At time t" means the state before t: the last history event whose (running-max) NEM timestamp
 * is strictly below t — the deposit being screened at t is not yet applied. Without t, the latest
 * state. Before the first event the account held no taint (taint never flows backwards).
 */
import type { PolicyTaintEntry } from './index-types.js';

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
