/**
 * The stored transfers of loaded columns as a list (the taint core's `TransferList`: length, at(k), iteration):
 * what a trace job hands on as `TraceResult.transfers` instead of a Transfer object per transfer (issue 10).
 *
 * It keeps the packed `d` values (segments.ts) raw — about the bytes of the transfers, no objects — and makes
 * the transfer of row k only when asked for: its segment is decoded whole (checked whole: TRACE_STORE_CORRUPT)
 * and kept (DECODED_SEGMENTS_KEPT, below), so each segment is decoded at most once. Row k is
 * where the columns put it (chain order, the window applied): `keyRow` says where it is among the segments.
 * A recorded block position (`position`, −1 = none) is set on the object as `loadTransfers` sets it.
 */
import type { Transfer } from '../nem/index.js';
import type { PackedTransfers } from './segment-cache.js';
import { decodeSegment, SEGMENT_SIZE } from './segments.js';
import { segKey } from './segment-cache.js';

/**
 * Decoded segments kept (each up to SEGMENT_SIZE objects): all of them, once decoded. A bounded cache made the
 * readers that pass over the rows several times (the CSV, the index's messages, the traced addresses, the exits'
 * memos) decode every segment again on each pass — 63 decodes per segment at 200k, and the strings those readers
 * keep (messages, addresses) are slices that pin each decode's whole string table: 3 GiB. Until those readers read
 * the columns, a segment is decoded once, as loadTransfers decoded it.
 */
export const DECODED_SEGMENTS_KEPT = Infinity;

export class StoredTransferList implements Iterable<Transfer> {
  readonly length: number;
  /** Segment index → its transfers, least recently used first. */
  private readonly decoded = new Map<number, Transfer[]>();
  /** Segments decoded so far (a re-decode after eviction counts again). */
  decodes = 0;

  constructor(
    private readonly packed: PackedTransfers,
    private readonly position: Int32Array | null = null,
  ) {
    this.length = packed.keyRow.length;
  }

  /** Transfer k as an object (undefined outside 0 ≤ k < length); the same object while its segment stays decoded. */
  at(k: number): Transfer | undefined {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) return undefined;
    const r = this.packed.keyRow[k];
    const s = this.segmentOf(r);
    const t = this.segment(s)[r - this.packed.starts[s]];
    if (this.position !== null && this.position[k] >= 0) t.position = this.position[k];
    return t;
  }

  *[Symbol.iterator](): Iterator<Transfer> {
    for (let k = 0; k < this.length; k++) yield this.at(k)!;
  }

  /** Bytes of the packed values held. */
  get packedBytes(): number {
    return this.packed.segments.reduce((n, b) => n + b.length, 0);
  }

  /** The segment holding key-order row r: full segments make it r / SEGMENT_SIZE; else a binary search. */
  private segmentOf(r: number): number {
    const { starts } = this.packed;
    const guess = Math.floor(r / SEGMENT_SIZE);
    if (guess < starts.length - 1 && starts[guess] <= r && r < starts[guess + 1]) return guess;
    let lo = 0;
    let hi = starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private segment(s: number): Transfer[] {
    let rows = this.decoded.get(s);
    if (rows !== undefined) {
      this.decoded.delete(s);
      this.decoded.set(s, rows);
      return rows;
    }
    rows = [];
    decodeSegment(this.packed.segments[s], segKey('d', s), rows);
    this.decodes++;
    if (this.decoded.size >= DECODED_SEGMENTS_KEPT) this.decoded.delete(this.decoded.keys().next().value!);
    this.decoded.set(s, rows);
    return rows;
  }
}
