/**
 * The LevelDB store (DESIGN §3): one `level` database in a directory, one sublevel per entity.
 *
 *   tx       chain key (height:timestamp:hash)  → transfer record (canonical JSON array, records.ts)
 *   hash     hash                                → chain key          (transfers by hash)
 *   out, in  address:chain key                   → ''                 (per-account lists, chain order)
 *   account  address                             → AccountRecord      (reached / expanded, hop, exit)
 *   cursor   address:list                        → CursorRecord       (paging state, completeness marker)
 *   label    address                             → Label
 *   manifest id                                  → manifest JSON
 *   meta     name                                → JSON               (crawl parameters, chain height)
 *   <other>  whatever a caller keeps in `sublevel(name)` (JSON values), e.g. 'taint-index'
 *
 * Every value is UTF-8 JSON text, so a sublevel opened elsewhere with `valueEncoding: 'json'` (as
 * src/screen/open-index.ts does) reads and writes the same bytes. Crawl pages go in through
 * `writeBatch`: one atomic LevelDB batch, written with `sync: true`. One process at a time: a
 * second open of the directory fails with TRACE_STORE_LOCKED.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level';
import { TracerError } from '../errors.js';
import type { Transfer } from '../nem/types.js';
import type { Label } from '../taint/types.js';
import { chainKey, cursorKey, decodeCursorKey, accountRange, type CursorList } from './keys.js';
import { corrupt, decodeAccount, decodeCursor, decodeTransfer, encodeTransfer, type AccountRecord, type CursorRecord } from './records.js';

type Db = Level<string, string>;
type Sub = AbstractSublevel<Db, string | Buffer | Uint8Array, string, string>;
type Op = { type: 'put'; sublevel: Sub; key: string; value: string } | { type: 'del'; sublevel: Sub; key: string };

/** The part of abstract-level's sublevel interface a caller of `Store.sublevel` gets (JSON values). */
export interface StoreSublevel {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  batch(operations: Array<{ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string }>): Promise<void>;
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
export const RESERVED_SUBLEVELS = ['tx', 'hash', 'out', 'in', 'account', 'cursor', 'label', 'manifest', 'meta'] as const;
const NAME = /^[a-z][a-z0-9-]*$/;
const SCAN_CHUNK = 1000;

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
  }

  // ---------------------------------------------------------------- transfers

  /** Every stored transfer in chain order (height, timestamp, hash); `windowTo` keeps timeStamp < windowTo. */
  async loadTransfers(options: { windowTo?: number | null } = {}): Promise<Transfer[]> {
    const out: Transfer[] = [];
    const windowTo = options.windowTo ?? null;
    await this.scan(this.tx, {}, (key, value) => {
      const t = decodeTransfer(value, key);
      if (windowTo === null || t.timeStamp < windowTo) out.push(t);
    });
    return out;
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
    for (const a of batch.accounts ?? []) put(this.account, a.address, JSON.stringify(a));
    for (const c of batch.cursors ?? []) put(this.cursor, cursorKey(c.address, c.list), JSON.stringify(c));
    for (const [name, value] of Object.entries(batch.meta ?? {})) put(this.meta, name, JSON.stringify(value));
    if (keys.length === 0) return;
    const b = this.db.batch();
    try {
      for (let i = 0; i < keys.length; i++) b.put(keys[i], values[i], { sublevel: subs[i] });
    } catch (err) {
      await b.close();
      throw err;
    }
    await b.write({ sync: true });
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
