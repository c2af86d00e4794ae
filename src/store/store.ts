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
 *   meta     name                                → JSON               (crawl parameters, chain height; `stats.running`:
 *                                                                         the digest's state, running-stats.ts)
 *   pos      chain key                           → position in block  (decimal; keys.ts; deleted with its transfer)
 *   seg      [acdh]:NNNNNNNNNN, stamp            → packed segments      (derived, segment-cache.ts)
 *   <other>  whatever a caller keeps in `sublevel(name)` (JSON values), e.g. 'taint-index'
 *
 * Every value but `seg`'s is UTF-8 JSON text, so a sublevel opened elsewhere with `valueEncoding: 'json'`
 * (as src/screen/open-index.ts does) reads and writes the same bytes. Crawl pages and imports go in
 * through `writeBatch`: one atomic LevelDB batch, written with `sync: true`, which also keeps the
 * segment cache current or marks it stale. One process at a time: a second open of the directory
 * fails with TRACE_STORE_LOCKED. This module is the records' CRUD; the segments are segment-cache.ts's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level';
import { TracerError } from '../errors.js';
import type { Transfer } from '../nem/index.js';
import type { Label } from '../domain.js';
import { chainKey, cursorKey, decodeChainKey, decodeCursorKey, accountRange, type ChainPosition, type CursorList } from './keys.js';
import { corrupt, decodeAccount, decodeCursor, decodeTransfer, encodeTransfer, type AccountRecord, type CursorRecord } from './records.js';
import { positionColumn, toChainOrder, type RecordedPosition } from './block-order.js';
import { StoredTransferList } from './transfer-list.js';
import { hashAt, SegmentCache, type AppendPlan, type LoadColumnsOptions, type SegSub, type StoreColumns } from './segment-cache.js';
import { snapshotStore } from './snapshot.js';
import {
  DigestReader,
  finishDigest,
  persistedValue,
  RUNNING_STATS_META,
  RunningStats,
  type StatsRecord,
  type StatsStep,
  type TransferState,
} from './running-stats.js';

type Db = Level<string, string>;
type Sub = AbstractSublevel<Db, string | Buffer | Uint8Array, string, string>;
type Op = { type: 'put'; sublevel: Sub; key: string; value: string } | { type: 'del'; sublevel: Sub; key: string };

/** The part of abstract-level's sublevel interface a caller of `Store.sublevel` gets (JSON values). */
export interface StoreSublevel {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  batch(
    operations: Array<{ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string }>,
    options?: { sync?: boolean },
  ): Promise<void>;
  keys(): AsyncIterable<string>;
  iterator(): AsyncIterable<[string, unknown]>;
}

/** A stored transfer's place in its block (keys.ts, `pos`). */
export interface BlockPosition extends ChainPosition {
  /** Index in the block's transaction list (0-based). */
  position: number;
}

/** What one crawled page adds to the store, written as one atomic batch. */
export interface StoreBatch {
  /** Transfers to store; those carrying `position` have it recorded too. */
  transfers?: readonly Transfer[];
  /** Positions of transfers stored already (or in this batch) at exactly that chain key. */
  positions?: readonly BlockPosition[];
  /** Hashes of stored transfers to delete with their index entries and position (a fork removed them); absent ones are ignored. */
  deletes?: readonly string[];
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
  /**
   * Read-only, and leave every file of the directory unchanged byte for byte (evidence media): open a
   * private snapshot of it instead (./snapshot.ts). For `stats`, `screen`, `serve`.
   */
  untouched?: boolean;
  /**
   * Bulk loading (`tainttrace import`): LevelDB's write buffer at BULK_WRITE_BUFFER instead of 4 MiB, so
   * large batches make fewer, larger level-0 tables (about half the LevelDB CPU per transfer here:
   * bench/ingest.bench.ts). Up to two buffers are held in memory while the store is open.
   */
  bulk?: boolean;
}

/** The write buffer of a store opened with `bulk` (64 MiB). */
export const BULK_WRITE_BUFFER = 64 << 20;

/** Names the store uses itself; `sublevel()` refuses them. */
export const RESERVED_SUBLEVELS = ['tx', 'hash', 'out', 'in', 'account', 'cursor', 'label', 'manifest', 'meta', 'seg', 'pos'] as const;
const NAME = /^[a-z][a-z0-9-]*$/;
const SCAN_CHUNK = 1000;

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
  /** The packed, chain-ordered copy of `tx` (segment-cache.ts). */
  private readonly segments: SegmentCache;
  /** Settles when the transfer batch being written is done (transfer batches go one at a time). */
  private transferLock: Promise<void> = Promise.resolve();
  private readonly pos: Sub;
  private readonly named = new Map<string, StoreSublevel>();
  /** stats() carried on from the last full read while records are only appended (running-stats.ts). */
  private readonly running = new RunningStats();

  /** Use `openStore`. */
  constructor(
    dir: string,
    db: Db,
    readOnly: boolean,
    private readonly onClose: () => Promise<void> = () => Promise.resolve(),
  ) {
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
    this.segments = new SegmentCache(db, this.seg, this.tx, readOnly);
    this.pos = sub('pos');
  }

  // ---------------------------------------------------------------- transfers

  /**
   * Every stored transfer in key order (height, timestamp, hash), each with its block `position` when
   * recorded — sort with src/taint/order.ts for chain order within a height; `windowTo` keeps timeStamp < windowTo.
   * From the packed segments when they are current, else from the records (then the segments are
   * rewritten, unless read-only or `segments: false`). The same Transfer objects either way.
   */
  async loadTransfers(options: LoadTransfersOptions = {}): Promise<Transfer[]> {
    const transfers = await this.segments.loadTransfers(options.windowTo ?? null, options.segments !== false);
    const positions = await this.loadPositions();
    if (positions.size > 0) {
      for (const t of transfers) {
        const p = positions.get(t.hash);
        if (p !== undefined) t.position = p;
      }
    }
    return transfers;
  }

  /** Recorded block positions, by transfer hash. */
  async loadPositions(): Promise<Map<string, number>> {
    const map = new Map<string, number>();
    await this.scan(this.pos, {}, (key, value) => map.set(decodeChainKey(key).hash, positionOf(value, key)));
    return map;
  }

  /**
   * The taint core's columns in chain order, straight from the packed segments (no Transfer objects):
   * amount, fee, height, timeStamp, sender and recipient address ids, the address table and (unless
   * `hashes: false`) the raw hashes. Rebuilds the segments first when they are not current (read-only:
   * builds the columns in memory, writing nothing). See segment-cache.ts. The segments are in key order;
   * heights with recorded block positions are put into block order (block-order.ts), so the rows are in
   * the order `loadTransfers(…).sort(compareChainOrder)` gives.
   */
  async loadColumns(options: Omit<LoadColumnsOptions, 'transfers'> = {}): Promise<StoreColumns> {
    const positions = await this.recordedPositions();
    if (positions.length === 0) return this.segments.loadColumns(options);
    const cols = await this.segments.loadColumns({ ...options, hashes: true });
    toChainOrder(cols, positions);
    return options.hashes === false ? { ...cols, hashes: new Uint8Array(0) } : cols;
  }

  /**
   * The columns as `loadColumns` gives them (with the hashes), and the same transfers as a list that makes each
   * Transfer object only when asked for, from the packed segments kept raw (transfer-list.ts): what a trace
   * job reads. Row k of the columns is `transfers.at(k)`, its block position set as `loadTransfers` sets it.
   */
  async loadTransferTable(options: { windowTo?: number | null } = {}): Promise<{ cols: StoreColumns; transfers: StoredTransferList }> {
    const positions = await this.recordedPositions();
    const cols = await this.segments.loadColumns({ windowTo: options.windowTo, hashes: true, transfers: true });
    toChainOrder(cols, positions);
    const position = positions.length === 0 ? null : positionColumn(cols, positions);
    return { cols, transfers: new StoredTransferList(cols.packed!, position) };
  }

  private async recordedPositions(): Promise<RecordedPosition[]> {
    const positions: RecordedPosition[] = [];
    await this.scan(this.pos, {}, (key, value) => {
      const { height, hash } = decodeChainKey(key);
      positions.push({ height, hash, position: positionOf(value, key) });
    });
    return positions;
  }

  /** The stored transfers at rows `rows` of `cols` (loaded with hashes), in that order. */
  async transfersAt(cols: Pick<StoreColumns, 'hashes' | 'height' | 'timeStamp'>, rows: readonly number[]): Promise<Transfer[]> {
    const keys = rows.map((k) => chainKey({ height: cols.height[k], timeStamp: cols.timeStamp[k], hash: hashAt(cols, k) }));
    if (keys.length === 0) return [];
    const values = await this.tx.getMany(keys);
    return values.map((v, i) => {
      if (v === undefined) throw corrupt(`row ${rows[i]} (${keys[i]}) is not stored`);
      return decodeTransfer(v, keys[i]);
    });
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
    const [values, positions] = await Promise.all([this.tx.getMany(keys), this.pos.getMany(keys)]);
    return values.map((v, i) => {
      if (v === undefined) throw corrupt(`index entry ${address}:${keys[i]} points at a missing transfer`);
      const t = decodeTransfer(v, keys[i]);
      const p = positions[i];
      if (p !== undefined) t.position = positionOf(p, keys[i]);
      return t;
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
   * Write one crawled page (or import batch) — its transfers with their index entries, cursors,
   * accounts, meta — as ONE atomic batch with `sync: true`. Idempotent: a transfer already stored
   * (or repeated in the batch) with the same chain position and the same record is skipped. A hash
   * stored at a *different* chain position or with a different body is a conflict (some node lied,
   * docs/contracts.md §6): TRACE_MALFORMED_RESPONSE, nothing written.
   */
  async writeBatch(batch: StoreBatch): Promise<void> {
    this.writable();
    const transfers = batch.transfers ?? [];
    const positionOps = await this.positionOps(batch.positions ?? [], transfers);
    const dels = await this.deleteKeys(batch.deletes ?? []);
    if (transfers.length === 0 && dels.length === 0) return this.writeOps(batch, positionOps, null);
    await this.transferBatch(async () => {
      const { fresh, records, conflict } = await this.classify(transfers);
      if (conflict !== null)
        throw new TracerError('TRACE_MALFORMED_RESPONSE', conflict.message, { details: { hash: transfers[conflict.index].hash } });
      await this.writeTransfers(batch, fresh, positionOps, dels, records);
    });
  }

  /** Puts (prefixed key, value) for positions of transfers stored already or in this batch at exactly that chain key. */
  private async positionOps(positions: readonly BlockPosition[], transfers: readonly Transfer[]): Promise<string[]> {
    if (positions.length === 0) return [];
    const inBatch = new Set(transfers.map((t) => chainKey(t)));
    const stored = await this.hash.getMany(positions.map((p) => p.hash));
    const ops: string[] = [];
    positions.forEach((p, i) => {
      const key = chainKey(p);
      if (!inBatch.has(key) && stored[i] !== key) throw new TypeError(`position for ${p.hash} at ${key}: no transfer is stored there`);
      ops.push(this.pos.prefix + key, positionText(p.position, p.hash));
    });
    return ops;
  }

  /** Prefixed keys of the stored transfers `hashes` (absent ones ignored): record, hash entry, index entries, position. */
  private async deleteKeys(hashes: readonly string[]): Promise<string[]> {
    if (hashes.length === 0) return [];
    const stored = await this.hash.getMany([...hashes]);
    const keys = stored.filter((k): k is string => k !== undefined);
    const values = await this.tx.getMany(keys);
    const dels: string[] = [];
    keys.forEach((key, i) => {
      const value = values[i];
      if (value === undefined) throw corrupt(`hash index points at missing transfer ${key}`);
      const t = decodeTransfer(value, key);
      dels.push(
        this.tx.prefix + key,
        this.hash.prefix + t.hash,
        `${this.out.prefix}${t.sender}:${key}`,
        `${this.inc.prefix}${t.recipient}:${key}`,
        this.pos.prefix + key,
      );
    });
    return dels;
  }

  /**
   * The import's write: `transfers` are all new to the store and distinct (the caller's validation
   * pass checked them with `classify`, and no other process can write while the store is open), so
   * nothing is read back. One synced atomic batch, segments appended when the transfers come after
   * the last stored block. `records[i]` and `keys[i]`, when given, are `encodeTransfer(transfers[i])` and
   * `chainKey(transfers[i])` already made (the import's checks made both), so they are not made twice.
   */
  async writeNewTransfers(transfers: readonly Transfer[], records?: readonly string[], keys?: readonly string[]): Promise<void> {
    this.writable();
    if (records !== undefined && records.length !== transfers.length)
      throw new TypeError(`writeNewTransfers: ${records.length} records for ${transfers.length} transfers`);
    if (keys !== undefined && keys.length !== transfers.length)
      throw new TypeError(`writeNewTransfers: ${keys.length} keys for ${transfers.length} transfers`);
    if (transfers.length > 0) await this.transferBatch(() => this.writeTransfers({}, transfers, [], [], records, keys));
  }

  /**
   * Which of `transfers` are new (first of their hash, not stored), and the first one — of the store
   * or repeated in the list — that does not come at its first's chain position with its record:
   * some node lied (docs/contracts.md §6). Reads only. `records[i]` is `encodeTransfer(fresh[i])`.
   */
  async classify(transfers: readonly Transfer[]): Promise<{
    fresh: Transfer[];
    records: string[];
    stored: boolean[];
    conflict: { index: number; message: string } | null;
  }> {
    const all = transfers.map(encodeTransfer);
    const { fresh, stored, conflict } = await this.classifyRecords(transfers.map(chainKey), all);
    return { fresh: fresh.map((i) => transfers[i]), records: fresh.map((i) => all[i]), stored, conflict };
  }

  /**
   * `classify` over transfers given as their chain keys (keys.ts) and records (records.ts): the indexes of the new
   * ones (first of their hash, not stored), which are stored, and the first conflict. Reads only.
   */
  async classifyRecords(
    keys: readonly string[],
    records: readonly string[],
  ): Promise<{ fresh: number[]; stored: boolean[]; conflict: { index: number; message: string } | null }> {
    const hashes = keys.map((key) => key.slice(22));
    const storedKeys = await this.hash.getMany(hashes);
    const fresh: number[] = [];
    const seen = new Map<string, number>();
    const again: Array<{ i: number; first: number }> = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const first = seen.get(hashes[i]);
      const prior = storedKeys[i] ?? (first === undefined ? undefined : keys[first]);
      if (prior !== undefined && prior !== key)
        return { fresh, stored: [], conflict: { index: i, message: `transfer ${hashes[i]} arrived at ${key} but is stored at ${prior}` } };
      if (prior !== undefined) {
        again.push({ i, first: first ?? -1 });
        continue;
      }
      seen.set(hashes[i], i);
      fresh.push(i);
    }
    const storedBodies = again.length === 0 ? [] : await this.tx.getMany(again.map((x) => keys[x.i]));
    for (let j = 0; j < again.length; j++) {
      const { i, first } = again[j];
      const body = storedKeys[i] !== undefined ? storedBodies[j] : records[first];
      if (body !== records[i]) {
        const message = `transfer ${hashes[i]} at ${keys[i]} arrived with a body that differs from the stored one`;
        return { fresh, stored: [], conflict: { index: i, message } };
      }
    }
    return { fresh, stored: storedKeys.map((k) => k !== undefined), conflict: null };
  }

  /** Run `fn` as the only transfer batch in flight (the checks and the segment plan read what the last wrote). */
  private async transferBatch(fn: () => Promise<void>): Promise<void> {
    await this.exclusive(async () => {
      const cache = this.segments;
      cache.gen++;
      cache.inflight++;
      try {
        await cache.settled();
        await fn();
      } finally {
        cache.inflight--;
      }
    });
  }

  /** Run `fn` with no transfer batch in flight (transfer batches go one at a time through here). */
  private async exclusive(fn: () => Promise<void>): Promise<void> {
    const prior = this.transferLock;
    let release = () => {};
    this.transferLock = new Promise<void>((resolve) => {
      release = resolve;
    });
    await prior;
    try {
      await fn();
    } finally {
      release();
    }
  }

  /** Records and index entries of `fresh` (new, distinct), the segment plan and the rest of `batch`, in one batch. */
  private async writeTransfers(
    batch: StoreBatch,
    fresh: readonly Transfer[],
    extra: readonly string[] = [],
    dels: readonly string[] = [],
    records?: readonly string[],
    keys?: readonly string[],
  ): Promise<void> {
    const ops: string[] = [];
    // what the running stats hash on (running-stats.ts)
    const written: StatsRecord[] = [];
    const [tx, hash, out, inc] = [this.tx.prefix, this.hash.prefix, this.out.prefix, this.inc.prefix];
    for (let i = 0; i < fresh.length; i++) {
      const t = fresh[i];
      const key = keys === undefined ? chainKey(t) : keys[i];
      const record = records === undefined ? encodeTransfer(t) : records[i];
      written.push({ key, record, height: t.height });
      // The account index entries are indexKey(address, t), written out for speed.
      ops.push(tx + key, record, hash + t.hash, key, `${out}${t.sender}:${key}`, '', `${inc}${t.recipient}:${key}`, '');
      if (t.position !== undefined) ops.push(this.pos.prefix + key, positionText(t.position, t.hash));
    }
    ops.push(...extra);
    // The persisted stats state goes in the same batch: carried on after an append, deleted otherwise.
    if (!this.running.known) await this.lookUpStats();
    const step: StatsStep = dels.length > 0 ? { put: null, next: null } : this.running.append(written);
    const cache = this.segments;
    // Deleting transfers (a fork) cannot be appended to the segments: they are marked stale.
    const plan = dels.length > 0 ? cache.invalidation() : fresh.length === 0 ? null : await cache.planAppend(fresh, keys);
    try {
      await this.writeOps(batch, ops, plan, dels, step);
    } catch (err) {
      if (plan) cache.committed(plan, false);
      throw err;
    }
    if (plan) cache.committed(plan, true);
  }

  /**
   * One synced atomic batch: `ops`, the segment plan, the running stats' `step` (a transfer batch's; 'none' for
   * a batch without transfers), then the batch's accounts, cursors and meta.
   */
  private async writeOps(
    batch: StoreBatch,
    ops: string[],
    plan: AppendPlan | null,
    dels: readonly string[] = [],
    step: StatsStep | 'none' = 'none',
  ): Promise<void> {
    // Every key and value is computed before the batch is opened, so nothing can throw half-way
    // through filling it. A chained batch on the root database with the sublevels' prefixed keys:
    // the same atomic LevelDB WriteBatch and bytes as `put(key, value, { sublevel })`, at a fraction
    // of the per-operation cost.
    for (const a of batch.accounts ?? []) ops.push(this.account.prefix + a.address, JSON.stringify(a));
    for (const c of batch.cursors ?? []) ops.push(this.cursor.prefix + cursorKey(c.address, c.list), JSON.stringify(c));
    for (const [name, value] of Object.entries(batch.meta ?? {})) {
      if (name === RUNNING_STATS_META) throw new TypeError(`meta name ${RUNNING_STATS_META} is the store's own`);
      ops.push(this.meta.prefix + name, JSON.stringify(value));
    }
    if (ops.length === 0 && plan === null && dels.length === 0 && step === 'none') return;
    const statsKey = this.meta.prefix + RUNNING_STATS_META;
    const b = this.db.batch();
    try {
      for (const key of dels) b.del(key);
      for (let i = 0; i < ops.length; i += 2) b.put(ops[i], ops[i + 1]);
      if (step !== 'none') {
        if (step.put === null) b.del(statsKey);
        else b.put(statsKey, step.put);
      }
      const seg = { sublevel: this.seg } as never;
      for (const [key, value] of plan?.puts ?? []) b.put(key, value as never, seg);
      for (const key of plan?.del ?? []) b.del(key, seg);
    } catch (err) {
      await b.close();
      throw err;
    }
    try {
      await b.write({ sync: true });
    } catch (err) {
      this.running.failed();
      throw err;
    }
    this.running.committed(step, (batch.accounts?.length ?? 0) > 0);
  }

  /**
   * Delete transfers by hash (a fork removed them: docs/contracts.md §6 "Finality"), with their index
   * entries, `meta` puts, and the records and cursors of `accounts` (no longer reached), in ONE synced
   * batch; the packed segments go stale. Returns the deleted transfers (hashes not stored are skipped).
   */
  async deleteTransfers(
    hashes: readonly string[],
    meta: Readonly<Record<string, unknown>> = {},
    accounts: readonly string[] = [],
  ): Promise<Transfer[]> {
    this.writable();
    const keys = await this.hash.getMany([...hashes]);
    const present = keys.filter((k): k is string => k !== undefined);
    const values = await this.tx.getMany(present);
    const deleted = values.map((v, i) => {
      if (v === undefined) throw corrupt(`hash entry points at a missing transfer ${present[i]}`);
      return decodeTransfer(v, present[i]);
    });
    const ops: Op[] = [];
    deleted.forEach((t, i) => {
      const key = present[i];
      ops.push({ type: 'del', sublevel: this.tx, key }, { type: 'del', sublevel: this.hash, key: t.hash });
      ops.push(
        { type: 'del', sublevel: this.out, key: `${t.sender}:${key}` },
        { type: 'del', sublevel: this.inc, key: `${t.recipient}:${key}` },
      );
    });
    for (const [name, value] of Object.entries(meta)) {
      if (name === RUNNING_STATS_META) throw new TypeError(`meta name ${RUNNING_STATS_META} is the store's own`);
      ops.push({ type: 'put', sublevel: this.meta, key: name, value: JSON.stringify(value) });
    }
    // The persisted stats state names the records before the deletion: it goes in the same batch.
    if (deleted.length > 0) ops.push({ type: 'del', sublevel: this.meta, key: RUNNING_STATS_META });
    for (const a of accounts) {
      ops.push({ type: 'del', sublevel: this.account, key: a });
      for (const list of ['in', 'out', 'seed'] as const) ops.push({ type: 'del', sublevel: this.cursor, key: cursorKey(a, list) });
    }
    if (ops.length === 0) return deleted;
    const stale: AppendPlan = { puts: [], del: ['stamp'], next: 'stale' };
    await this.transferBatch(async () => {
      const all = [...ops, ...stale.del.map((key) => ({ type: 'del', sublevel: this.seg, key }))] as unknown as AbstractBatchOperation<
        Db,
        string,
        string
      >[];
      try {
        await this.db.batch(all, { sync: true });
      } catch (err) {
        this.segments.committed(stale, false);
        this.running.failed();
        throw err;
      }
      this.running.committed(deleted.length > 0 ? { put: null, next: null } : 'none', accounts.length > 0);
      this.segments.committed(stale, true);
    });
    return deleted;
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
      if (typeof l !== 'object' || l === null || l.address !== key || typeof l.category !== 'string')
        throw corrupt(`label ${key}: not a label record`);
      map.set(key, l);
    });
    return map;
  }

  async putManifest(id: string, manifest: unknown): Promise<void> {
    this.writable();
    if (typeof id !== 'string' || id === '') throw new TypeError('manifest id must be a non-empty string');
    await this.db.batch(
      [{ type: 'put', sublevel: this.manifest, key: id, value: JSON.stringify(manifest) }] as unknown as AbstractBatchOperation<
        Db,
        string,
        string
      >[],
      { sync: true },
    );
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
      throw new TypeError(
        `sublevel name must match ${NAME} and not be one of ${RESERVED_SUBLEVELS.join(', ')}, got ${JSON.stringify(name)}`,
      );
    }
    let s = this.named.get(name);
    if (!s) {
      s = this.db.sublevel<string, unknown>(name, { keyEncoding: 'utf8', valueEncoding: 'json' });
      this.named.set(name, s);
    }
    return s;
  }

  // ---------------------------------------------------------------- stats, close

  /** The highest stored height, or the chain height a crawl saw when higher (`stats().tipHeight`, without the scan). */
  async tipHeight(): Promise<number> {
    const [last] = await this.tx.keys({ reverse: true, limit: 1 }).all();
    const tip = last === undefined ? 0 : decodeChainKey(last).height;
    const chainHeight = await this.getMeta<number>('chainHeight');
    return typeof chainHeight === 'number' && chainHeight > tip ? chainHeight : tip;
  }

  /**
   * Counts, tip height and the order-independent digest of the stored transfer set. The digest's state is kept
   * in the store with the records (running-stats.ts): after open it is read, not the records; only a store
   * whose last write was not an append (a backfill, a fork) or that older code wrote is read in full, once
   * (and its state then kept, unless read-only). `reread`: read every record regardless (what a check of the
   * kept state compares with).
   */
  async stats(options: { reread?: boolean } = {}): Promise<StoreStats> {
    const reread = options.reread === true;
    if (!reread && !this.running.known) await this.lookUpStats();
    const generation = this.running.generation;
    let part = reread ? null : this.running.transfers();
    if (part === null) {
      const reader = new DigestReader();
      const it = this.tx.iterator();
      try {
        for (;;) {
          const entries = await it.nextv(SCAN_CHUNK);
          if (entries.length === 0) break;
          reader.add(entries.map(([key, record]) => ({ key, record, height: decodeTransfer(record, key).height })));
        }
      } finally {
        await it.close();
      }
      part = reader.state;
      if (this.running.install(generation, { records: part }) && !this.readOnly) await this.keepStats(generation, part);
    }
    // Positions change the chain order, so they are part of what the digest names (nothing when none is recorded).
    let tail = '';
    await this.scan(this.pos, {}, (key, value) => {
      if (tail === '') tail = 'positions\n';
      tail += `${key}=${value}\n`;
    });
    let accounts = this.running.accounts();
    if (accounts === null) {
      const counting = this.running.accountGeneration;
      let n = 0;
      for await (const _ of this.account.keys()) n++;
      this.running.installAccounts(counting, n);
      accounts = n;
    }
    let tip = part.tip;
    const chainHeight = await this.getMeta<number>('chainHeight');
    if (typeof chainHeight === 'number' && chainHeight > tip) tip = chainHeight;
    return { transfers: part.transfers, accounts, tipHeight: tip, digest: finishDigest(part, tail) };
  }

  /** Look up the kept stats state (running-stats.ts) with the last stored key, in one snapshot. */
  private async lookUpStats(): Promise<void> {
    const generation = this.running.generation;
    const snapshot = this.db.snapshot();
    try {
      const [value, [last]] = await Promise.all([
        this.meta.get(RUNNING_STATS_META, { snapshot }),
        this.tx.keys({ reverse: true, limit: 1, snapshot }).all(),
      ]);
      this.running.install(generation, { persisted: { value, lastStoredKey: last ?? '' } });
    } finally {
      await snapshot.close();
    }
  }

  /** Keep the state a full read found, unless a write committed since it began. */
  private async keepStats(generation: number, state: TransferState): Promise<void> {
    await this.exclusive(async () => {
      if (this.running.generation !== generation) return;
      const op = { type: 'put', sublevel: this.meta, key: RUNNING_STATS_META, value: persistedValue(state) };
      await this.db.batch([op] as unknown as AbstractBatchOperation<Db, string, string>[], { sync: true });
    });
  }

  /**
   * Write LevelDB's memory table out as a table file now, so that the next open does not replay the write-ahead log
   * (after a bulk import: up to BULK_WRITE_BUFFER of it, replayed into the default 4 MiB buffer as many small level-0
   * tables, which LevelDB then compacts while the opener reads — 1.6 s at 200k transfers). LevelDB does it first when
   * asked to compact a range; the range here holds no key (every key starts with '!'), so nothing else is rewritten.
   */
  async flushWrites(): Promise<void> {
    this.writable();
    // `level` is classic-level on Node.js, whose compactRange its types do not declare.
    await (this.db as unknown as { compactRange(start: string, end: string): Promise<void> }).compactRange('\x00', '\x00');
  }

  async close(): Promise<void> {
    if (this.db.status === 'open' || this.db.status === 'opening') await this.db.close();
    await this.onClose();
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
  const readOnly = options.readOnly === true || options.untouched === true;
  // classic-level creates the directory even with createIfMissing: false; look first.
  if (readOnly && !existsSync(join(dir, 'CURRENT'))) throw new TracerError('TRACE_STORE_EMPTY', `no store at ${dir} (crawl first)`);
  const snapshot = options.untouched === true ? await snapshotStore(dir) : null;
  const db: Db = new Level<string, string>(snapshot?.dir ?? dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  try {
    await db.open({ createIfMissing: !readOnly, ...(options.bulk === true && !readOnly ? { writeBufferSize: BULK_WRITE_BUFFER } : {}) });
  } catch (err) {
    await snapshot?.remove();
    const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
    if (e.cause?.code === 'LEVEL_LOCKED' || e.code === 'LEVEL_LOCKED') {
      throw new TracerError('TRACE_STORE_LOCKED', `the store ${dir} is in use by another process`, { cause: err });
    }
    if (e.cause?.code === 'LEVEL_CORRUPTION' || e.code === 'LEVEL_CORRUPTION')
      throw new TracerError('TRACE_STORE_CORRUPT', `the store ${dir} is corrupt: ${e.cause?.message ?? e.message}`, { cause: err });
    if (readOnly) throw new TracerError('TRACE_STORE_EMPTY', `no store at ${dir} (crawl first)`, { cause: err });
    throw new TracerError('TRACE_INVALID_OPTION', `cannot open the store ${dir}: ${e.cause?.message ?? e.message}`, { cause: err });
  }
  return new Store(dir, db, readOnly, snapshot?.remove);
}

function positionText(position: number, hash: string): string {
  if (!Number.isSafeInteger(position) || position < 0 || position > 999_999_999)
    throw new TypeError(`position of ${hash} must be a whole number from 0, got ${position}`);
  return String(position);
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw corrupt(`${what}: not JSON`, err);
  }
}

/** A stored block position (decimal text), checked. */
function positionOf(value: string, key: string): number {
  if (!/^\d{1,9}$/.test(value)) throw corrupt(`position ${key}: not a position`);
  return Number(value);
}
