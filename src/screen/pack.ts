/**
 * TaintIndexPacker: builds the packed TaintIndex (packed.ts) from objects, one at a time, so a caller
 * never needs every account as an object at once. Order: `addTransfer` for every transfer, then
 * `addAccount` for every account, `addCovered` for the covered addresses, then `finish()`.
 *
 * The account's policies share one list of history events when their (time, height, balance) rows
 * agree (the taint core's always do: one is a suffix of another); otherwise a policy keeps its own.
 * Evidence paths go into a trie keyed by (parent node, hash), so shared prefixes are stored once.
 *
 * Two ways in, one layout: `addTransfer`/`addAccount`/`addCovered` take objects (addresses and hashes found by
 * text); the row methods (`newAddressRow`, `newHashRow`, `addTransferRow`, `addAccountRow`, `newNode`,
 * `addCoveredRow`) take numbers and rows the caller numbered itself, and their column forms (`newAddressRows`,
 * `addTransferColumns`: every row at once, the arrays kept) — what the build from the sweep's columns uses
 * (index-from-columns.ts), with no object per account and no call per value. One packer takes one way.
 */
import { POLICIES } from '../domain.js';
import { withRoom } from '../taint/index.js';
import type { IndexedAccount, IndexedTransfer, PolicyTaintEntry } from './index-types.js';
import { lookupTables, TaintIndex, type PackedArrays, type PackedHeader } from './packed.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const TRIE_SPAN = 2 ** 26;

/** A growable column of 32-bit integers (or bytes: `Uint8Array` on `array()`). */
class Ints {
  data: Int32Array = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
  /** Room for `n` more values: a loop may then write `data[length++]` itself. */
  reserve(n: number): void {
    this.data = withRoom(this.data, this.length, n);
  }
  /** The column becomes `values` (kept, not copied). */
  adopt(values: Int32Array): void {
    this.data = values;
    this.length = values.length;
  }
  /** The values (the array itself when it is exactly full: the packer is done with it). */
  array(): Int32Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.data.subarray(0, this.length));
  }
}

/** A growable run of fixed-width byte rows (addresses, hashes), written in place: no string kept per row. */
class Rows {
  data: Buffer;
  length = 0;
  constructor(readonly width: number) {
    this.data = Buffer.alloc(1024 * width);
  }
  /** Room for the next row; its offset. */
  next(): number {
    const at = this.length * this.width;
    if (at === this.data.length) {
      const more = Buffer.alloc(this.data.length * 2);
      this.data.copy(more);
      this.data = more;
    }
    this.length++;
    return at;
  }
  /** Rows appended: `bytes`, a whole number of rows. */
  append(bytes: Uint8Array): void {
    const at = this.length * this.width;
    if (at + bytes.length > this.data.length) {
      let size = this.data.length * 2;
      while (size < at + bytes.length) size *= 2;
      const more = Buffer.alloc(size);
      this.data.copy(more, 0, 0, at);
      this.data = more;
    }
    this.data.set(bytes, at);
    this.length += bytes.length / this.width;
  }
  /** The rows become `bytes` (kept, not copied). */
  adopt(bytes: Uint8Array): void {
    this.data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.length / this.width;
  }
  text(row: number, encoding: 'latin1' | 'hex'): string {
    return this.data.toString(encoding, row * this.width, (row + 1) * this.width);
  }
  array(): Uint8Array {
    const { data } = this;
    const whole = this.length * this.width === data.length && data.byteOffset === 0 && data.buffer.byteLength === data.length;
    return whole ? new Uint8Array(data.buffer) : new Uint8Array(data.subarray(0, this.length * this.width));
  }
}

/** A growable list of amounts: safe integers as numbers, anything else NaN with the exact bigint in `big`. */
class Amounts {
  values: Float64Array = new Float64Array(1024);
  length = 0;
  constructor(
    private readonly name: keyof PackedArrays,
    private readonly big: Map<string, bigint>,
  ) {}
  /** An exact amount: a bigint, or a number that is a safe integer (−0 is stored as 0). */
  push(v: bigint | number): void {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new TypeError(`TaintIndexPacker: ${this.name} ${v} is not a safe integer`);
      this.add(v + 0);
    } else if (v >= -MAX_SAFE && v <= MAX_SAFE) this.add(Number(v));
    else {
      this.big.set(`${this.name}:${this.length}`, v);
      this.add(Number.NaN);
    }
  }
  /** A history value: a safe integer, or NaN with its exact value in `exact`. */
  pushHistory(v: number, exact: ReadonlyMap<number, bigint> | undefined, i: number): void {
    if (v === v) this.push(v);
    else this.push(exact!.get(i)!);
  }
  /**
   * `n` history values from `from` of `values` (the i-th with key `key + i` in `exact`), in one loop: what `pushHistory`
   * does value by value.
   */
  pushHistoryRun(values: Float64Array, from: number, n: number, exact: ReadonlyMap<number, bigint> | undefined, key: number): void {
    if (exact !== undefined) {
      for (let i = 0; i < n; i++) this.pushHistory(values[from + i], exact, key + i);
      return;
    }
    this.reserve(n);
    const out = this.values;
    let o = this.length;
    for (let i = from; i < from + n; i++) {
      const v = values[i];
      if (!Number.isSafeInteger(v)) throw new TypeError(`TaintIndexPacker: ${this.name} ${v} is not a safe integer`);
      out[o++] = v + 0;
    }
    this.length = o;
  }
  /** The list becomes `values` (kept, not copied; each a safe integer, −0 stored as 0). */
  adopt(values: Float64Array): void {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isSafeInteger(v)) throw new TypeError(`TaintIndexPacker: ${this.name} ${v} is not a safe integer`);
      if (v === 0) values[i] = 0;
    }
    this.values = values;
    this.length = values.length;
  }
  /** Room for `n` more values. */
  reserve(n: number): void {
    this.values = withRoom(this.values, this.length, n);
  }
  private add(v: number): void {
    if (this.length === this.values.length) this.reserve(1);
    this.values[this.length++] = v;
  }
  /** The values (the array itself when it is exactly full: the packer is done with it). */
  array(): Float64Array {
    return this.length === this.values.length ? this.values : this.values.slice(0, this.length);
  }
}

export type PackerHeader = Omit<PackedHeader, 'hasCoverage'> & { hasCoverage?: boolean };

/**
 * An account's balance events under one policy, as columns (`length` values of each from `start`, default 0): time
 * (the running maximum of the NEM timestamps), height, whole balance and tainted balance; a balance or tainted value
 * outside the safe range is NaN, its exact value in `exact` (the i-th event's balance at i, tainted at length + i).
 */
export interface HistoryRows {
  length: number;
  start?: number;
  time: Int32Array;
  height: Int32Array;
  balance: Float64Array;
  tainted: Float64Array;
  exact?: ReadonlyMap<number, bigint>;
}

/** Every transfer of an index as columns, row i of each (what `addTransferColumns` takes). */
export interface TransferColumns {
  readonly length: number;
  /** 32 raw bytes per row: the transfer's hash. */
  readonly hashBytes: Uint8Array;
  /** Sender and recipient address rows. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly height: Int32Array;
  readonly timeStamp: Int32Array;
  /** µXEM, safe integers. */
  readonly amount: Float64Array;
  readonly fee: Float64Array;
  /** POLICIES.length values per row: the taint carried under policy index p (µXEM, a safe integer), 0 = none. */
  readonly taint: Float64Array;
  /** The transfer's message (null: none known). */
  readonly messages: (string | null)[];
}

/** An account's entry under one policy as numbers (what `addAccountRow` takes). Amounts are exact: see Amounts.push. */
export interface EntryRow {
  hops: number;
  isExit: boolean;
  received: bigint | number;
  held: bigint | number;
  balance: bigint | number;
  firstTaintedAt: number;
  /** The evidence trie node of the entry's path (−1: none). */
  evidence: number;
  history: HistoryRows;
}

export class TaintIndexPacker {
  private readonly big = new Map<string, bigint>();
  private readonly addrRows = new Map<string, number>();
  private readonly addrBytes = new Rows(40);
  private readonly acct = new Ints();
  private readonly flags = new Ints();
  private readonly acctRow = new Ints();
  private readonly entryBase = new Ints();
  private readonly entryMask = new Ints();
  private readonly exitStart = new Ints();
  private readonly exitLen = new Ints();
  private readonly exitRows = new Ints();
  private readonly hops = new Ints();
  private readonly isExit = new Ints();
  private readonly received = new Amounts('received', this.big);
  private readonly held = new Amounts('held', this.big);
  private readonly balance = new Amounts('balance', this.big);
  private readonly firstTaintedAt = new Ints();
  private readonly evidence = new Ints();
  private readonly histStart = new Ints();
  private readonly taintStart = new Ints();
  private readonly histLen = new Ints();
  private readonly evTime = new Ints();
  private readonly evHeight = new Ints();
  private readonly evBalance = new Amounts('evBalance', this.big);
  private readonly taintVals = new Amounts('taintVals', this.big);
  private readonly hashRows = new Map<string, number>();
  private readonly hashBytes = new Rows(32);
  private readonly tFrom = new Ints();
  private readonly tTo = new Ints();
  private readonly tHeight = new Ints();
  private readonly tTime = new Ints();
  private readonly tAmount = new Amounts('tAmount', this.big);
  private readonly tFee = new Amounts('tFee', this.big);
  private readonly tTaintBase = new Ints();
  private readonly tTaintMask = new Ints();
  private readonly tTaintVals = new Amounts('tTaintVals', this.big);
  private messages: (string | null)[] = [];
  private readonly trie = new Map<number | string, number>();
  private readonly nodeHash = new Ints();
  private readonly nodeParent = new Ints();
  private readonly transferTaint: (bigint | undefined)[] = [];
  private stage: 'transfers' | 'accounts' | 'done' = 'transfers';
  private hasCoverage: boolean;

  constructor(private readonly header: PackerHeader) {
    this.hasCoverage = header.hasCoverage ?? false;
  }

  addTransfer(t: IndexedTransfer): void {
    if (this.hashRows.has(t.hash)) throw new TypeError(`TaintIndexPacker: transfer ${t.hash} added twice`);
    const hashRow = this.hashRowOf(t.hash);
    const taint = this.transferTaint;
    for (let p = 0; p < POLICIES.length; p++) taint[p] = t.taint[POLICIES[p]];
    this.addTransferRow(hashRow, this.addressRowOf(t.from), this.addressRowOf(t.to), t, taint, t.message);
  }

  /**
   * The next transfer, as rows: its hash row (the next one: `newHashRow` or `hashRowOf` just made it), sender and
   * recipient address rows, and its taint per policy index (undefined: none under that policy).
   */
  addTransferRow(
    hashRow: number,
    from: number,
    to: number,
    t: { height: number; timeStamp: number; amount: bigint | number; fee: bigint | number },
    taint: readonly (bigint | number | undefined)[],
    message: string | null,
  ): void {
    if (this.stage !== 'transfers') throw new TypeError('TaintIndexPacker: every transfer must come before the accounts');
    if (hashRow !== this.tFrom.length) throw new TypeError(`TaintIndexPacker: transfer row ${this.tFrom.length} has hash row ${hashRow}`);
    this.tFrom.push(from);
    this.tTo.push(to);
    this.tHeight.push(int32(t.height, 'height'));
    this.tTime.push(int32(t.timeStamp, 'timeStamp'));
    this.tAmount.push(t.amount);
    this.tFee.push(t.fee);
    let mask = 0;
    this.tTaintBase.push(this.tTaintVals.length);
    for (let p = 0; p < POLICIES.length; p++) {
      const v = taint[p];
      if (v === undefined) continue;
      mask |= 1 << p;
      this.tTaintVals.push(v);
    }
    this.tTaintMask.push(mask);
    this.messages.push(message);
  }

  /**
   * Every transfer at once, as columns (row i of each is transfer row i and hash row i): what `addTransferRow` takes
   * row by row, for a caller that has them all (index-from-columns.ts). First and once: before any other transfer or
   * hash. The arrays are kept, not copied (the caller leaves them alone).
   */
  addTransferColumns(c: TransferColumns): void {
    const n = c.length;
    if (this.stage !== 'transfers' || this.tFrom.length !== 0 || this.hashBytes.length !== 0)
      throw new TypeError('TaintIndexPacker: transfer columns come first, and once');
    const np = POLICIES.length;
    const sizes = [c.from, c.to, c.height, c.timeStamp, c.amount, c.fee].map((a) => a.length);
    if (sizes.some((m) => m !== n) || c.hashBytes.length !== n * 32 || c.taint.length !== n * np || c.messages.length !== n)
      throw new TypeError(`TaintIndexPacker: transfer columns of ${n} rows differ in length`);
    const rows = this.acct.length;
    for (let i = 0; i < n; i++) {
      if (c.from[i] < 0 || c.from[i] >= rows || c.to[i] < 0 || c.to[i] >= rows)
        throw new TypeError(`TaintIndexPacker: transfer row ${i} names no address row`);
    }
    this.hashBytes.adopt(c.hashBytes);
    this.tFrom.adopt(c.from);
    this.tTo.adopt(c.to);
    this.tHeight.adopt(c.height);
    this.tTime.adopt(c.timeStamp);
    this.tAmount.adopt(c.amount);
    this.tFee.adopt(c.fee);
    const base = new Int32Array(n);
    const mask = new Int32Array(n);
    const vals = this.tTaintVals;
    for (let i = 0; i < n; i++) {
      base[i] = vals.length;
      let m = 0;
      for (let p = 0; p < np; p++) {
        const v = c.taint[i * np + p];
        if (v === 0) continue;
        if (!(v > 0)) throw new TypeError(`TaintIndexPacker: transfer row ${i} carries taint ${v}`);
        m |= 1 << p;
        vals.push(v);
      }
      mask[i] = m;
    }
    this.tTaintBase.adopt(base);
    this.tTaintMask.adopt(mask);
    this.messages = c.messages;
  }

  addAccount(account: IndexedAccount): void {
    const row = this.addressRowOf(account.address);
    const exits = account.exits.map((e) => this.addressRowOf(e));
    const entries: (EntryRow | undefined)[] = [];
    for (let p = 0; p < POLICIES.length; p++) {
      const e = account.policies[POLICIES[p]];
      if (!e) {
        entries.push(undefined);
        continue;
      }
      let node = -1;
      for (const hash of e.evidence) node = this.nodeOf(node, this.hashRowOf(hash));
      entries.push({ ...e, evidence: node, history: historyRows(e) });
    }
    this.addAccountRow(row, exits, entries);
  }

  /** The next account: its address row, its exits' address rows, and its entry per policy index (undefined: none). */
  addAccountRow(row: number, exits: ArrayLike<number>, entries: readonly (EntryRow | undefined)[]): void {
    if (this.stage === 'done') throw new TypeError('TaintIndexPacker: finished');
    this.stage = 'accounts';
    if (row < 0 || row >= this.acct.length) throw new TypeError(`TaintIndexPacker: no address row ${row}`);
    if (this.acct.data[row] >= 0) throw new TypeError(`TaintIndexPacker: account ${this.addrBytes.text(row, 'latin1')} added twice`);
    this.acct.data[row] = this.acctRow.length;
    this.acctRow.push(row);
    this.entryBase.push(this.hops.length);
    this.exitStart.push(this.exitRows.length);
    this.exitLen.push(exits.length);
    for (let i = 0; i < exits.length; i++) this.exitRows.push(exits[i]);

    // the longest history is the account's event list; others share its tail when they match it
    let base: HistoryRows | undefined;
    for (let p = 0; p < POLICIES.length; p++) {
      const e = entries[p];
      if (e && (!base || e.history.length > base.length)) base = e.history;
    }
    const baseStart = this.evTime.length;
    const baseLen = base?.length ?? 0;
    if (base) this.pushEvents(base);

    let mask = 0;
    for (let p = 0; p < POLICIES.length; p++) {
      const e = entries[p];
      if (!e) continue;
      mask |= 1 << p;
      this.hops.push(int32(e.hops, 'hops'));
      this.isExit.push(e.isExit ? 1 : 0);
      this.received.push(e.received);
      this.held.push(e.held);
      this.balance.push(e.balance);
      this.firstTaintedAt.push(int32(e.firstTaintedAt, 'firstTaintedAt'));
      this.evidence.push(e.evidence);
      const h = e.history;
      const n = h.length;
      const at = baseStart + baseLen - n;
      if (base && n <= baseLen && this.eventsMatch(at, h)) this.histStart.push(at);
      else {
        this.histStart.push(this.evTime.length);
        this.pushEvents(h);
      }
      this.taintStart.push(this.taintVals.length);
      this.taintVals.pushHistoryRun(h.tainted, h.start ?? 0, n, h.exact, n);
      this.histLen.push(n);
    }
    this.entryMask.push(mask);
  }

  addCovered(address: string): void {
    this.addCoveredRow(this.addressRowOf(address));
  }

  /** Marks an address row as covered (seen by the trace). */
  addCoveredRow(row: number): void {
    if (this.stage === 'done') throw new TypeError('TaintIndexPacker: finished');
    if (row < 0 || row >= this.flags.length) throw new TypeError(`TaintIndexPacker: no address row ${row}`);
    this.hasCoverage = true;
    this.flags.data[row] |= 1;
  }

  finish(): TaintIndex {
    if (this.stage === 'done') throw new TypeError('TaintIndexPacker: finished already');
    this.stage = 'done';
    const addrBytes = this.addrBytes.array();
    const hashBytes = this.hashBytes.array();
    const tables = lookupTables(addrBytes, hashBytes);
    if (typeof tables === 'string') throw new TypeError(`TaintIndexPacker: ${tables}`);
    const { addrTable, hashTable } = tables;
    const arrays: PackedArrays = {
      addrBytes,
      addrTable,
      acct: this.acct.array(),
      flags: this.flags.bytes(),
      acctRow: this.acctRow.array(),
      entryBase: this.entryBase.array(),
      entryMask: this.entryMask.bytes(),
      exitStart: this.exitStart.array(),
      exitLen: this.exitLen.array(),
      exitRows: this.exitRows.array(),
      hops: this.hops.array(),
      isExit: this.isExit.bytes(),
      received: this.received.array(),
      held: this.held.array(),
      balance: this.balance.array(),
      firstTaintedAt: this.firstTaintedAt.array(),
      evidence: this.evidence.array(),
      histStart: this.histStart.array(),
      taintStart: this.taintStart.array(),
      histLen: this.histLen.array(),
      evTime: this.evTime.array(),
      evHeight: this.evHeight.array(),
      evBalance: this.evBalance.array(),
      taintVals: this.taintVals.array(),
      hashBytes,
      hashTable,
      tFrom: this.tFrom.array(),
      tTo: this.tTo.array(),
      tHeight: this.tHeight.array(),
      tTime: this.tTime.array(),
      tAmount: this.tAmount.array(),
      tFee: this.tFee.array(),
      tTaintBase: this.tTaintBase.array(),
      tTaintMask: this.tTaintMask.bytes(),
      tTaintVals: this.tTaintVals.array(),
      nodeHash: this.nodeHash.array(),
      nodeParent: this.nodeParent.array(),
    };
    return new TaintIndex(
      { ...this.header, hasCoverage: this.hasCoverage },
      { arrays, messages: this.messages, big: this.big, accounts: this.acctRow.length, transfers: this.tFrom.length },
    );
  }

  private addressRowOf(address: string): number {
    const r = this.addrRows.get(address);
    if (r !== undefined) return r;
    const row = this.newAddressRow(address);
    this.addrRows.set(address, row);
    return row;
  }

  /** A row for an address the caller has not given before (a repeat fails `finish`). */
  newAddressRow(address: string): number {
    if (!isAddressText(address)) throw new TypeError(`TaintIndexPacker: ${JSON.stringify(address)} is not a 40-character address`);
    const r = this.addrBytes.length;
    const at = this.addrBytes.next(); // first: it may move the bytes
    this.addrBytes.data.write(address, at, 40, 'latin1');
    this.acct.push(-1);
    this.flags.push(0);
    return r;
  }

  private hashRowOf(hash: string): number {
    const r = this.hashRows.get(hash);
    if (r !== undefined) return r;
    const row = this.newHashRow(hash);
    this.hashRows.set(hash, row);
    return row;
  }

  /**
   * Rows for addresses the caller has not given before, in their order: `newAddressRow` for each, written at once.
   * Returns the first one's row.
   */
  newAddressRows(addresses: readonly string[]): number {
    const first = this.addrBytes.length;
    const bytes = Buffer.from(addresses.join(''), 'utf8');
    // 40 bytes each only when every character is ASCII; each byte then printable, no space
    let plain = bytes.length === 40 * addresses.length;
    for (let i = 0; i < addresses.length && plain; i++) plain = addresses[i].length === 40;
    for (let i = 0; i < bytes.length && plain; i++) plain = bytes[i] >= 0x21 && bytes[i] <= 0x7e;
    if (!plain) {
      const bad = addresses.find((a) => !isAddressText(a));
      throw new TypeError(`TaintIndexPacker: ${JSON.stringify(bad)} is not a 40-character address`);
    }
    this.addrBytes.append(bytes);
    const n = addresses.length;
    this.acct.reserve(n);
    this.acct.data.fill(-1, this.acct.length, this.acct.length + n);
    this.acct.length += n;
    this.flags.reserve(n);
    this.flags.data.fill(0, this.flags.length, this.flags.length + n);
    this.flags.length += n;
    return first;
  }

  /** A row for a hash the caller has not given before (a repeat fails `finish`). */
  newHashRow(hash: string): number {
    if (!isLowerHex64(hash)) throw new TypeError(`TaintIndexPacker: ${JSON.stringify(hash)} is not a lower-case hex hash`);
    const at = this.hashBytes.next(); // first: it may move the bytes
    writeHashHex(hash, this.hashBytes.data, at);
    return this.hashBytes.length - 1;
  }

  private nodeOf(parent: number, hashRow: number): number {
    // (parent, hash row) as one number: exact while both stay below 2^26 (67 million), else as text
    const key = parent < TRIE_SPAN - 1 && hashRow < TRIE_SPAN ? (parent + 1) * TRIE_SPAN + hashRow : `${parent}:${hashRow}`;
    let node = this.trie.get(key);
    if (node === undefined) {
      node = this.newNode(parent, hashRow);
      this.trie.set(key, node);
    }
    return node;
  }

  /** A new evidence trie node: the path `parent` (−1: none) one step on through hash row `hashRow`. */
  newNode(parent: number, hashRow: number): number {
    if (parent < -1 || parent >= this.nodeHash.length) throw new TypeError(`TaintIndexPacker: no trie node ${parent}`);
    this.nodeHash.push(hashRow);
    this.nodeParent.push(parent);
    return this.nodeHash.length - 1;
  }

  private pushEvents(h: HistoryRows): void {
    const n = h.length;
    const from = h.start ?? 0;
    this.evTime.reserve(n);
    this.evHeight.reserve(n);
    const time = this.evTime.data;
    const height = this.evHeight.data;
    const at = this.evTime.length;
    for (let i = 0; i < n; i++) {
      time[at + i] = h.time[from + i];
      height[at + i] = h.height[from + i];
    }
    this.evTime.length = this.evHeight.length = at + n;
    this.evBalance.pushHistoryRun(h.balance, from, n, h.exact, 0);
  }

  /** Whether `h` equals the events from `at` on (an amount kept as NaN never matches). */
  private eventsMatch(at: number, h: HistoryRows): boolean {
    const time = this.evTime.data;
    const height = this.evHeight.data;
    const balances = this.evBalance.values;
    const from = (h.start ?? 0) - at;
    for (let i = at; i < at + h.length; i++)
      if (time[i] !== h.time[from + i] || height[i] !== h.height[from + i] || balances[i] !== h.balance[from + i]) return false;
    return true;
  }
}

/** 40 printable ASCII characters, no space (a loop: a regular expression per address costs more). */
function isAddressText(address: string): boolean {
  if (address.length !== 40) return false;
  for (let i = 0; i < 40; i++) {
    const c = address.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** The 32 bytes of `hash` (64 lower-case hex digits, else a TypeError) at `at` of `out`: a hash row as `newHashRow` writes it. */
export function writeHashHex(hash: string, out: Buffer, at: number): void {
  if (!isLowerHex64(hash)) throw new TypeError(`TaintIndexPacker: ${JSON.stringify(hash)} is not a lower-case hex hash`);
  out.write(hash, at, 32, 'hex');
}

/** 64 lower-case hex digits (a loop: a regular expression costs several times more per hash). */
function isLowerHex64(hash: string): boolean {
  if (hash.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = hash.charCodeAt(i);
    if (c < 48 || (c > 57 && c < 97) || c > 102) return false;
  }
  return true;
}

/** An object entry's history as HistoryRows (a value outside the safe range as NaN, exact beside it). */
function historyRows(e: PolicyTaintEntry): HistoryRows {
  const n = e.historyTime.length;
  const balance = new Float64Array(n);
  const tainted = new Float64Array(n);
  let exact: Map<number, bigint> | undefined;
  const put = (arr: Float64Array, i: number, v: bigint, key: number): void => {
    if (v >= -MAX_SAFE && v <= MAX_SAFE) arr[i] = Number(v);
    else {
      arr[i] = Number.NaN;
      (exact ??= new Map()).set(key, v);
    }
  };
  for (let i = 0; i < n; i++) {
    put(balance, i, e.historyBalance[i], i);
    put(tainted, i, e.historyTainted[i], n + i);
  }
  return { length: n, time: e.historyTime, height: e.historyHeight, balance, tainted, exact };
}

function int32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff)
    throw new TypeError(`TaintIndexPacker: ${what} ${v} is not a 32-bit integer`);
  return v;
}
