/**
 * The LevelDB store (docs/architecture.md §1): one `level` database in a directory, one sublevel per entity.
 *
 *   tx       chain key (height:timestamp:hash)  → transfer record (canonical JSON array, records.ts)
 *   hash     hash                                → chain key          (transfers by hash)
 *   out, in  address:chain key                   → ''                 (per-account lists, chain order)
 *   account  address                             → AccountRecord      (reached / expanded, hop, exit)
 *   cursor   address:list                        → CursorRecord       (paging state, completeness marker)
 *   label    address                             → Label
 *   manifest id                                  → manifest JSON
 *   meta     name                                → JSON               (crawl parameters, chain height)
 *   seg      d:NNNNNNNNNN                        → packed segment     (derived: 4,096 transfers each, segments.ts)
 *            stamp                               → SegmentStamp JSON  (present = the segments are current)
 *   <other>  whatever a caller keeps in `sublevel(name)` (JSON values), e.g. 'taint-index'
 *
 * Every value is UTF-8 JSON text, so a sublevel opened elsewhere with `valueEncoding: 'json'` (as
 * src/screen/open-index.ts does) reads and writes the same bytes. Crawl pages go in through
 * `writeBatch`: one atomic LevelDB batch, written with `sync: true`. One process at a time: a
 * second open of the directory fails with TRACE_STORE_LOCKED.
 *
 * `seg` is a cache of `tx` in chain order, packed (README "Benchmarks", store): `loadTransfers` reads it when its
 * stamp is present and still names the first and last chain key of `tx`; otherwise it reads the
 * records and (unless read-only) rewrites the segments — several unsynced batches, the first deleting
 * the stamp, then the stamp in a final synced batch, so a crash in between leaves no stamp and the
 * next load reads the records again. Every `writeBatch` that carries transfers deletes the stamp in
 * its own atomic batch. Within the process, a rebuild writes its stamp only if no transfer batch was
 * written (or in flight) since its scan's snapshot, and transfer batches wait for a stamp write in
 * flight. A program that writes `tx` without the Store must delete `!seg!stamp` too.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level';
import { TracerError } from '../errors.js';
import type { Transfer } from '../nem/types.js';
import type { Label } from '../domain.js';
import { chainKey, cursorKey, decodeCursorKey, accountRange, type CursorList } from './keys.js';
import { corrupt, decodeAccount, decodeCursor, decodeTransfer, encodeTransfer, type AccountRecord, type CursorRecord } from './records.js';
import { decodeSegment, encodeSegment, SEGMENT_SIZE, SEGMENT_V, SEGMENTS_SUPPORTED } from './segments.js';
import { isTracerError } from '../errors.js';

type Db = Level<string, string>;
type Sub = AbstractSublevel<Db, string | Buffer | Uint8Array, string, string>;
type SegSub = AbstractSublevel<Db, string | Buffer | Uint8Array, string, Buffer>;
type Op = { type: 'put'; sublevel: Sub; key: string; value: string } | { type: 'del'; sublevel: Sub; key: string };

/** The part of abstract-level's sublevel interface a caller of `Store.sublevel` gets (JSON values). */
export interface StoreSublevel {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  batch(operations: Array<{ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string }>, options?: { sync?: boolean }): Promise<void>;
  keys(): AsyncIterable<string>;
  iterator(): AsyncIterable<[string, unknown]>;
}

/** What one crawled page adds to the store, written as one atomic batch. */
export interface StoreBatch {
  transfers?: readonly Transfer[];
  accounts?: readonly AccountRecord[];
  cursors?: readonly CursorRecord[];
  /** meta entries to put (JSON values). */
  meta?: Readonly<Record<string, unknown>>;
}

export interface StoreStats {
  transfers: number;
  accounts: number;
  /** max(height of the newest stored transfer, chain height the crawl last saw). */
  tipHeight: number;
  /** sha256 (hex) over the canonical records in chain order: depends on the set only. */
  digest: string;
}

export interface OpenStoreOptions {
  /** Refuse writes through the Store methods; never create the directory (TRACE_STORE_EMPTY if absent). */
  readOnly?: boolean;
}

/** Names the store uses itself; `sublevel()` refuses them. */
export const RESERVED_SUBLEVELS = ['tx', 'hash', 'out', 'in', 'account', 'cursor', 'label', 'manifest', 'meta', 'seg'] as const;
const NAME = /^[a-z][a-z0-9-]*$/;
const SCAN_CHUNK = 1000;
/** Segments per unsynced batch while rewriting them. */
const SEGMENTS_PER_BATCH = 8;
const STAMP = 'stamp';
const segKey = (i: number) => `d:${String(i).padStart(10, '0')}`;
const SEG_END = 'd;'; // just above every 'd:…' key

/** What the stamp says: the segments hold `transfers` transfers, tx keys `firstKey`..`lastKey`. */
interface SegmentStamp { v: number; size: number; segments: number; transfers: number; firstKey: string; lastKey: string }

/** Options of `Store.loadTransfers`. */
export interface LoadTransfersOptions {
  /** Keep only transfers with timeStamp < windowTo. */
  windowTo?: number | null;
  /** Use (and maintain) the packed segments; false = read the records only, write nothing. Default true. */
  segments?: boolean;
}

export class Store {
  readonly dir: string;
  readonly readOnly: boolean;
  private readonly db: Db;
  private readonly tx: Sub;
  private readonly hash: Sub;
  private readonly out: Sub;
  private readonly inc: Sub;
  private readonly account: Sub;
  private readonly cursor: Sub;
  private readonly label: Sub;
  private readonly manifest: Sub;
  private readonly meta: Sub;
  private readonly seg: SegSub;
  /** Bumped by every transfer batch (before its write); a rebuild stamps only an unchanged generation. */
  private gen = 0;
  /** Transfer batches being written. */
  private inflight = 0;
  /** The stamp write in flight, if any (transfer batches wait for it). */
  private stampPending: Promise<void> | null = null;
  private rebuilding = false;
  private readonly named = new Map<string, StoreSublevel>();

  /** Use `openStore`. */
  constructor(dir: string, db: Db, readOnly: boolean) {
    this.dir = dir;
    this.db = db;
    this.readOnly = readOnly;
    const sub = (name: string) => db.sublevel<string, string>(name, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    this.tx = sub('tx');
    this.hash = sub('hash');
    this.out = sub('out');
    this.inc = sub('in');
    this.account = sub('account');
    this.cursor = sub('cursor');
    this.label = sub('label');
    this.manifest = sub('manifest');
    this.meta = sub('meta');
    this.seg = db.sublevel<string, Buffer>('seg', { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  }

  // ---------------------------------------------------------------- transfers

  /**
   * Every stored transfer in chain order (height, timestamp, hash); `windowTo` keeps timeStamp < windowTo.
   * From the packed segments when they are current, else from the records (then the segments are
   * rewritten, unless read-only or `segments: false`). The same Transfer objects either way.
   */
  async loadTransfers(options: LoadTransfersOptions = {}): Promise<Transfer[]> {
    const windowTo = options.windowTo ?? null;
    const useSegments = options.segments !== false && SEGMENTS_SUPPORTED;
    if (useSegments) {
      const packed = await this.loadSegments(windowTo);
      if (packed) return packed;
    }
    // The scan's iterator (its snapshot) is created synchronously below: with no transfer batch in
    // flight, `gen` names exactly the state it reads.
    const rebuild = useSegments && !this.readOnly && !this.rebuilding && this.inflight === 0;
    const gen = this.gen;
    const out: Transfer[] = [];
    const all: Transfer[] = windowTo === null || !rebuild ? out : [];
    let firstKey = '';
    let lastKey = '';
    if (rebuild) this.rebuilding = true;
    try {
      await this.scan(this.tx, {}, (key, value) => {
        const t = decodeTransfer(value, key);
        if (firstKey === '') firstKey = key;
        lastKey = key;
        if (all !== out) all.push(t);
        if (windowTo === null || t.timeStamp < windowTo) out.push(t);
      });
      if (rebuild) await this.writeSegments(all, firstKey, lastKey, gen);
    } finally {
      if (rebuild) this.rebuilding = false;
    }
    return out;
  }

  /** The transfers from the segments, or null when they are not current (or do not decode). */
  private async loadSegments(windowTo: number | null): Promise<Transfer[] | null> {
    // One snapshot for the stamp, the tx end keys and the segments: a rewrite deletes the stamp in
    // its first batch and puts it back in its last, so a snapshot holding a stamp holds its segments.
    const snapshot = this.db.snapshot();
    try {
      return await this.loadSegmentsAt(snapshot, windowTo);
    } finally {
      await snapshot.close();
    }
  }

  private async loadSegmentsAt(snapshot: ReturnType<Db['snapshot']>, windowTo: number | null): Promise<Transfer[] | null> {
    const raw = await this.seg.get(STAMP, { snapshot });
    if (raw === undefined) return null;
    let stamp: SegmentStamp;
    try {
      stamp = JSON.parse(raw.toString('utf8')) as SegmentStamp;
    } catch {
      return null;
    }
    if (typeof stamp !== 'object' || stamp === null || stamp.v !== SEGMENT_V || stamp.size !== SEGMENT_SIZE || !Number.isSafeInteger(stamp.segments) || !Number.isSafeInteger(stamp.transfers)) return null;
    const [first] = await this.tx.keys({ limit: 1, snapshot }).all();
    const [last] = await this.tx.keys({ reverse: true, limit: 1, snapshot }).all();
    if ((first ?? '') !== stamp.firstKey || (last ?? '') !== stamp.lastKey) return null;
    const out: Transfer[] = [];
    let segments = 0;
    let transfers = 0;
    const it = this.seg.iterator({ gte: segKey(0), lt: segKey(stamp.segments), snapshot });
    let next: Promise<Array<[string, Buffer]>> | null = null;
    try {
      next = it.nextv(4);
      for (;;) {
        const entries: Array<[string, Buffer]> = await next;
        next = null;
        if (entries.length === 0) break;
        next = it.nextv(4); // read the next segments while these decode
        for (const [key, value] of entries) {
          if (key !== segKey(segments)) return null;
          segments++;
          transfers += decodeSegment(value, key, out, windowTo);
        }
      }
    } catch (err) {
      if (isTracerError(err, 'TRACE_STORE_CORRUPT')) return null; // a damaged cache: read the records
      throw err;
    } finally {
      await next?.catch(() => undefined);
      await it.close();
    }
    return segments === stamp.segments && transfers === stamp.transfers ? out : null;
  }

  /** Rewrite the segments from `all` (the whole tx sublevel as of generation `gen`), stamp last. */
  private async writeSegments(all: readonly Transfer[], firstKey: string, lastKey: string, gen: number): Promise<void> {
    const count = Math.ceil(all.length / SEGMENT_SIZE);
    const stale: string[] = [];
    for await (const key of this.seg.keys({ gte: segKey(count), lt: SEG_END })) stale.push(key);
    const opts = { sublevel: this.seg } as never;
    let b = this.db.batch();
    b.del(STAMP, opts);
    try {
      for (let i = 0; i < count; i++) {
        b.put(segKey(i), encodeSegment(all.slice(i * SEGMENT_SIZE, (i + 1) * SEGMENT_SIZE)) as never, opts);
        if (b.length >= SEGMENTS_PER_BATCH) {
          await b.write();
          if (this.gen !== gen) return; // a transfer batch landed: these segments are already stale
          b = this.db.batch();
        }
      }
      if (b.length > 0) await b.write();
    } finally {
      await b.close(); // a no-op after write()
    }
    if (this.gen !== gen || this.inflight !== 0) return;
    const stamp: SegmentStamp = { v: SEGMENT_V, size: SEGMENT_SIZE, segments: count, transfers: all.length, firstKey, lastKey };
    const last = this.db.batch();
    for (const key of stale) last.del(key, opts);
    last.put(STAMP, Buffer.from(JSON.stringify(stamp)) as never, opts);
    const pending = last.write({ sync: true });
    this.stampPending = pending;
    try {
      await pending;
    } finally {
      this.stampPending = null;
    }
  }

  async getTransfer(hash: string): Promise<Transfer | undefined> {
    const key = await this.hash.get(hash);
    if (key === undefined) return undefined;
    const value = await this.tx.get(key);
    if (value === undefined) throw corrupt(`hash index points at missing transfer ${key}`);
    return decodeTransfer(value, key);
  }

  /** For each hash: is it stored? */
  async hasTransfers(hashes: readonly string[]): Promise<boolean[]> {
    if (hashes.length === 0) return [];
    const found = await this.hash.getMany([...hashes]);
    return found.map((v) => v !== undefined);
  }

  /** One account's stored incoming or outgoing transfers, in chain order. */
  async accountTransfers(address: string, list: 'in' | 'out'): Promise<Transfer[]> {
    const keys: string[] = [];
    for await (const key of (list === 'in' ? this.inc : this.out).keys(accountRange(address))) keys.push(key.slice(41));
    if (keys.length === 0) return [];
    const values = await this.tx.getMany(keys);
    return values.map((v, i) => {
      if (v === undefined) throw corrupt(`index entry ${address}:${keys[i]} points at a missing transfer`);
      return decodeTransfer(v, keys[i]);
    });
  }

  // ---------------------------------------------------------------- crawl state

  async getAccount(address: string): Promise<AccountRecord | undefined> {
    const v = await this.account.get(address);
    return v === undefined ? undefined : decodeAccount(parse(v, `account ${address}`), address);
  }

  async loadAccounts(): Promise<Map<string, AccountRecord>> {
    const map = new Map<string, AccountRecord>();
    await this.scan(this.account, {}, (key, value) => map.set(key, decodeAccount(parse(value, `account ${key}`), key)));
    return map;
  }

  async getCursor(address: string, list: CursorList): Promise<CursorRecord | undefined> {
    const key = cursorKey(address, list);
    const v = await this.cursor.get(key);
    return v === undefined ? undefined : decodeCursor(parse(v, `cursor ${key}`), key);
  }

  async loadCursors(): Promise<Map<string, CursorRecord>> {
    const map = new Map<string, CursorRecord>();
    await this.scan(this.cursor, {}, (key, value) => {
      decodeCursorKey(key);
      map.set(key, decodeCursor(parse(value, `cursor ${key}`), key));
    });
    return map;
  }

  async getMeta<T = unknown>(name: string): Promise<T | undefined> {
    const v = await this.meta.get(name);
    return v === undefined ? undefined : (parse(v, `meta ${name}`) as T);
  }

  /**
   * Write one crawled page — its transfers with their index entries, cursors, accounts, meta — as ONE
   * atomic batch with `sync: true`. Idempotent: a transfer already stored under the same chain
   * position is written again with the same bytes. A hash already stored at a *different* chain
   * position is a conflict (some node lied): TRACE_MALFORMED_RESPONSE, nothing written.
   */
  async writeBatch(batch: StoreBatch): Promise<void> {
    this.writable();
    // Every key and value is computed (and the conflict check done) before the batch is opened, so
    // nothing can throw half-way through filling it. A chained batch: the same atomic LevelDB
    // WriteBatch as an array batch, with the same bytes, at a fraction of the per-operation cost.
    const subs: Sub[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    const put = (sub: Sub, key: string, value: string) => {
      subs.push(sub);
      keys.push(key);
      values.push(value);
    };
    const transfers = batch.transfers ?? [];
    if (transfers.length > 0) {
      const stored = await this.hash.getMany(transfers.map((t) => t.hash));
      const chainKeys = transfers.map((t, i) => {
        const key = chainKey(t);
        const prior = stored[i];
        if (prior !== undefined && prior !== key) {
          throw new TracerError('TRACE_MALFORMED_RESPONSE', `transfer ${t.hash} arrived at ${key} but is stored at ${prior}`, { details: { hash: t.hash } });
        }
        return key;
      });
      transfers.forEach((t, i) => {
        const key = chainKeys[i];
        put(this.tx, key, encodeTransfer(t));
        put(this.hash, t.hash, key);
        put(this.out, `${t.sender}:${key}`, ''); // = indexKey(t.sender, t)
        put(this.inc, `${t.recipient}:${key}`, ''); // = indexKey(t.recipient, t)
      });
    }
    while (this.stampPending) await this.stampPending.catch(() => undefined);
    for (const a of batch.accounts ?? []) put(this.account, a.address, JSON.stringify(a));
    for (const c of batch.cursors ?? []) put(this.cursor, cursorKey(c.address, c.list), JSON.stringify(c));
    for (const [name, value] of Object.entries(batch.meta ?? {})) put(this.meta, name, JSON.stringify(value));
    if (keys.length === 0) return;
    const b = this.db.batch();
    try {
      for (let i = 0; i < keys.length; i++) b.put(keys[i], values[i], { sublevel: subs[i] });
      if (transfers.length > 0) b.del(STAMP, { sublevel: this.seg } as never); // the segments are stale now
    } catch (err) {
      await b.close();
      throw err;
    }
    if (transfers.length === 0) {
      await b.write({ sync: true });
      return;
    }
    this.gen++;
    this.inflight++;
    try {
      await b.write({ sync: true });
    } finally {
      this.inflight--;
    }
  }

  // ---------------------------------------------------------------- labels, manifests, sublevels

  async putLabels(labels: Iterable<Label>): Promise<void> {
    this.writable();
    const ops: Op[] = [];
    for (const l of labels) ops.push({ type: 'put', sublevel: this.label, key: l.address, value: JSON.stringify(l) });
    if (ops.length) await this.db.batch(ops as unknown as AbstractBatchOperation<Db, string, string>[], { sync: true });
  }

  async loadLabels(): Promise<Map<string, Label>> {
    const map = new Map<string, Label>();
    await this.scan(this.label, {}, (key, value) => {
      const l = parse(value, `label ${key}`) as Label;
      if (typeof l !== 'object' || l === null || l.address !== key || typeof l.category !== 'string') throw corrupt(`label ${key}: not a label record`);
      map.set(key, l);
    });
    return map;
  }

  async putManifest(id: string, manifest: unknown): Promise<void> {
    this.writable();
    if (typeof id !== 'string' || id === '') throw new TypeError('manifest id must be a non-empty string');
    await this.db.batch([{ type: 'put', sublevel: this.manifest, key: id, value: JSON.stringify(manifest) }] as unknown as AbstractBatchOperation<Db, string, string>[], { sync: true });
  }

  async getManifest<T = unknown>(id: string): Promise<T | undefined> {
    const v = await this.manifest.get(id);
    return v === undefined ? undefined : (parse(v, `manifest ${id}`) as T);
  }

  /** Ids of the stored manifests, sorted. */
  async listManifests(): Promise<string[]> {
    const ids: string[] = [];
    for await (const key of this.manifest.keys()) ids.push(key);
    return ids;
  }

  /**
   * A JSON-valued sublevel for other modules (satisfies src/screen/index-store.ts `JsonSublevel`).
   * Same bytes as `level.sublevel(name, { valueEncoding: 'json' })` on the raw database.
   * Writes through it are not checked against `readOnly`.
   */
  sublevel(name: string): StoreSublevel {
    if (!NAME.test(name) || (RESERVED_SUBLEVELS as readonly string[]).includes(name)) {
      throw new TypeError(`sublevel name must match ${NAME} and not be one of ${RESERVED_SUBLEVELS.join(', ')}, got ${JSON.stringify(name)}`);
    }
    let s = this.named.get(name);
    if (!s) {
      s = this.db.sublevel<string, unknown>(name, { keyEncoding: 'utf8', valueEncoding: 'json' }) as unknown as StoreSublevel;
      this.named.set(name, s);
    }
    return s;
  }

  // ---------------------------------------------------------------- stats, close

  /** Counts, tip height and the order-independent digest of the stored transfer set. */
  async stats(): Promise<StoreStats> {
    const h = createHash('sha256');
    let transfers = 0;
    let tip = 0;
    await this.scan(this.tx, {}, (key, value) => {
      const t = decodeTransfer(value, key);
      transfers++;
      if (t.height > tip) tip = t.height;
      h.update(value);
      h.update('\n');
    });
    let accounts = 0;
    for await (const _ of this.account.keys()) accounts++;
    const chainHeight = await this.getMeta<number>('chainHeight');
    if (typeof chainHeight === 'number' && chainHeight > tip) tip = chainHeight;
    return { transfers, accounts, tipHeight: tip, digest: h.digest('hex') };
  }

  async close(): Promise<void> {
    if (this.db.status === 'open' || this.db.status === 'opening') await this.db.close();
  }

  private writable(): void {
    if (this.readOnly) throw new TypeError(`the store ${this.dir} was opened read-only`);
  }

  private async scan(sub: Sub, range: { gte?: string; lt?: string }, fn: (key: string, value: string) => void): Promise<void> {
    const it = sub.iterator(range);
    try {
      for (;;) {
        const entries = await it.nextv(SCAN_CHUNK);
        if (entries.length === 0) break;
        for (const [key, value] of entries) fn(key, value);
      }
    } finally {
      await it.close();
    }
  }
}

/**
 * Open (creating unless `readOnly`) the store in `dir`.
 * TRACE_STORE_LOCKED when another process holds it; TRACE_STORE_EMPTY when `readOnly` and absent.
 */
export async function openStore(dir: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (typeof dir !== 'string' || dir === '') throw new TracerError('TRACE_INVALID_OPTION', 'the store directory must be a non-empty path');
  const readOnly = options.readOnly === true;
  // classic-level creates the directory even with createIfMissing: false; look first.
  if (readOnly && !existsSync(join(dir, 'CURRENT'))) throw new TracerError('TRACE_STORE_EMPTY', `no store at ${dir} (crawl first)`);
  const db: Db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  try {
    await db.open({ createIfMissing: !readOnly });
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
    if (e.cause?.code === 'LEVEL_LOCKED' || e.code === 'LEVEL_LOCKED') {
      throw new TracerError('TRACE_STORE_LOCKED', `the store ${dir} is in use by another process`, { cause: err });
    }
    if (e.cause?.code === 'LEVEL_CORRUPTION' || e.code === 'LEVEL_CORRUPTION') throw new TracerError('TRACE_STORE_CORRUPT', `the store ${dir} is corrupt: ${e.cause?.message ?? e.message}`, { cause: err });
    if (readOnly) throw new TracerError('TRACE_STORE_EMPTY', `no store at ${dir} (crawl first)`, { cause: err });
    throw new TracerError('TRACE_INVALID_OPTION', `cannot open the store ${dir}: ${e.cause?.message ?? e.message}`, { cause: err });
  }
  return new Store(dir, db, readOnly);
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw corrupt(`${what}: not JSON`, err);
  }
}
