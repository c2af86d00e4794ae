/**
 * The segment cache: a packed, chain-ordered copy of the `tx` records (README "Benchmarks", store), in the store's
 * `seg` sublevel. Segment i (SEGMENT_SIZE transfers, the last one fewer) is four values:
 *
 *   d:NNNNNNNNNN  the transfers (segments.ts)           → loadTransfers: Transfer objects; loadColumns with
 *                                                        `transfers`: kept raw, decoded when asked (transfer-list.ts)
 *   c:NNNNNNNNNN  the taint core's columns              → loadColumns: typed arrays, no objects
 *   h:NNNNNNNNNN  the hashes, raw                       (column-segments.ts)
 *   a:NNNNNNNNNN  the addresses first seen in segment i (their ids follow on from segment i − 1's)
 *   stamp         SegmentStamp JSON: present = the segments are current
 *
 * Current means: the stamp is there and names the first and last chain key of `tx`. Two ways keep
 * them so:
 *  - appending: a transfer batch whose new transfers all come after the last stored block (an import
 *    in chain order, new blocks) extends the segments and rewrites the stamp IN THE SAME atomic batch
 *    as its records (`planAppend`); the last segment, when not full, is rewritten with them.
 *  - rebuilding: any other transfer batch deletes the stamp in its own batch; the next load scans the
 *    records in chain order and rewrites the segments (several unsynced batches, the first deleting
 *    the stamp, the stamp last in a synced batch, so a crash leaves no stamp). A rebuild stamps only if
 *    no transfer batch was written (or in flight) since its scan's snapshot; transfer batches wait for
 *    a stamp write in flight. A program that writes `tx` without the Store must delete `!seg!stamp`.
 * Read-only, nothing is written: current segments are read, otherwise the columns are built in memory.
 * A damaged segment (TRACE_STORE_CORRUPT) counts as not current.
 */
import type { AbstractSublevel } from 'abstract-level';
import type { Level } from 'level';
import type { Columns } from '../domain.js';
import { isTracerError } from '../errors.js';
import type { Transfer } from '../nem/index.js';
import {
  COLUMN_BYTES,
  columnsCount,
  decodeAddressesInto,
  decodeColumnsInto,
  decodeHashesInto,
  encodeAddresses,
  encodeColumns,
  encodeHashes,
} from './column-segments.js';
import { decodeTransfer } from './records.js';
import { decodeSegment, encodeSegment, packedCount, SEGMENT_SIZE, SEGMENTS_SUPPORTED } from './segments.js';
import { chainKey } from './keys.js';

type Db = Level<string, string>;
type Sub = AbstractSublevel<Db, string | Buffer | Uint8Array, string, string>;
export type SegSub = AbstractSublevel<Db, string | Buffer | Uint8Array, string, Buffer>;
type Snapshot = ReturnType<Db['snapshot']>;
interface RecordIterator {
  nextv(size: number): Promise<Array<[string, string]>>;
  close(): Promise<void>;
}

/** Layout version of the cache as a whole (stamp `v`): 2 = d, c, h and a values per segment. */
export const CACHE_V = 2;
const STAMP = 'stamp';
const KINDS = ['a', 'c', 'd', 'h'] as const;
type Kind = (typeof KINDS)[number];
export const segKey = (kind: Kind, i: number): string => `${kind}:${String(i).padStart(10, '0')}`;
/** Segments per unsynced batch while rebuilding. */
const SEGMENTS_PER_BATCH = 8;
const SCAN_CHUNK = 1000;

/** What the stamp says: `segments` segments hold `transfers` transfers (tx keys firstKey..lastKey), `addresses` ids. */
export interface SegmentStamp {
  v: number;
  size: number;
  segments: number;
  transfers: number;
  addresses: number;
  /** Transfers in the last segment (0 when there is none). */
  tail: number;
  firstKey: string;
  lastKey: string;
}

/** The taint core's columns (src/taint/columns.ts) as the store loads them, with the address table. */
export interface StoreColumns extends Columns {
  /** Number of address ids (every address of the store, also those only outside the window). */
  accounts: number;
  /** Address id → address (ids: order of first appearance in key order — height, timestamp, hash — over the whole store). */
  addresses: string[];
  /** 32 raw bytes per transfer (`hashAt`); empty when loaded with `hashes: false`. */
  hashes: Uint8Array;
  /** With `transfers: true`: where each row's transfer is in the packed `d` values, kept raw. */
  packed?: PackedTransfers;
}

/** The `d` values of the loaded segments, raw, and where each row is among them. */
export interface PackedTransfers {
  /** Segment i's `d` value. */
  segments: Buffer[];
  /** First key-order row of segment i (ascending; segments.length + 1 entries, the last = all rows). */
  starts: Int32Array;
  /** Per row: its place in key order over all segments (rows are key order but for block order and the window). */
  keyRow: Int32Array;
}

export interface LoadColumnsOptions {
  /** Keep only transfers with timeStamp < windowTo. */
  windowTo?: number | null;
  /** Load the hash column too (default true). */
  hashes?: boolean;
  /** Keep the packed transfers too (`packed`: the transfer-list.ts reads them), default false. */
  transfers?: boolean;
}

const EMPTY: SegmentStamp = { v: CACHE_V, size: SEGMENT_SIZE, segments: 0, transfers: 0, addresses: 0, tail: 0, firstKey: '', lastKey: '' };

/** Address → id, numbering new addresses as they come. */
class AddressIds {
  readonly ids = new Map<string, number>();
  private next = 0;
  /** Addresses numbered since the last `take`. */
  private fresh: string[] = [];
  id(a: string): number {
    let i = this.ids.get(a);
    if (i === undefined) {
      i = this.next++;
      this.ids.set(a, i);
      this.fresh.push(a);
    }
    return i;
  }
  take(): string[] {
    const f = this.fresh;
    this.fresh = [];
    return f;
  }
  get size(): number {
    return this.next;
  }
}

/** The four values of one segment of `rows` (chain order), numbering addresses with `ids`. */
function encodeSet(rows: readonly Transfer[], ids: AddressIds, carried: readonly string[] = []): Record<Kind, Buffer> {
  const n = rows.length;
  const cols = {
    amount: new Float64Array(n),
    fee: new Float64Array(n),
    height: new Int32Array(n),
    timeStamp: new Int32Array(n),
    sender: new Uint32Array(n),
    recipient: new Uint32Array(n),
  };
  const hashes = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    const t = rows[k];
    if (t.height > 0x7fffffff || t.timeStamp > 0x7fffffff) throw new RangeError(`transfer ${t.hash}: height or timeStamp beyond int32`);
    cols.amount[k] = t.amount;
    cols.fee[k] = t.fee;
    cols.height[k] = t.height;
    cols.timeStamp[k] = t.timeStamp;
    cols.sender[k] = ids.id(t.sender);
    cols.recipient[k] = ids.id(t.recipient);
    hashes[k] = t.hash;
  }
  return { d: encodeSegment(rows), c: encodeColumns(cols, n), h: encodeHashes(hashes), a: encodeAddresses([...carried, ...ids.take()]) };
}

/** Where segment values are read from: a LevelDB snapshot, or a map built in memory. */
type Source = (kind: Kind, count: number) => AsyncIterable<[string, Buffer]> | Iterable<[string, Buffer]>;

export class SegmentCache {
  /** Bumped by every transfer batch (before its write); a rebuild stamps only an unchanged generation. */
  gen = 0;
  /** Transfer batches being written. */
  inflight = 0;
  /** The stamp write in flight, if any (transfer batches wait for it). */
  private stampPending: Promise<void> | null = null;
  private rebuilding = false;
  /** Known state: current (with the stamp, and the address ids once an append needed them), stale, or unknown. */
  private state: { stamp: SegmentStamp; ids?: AddressIds } | 'stale' | 'unknown' = 'unknown';

  constructor(
    private readonly db: Db,
    private readonly seg: SegSub,
    private readonly tx: Sub,
    private readonly readOnly: boolean,
  ) {}

  // ------------------------------------------------------------ reading

  /** Every transfer in chain order (timeStamp < windowTo when given), from the segments when they can be. */
  async loadTransfers(windowTo: number | null, useSegments: boolean): Promise<Transfer[]> {
    if (useSegments && SEGMENTS_SUPPORTED) {
      const got = await this.read(async (stamp, source) => {
        const out: Transfer[] = [];
        let transfers = 0;
        for await (const [key, value] of source('d', stamp.segments)) transfers += decodeSegment(value, key, out, windowTo);
        return transfers === stamp.transfers ? out : null;
      });
      if (got !== null) return got;
    }
    const out: Transfer[] = [];
    await this.scanRecords(this.tx.iterator(), (rows) => {
      for (const t of rows) if (windowTo === null || t.timeStamp < windowTo) out.push(t);
    });
    return out;
  }

  /** The core's columns (and the address table) in chain order, without a Transfer object per transfer. */
  async loadColumns(options: LoadColumnsOptions = {}): Promise<StoreColumns> {
    if (!SEGMENTS_SUPPORTED) throw new Error('column segments need a little-endian host');
    const windowTo = options.windowTo ?? null;
    const withHashes = options.hashes !== false;
    const withTransfers = options.transfers === true;
    const fromSegments = (stamp: SegmentStamp, source: Source) => readColumns(stamp, source, withHashes, withTransfers);
    let cols = await this.read(fromSegments);
    if (cols === null) {
      // Read-only, or a rebuild raced by a transfer batch: build the column values in memory.
      const memory = new Map<string, Buffer>();
      const ids = new AddressIds();
      let segments = 0;
      let transfers = 0;
      let firstKey = '';
      let lastKey = '';
      await this.scanRecords(this.tx.iterator(), (rows) => {
        const set = encodeSet(rows, ids);
        for (const kind of withTransfers ? KINDS : (['a', 'c', 'h'] as const)) memory.set(segKey(kind, segments), set[kind]);
        segments++;
        transfers += rows.length;
        if (firstKey === '') firstKey = chainKey(rows[0]);
        lastKey = chainKey(rows[rows.length - 1]);
      });
      const stamp: SegmentStamp = { ...EMPTY, segments, transfers, addresses: ids.size, firstKey, lastKey };
      cols = await fromSegments(stamp, function* (kind, count) {
        for (let i = 0; i < count; i++) yield [segKey(kind, i), memory.get(segKey(kind, i))!];
      });
      if (cols === null) throw new Error('columns built in memory do not add up');
    }
    return windowTo === null ? cols : cutWindow(cols, windowTo);
  }

  /**
   * `fn` over current segments: read them if the stamp is current, else rebuild them first (unless
   * read-only or a rebuild or transfer batch is under way). Null when there are none to read, or they
   * turn out damaged.
   */
  private async read<T>(fn: (stamp: SegmentStamp, source: Source) => Promise<T | null>): Promise<T | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      // One snapshot for the stamp, the tx end keys and the segments: a rebuild deletes the stamp in
      // its first batch and puts it back in its last, so a snapshot holding a stamp holds its segments.
      const snapshot = this.db.snapshot();
      try {
        const stamp = await this.currentStamp(snapshot);
        if (stamp !== null) {
          const got = await fn(stamp, this.snapshotSource(snapshot)).catch((err: unknown) => {
            if (isTracerError(err, 'TRACE_STORE_CORRUPT')) return null; // a damaged cache: rebuild it
            throw err;
          });
          if (got !== null) return got;
        }
      } finally {
        await snapshot.close();
      }
      if (attempt > 0 || !(await this.rebuild())) return null;
    }
    return null;
  }

  private snapshotSource(snapshot: Snapshot): Source {
    const seg = this.seg;
    return async function* (kind, count) {
      const it = seg.iterator({ gte: segKey(kind, 0), lt: segKey(kind, count), snapshot });
      let next: Promise<Array<[string, Buffer]>> | null = null;
      let i = 0;
      try {
        next = it.nextv(8);
        for (;;) {
          const entries: Array<[string, Buffer]> = await next;
          next = null;
          if (entries.length === 0) break;
          next = it.nextv(8); // read the next values while these decode
          for (const [key, value] of entries) {
            if (key !== segKey(kind, i++)) throw new Error(`segment ${segKey(kind, i - 1)} is missing`);
            yield [key, value];
          }
        }
        if (i !== count) throw new Error(`segment ${segKey(kind, i)} is missing`);
      } finally {
        await next?.catch(() => undefined);
        await it.close();
      }
    };
  }

  /** The stamp if it is current in `snapshot` (and a layout this code reads), else null. */
  private async currentStamp(snapshot: Snapshot): Promise<SegmentStamp | null> {
    const raw = await this.seg.get(STAMP, { snapshot });
    if (raw === undefined) return null;
    const stamp = parseStamp(raw);
    if (stamp === null) return null;
    const [first] = await this.tx.keys({ limit: 1, snapshot }).all();
    const [last] = await this.tx.keys({ reverse: true, limit: 1, snapshot }).all();
    return (first ?? '') === stamp.firstKey && (last ?? '') === stamp.lastKey ? stamp : null;
  }

  /**
   * The stored transfers in chain order, in chunks of up to SEGMENT_SIZE, from `it` (a tx iterator,
   * whose snapshot is taken when it is created).
   */
  private async scanRecords(it: RecordIterator, fn: (rows: Transfer[]) => void | Promise<void>): Promise<void> {
    let rows: Transfer[] = [];
    try {
      for (;;) {
        const entries = await it.nextv(SCAN_CHUNK);
        if (entries.length === 0) break;
        for (const [key, value] of entries) {
          rows.push(decodeTransfer(value, key));
          if (rows.length === SEGMENT_SIZE) {
            await fn(rows);
            rows = [];
          }
        }
      }
      if (rows.length > 0) await fn(rows);
    } finally {
      await it.close();
    }
  }

  // ------------------------------------------------------------ writing

  /** Rewrite every segment from the records. True if it stamped them (they are current now). */
  private async rebuild(): Promise<boolean> {
    if (this.readOnly || this.rebuilding || this.inflight !== 0) return false;
    // The scan's iterator (its snapshot) is created synchronously: with no transfer batch in flight,
    // `gen` names exactly the state it reads.
    const gen = this.gen;
    const it = this.tx.iterator();
    this.rebuilding = true;
    this.state = 'stale';
    const opts = { sublevel: this.seg } as never;
    let b = this.db.batch();
    b.del(STAMP, opts);
    const ids = new AddressIds();
    let segments = 0;
    let transfers = 0;
    let tail = 0;
    let firstKey = '';
    let lastKey = '';
    let raced = false;
    try {
      await this.scanRecords(it, async (rows) => {
        if (raced) return;
        const set = encodeSet(rows, ids);
        for (const kind of KINDS) b.put(segKey(kind, segments), set[kind] as never, opts);
        segments++;
        transfers += rows.length;
        tail = rows.length;
        if (firstKey === '') firstKey = chainKey(rows[0]);
        lastKey = chainKey(rows[rows.length - 1]);
        if (segments % SEGMENTS_PER_BATCH === 0) {
          await b.write();
          b = this.db.batch();
          if (this.gen !== gen) raced = true; // a transfer batch landed: these segments are already stale
        }
      });
      if (raced) return false;
      if (b.length > 0) await b.write();
    } finally {
      await b.close(); // a no-op after write()
      this.rebuilding = false;
    }
    if (this.gen !== gen || this.inflight !== 0) return false;
    const stamp: SegmentStamp = { ...EMPTY, segments, transfers, addresses: ids.size, tail, firstKey, lastKey };
    const last = this.db.batch();
    for (const kind of KINDS) for await (const key of this.seg.keys({ gte: segKey(kind, segments), lt: `${kind};` })) last.del(key, opts);
    last.put(STAMP, Buffer.from(JSON.stringify(stamp)) as never, opts);
    const pending = last.write({ sync: true });
    this.stampPending = pending;
    try {
      await pending;
    } finally {
      this.stampPending = null;
    }
    this.state = { stamp };
    return true;
  }

  /** Transfer batches wait for a stamp write in flight. */
  async settled(): Promise<void> {
    while (this.stampPending) await this.stampPending.catch(() => undefined);
  }

  /**
   * The segment writes that keep the cache current when `fresh` (transfers not stored yet, distinct
   * hashes) is written: appended segments and the new stamp, or `invalidate` (delete the stamp) when
   * they do not all come after the last stored block. Call `committed(plan)` once the batch is written.
   */
  /** A plan that only marks the segments stale (a batch that deletes transfers). Call `committed(plan)` after. */
  invalidation(): AppendPlan {
    return { puts: [], del: [STAMP], next: 'stale' };
  }

  async planAppend(fresh: readonly Transfer[], keys?: readonly string[]): Promise<AppendPlan> {
    const invalidate: AppendPlan = { puts: [], del: [STAMP], next: 'stale' };
    if (this.readOnly || !SEGMENTS_SUPPORTED || this.rebuilding) return invalidate;
    if (this.state === 'unknown') await this.resolve();
    const state = this.state;
    if (state === 'stale' || state === 'unknown') return invalidate;
    const keyed = fresh.map((t, i) => ({ t, key: keys === undefined ? chainKey(t) : keys[i] }));
    // An import's batch comes in key order already: sort only when it does not.
    if (keyed.some((x, i) => i > 0 && keyed[i - 1].key > x.key)) keyed.sort((x, y) => cmp(x.key, y.key));
    const rows = keyed.map((x) => x.t);
    const { stamp } = state;
    // After the last stored block only: a block's order is the chain's (positions), not the keys'.
    if (stamp.transfers > 0 && (rows[0].height <= Number(stamp.lastKey.slice(0, 10)) || keyed[0].key <= stamp.lastKey)) return invalidate;
    if (rows.some((t) => t.height > 0x7fffffff || t.timeStamp > 0x7fffffff)) return invalidate;
    const ids = state.ids ?? (await this.loadIds(stamp));
    const puts: Array<[string, Buffer]> = [];
    let segments = stamp.segments;
    let all = rows;
    let carried: string[] = [];
    if (stamp.tail > 0 && stamp.tail < SEGMENT_SIZE) {
      // Reopen the last segment: its transfers first, then the new ones; its addresses keep their ids.
      segments--;
      const old: Transfer[] = [];
      const [d, a] = await Promise.all([this.seg.get(segKey('d', segments)), this.seg.get(segKey('a', segments))]);
      if (d === undefined || a === undefined) return invalidate;
      try {
        decodeSegment(d, segKey('d', segments), old);
        decodeAddressesInto(a, segKey('a', segments), carried);
      } catch (err) {
        if (isTracerError(err, 'TRACE_STORE_CORRUPT')) return invalidate;
        throw err;
      }
      all = [...old, ...rows];
    }
    let tail = stamp.tail;
    for (let i = 0; i < all.length; i += SEGMENT_SIZE) {
      const chunk = all.slice(i, i + SEGMENT_SIZE);
      const set = encodeSet(chunk, ids, carried);
      carried = [];
      for (const kind of KINDS) puts.push([segKey(kind, segments), set[kind]]);
      segments++;
      tail = chunk.length;
    }
    const next: SegmentStamp = {
      ...stamp,
      segments,
      transfers: stamp.transfers + rows.length,
      addresses: ids.size,
      tail,
      firstKey: stamp.transfers === 0 ? keyed[0].key : stamp.firstKey,
      lastKey: keyed[keyed.length - 1].key,
    };
    puts.push([STAMP, Buffer.from(JSON.stringify(next))]);
    return { puts, del: [], next: { stamp: next, ids } };
  }

  /** The batch carrying `plan` was written (or, with `ok` false, failed: the state is unknown). */
  committed(plan: AppendPlan, ok: boolean): void {
    this.state = ok ? plan.next : 'unknown';
  }

  private async resolve(): Promise<void> {
    const snapshot = this.db.snapshot();
    try {
      const stamp = await this.currentStamp(snapshot);
      if (stamp !== null) this.state = { stamp };
      else {
        const [first] = await this.tx.keys({ limit: 1, snapshot }).all();
        this.state = first === undefined ? { stamp: EMPTY } : 'stale';
      }
    } finally {
      await snapshot.close();
    }
  }

  private async loadIds(stamp: SegmentStamp): Promise<AddressIds> {
    const addresses: string[] = [];
    for await (const [key, value] of this.seg.iterator({ gte: segKey('a', 0), lt: segKey('a', stamp.segments) }))
      decodeAddressesInto(value, key, addresses);
    const ids = new AddressIds();
    for (const a of addresses) ids.id(a);
    ids.take();
    return ids;
  }
}

export interface AppendPlan {
  /** Values to put into `seg` in the transfer batch. */
  puts: Array<[string, Buffer]>;
  /** Keys to delete from `seg` in the transfer batch. */
  del: string[];
  next: { stamp: SegmentStamp; ids: AddressIds } | 'stale';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseStamp(raw: Buffer): SegmentStamp | null {
  let s: SegmentStamp;
  try {
    s = JSON.parse(raw.toString('utf8')) as SegmentStamp;
  } catch {
    return null;
  }
  const int = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (
    typeof s !== 'object' ||
    s === null ||
    s.v !== CACHE_V ||
    s.size !== SEGMENT_SIZE ||
    !int(s.segments) ||
    !int(s.transfers) ||
    !int(s.addresses) ||
    !int(s.tail) ||
    typeof s.firstKey !== 'string' ||
    typeof s.lastKey !== 'string'
  )
    return null;
  return s;
}

/**
 * Read the columns of every segment named by `stamp`; null when the counts disagree with it.
 *
 * The packed transfers first and the addresses last: reading GiBs of values grows Node's external memory, and each
 * step of that growth makes V8 collect its heap; with every address already a string on it (1.25M at 10M transfers)
 * those collections took 5 of the 12 s a 10M load took. The address ids are checked against the stamp's count.
 */
async function readColumns(stamp: SegmentStamp, source: Source, withHashes: boolean, withTransfers: boolean): Promise<StoreColumns | null> {
  const segments: Buffer[] = [];
  const counts: number[] = [];
  if (withTransfers) {
    for await (const [key, value] of source('d', stamp.segments)) {
      // the count only: the transfers are decoded (and checked whole) when asked for (transfer-list.ts)
      counts.push(packedCount(value, key));
      segments.push(value);
    }
  }
  const n = stamp.transfers;
  const cols: StoreColumns = {
    n,
    accounts: stamp.addresses,
    addresses: [],
    amount: new Float64Array(n),
    fee: new Float64Array(n),
    height: new Int32Array(n),
    timeStamp: new Int32Array(n),
    sender: new Int32Array(n),
    recipient: new Int32Array(n),
    hashes: new Uint8Array(withHashes ? 32 * n : 0),
  };
  const starts: number[] = [];
  let at = 0;
  for await (const [key, value] of source('c', stamp.segments)) {
    if (at + columnsCount(value, key) > n) return null;
    starts.push(at);
    at += decodeColumnsInto(value, key, cols, at, stamp.addresses);
  }
  if (at !== n) return null;
  if (withHashes) {
    let i = 0;
    for await (const [key, value] of source('h', stamp.segments)) {
      const rows = decodeHashesInto(value, key, cols.hashes, starts[i]);
      if (rows !== (starts[i + 1] ?? n) - starts[i]) return null;
      i++;
    }
  }
  if (withTransfers) {
    if (counts.length !== starts.length) return null;
    for (let i = 0; i < counts.length; i++) if (counts[i] !== (starts[i + 1] ?? n) - starts[i]) return null;
    const keyRow = new Int32Array(n);
    for (let k = 0; k < n; k++) keyRow[k] = k;
    cols.packed = { segments, starts: Int32Array.from([...starts, n]), keyRow };
  }
  for await (const [key, value] of source('a', stamp.segments)) decodeAddressesInto(value, key, cols.addresses);
  if (cols.addresses.length !== stamp.addresses) return null;
  return cols;
}

/** Keep the rows with timeStamp < windowTo (in place: the columns are the caller's). */
function cutWindow(cols: StoreColumns, windowTo: number): StoreColumns {
  const { n, timeStamp } = cols;
  let kept = 0;
  for (let k = 0; k < n; k++) if (timeStamp[k] < windowTo) kept++;
  if (kept === n) return cols;
  const hashes = cols.hashes.length > 0;
  let w = 0;
  for (let k = 0; k < n; k++) {
    if (!(timeStamp[k] < windowTo)) continue;
    if (w !== k) {
      cols.amount[w] = cols.amount[k];
      cols.fee[w] = cols.fee[k];
      cols.height[w] = cols.height[k];
      cols.timeStamp[w] = cols.timeStamp[k];
      cols.sender[w] = cols.sender[k];
      cols.recipient[w] = cols.recipient[k];
      if (hashes) cols.hashes.copyWithin(32 * w, 32 * k, 32 * k + 32);
      if (cols.packed) cols.packed.keyRow[w] = cols.packed.keyRow[k];
    }
    w++;
  }
  return {
    ...cols,
    n: kept,
    amount: cols.amount.subarray(0, kept),
    fee: cols.fee.subarray(0, kept),
    height: cols.height.subarray(0, kept),
    timeStamp: cols.timeStamp.subarray(0, kept),
    sender: cols.sender.subarray(0, kept),
    recipient: cols.recipient.subarray(0, kept),
    hashes: hashes ? cols.hashes.subarray(0, 32 * kept) : cols.hashes,
    ...(cols.packed ? { packed: { ...cols.packed, keyRow: cols.packed.keyRow.subarray(0, kept) } } : {}),
  };
}

/** The hash of row k (64 lower-case hex). */
export function hashAt(cols: Pick<StoreColumns, 'hashes'>, k: number): string {
  if (32 * k + 32 > cols.hashes.length) throw new RangeError(`no hash for row ${k} (loaded with hashes: false?)`);
  return Buffer.from(cols.hashes.buffer, cols.hashes.byteOffset + 32 * k, 32).toString('hex');
}

export { COLUMN_BYTES };
