/**
 * TaintIndexPacker: builds the packed TaintIndex (packed.ts) from objects, one at a time, so a caller
 * never needs every account as an object at once. Order: `addTransfer` for every transfer, then
 * `addAccount` for every account, `addCovered` for the covered addresses, then `finish()`.
 *
 * The account's policies share one list of history events when their (time, height, balance) rows
 * agree (the taint core's always do: one is a suffix of another); otherwise a policy keeps its own.
 * Evidence paths go into a trie keyed by (parent node, hash), so shared prefixes are stored once.
 */
import { POLICIES } from '../domain.js';
import type { IndexedAccount, IndexedTransfer } from './index-types.js';
import { lookupTables, TaintIndex, type PackedArrays, type PackedHeader } from './packed.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const TRIE_SPAN = 2 ** 26;

/** A growable list of amounts: safe integers as numbers, anything else NaN with the exact bigint in `big`. */
class Amounts {
  readonly values: number[] = [];
  constructor(
    private readonly name: keyof PackedArrays,
    private readonly big: Map<string, bigint>,
  ) {}
  push(v: bigint): void {
    if (v >= -MAX_SAFE && v <= MAX_SAFE) this.values.push(Number(v));
    else {
      this.big.set(`${this.name}:${this.values.length}`, v);
      this.values.push(Number.NaN);
    }
  }
  get length(): number {
    return this.values.length;
  }
  array(): Float64Array {
    return Float64Array.from(this.values);
  }
}

export type PackerHeader = Omit<PackedHeader, 'hasCoverage'> & { hasCoverage?: boolean };

export class TaintIndexPacker {
  private readonly big = new Map<string, bigint>();
  private readonly addrRows = new Map<string, number>();
  private readonly addrList: string[] = [];
  private readonly acct: number[] = [];
  private readonly flags: number[] = [];
  private readonly acctRow: number[] = [];
  private readonly entryBase: number[] = [];
  private readonly entryMask: number[] = [];
  private readonly exitStart: number[] = [];
  private readonly exitLen: number[] = [];
  private readonly exitRows: number[] = [];
  private readonly hops: number[] = [];
  private readonly isExit: number[] = [];
  private readonly received = new Amounts('received', this.big);
  private readonly held = new Amounts('held', this.big);
  private readonly balance = new Amounts('balance', this.big);
  private readonly firstTaintedAt: number[] = [];
  private readonly evidence: number[] = [];
  private readonly histStart: number[] = [];
  private readonly taintStart: number[] = [];
  private readonly histLen: number[] = [];
  private readonly evTime: number[] = [];
  private readonly evHeight: number[] = [];
  private readonly evBalance = new Amounts('evBalance', this.big);
  private readonly taintVals = new Amounts('taintVals', this.big);
  private readonly hashRows = new Map<string, number>();
  private readonly hashList: string[] = [];
  private readonly tFrom: number[] = [];
  private readonly tTo: number[] = [];
  private readonly tHeight: number[] = [];
  private readonly tTime: number[] = [];
  private readonly tAmount = new Amounts('tAmount', this.big);
  private readonly tFee = new Amounts('tFee', this.big);
  private readonly tTaintBase: number[] = [];
  private readonly tTaintMask: number[] = [];
  private readonly tTaintVals = new Amounts('tTaintVals', this.big);
  private readonly messages: (string | null)[] = [];
  private readonly trie = new Map<number | string, number>();
  private readonly nodeHash: number[] = [];
  private readonly nodeParent: number[] = [];
  private stage: 'transfers' | 'accounts' | 'done' = 'transfers';
  private hasCoverage: boolean;

  constructor(private readonly header: PackerHeader) {
    this.hasCoverage = header.hasCoverage ?? false;
  }

  addTransfer(t: IndexedTransfer): void {
    if (this.stage !== 'transfers') throw new TypeError('TaintIndexPacker: every transfer must come before the accounts');
    if (this.hashRows.has(t.hash)) throw new TypeError(`TaintIndexPacker: transfer ${t.hash} added twice`);
    this.hashRowOf(t.hash);
    this.tFrom.push(this.addressRowOf(t.from));
    this.tTo.push(this.addressRowOf(t.to));
    this.tHeight.push(int32(t.height, 'height'));
    this.tTime.push(int32(t.timeStamp, 'timeStamp'));
    this.tAmount.push(t.amount);
    this.tFee.push(t.fee);
    let mask = 0;
    this.tTaintBase.push(this.tTaintVals.length);
    for (let p = 0; p < POLICIES.length; p++) {
      const v = t.taint[POLICIES[p]];
      if (v === undefined) continue;
      mask |= 1 << p;
      this.tTaintVals.push(v);
    }
    this.tTaintMask.push(mask);
    this.messages.push(t.message);
  }

  addAccount(account: IndexedAccount): void {
    if (this.stage === 'done') throw new TypeError('TaintIndexPacker: finished');
    this.stage = 'accounts';
    const row = this.addressRowOf(account.address);
    if (this.acct[row] >= 0) throw new TypeError(`TaintIndexPacker: account ${account.address} added twice`);
    const ordinal = this.acctRow.length;
    this.acct[row] = ordinal;
    this.acctRow.push(row);
    this.entryBase.push(this.hops.length);
    this.exitStart.push(this.exitRows.length);
    this.exitLen.push(account.exits.length);
    for (const e of account.exits) this.exitRows.push(this.addressRowOf(e));

    // the longest history is the account's event list; others share its tail when they match it
    let base: (typeof account.policies)[keyof typeof account.policies] | undefined;
    for (const p of POLICIES) {
      const e = account.policies[p];
      if (e && (!base || e.historyTime.length > base.historyTime.length)) base = e;
    }
    const baseStart = this.evTime.length;
    const baseLen = base?.historyTime.length ?? 0;
    if (base) this.pushEvents(base.historyTime, base.historyHeight, base.historyBalance);

    let mask = 0;
    for (let p = 0; p < POLICIES.length; p++) {
      const e = account.policies[POLICIES[p]];
      if (!e) continue;
      mask |= 1 << p;
      this.hops.push(int32(e.hops, 'hops'));
      this.isExit.push(e.isExit ? 1 : 0);
      this.received.push(e.received);
      this.held.push(e.held);
      this.balance.push(e.balance);
      this.firstTaintedAt.push(int32(e.firstTaintedAt, 'firstTaintedAt'));
      let node = -1;
      for (const hash of e.evidence) node = this.nodeOf(node, this.hashRowOf(hash));
      this.evidence.push(node);
      const n = e.historyTime.length;
      const at = baseStart + baseLen - n;
      if (base && n <= baseLen && this.eventsMatch(at, e.historyTime, e.historyHeight, e.historyBalance)) this.histStart.push(at);
      else {
        this.histStart.push(this.evTime.length);
        this.pushEvents(e.historyTime, e.historyHeight, e.historyBalance);
      }
      this.taintStart.push(this.taintVals.length);
      for (const v of e.historyTainted) this.taintVals.push(v);
      this.histLen.push(n);
    }
    this.entryMask.push(mask);
  }

  addCovered(address: string): void {
    if (this.stage === 'done') throw new TypeError('TaintIndexPacker: finished');
    this.hasCoverage = true;
    this.flags[this.addressRowOf(address)] |= 1;
  }

  finish(): TaintIndex {
    if (this.stage === 'done') throw new TypeError('TaintIndexPacker: finished already');
    this.stage = 'done';
    const n = this.addrList.length;
    const addrBytes = new Uint8Array(n * 40);
    const addrBuf = Buffer.from(addrBytes.buffer, addrBytes.byteOffset, addrBytes.byteLength);
    for (let r = 0; r < n; r++) addrBuf.write(this.addrList[r], r * 40, 40, 'latin1');
    const h = this.hashList.length;
    const hashBytes = new Uint8Array(h * 32);
    const hashBuf = Buffer.from(hashBytes.buffer, hashBytes.byteOffset, hashBytes.byteLength);
    for (let r = 0; r < h; r++) hashBuf.write(this.hashList[r], r * 32, 32, 'hex');
    const tables = lookupTables(addrBytes, hashBytes);
    if (typeof tables === 'string') throw new TypeError(`TaintIndexPacker: ${tables}`);
    const { addrTable, hashTable } = tables;
    const acct = new Int32Array(n).fill(-1);
    for (let r = 0; r < n; r++) if (this.acct[r] !== undefined) acct[r] = this.acct[r];
    const flags = new Uint8Array(n);
    for (let r = 0; r < n; r++) flags[r] = this.flags[r] ?? 0;
    const arrays: PackedArrays = {
      addrBytes,
      addrTable,
      acct,
      flags,
      acctRow: Int32Array.from(this.acctRow),
      entryBase: Int32Array.from(this.entryBase),
      entryMask: Uint8Array.from(this.entryMask),
      exitStart: Int32Array.from(this.exitStart),
      exitLen: Int32Array.from(this.exitLen),
      exitRows: Int32Array.from(this.exitRows),
      hops: Int32Array.from(this.hops),
      isExit: Uint8Array.from(this.isExit),
      received: this.received.array(),
      held: this.held.array(),
      balance: this.balance.array(),
      firstTaintedAt: Int32Array.from(this.firstTaintedAt),
      evidence: Int32Array.from(this.evidence),
      histStart: Int32Array.from(this.histStart),
      taintStart: Int32Array.from(this.taintStart),
      histLen: Int32Array.from(this.histLen),
      evTime: Int32Array.from(this.evTime),
      evHeight: Int32Array.from(this.evHeight),
      evBalance: this.evBalance.array(),
      taintVals: this.taintVals.array(),
      hashBytes,
      hashTable,
      tFrom: Int32Array.from(this.tFrom),
      tTo: Int32Array.from(this.tTo),
      tHeight: Int32Array.from(this.tHeight),
      tTime: Int32Array.from(this.tTime),
      tAmount: this.tAmount.array(),
      tFee: this.tFee.array(),
      tTaintBase: Int32Array.from(this.tTaintBase),
      tTaintMask: Uint8Array.from(this.tTaintMask),
      tTaintVals: this.tTaintVals.array(),
      nodeHash: Int32Array.from(this.nodeHash),
      nodeParent: Int32Array.from(this.nodeParent),
    };
    return new TaintIndex(
      { ...this.header, hasCoverage: this.hasCoverage },
      { arrays, messages: this.messages, big: this.big, accounts: this.acctRow.length, transfers: this.tFrom.length },
    );
  }

  private addressRowOf(address: string): number {
    let r = this.addrRows.get(address);
    if (r === undefined) {
      if (address.length !== 40 || !/^[\x21-\x7e]{40}$/.test(address))
        throw new TypeError(`TaintIndexPacker: ${JSON.stringify(address)} is not a 40-character address`);
      r = this.addrList.length;
      this.addrRows.set(address, r);
      this.addrList.push(address);
      this.acct.push(-1);
      this.flags.push(0);
    }
    return r;
  }

  private hashRowOf(hash: string): number {
    let r = this.hashRows.get(hash);
    if (r === undefined) {
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new TypeError(`TaintIndexPacker: ${JSON.stringify(hash)} is not a lower-case hex hash`);
      r = this.hashList.length;
      this.hashRows.set(hash, r);
      this.hashList.push(hash);
    }
    return r;
  }

  private nodeOf(parent: number, hashRow: number): number {
    // (parent, hash row) as one number: exact while both stay below 2^26 (67 million), else as text
    const key = parent < TRIE_SPAN - 1 && hashRow < TRIE_SPAN ? (parent + 1) * TRIE_SPAN + hashRow : `${parent}:${hashRow}`;
    let node = this.trie.get(key);
    if (node === undefined) {
      node = this.nodeHash.length;
      this.trie.set(key, node);
      this.nodeHash.push(hashRow);
      this.nodeParent.push(parent);
    }
    return node;
  }

  private pushEvents(time: Int32Array, height: Int32Array, balance: BigInt64Array): void {
    for (let i = 0; i < time.length; i++) {
      this.evTime.push(time[i]);
      this.evHeight.push(height[i]);
      this.evBalance.push(balance[i]);
    }
  }

  private eventsMatch(at: number, time: Int32Array, height: Int32Array, balance: BigInt64Array): boolean {
    for (let i = 0; i < time.length; i++) {
      if (this.evTime[at + i] !== time[i] || this.evHeight[at + i] !== height[i]) return false;
      const b = this.evBalance.values[at + i];
      if (b !== b || BigInt(b) !== balance[i]) return false;
    }
    return true;
  }
}

function int32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff)
    throw new TypeError(`TaintIndexPacker: ${what} ${v} is not a 32-bit integer`);
  return v;
}
