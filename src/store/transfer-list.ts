/**
 * The stored transfers of loaded columns as a list (the taint core's `TransferList`: length, at(k), iteration,
 * and the row fields of nem/transfer-fields.ts): what a trace job hands on as `TraceResult.transfers` instead of a
 * Transfer object per transfer (issue 10).
 *
 * It keeps the packed `d` values (segments.ts) raw — about the bytes of the transfers, no objects. A row's field
 * (`messageAt(k)`, `innerHashAt(k)`, …) is read from its segment's view (a SegmentView: the segment checked whole
 * once — TRACE_STORE_CORRUPT — then read in place), without an object; the transfer of row k is made only when
 * `at(k)` asks, its segment's transfers made together and kept (DECODED_SEGMENTS_KEPT). Row k is where the columns
 * put it (chain order, the window applied): `keyRow` says where it is among the segments. A recorded block position
 * (`position`, −1 = none) is set on the object as `loadTransfers` sets it.
 */
import type { MovedMosaic, Transfer, TransferFields } from '../nem/index.js';
import type { PackedTransfers } from './segment-cache.js';
import { SEGMENT_SIZE, SegmentView } from './segments.js';
import { segKey } from './segment-cache.js';

/**
 * Segments whose transfers are kept as objects once `at(k)` made them (least recently used dropped). Objects are for
 * the few rows a reader wants whole (the seeds, a listed transfer); a reader of many rows reads their fields, which
 * make no objects. (Before the fields, every segment's objects were kept — about 1 GB at 1M transfers — because the
 * readers passed over all rows as objects several times.)
 */
export const DECODED_SEGMENTS_KEPT = 8;
/**
 * Segment views kept (the fields' readers; least recently used dropped). A view is its segment's bytes (held anyway)
 * and about 40 KiB of tables (plus 96 KiB of time text once `timeAt` is read): README "Benchmarks", transfer list.
 * A reader in row order needs one; readers that come back (one pass per policy) or jump find theirs kept.
 */
export const VIEWS_KEPT = 1024;

export class StoredTransferList implements Iterable<Transfer>, TransferFields {
  readonly length: number;
  /** Segment index → its transfers, least recently used first. */
  private readonly decoded = new Map<number, Transfer[]>();
  /** Segment index → its view, least recently used first. */
  private readonly views = new Map<number, SegmentView>();
  /** The view `seek` moved to last, its segment and the segment's first key-order row: consecutive rows share one. */
  private current: { s: number; view: SegmentView; first: number; end: number } | null = null;
  /** Segments decoded into objects so far (a re-decode after eviction counts again). */
  decodes = 0;
  /** Segment views made so far (a remake after eviction counts again). */
  viewsMade = 0;

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

  /** Row k's recorded block position (`at(k).position`), undefined when none is recorded. */
  positionAt(k: number): number | undefined {
    const p = this.position === null ? -1 : this.position[k];
    return p >= 0 ? p : undefined;
  }

  *[Symbol.iterator](): Iterator<Transfer> {
    for (let k = 0; k < this.length; k++) yield this.at(k)!;
  }

  messageAt(k: number): string | null {
    const i = this.seek(k);
    return this.current!.view.messageAt(i);
  }

  messageTypeAt(k: number): number {
    const i = this.seek(k);
    return this.current!.view.messageTypeAt(i);
  }

  innerHashAt(k: number): string | null {
    const i = this.seek(k);
    return this.current!.view.innerHashAt(i);
  }

  typeAt(k: number): number {
    const i = this.seek(k);
    return this.current!.view.typeAt(i);
  }

  timeAt(k: number): string {
    const i = this.seek(k);
    return this.current!.view.timeAt(i);
  }

  mosaicsAt(k: number): MovedMosaic[] {
    const i = this.seek(k);
    return this.current!.view.mosaicsAt(i);
  }

  signerAt(k: number): string {
    const i = this.seek(k);
    return this.current!.view.signerAt(i);
  }

  /** Bytes of the packed values held. */
  get packedBytes(): number {
    return this.packed.segments.reduce((n, b) => n + b.length, 0);
  }

  /** Makes `current` the view of row k's segment; returns k's row in it (RangeError outside 0 ≤ k < length). */
  private seek(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.length) throw new RangeError(`no transfer at row ${k} (of ${this.length})`);
    const r = this.packed.keyRow[k];
    const c = this.current;
    if (c !== null && c.first <= r && r < c.end) return r - c.first;
    return r - this.viewOf(this.segmentOf(r)).first;
  }

  /** Segment s's view (made and checked whole when not kept), as `current`. */
  private viewOf(s: number): NonNullable<StoredTransferList['current']> {
    const { starts } = this.packed;
    let view = this.views.get(s);
    if (view !== undefined) this.views.delete(s);
    else {
      view = new SegmentView(this.packed.segments[s], segKey('d', s));
      this.viewsMade++;
      if (this.views.size >= VIEWS_KEPT) this.views.delete(this.views.keys().next().value!);
    }
    this.views.set(s, view);
    return (this.current = { s, view, first: starts[s], end: starts[s + 1] });
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
    this.viewOf(s).view.pushTransfers(rows);
    this.decodes++;
    if (this.decoded.size >= DECODED_SEGMENTS_KEPT) this.decoded.delete(this.decoded.keys().next().value!);
    this.decoded.set(s, rows);
    return rows;
  }
}
