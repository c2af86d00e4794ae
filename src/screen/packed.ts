/**
 * The taint index, packed: every per-account and per-transfer number in typed arrays, no object per
 * account (issue 10: under 1 KB of server memory per indexed account; README "Taint index: load time and memory").
 *
 * Tables (row numbers are plain indexes into the arrays):
 * - addresses: every address the index knows — indexed accounts, transfer ends, exits, covered
 *   addresses — as 40 ASCII bytes each, found through an open-addressing hash table (rowKey of the
 *   bytes → row). `acct[row]` is the row's account ordinal, or -1 (known, not tainted);
 *   `flags[row]` bit 0 = covered (src/screen/RISK.md "Coverage").
 * - accounts (ordinal = insertion order): `acctRow` (its address row), `entryBase`/`entryMask` (one entry per policy the account
 *   is tainted under, bit p = POLICIES[p]), `exitStart`/`exitLen` into `exitRows` (address rows).
 * - entries (slot = entryBase + rank of p in the mask): hops, isExit, received, held, balance,
 *   firstTaintedAt, `evidence` (a node of the evidence trie, -1 none) and the history: `histStart`
 *   into the account events (time, height, balance — shared by the policies of an account when they
 *   agree, as the taint core's do: an account's balance does not depend on the policy), `taintStart`
 *   into `taintVals` (the tainted balance per event, per policy), `histLen`.
 * - hashes: 32 raw bytes each, hash table on rowKey of the bytes; rows `0 .. transferCount` are the
 *   transfers, later rows hashes that only evidence paths name.
 * - evidence trie: node = (hash row, parent node): an evidence path is a node, its steps are read
 *   back to the root. Paths share their common prefix (the taint core's are "the sender's path, then
 *   this transfer"), so a path costs one node where it leaves its parent's.
 *
 * Amounts are Float64 (every µXEM amount up to the supply, 9·10^15, is an exact safe integer); a value
 * outside the safe range is stored as NaN with the exact bigint beside it (`big`). Immutable once built
 * (src/screen/pack.ts builds it); the Map-like `accounts` and `transfers` build an object per call for
 * consumers that want one, the hot paths (json.ts, screen.ts) read the arrays.
 */
import type { Label, Policy } from '../domain.js';
import { POLICIES } from '../domain.js';
import type { Manifest } from '../taint/index.js';
import {
  TAINT_INDEX_SCHEMA,
  type IndexedAccount,
  type IndexedTransfer,
  type PolicyTaintEntry,
  type TaintIndexAsOf,
} from './index-types.js';
import { packMessages, PackedMessages, type MessageArrays } from './messages.js';

/** The typed arrays of a packed index (what pack.ts fills and index-store.ts saves). */
export interface PackedArrays {
  addrBytes: Uint8Array;
  addrTable: Int32Array;
  acct: Int32Array;
  flags: Uint8Array;
  acctRow: Int32Array;
  entryBase: Int32Array;
  entryMask: Uint8Array;
  exitStart: Int32Array;
  exitLen: Int32Array;
  exitRows: Int32Array;
  hops: Int32Array;
  isExit: Uint8Array;
  received: Float64Array;
  held: Float64Array;
  balance: Float64Array;
  firstTaintedAt: Int32Array;
  evidence: Int32Array;
  histStart: Int32Array;
  taintStart: Int32Array;
  histLen: Int32Array;
  evTime: Int32Array;
  evHeight: Int32Array;
  evBalance: Float64Array;
  taintVals: Float64Array;
  hashBytes: Uint8Array;
  hashTable: Int32Array;
  tFrom: Int32Array;
  tTo: Int32Array;
  tHeight: Int32Array;
  tTime: Int32Array;
  tAmount: Float64Array;
  tFee: Float64Array;
  tTaintBase: Int32Array;
  tTaintMask: Uint8Array;
  tTaintVals: Float64Array;
  nodeHash: Int32Array;
  nodeParent: Int32Array;
}

export interface PackedHeader {
  manifest: Manifest;
  /** Policies the trace computed, canonical order. */
  policies: Policy[];
  exitCategories: string[];
  asOf: TaintIndexAsOf;
  labels: ReadonlyMap<string, Label>;
  /** Whether coverage is known (false: an index that predates it; `covered` is then null). */
  hasCoverage: boolean;
}

/** Everything a packed index holds besides its header. */
export interface PackedBody {
  arrays: PackedArrays;
  /** Transfer messages by transfer row (null: none): a list as built, or packed as an index file holds them. */
  messages: readonly (string | null)[] | PackedMessages;
  /** Exact values of amounts outside the safe-integer range, by array name and position. */
  big: Map<string, bigint>;
  accounts: number;
  transfers: number;
}

const NONE = -1;
const ADDRESS_LENGTH = 40;
const HASH_BYTES = 32;

/**
 * The lookup key of a row: its bytes taken four at a time (little-endian words), each word multiplied in and its high
 * bits folded down, then MurmurHash3's finaliser, so every byte reaches the low bits the table's mask keeps (rows that
 * differ in one byte anywhere — hashes that share a prefix, addresses that share a suffix — still spread).
 */
export function rowKey(bytes: Uint8Array, offset: number, width: number): number {
  let h = 0x811c9dc5;
  for (let k = offset; k < offset + width; k += 4) {
    h = Math.imul(h ^ (bytes[k] | (bytes[k + 1] << 8) | (bytes[k + 2] << 16) | (bytes[k + 3] << 24)), 0x9e3779b1);
    h ^= h >>> 15;
  }
  return finish(h);
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** rowKey of an address given as text (40 characters, one byte each). */
export function addressHash(text: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < ADDRESS_LENGTH; k += 4) {
    const w = text.charCodeAt(k) | (text.charCodeAt(k + 1) << 8) | (text.charCodeAt(k + 2) << 16) | (text.charCodeAt(k + 3) << 24);
    h = Math.imul(h ^ w, 0x9e3779b1);
    h ^= h >>> 15;
  }
  return finish(h);
}

/** rowKey of a raw 32-byte hash. */
export function hashKey(bytes: Uint8Array, offset: number): number {
  return rowKey(bytes, offset, HASH_BYTES);
}

/**
 * The lookup tables of the address and hash rows (open addressing, load ≤ 0.5, row + 1 per slot), built
 * from the rows themselves — never stored, so a stored table cannot lie. A description of the problem
 * when a row appears twice.
 */
export function lookupTables(addrBytes: Uint8Array, hashBytes: Uint8Array): { addrTable: Int32Array; hashTable: Int32Array } | string {
  const addrTable = rowTable(addrBytes, ADDRESS_LENGTH, 'address');
  if (typeof addrTable === 'string') return addrTable;
  const hashTable = rowTable(hashBytes, HASH_BYTES, 'hash');
  if (typeof hashTable === 'string') return hashTable;
  return { addrTable, hashTable };
}

/**
 * The open-addressing table of rows `width` bytes wide (slot = rowKey & mask, linear probing, row + 1 per slot), or a
 * description of a repeated row. The rows go in by slot (a counting sort on the slot's high bits, each row carried
 * with its key), so the table fills front to back, a stretch at a time, instead of one cache miss per row; a probe
 * compares the rows' bytes only when their whole 32-bit keys agree.
 */
function rowTable(bytes: Uint8Array, width: number, what: string): Int32Array | string {
  const rows = bytes.length / width;
  const t = new Int32Array(tableSize(rows));
  const mask = t.length - 1;
  const shift = Math.max(0, 31 - Math.clz32(t.length) - 12); // at most 4,096 stretches
  const key = rowKeys(bytes, width);
  const start = new Int32Array((t.length >>> shift) + 1);
  for (let r = 0; r < rows; r++) start[((key[r] & mask) >>> shift) + 1]++;
  for (let b = 1; b < start.length; b++) start[b] += start[b - 1];
  const order = new Int32Array(rows);
  const orderKey = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const k = key[r];
    const j = start[(k & mask) >>> shift]++;
    order[j] = r;
    orderKey[j] = k;
  }
  const slotKey = new Int32Array(t.length);
  for (let j = 0; j < rows; j++) {
    const r = order[j];
    const k = orderKey[j];
    let i = k & mask;
    while (t[i] !== 0) {
      if (slotKey[i] === k && sameRow(bytes, (t[i] - 1) * width, r * width, width)) return `${what} row ${r} repeats row ${t[i] - 1}`;
      i = (i + 1) & mask;
    }
    t[i] = r + 1;
    slotKey[i] = k;
  }
  return t;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * rowKey of every row (as signed 32-bit values). When the rows lie at a multiple of 4 in memory on a little-endian
 * machine (always, for an index read from its file: index-file.ts), each word is one read of an Int32Array view — the
 * same words rowKey assembles from four bytes, so the same keys, at a third of the cost.
 */
function rowKeys(bytes: Uint8Array, width: number): Int32Array {
  const rows = bytes.length / width;
  const key = new Int32Array(rows);
  if (!LITTLE_ENDIAN || bytes.byteOffset % 4 !== 0 || width % 4 !== 0) {
    for (let r = 0; r < rows; r++) key[r] = rowKey(bytes, r * width, width) | 0;
    return key;
  }
  const w = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  const words = width >>> 2;
  for (let r = 0, o = 0; r < rows; r++, o += words) {
    let h = 0x811c9dc5;
    for (let k = o; k < o + words; k++) {
      h = Math.imul(h ^ w[k], 0x9e3779b1);
      h ^= h >>> 15;
    }
    key[r] = finish(h) | 0;
  }
  return key;
}

function sameRow(bytes: Uint8Array, a: number, b: number, width: number): boolean {
  for (let k = 0; k < width; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

/** A power of two at least twice `n` (load factor ≤ 0.5), at least 2. */
function tableSize(n: number): number {
  let size = 2;
  while (size < 2 * n) size *= 2;
  return size;
}

const HEX = /^[0-9a-f]{64}$/;

export class TaintIndex {
  readonly schema = TAINT_INDEX_SCHEMA;
  readonly manifest: Manifest;
  readonly policies: Policy[];
  readonly exitCategories: string[];
  readonly asOf: TaintIndexAsOf;
  readonly labels: ReadonlyMap<string, Label>;
  /** Indexed accounts (tainted under some policy), as objects built on each call; insertion order. */
  readonly accounts: AccountMap;
  /** Transfers that carried taint (and the seeds), as objects built on each call; insertion order. */
  readonly transfers: TransferMap;
  /**
   * Coverage: every address that appears in a transfer the trace considered. An address here that
   * holds no taint is clean *for this case*; outside it, unknown (src/screen/RISK.md). null: the index
   * predates coverage.
   */
  readonly covered: CoveredSet | null;

  /** @internal the packed tables; read through the methods below. */
  readonly a: PackedArrays;
  private readonly messages: readonly (string | null)[] | PackedMessages;
  private readonly big: Map<string, bigint>;
  private readonly addrMask: number;
  private readonly hashMask: number;
  readonly accountCount: number;
  readonly transferCount: number;

  constructor(header: PackedHeader, body: PackedBody) {
    this.manifest = header.manifest;
    this.policies = header.policies;
    this.exitCategories = header.exitCategories;
    this.asOf = header.asOf;
    this.labels = header.labels;
    this.a = body.arrays;
    this.messages = body.messages;
    this.big = body.big;
    this.accountCount = body.accounts;
    this.transferCount = body.transfers;
    this.addrMask = this.a.addrTable.length - 1;
    this.hashMask = this.a.hashTable.length - 1;
    this.accounts = new AccountMap(this);
    this.transfers = new TransferMap(this);
    this.covered = header.hasCoverage ? new CoveredSet(this) : null;
  }

  /**
   * The same data under another header: `asOf`, `labels`, or the coverage (`'none'`: unknown, as an
   * index saved before coverage; `'empty'`: known, no address covered). For tests and tools.
   */
  derive(changes: { asOf?: TaintIndexAsOf; labels?: ReadonlyMap<string, Label>; coverage?: 'none' | 'empty' }): TaintIndex {
    const arrays = changes.coverage === 'empty' ? { ...this.a, flags: new Uint8Array(this.a.flags.length) } : this.a;
    return new TaintIndex(
      {
        manifest: this.manifest,
        policies: this.policies,
        exitCategories: this.exitCategories,
        asOf: changes.asOf ?? this.asOf,
        labels: new Map(changes.labels ?? this.labels),
        hasCoverage: changes.coverage === 'none' ? false : changes.coverage === 'empty' ? true : this.covered !== null,
      },
      { arrays, messages: this.messages, big: this.big, accounts: this.accountCount, transfers: this.transferCount },
    );
  }

  // ── addresses ──────────────────────────────────────────────────────────────────────────────

  get addressCount(): number {
    return this.a.acct.length;
  }

  /** The row of an address (exact text), or -1. */
  addressRow(text: string): number {
    if (text.length !== ADDRESS_LENGTH) return NONE;
    const { addrTable, addrBytes } = this.a;
    let i = addressHash(text) & this.addrMask;
    for (;;) {
      const r = addrTable[i] - 1;
      if (r < 0) return NONE;
      const o = r * ADDRESS_LENGTH;
      let k = 0;
      while (k < ADDRESS_LENGTH && addrBytes[o + k] === text.charCodeAt(k)) k++;
      if (k === ADDRESS_LENGTH) return r;
      i = (i + 1) & this.addrMask;
    }
  }

  addressAt(row: number): string {
    return latin1(this.a.addrBytes, row * ADDRESS_LENGTH, ADDRESS_LENGTH);
  }

  /** The account ordinal of an address (exact text), or -1 when it is not tainted under any policy. */
  accountOf(text: string): number {
    const r = this.addressRow(text);
    return r < 0 ? NONE : this.a.acct[r];
  }

  isCovered(text: string): boolean {
    const r = this.addressRow(text);
    return r >= 0 && (this.a.flags[r] & 1) === 1;
  }

  // ── accounts and their entries ─────────────────────────────────────────────────────────────

  /** The entry slot of account ordinal `acct` under POLICIES[p], or -1. */
  slot(acct: number, p: number): number {
    const mask = this.a.entryMask[acct];
    if ((mask & (1 << p)) === 0) return NONE;
    return this.a.entryBase[acct] + popcount(mask & ((1 << p) - 1));
  }

  /** Whether the account is an exit under some policy. */
  accountIsExit(acct: number): boolean {
    const base = this.a.entryBase[acct];
    const n = popcount(this.a.entryMask[acct]);
    for (let s = base; s < base + n; s++) if (this.a.isExit[s] === 1) return true;
    return false;
  }

  /** Exit accounts this account sent taint to, as address rows (sorted by address). */
  exitRowsOf(acct: number): Int32Array {
    const start = this.a.exitStart[acct];
    return this.a.exitRows.subarray(start, start + this.a.exitLen[acct]);
  }

  received(slot: number): bigint {
    return this.amount('received', this.a.received, slot);
  }
  held(slot: number): bigint {
    return this.amount('held', this.a.held, slot);
  }
  balance(slot: number): bigint {
    return this.amount('balance', this.a.balance, slot);
  }

  /** Transfer hashes of the evidence path of an entry, seed transfer first. */
  evidenceOf(slot: number): string[] {
    return this.evidenceRows(slot).map((r) => this.hashAt(r));
  }

  /** Hash rows of the evidence path of an entry, seed transfer first (rows below transferCount are transfers). */
  evidenceRows(slot: number): number[] {
    const out: number[] = [];
    for (let n = this.a.evidence[slot]; n >= 0; n = this.a.nodeParent[n]) out.push(this.a.nodeHash[n]);
    return out.reverse();
  }

  /** Balance after history event `i` of an entry (0 ≤ i < histLen). */
  historyBalance(slot: number, i: number): bigint {
    return this.amount('evBalance', this.a.evBalance, this.a.histStart[slot] + i);
  }
  historyTainted(slot: number, i: number): bigint {
    return this.amount('taintVals', this.a.taintVals, this.a.taintStart[slot] + i);
  }

  /** The entry as the object PolicyTaintEntry (built on each call). */
  entry(slot: number): PolicyTaintEntry {
    const a = this.a;
    const n = a.histLen[slot];
    const hs = a.histStart[slot];
    const historyBalance = new BigInt64Array(n);
    const historyTainted = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      historyBalance[i] = this.historyBalance(slot, i);
      historyTainted[i] = this.historyTainted(slot, i);
    }
    return {
      isExit: a.isExit[slot] === 1,
      hops: a.hops[slot],
      received: this.received(slot),
      held: this.held(slot),
      balance: this.balance(slot),
      firstTaintedAt: a.firstTaintedAt[slot],
      evidence: this.evidenceOf(slot),
      historyTime: a.evTime.slice(hs, hs + n),
      historyHeight: a.evHeight.slice(hs, hs + n),
      historyBalance,
      historyTainted,
    };
  }

  /** The account as the object IndexedAccount (built on each call). */
  account(acct: number, address?: string): IndexedAccount {
    const policies: Partial<Record<Policy, PolicyTaintEntry>> = {};
    for (let p = 0; p < POLICIES.length; p++) {
      const s = this.slot(acct, p);
      if (s >= 0) policies[POLICIES[p]] = this.entry(s);
    }
    const exits = Array.from(this.exitRowsOf(acct), (r) => this.addressAt(r));
    return { address: address ?? this.addressAt(this.accountRow(acct)), policies, exits };
  }

  /** The address row of account ordinal `acct`. */
  accountRow(acct: number): number {
    return this.a.acctRow[acct];
  }

  // ── transfers and hashes ───────────────────────────────────────────────────────────────────

  /** The row of a hash (64 lower-case hex digits), or -1. */
  hashRow(hex: string): number {
    if (!HEX.test(hex)) return NONE;
    const want = Buffer.from(hex, 'hex');
    const { hashTable, hashBytes } = this.a;
    let i = hashKey(want, 0) & this.hashMask;
    for (;;) {
      const r = hashTable[i] - 1;
      if (r < 0) return NONE;
      const o = r * HASH_BYTES;
      let k = 0;
      while (k < HASH_BYTES && hashBytes[o + k] === want[k]) k++;
      if (k === HASH_BYTES) return r;
      i = (i + 1) & this.hashMask;
    }
  }

  hashAt(row: number): string {
    return Buffer.from(this.a.hashBytes.buffer, this.a.hashBytes.byteOffset + row * HASH_BYTES, HASH_BYTES).toString('hex');
  }

  /** The transfer row of a hash, or -1. */
  transferRow(hex: string): number {
    const r = this.hashRow(hex);
    return r >= 0 && r < this.transferCount ? r : NONE;
  }

  transfer(row: number): IndexedTransfer {
    const a = this.a;
    const taint: Partial<Record<Policy, bigint>> = {};
    const mask = a.tTaintMask[row];
    let k = a.tTaintBase[row];
    for (let p = 0; p < POLICIES.length; p++)
      if ((mask & (1 << p)) !== 0) taint[POLICIES[p]] = this.amount('tTaintVals', a.tTaintVals, k++);
    return {
      hash: this.hashAt(row),
      from: this.addressAt(a.tFrom[row]),
      to: this.addressAt(a.tTo[row]),
      height: a.tHeight[row],
      timeStamp: a.tTime[row],
      amount: this.amount('tAmount', a.tAmount, row),
      fee: this.amount('tFee', a.tFee, row),
      message: this.messages.at(row) ?? null,
      taint,
    };
  }

  /** An amount array's value as a bigint (exact also outside the safe range). */
  amount(name: keyof PackedArrays, arr: Float64Array, i: number): bigint {
    const v = arr[i];
    if (v === v) return BigInt(v);
    return this.big.get(`${name}:${i}`)!;
  }

  /** For index-store.ts: the messages (as a list) and out-of-range amounts. */
  extras(): { messages: readonly (string | null)[]; big: ReadonlyMap<string, bigint> } {
    const m = this.messages;
    return { messages: m instanceof PackedMessages ? m.toArray() : m, big: this.big };
  }

  /** For index-store.ts: the messages packed, as an index file holds them. */
  messageArrays(): MessageArrays {
    const m = this.messages;
    return m instanceof PackedMessages ? m.arrays : packMessages(m);
  }
}

/** The indexed accounts as a read-only Map of objects built on demand (insertion order). */
export class AccountMap implements Iterable<[string, IndexedAccount]> {
  constructor(private readonly index: TaintIndex) {}
  get size(): number {
    return this.index.accountCount;
  }
  has(address: string): boolean {
    return this.index.accountOf(address) >= 0;
  }
  get(address: string): IndexedAccount | undefined {
    const acct = this.index.accountOf(address);
    return acct < 0 ? undefined : this.index.account(acct, address);
  }
  *keys(): IterableIterator<string> {
    for (let acct = 0; acct < this.size; acct++) yield this.index.addressAt(this.index.accountRow(acct));
  }
  *values(): IterableIterator<IndexedAccount> {
    for (let acct = 0; acct < this.size; acct++) yield this.index.account(acct);
  }
  *entries(): IterableIterator<[string, IndexedAccount]> {
    for (let acct = 0; acct < this.size; acct++) {
      const account = this.index.account(acct);
      yield [account.address, account];
    }
  }
  [Symbol.iterator](): IterableIterator<[string, IndexedAccount]> {
    return this.entries();
  }
}

/** The transfers as a read-only Map of objects built on demand (insertion order). */
export class TransferMap implements Iterable<[string, IndexedTransfer]> {
  constructor(private readonly index: TaintIndex) {}
  get size(): number {
    return this.index.transferCount;
  }
  has(hash: string): boolean {
    return this.index.transferRow(hash) >= 0;
  }
  get(hash: string): IndexedTransfer | undefined {
    const r = this.index.transferRow(hash);
    return r < 0 ? undefined : this.index.transfer(r);
  }
  *keys(): IterableIterator<string> {
    for (let r = 0; r < this.size; r++) yield this.index.hashAt(r);
  }
  *values(): IterableIterator<IndexedTransfer> {
    for (let r = 0; r < this.size; r++) yield this.index.transfer(r);
  }
  *entries(): IterableIterator<[string, IndexedTransfer]> {
    for (let r = 0; r < this.size; r++) {
      const t = this.index.transfer(r);
      yield [t.hash, t];
    }
  }
  [Symbol.iterator](): IterableIterator<[string, IndexedTransfer]> {
    return this.entries();
  }
}

/** The covered addresses as a read-only Set (address-table order). */
export class CoveredSet implements Iterable<string> {
  readonly size: number;
  constructor(private readonly index: TaintIndex) {
    let n = 0;
    for (const f of index.a.flags) n += f & 1;
    this.size = n;
  }
  has(address: string): boolean {
    return this.index.isCovered(address);
  }
  *[Symbol.iterator](): IterableIterator<string> {
    const { flags } = this.index.a;
    for (let r = 0; r < flags.length; r++) if ((flags[r] & 1) === 1) yield this.index.addressAt(r);
  }
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function latin1(bytes: Uint8Array, offset: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + offset, length).toString('latin1');
}

const ARRAY_SHAPES: Record<keyof PackedArrays, 'Int32Array' | 'Uint8Array' | 'Float64Array'> = {
  addrBytes: 'Uint8Array',
  addrTable: 'Int32Array',
  acct: 'Int32Array',
  flags: 'Uint8Array',
  acctRow: 'Int32Array',
  entryBase: 'Int32Array',
  entryMask: 'Uint8Array',
  exitStart: 'Int32Array',
  exitLen: 'Int32Array',
  exitRows: 'Int32Array',
  hops: 'Int32Array',
  isExit: 'Uint8Array',
  received: 'Float64Array',
  held: 'Float64Array',
  balance: 'Float64Array',
  firstTaintedAt: 'Int32Array',
  evidence: 'Int32Array',
  histStart: 'Int32Array',
  taintStart: 'Int32Array',
  histLen: 'Int32Array',
  evTime: 'Int32Array',
  evHeight: 'Int32Array',
  evBalance: 'Float64Array',
  taintVals: 'Float64Array',
  hashBytes: 'Uint8Array',
  hashTable: 'Int32Array',
  tFrom: 'Int32Array',
  tTo: 'Int32Array',
  tHeight: 'Int32Array',
  tTime: 'Int32Array',
  tAmount: 'Float64Array',
  tFee: 'Float64Array',
  tTaintBase: 'Int32Array',
  tTaintMask: 'Uint8Array',
  tTaintVals: 'Float64Array',
  nodeHash: 'Int32Array',
  nodeParent: 'Int32Array',
};

/**
 * Whether stored arrays make a packed index whose every read stays in bounds: each array present
 * with its type, lengths that agree with the counts, every row and offset pointing inside its
 * table (the lookup tables are lookupTables', built from the rows: each row once), trie parents before their children (no cycles),
 * NaN amounts only where an exact value is kept. A description of the first problem, or null.
 */
/** The first position holding neither a safe integer nor NaN with its exact value in `big`, or -1. */
function unsafeAmount(arr: Float64Array, big: ReadonlyMap<string, bigint>, name: string): number {
  const max = Number.MAX_SAFE_INTEGER;
  // a block at a time, summing what makes a value unsafe (a fraction, a size past the safe range; NaN and ±Infinity
  // make the sum NaN): every term is ≥ 0, so the sum is 0 exactly when every value is safe — one pass without a branch
  // per value; a block that is not is looked at value by value
  for (let from = 0; from < arr.length; from += 4096) {
    const to = Math.min(arr.length, from + 4096);
    let off = 0;
    for (let i = from; i < to; i++) {
      const v = arr[i];
      off += Math.abs(v - Math.trunc(v)) + +(Math.abs(v) > max);
    }
    if (off === 0) continue;
    for (let i = from; i < to; i++) {
      const v = arr[i];
      if (v <= max && v >= -max && Math.floor(v) === v) continue; // NaN fails every comparison
      if (v === v || !big.has(`${name}:${i}`)) return i;
    }
  }
  return -1;
}

/**
 * Every row and offset of the arrays inside its table (lengths already checked). The arrays are read through locals:
 * a property read of the record per element would cost more than the check.
 */
function checkRows(a: PackedArrays, A: number, T: number): string | null {
  const { acct, acctRow, entryMask, entryBase, exitStart, exitLen, exitRows, histLen, histStart, taintStart, evidence } = a;
  const { nodeHash, nodeParent, tFrom, tTo, tTaintMask, tTaintBase } = a;
  const rows = acct.length;
  const slots = histLen.length;
  const events = a.evTime.length;
  const taintRows = a.taintVals.length;
  const hashes = a.hashBytes.length / HASH_BYTES;
  const nodes = nodeHash.length;
  const policies = 1 << POLICIES.length;
  // every account's row names it back (below), and no other row names an account: then each row's account is in range
  // and names the row back, without a second pass of random reads
  let named = 0;
  for (let r = 0; r < rows; r++) if (acct[r] !== NONE) named++;
  if (named !== A) return `${named} address rows name an account, not ${A}`;
  let nextSlot = 0;
  for (let i = 0; i < A; i++) {
    const row = acctRow[i];
    if (row < 0 || row >= rows || acct[row] !== i) return `account ${i} row`;
    if (entryMask[i] >= policies || entryBase[i] !== nextSlot) return `account ${i} entries`;
    nextSlot += popcount(entryMask[i]);
    if (exitStart[i] < 0 || exitLen[i] < 0 || exitStart[i] + exitLen[i] > exitRows.length) return `account ${i} exits`;
  }
  if (nextSlot !== slots) return 'entry count';
  for (let i = 0; i < exitRows.length; i++) if (exitRows[i] < 0 || exitRows[i] >= rows) return 'exit row';
  for (let s = 0; s < slots; s++) {
    const n = histLen[s];
    if (n < 0 || histStart[s] < 0 || histStart[s] + n > events || taintStart[s] < 0 || taintStart[s] + n > taintRows)
      return `entry ${s} history`;
    if (evidence[s] < NONE || evidence[s] >= nodes) return `entry ${s} evidence`;
  }
  for (let k = 0; k < nodes; k++)
    if (nodeHash[k] < 0 || nodeHash[k] >= hashes || nodeParent[k] < NONE || nodeParent[k] >= k) return `trie node ${k}`;
  let taints = 0;
  for (let t = 0; t < T; t++) {
    if (tFrom[t] < 0 || tFrom[t] >= rows || tTo[t] < 0 || tTo[t] >= rows || tTaintMask[t] >= policies) return `transfer ${t}`;
    if (tTaintBase[t] !== taints) return `transfer ${t} taint`;
    taints += popcount(tTaintMask[t]);
  }
  if (taints !== a.tTaintVals.length) return 'transfer taint count';
  return null;
}

export function checkPacked(
  raw: Record<string, unknown>,
  counts: { accounts: number; transfers: number; messages: number; big: ReadonlyMap<string, bigint> },
): string | null {
  for (const [name, type] of Object.entries(ARRAY_SHAPES)) {
    const arr = raw[name] as { constructor?: { name?: string } } | undefined;
    if (arr?.constructor?.name !== type) return `array ${name} missing or not a ${type}`;
  }
  for (const name of Object.keys(raw)) if (!(name in ARRAY_SHAPES)) return `unknown array ${name}`;
  const a = raw as unknown as PackedArrays;
  const rows = a.acct.length;
  const A = counts.accounts;
  const T = counts.transfers;
  const slots = a.hops.length;
  const events = a.evTime.length;
  const hashes = a.hashBytes.length / HASH_BYTES;
  const nodes = a.nodeHash.length;
  if (a.addrBytes.length !== rows * ADDRESS_LENGTH || a.flags.length !== rows) return 'address table lengths differ';
  if (!Number.isInteger(hashes) || hashes < T) return 'hash table length';
  // the lookup tables are lookupTables' own, built from these rows at load (each row once, or the load failed)
  if (a.addrTable.length < 2 * rows || a.hashTable.length < 2 * hashes) return 'lookup table size';
  for (const arr of [a.acctRow, a.entryBase, a.entryMask, a.exitStart, a.exitLen])
    if (arr.length !== A) return 'account array lengths differ';
  for (const arr of [a.isExit, a.received, a.held, a.balance, a.firstTaintedAt, a.evidence, a.histStart, a.taintStart, a.histLen])
    if (arr.length !== slots) return 'entry array lengths differ';
  if (a.evHeight.length !== events || a.evBalance.length !== events) return 'event array lengths differ';
  for (const arr of [a.tFrom, a.tTo, a.tHeight, a.tTime, a.tAmount, a.tFee, a.tTaintBase, a.tTaintMask])
    if (arr.length !== T) return 'transfer array lengths differ';
  if (a.nodeParent.length !== nodes || counts.messages !== T) return 'trie or message lengths differ';
  const problem = checkRows(a, A, T);
  if (problem !== null) return problem;
  for (const name of ['received', 'held', 'balance', 'evBalance', 'taintVals', 'tAmount', 'tFee', 'tTaintVals'] as const) {
    const i = unsafeAmount(a[name], counts.big, name);
    if (i >= 0) return `amount ${name}[${i}]`;
  }
  return null;
}
