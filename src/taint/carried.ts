/**
 * Taint carried per transfer under one policy, kept columnar: one row per transfer that carried
 * taint, rows sorted by the transfer's index in `TraceResult.transfers` (chain order). Amounts are
 * µXEM in a Float64Array (exact: a transfer moves less than 2^53 µXEM).
 *
 * `carriedOf(result, policy)` is the one way report writers and the index read per-transfer taint:
 * runTrace's results carry the columns; a hand-built result (a Map keyed by hash) is converted once.
 */
import { tableOf } from './table.js';
import type { CarriedTaint, Policy, TraceResult } from './types.js';

export type { CarriedTaint } from './types.js';

/** Row of transfer k in `c`, or −1 (binary search). */
export function carriedRow(c: CarriedTaint, k: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = c.k[mid];
    if (v === k) return mid;
    if (v < k) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Taint transfer k carried under `c` (0 when none). */
export function carriedAt(c: CarriedTaint, k: number): number {
  const row = carriedRow(c, k);
  return row < 0 ? 0 : c.amount[row];
}

const converted = new WeakMap<object, CarriedTaint>();

/** The per-transfer taint of `policy` as columns (undefined when the result lacks the policy). */
export function carriedOf(result: TraceResult, policy: Policy): CarriedTaint | undefined {
  const pr = result.policies[policy];
  if (pr === undefined) return undefined;
  if (pr.carried !== undefined) return pr.carried;
  let c = converted.get(pr);
  if (c === undefined) {
    const ks: number[] = [];
    const amounts: number[] = [];
    const table = tableOf(result);
    for (let k = 0; k < table.n; k++) {
      const x = pr.transferTaint.get(table.hashAt(k));
      if (x !== undefined && x > 0n) {
        ks.push(k);
        amounts.push(Number(x));
      }
    }
    c = { length: ks.length, k: Int32Array.from(ks), amount: Float64Array.from(amounts) };
    converted.set(pr, c);
  }
  return c;
}
