/**
 * Block order for loaded columns (docs/taint-semantics.md, "Order"): the packed segments hold the transfers in
 * key order (height, timestamp, hash; keys.ts), which is chain order except within a height whose block
 * positions were recorded (`pos`). `toChainOrder` permutes the rows of each such height in place by the one
 * comparator, `compareChainOrder` (src/domain.ts), so the columns come out exactly in the order
 * `loadTransfers(…).sort(compareChainOrder)` gives.
 */
import { compareChainOrder, type ChainOrdered } from '../domain.js';
import type { StoreColumns } from './segment-cache.js';
import { hashAt } from './segment-cache.js';

/** A recorded block position: the transfer's chain key parts and its index in the block. */
export interface RecordedPosition {
  height: number;
  hash: string;
  position: number;
}

/** First row of `height` in the ascending `heights`, or `n` (binary search). */
function firstRow(heights: Int32Array, n: number, height: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (heights[mid] < height) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Reorder, in place, the rows of every height that has recorded positions (cols must carry hashes).
 * Returns how many rows moved.
 */
export function toChainOrder(cols: StoreColumns, positions: readonly RecordedPosition[]): number {
  if (positions.length === 0 || cols.n === 0) return 0;
  if (cols.hashes.length < 32 * cols.n) throw new TypeError('block order needs the hash column');
  let moved = 0;
  for (const [height, known] of byHeight(positions)) {
    const lo = firstRow(cols.height, cols.n, height);
    const hi = firstRow(cols.height, cols.n, height + 1);
    if (hi - lo < 2) continue;
    const rows: Array<ChainOrdered & { row: number }> = [];
    for (let k = lo; k < hi; k++) {
      const hash = hashAt(cols, k);
      rows.push({ height, timeStamp: cols.timeStamp[k], hash, position: known.get(hash), row: k });
    }
    rows.sort(compareChainOrder);
    if (rows.every((r, i) => r.row === lo + i)) continue;
    moved += permute(
      cols,
      lo,
      rows.map((r) => r.row),
    );
  }
  return moved;
}

/** Height → (hash → position) of the recorded positions. */
function byHeight(positions: readonly RecordedPosition[]): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  for (const p of positions) {
    let m = out.get(p.height);
    if (m === undefined) out.set(p.height, (m = new Map<string, number>()));
    m.set(p.hash, p.position);
  }
  return out;
}

/** Per row of `cols` (with hashes): its recorded block position, −1 where none is recorded. */
export function positionColumn(cols: StoreColumns, positions: readonly RecordedPosition[]): Int32Array {
  const out = new Int32Array(cols.n).fill(-1);
  for (const [height, known] of byHeight(positions)) {
    const hi = firstRow(cols.height, cols.n, height + 1);
    for (let k = firstRow(cols.height, cols.n, height); k < hi; k++) {
      const p = known.get(hashAt(cols, k));
      if (p !== undefined) out[k] = p;
    }
  }
  return out;
}

/** Rows lo.. of every column become the rows `order` (absolute indices within the same range). */
function permute(cols: StoreColumns, lo: number, order: readonly number[]): number {
  const m = order.length;
  const hi = lo + m;
  for (const col of [cols.amount, cols.fee, cols.timeStamp, cols.sender, cols.recipient] as const) {
    const copy = col.slice(lo, hi);
    for (let i = 0; i < m; i++) col[lo + i] = copy[order[i] - lo];
  }
  if (cols.packed) {
    const col = cols.packed.keyRow;
    const copy = col.slice(lo, hi);
    for (let i = 0; i < m; i++) col[lo + i] = copy[order[i] - lo];
  }
  const hashes = cols.hashes.slice(32 * lo, 32 * hi);
  for (let i = 0; i < m; i++) cols.hashes.set(hashes.subarray(32 * (order[i] - lo), 32 * (order[i] - lo) + 32), 32 * (lo + i));
  let moved = 0;
  for (let i = 0; i < m; i++) if (order[i] !== lo + i) moved++;
  return moved;
}
