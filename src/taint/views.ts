/**
 * runTrace's per-policy results as views over the sweep's columns (docs/taint-semantics.md, issue 10): nothing
 * per account or per transfer is copied into objects until a consumer asks for it.
 *  - `PolicyAccounts` is a ReadonlyMap address → AccountTaint; each get makes a fresh object whose
 *    evidence (followed back along the first-taint pointers, one per account and policy) and history
 *    (rows of the sweep's history log, grouped once on first use) are computed on first access and kept by it;
 *  - `CarriedTaint` columns (transfer index, amount) per policy, split once from the sweep's log;
 *  - `TransferTaintMap` is the ReadonlyMap hash → taint over those columns (the hash lookup table is
 *    built only when someone looks a hash up).
 */
import { blankColumns, columnsOf, type AccountColumns, type HistoryColumns } from './account-columns.js';
import { carriedAt, type CarriedTaint } from './carried.js';
import { NP, type SweepResult } from './sweep.js';
import { tableOf, type TraceTable, type TransferList } from './table.js';
import { POLICIES, rowFields, type AccountTaint, type EvidenceStep, type TraceResult } from './types.js';

/** One account's figures under policy index p after a sweep (trace.ts; the one home of the rule). */
export type FiguresOf = (
  res: SweepResult,
  a: number,
  p: number,
  exit: boolean,
) => { received: bigint; held: bigint; hops: number; balance: bigint };

/** An exit's deposit memos under one policy (AccountTaint.memos) and how many tainted transfers reached it. */
export interface ExitMemos {
  memos: Map<string, { amount: bigint; count: number }>;
  count: number;
}

const NO_ROW = 0x7fffffff;

/** A memo's taint and transfers: a sum of safe-integer µXEM kept as a number while exact, a bigint beyond. */
class MemoSum {
  private n: number;
  private big = 0n;
  count = 1;
  constructor(x: number) {
    this.n = x;
  }
  add(x: number): void {
    this.count += 1;
    const s = this.n + x;
    if (s <= Number.MAX_SAFE_INTEGER) this.n = s;
    else {
      this.big += BigInt(this.n) + BigInt(x);
      this.n = 0;
    }
  }
  value(): bigint {
    return this.big + BigInt(this.n);
  }
}

/** FiguresOf's received, held and hops as numbers (received NaN past 2^53): what the account columns read. */
export type FigureNumbersOf = (res: SweepResult, a: number, p: number, exit: boolean) => { received: number; held: number; hops: number };

/** What every view of one trace shares. */
export class TraceColumns {
  /** Per policy index (0..NP−1): the taint carried per transfer. */
  readonly carried: CarriedTaint[];
  private historyStart: Int32Array | null = null;
  private historyRows: Int32Array | null = null;
  private hashIndex: Map<string, number> | null = null;
  private historyByPolicy: HistoryColumns[] | null = null;
  /** Per policy: exit account → deposit memos (every policy's, computed on first use). */
  private memos: Map<number, ExitMemos>[] | null = null;

  constructor(
    /** The transfers: read only for what the columns lack (an exit's deposit memos, by `rowFields`). */
    readonly sorted: TransferList,
    readonly cols: TraceTable,
    readonly seed: Uint8Array,
    readonly isExit: Uint8Array,
    readonly res: SweepResult,
    private readonly figures: FiguresOf,
    private readonly figureNumbers: FigureNumbersOf,
  ) {
    this.carried = splitLog(res);
  }

  /** Transfer index of a hash (lower case as stored), or undefined. */
  indexOfHash(hash: string): number | undefined {
    if (this.hashIndex === null) {
      this.hashIndex = new Map();
      for (let k = 0; k < this.cols.n; k++) this.hashIndex.set(this.cols.hashAt(k), k);
    }
    return this.hashIndex.get(hash);
  }

  /** Follow first-taint pointers back to a seed; seed transfer first. */
  evidence(a: number, p: number): EvidenceStep[] {
    return evidenceSteps(this, this.res.firstK, this.carried[p], a, p);
  }

  /**
   * The sweep's history rows grouped by (account a, policy p), computed once: rows[start[a·NP + p] ..
   * start[a·NP + p + 1]) are the rows of `res.history` of that pair, in chain order. null without history.
   */
  historyGroups(): { start: Int32Array; rows: Int32Array } | null {
    const h = this.res.history;
    const start = this.historyStarts();
    if (h === null || start === null) return null;
    if (this.historyRows === null) {
      // counting sort of the history rows by (account, policy), stable: rows stay in chain order
      const fill = start.slice(0, -1);
      const rows = new Int32Array(h.length);
      for (let i = 0; i < h.length; i++) rows[fill[h.account[i] * NP + (h.code[i] & 7)]++] = i;
      this.historyRows = rows;
    }
    return { start, rows: this.historyRows };
  }

  /** The `start` of `historyGroups` alone (counted once): what a reader that groups the rows' values itself needs. */
  historyStarts(): Int32Array | null {
    const h = this.res.history;
    if (h === null) return null;
    if (this.historyStart === null) {
      const start = new Int32Array(this.res.accounts * NP + 1);
      for (let i = 0; i < h.length; i++) start[h.account[i] * NP + (h.code[i] & 7) + 1]++;
      for (let i = 1; i < start.length; i++) start[i] += start[i - 1];
      this.historyStart = start;
    }
    return this.historyStart;
  }

  history(a: number, p: number): AccountTaint['history'] {
    const h = this.res.history;
    const groups = this.historyGroups();
    if (h === null || groups === null) return [];
    const key = a * NP + p;
    const out: AccountTaint['history'] = [];
    for (let j = groups.start[key]; j < groups.start[key + 1]; j++) {
      const i = groups.rows[j];
      const k = h.code[i] >>> 3;
      out.push({
        timeStamp: this.cols.timeStamp[k],
        height: this.cols.height[k],
        balance: BigInt(h.balance[i]),
        tainted: BigInt(h.tainted[i]),
      });
    }
    return out;
  }

  /** Deposit memos of the taint that reached exit account a under policy p. */
  exitMemos(a: number, p: number): ExitMemos {
    this.memos ??= this.allExitMemos();
    return this.memos[p].get(a) ?? { memos: new Map(), count: 0 };
  }

  /**
   * Every policy's exit memos in one pass over their carried rows into exits, merged in chain order: a transfer
   * that carried taint into an exit under several policies has its memo read once (by `rowFields`, no Transfer
   * object). Amounts are summed as numbers while exact (a bigint past 2^53).
   */
  private allExitMemos(): Map<number, ExitMemos>[] {
    const fields = rowFields(this.sorted);
    const { recipient } = this.cols;
    const sums = this.carried.map(() => new Map<number, { memos: Map<string, MemoSum>; count: number }>());
    const at = new Int32Array(NP); // per policy: its next carried row
    for (;;) {
      let k = NO_ROW; // the first transfer into an exit among the policies' next rows
      for (let p = 0; p < NP; p++) {
        const c = this.carried[p];
        let i = at[p];
        while (i < c.length && this.isExit[recipient[c.k[i]]] !== 1) i++;
        at[p] = i;
        if (i < c.length && c.k[i] < k) k = c.k[i];
      }
      if (k === NO_ROW) break;
      const memo = fields.messageAt(k) ?? '';
      const r = recipient[k];
      for (let p = 0; p < NP; p++) {
        const c = this.carried[p];
        const i = at[p];
        if (i >= c.length || c.k[i] !== k) continue;
        at[p] = i + 1;
        let e = sums[p].get(r);
        if (e === undefined) sums[p].set(r, (e = { memos: new Map(), count: 0 }));
        const m = e.memos.get(memo);
        if (m === undefined) e.memos.set(memo, new MemoSum(c.amount[i]));
        else m.add(c.amount[i]);
        e.count += 1;
      }
    }
    return sums.map((byExit) => {
      const out = new Map<number, ExitMemos>();
      for (const [r, e] of byExit) {
        const memos = new Map<string, { amount: bigint; count: number }>();
        for (const [memo, m] of e.memos) memos.set(memo, { amount: m.value(), count: m.count });
        out.set(r, { memos, count: e.count });
      }
      return out;
    });
  }

  /** The figures of the accounts `list` (ascending) under policy p as columns (account-columns.ts), as numbers. */
  accountColumns(list: Int32Array, p: number): AccountColumns {
    const n = list.length;
    const c = blankColumns(n);
    c.account.set(list);
    const big = new Map<number, bigint>();
    for (let i = 0; i < n; i++) {
      const a = list[i];
      const exit = this.isExit[a] === 1;
      const f = this.figureNumbers(this.res, a, p, exit);
      if (f.received <= Number.MAX_SAFE_INTEGER) c.received[i] = f.received;
      else {
        const exact = this.figures(this.res, a, p, exit).received;
        c.received[i] = Number(exact);
        big.set(i, exact);
      }
      c.held[i] = f.held;
      c.hops[i] = f.hops;
      c.exit[i] = exit ? 1 : 0;
      c.firstTaintedAt[i] = this.cols.timeStamp[this.res.firstK[a * NP + p]];
    }
    return columnsOf(this.res.accounts, c, big);
  }

  /** The history rows of policy p in chain order (account-columns.ts; every policy's split in one pass, once). */
  historyColumns(p: number): HistoryColumns {
    if (this.historyByPolicy === null) {
      const h = this.res.history;
      const n = h?.length ?? 0;
      const counts = new Int32Array(NP);
      for (let i = 0; i < n; i++) counts[h!.code[i] & 7]++;
      const out = [...counts].map((m) => ({
        length: m,
        account: new Int32Array(m),
        height: new Int32Array(m),
        timeStamp: new Int32Array(m),
        tainted: new Float64Array(m),
      }));
      const fill = new Int32Array(NP);
      for (let i = 0; i < n; i++) {
        const code = h!.code[i];
        const q = code & 7;
        const j = fill[q]++;
        const k = code >>> 3;
        const o = out[q];
        o.account[j] = h!.account[i];
        o.height[j] = this.cols.height[k];
        o.timeStamp[j] = this.cols.timeStamp[k];
        o.tainted[j] = h!.tainted[i];
      }
      this.historyByPolicy = out;
    }
    return this.historyByPolicy[p];
  }

  /** Whether account a received taint under policy p. */
  tainted(a: number, p: number): boolean {
    return this.res.firstK[a * NP + p] >= 0;
  }

  /** A fresh AccountTaint of account a under policy p (evidence and history computed on access). */
  account(a: number, p: number): AccountTaint {
    const exit = this.isExit[a] === 1;
    const { received, held, hops, balance } = this.figures(this.res, a, p, exit);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const trace = this;
    let evidence: EvidenceStep[] | undefined;
    let history: AccountTaint['history'] | undefined;
    const at: AccountTaint = {
      address: this.cols.addresses[a],
      isExit: exit,
      hops,
      received,
      held,
      balance,
      firstTaintedAt: this.cols.timeStamp[this.res.firstK[a * NP + p]],
      // computed on first access, then kept by this object (a reader may index `history[i]` in a loop)
      get evidence() {
        return (evidence ??= trace.evidence(a, p));
      },
      get history() {
        return (history ??= trace.history(a, p));
      },
    };
    if (exit) {
      const e = this.exitMemos(a, p);
      at.memos = e.memos;
      at.taintedTransfers = e.count;
    }
    return at;
  }
}

/**
 * The evidence of account a under policy index p: its first-taint pointers (`firstK`, [a·NP + p]) followed back
 * to a seed, seed transfer first, each step with the taint it carried (`carried`: the policy's columns).
 */
export function evidenceSteps(
  trace: { cols: Pick<TraceTable, 'sender' | 'recipient' | 'addresses' | 'timeStamp' | 'amount' | 'hashAt'>; seed: Uint8Array },
  firstK: Int32Array,
  carried: CarriedTaint,
  a: number,
  p: number,
): EvidenceStep[] {
  const steps: EvidenceStep[] = [];
  let k = firstK[a * NP + p];
  let guard = Infinity;
  while (k >= 0 && k < guard) {
    const { cols } = trace;
    steps.push({
      hash: cols.hashAt(k),
      from: cols.addresses[cols.sender[k]],
      to: cols.addresses[cols.recipient[k]],
      timeStamp: cols.timeStamp[k],
      amount: BigInt(cols.amount[k]),
      taint: BigInt(carriedAt(carried, k)),
    });
    if (trace.seed[k] === 1) break;
    guard = k;
    k = firstK[trace.cols.sender[k] * NP + p];
  }
  return steps.reverse();
}

/** The sweep's log (k·8 + policy, amount; in k order) split into one column pair per policy. */
function splitLog(res: SweepResult): CarriedTaint[] {
  const log = res.log!;
  const counts = new Int32Array(NP);
  for (let i = 0; i < log.length; i++) counts[log.code[i] & 7]++;
  const out = [...counts].map((n) => ({ length: n, k: new Int32Array(n), amount: new Float64Array(n) }));
  const fill = new Int32Array(NP);
  for (let i = 0; i < log.length; i++) {
    const code = log.code[i];
    const p = code & 7;
    const j = fill[p]++;
    out[p].k[j] = code >>> 3;
    out[p].amount[j] = log.amount[i];
  }
  return out;
}

/** Address → AccountTaint of the accounts that received taint under one policy (account order). */
export class PolicyAccounts implements ReadonlyMap<string, AccountTaint> {
  private readonly list: Int32Array;
  private readonly members: Set<number> | null;
  private cols: AccountColumns | null = null;
  private rows: HistoryColumns | null = null;

  /** `only`: the account indices to hold (default: every account that received taint). */
  constructor(
    readonly trace: TraceColumns,
    private readonly p: number,
    only: readonly number[] | null = null,
  ) {
    const ids: number[] = [];
    if (only === null) {
      for (let a = 0; a < trace.res.accounts; a++) if (trace.tainted(a, p)) ids.push(a);
    } else for (const a of [...new Set(only)].sort((x, y) => x - y)) if (trace.tainted(a, p)) ids.push(a);
    this.list = Int32Array.from(ids);
    this.members = only === null ? null : new Set(ids);
  }

  private holds(a: number | undefined): a is number {
    return a !== undefined && this.trace.tainted(a, this.p) && (this.members === null || this.members.has(a));
  }

  get size(): number {
    return this.list.length;
  }

  /** Whether the map holds every account that received taint under its policy (not a chosen few). */
  get whole(): boolean {
    return this.members === null;
  }

  /** Account indices (into the trace's columns) in this map, ascending. */
  get indices(): Int32Array {
    return this.list;
  }

  /** These accounts' figures as columns (computed once; accountColumnsOf in account-columns.ts reads them). */
  columns(): AccountColumns {
    return (this.cols ??= this.trace.accountColumns(this.list, this.p));
  }

  /** These accounts' history rows in chain order (computed once; historyColumnsOf reads them). */
  historyColumns(): HistoryColumns {
    if (this.rows === null) {
      const all = this.trace.historyColumns(this.p);
      const members = this.members;
      if (members === null) this.rows = all;
      else {
        const keep: number[] = [];
        for (let i = 0; i < all.length; i++) if (members.has(all.account[i])) keep.push(i);
        this.rows = {
          length: keep.length,
          account: Int32Array.from(keep, (i) => all.account[i]),
          height: Int32Array.from(keep, (i) => all.height[i]),
          timeStamp: Int32Array.from(keep, (i) => all.timeStamp[i]),
          tainted: Float64Array.from(keep, (i) => all.tainted[i]),
        };
      }
    }
    return this.rows;
  }

  has(address: string): boolean {
    return this.holds(this.trace.cols.index.get(address));
  }

  get(address: string): AccountTaint | undefined {
    const a = this.trace.cols.index.get(address);
    return this.holds(a) ? this.trace.account(a, this.p) : undefined;
  }

  *keys(): MapIterator<string> {
    for (const a of this.list) yield this.trace.cols.addresses[a];
  }

  *values(): MapIterator<AccountTaint> {
    for (const a of this.list) yield this.trace.account(a, this.p);
  }

  *entries(): MapIterator<[string, AccountTaint]> {
    for (const a of this.list) yield [this.trace.cols.addresses[a], this.trace.account(a, this.p)];
  }

  [Symbol.iterator](): MapIterator<[string, AccountTaint]> {
    return this.entries();
  }

  forEach(fn: (value: AccountTaint, key: string, map: ReadonlyMap<string, AccountTaint>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  /** Serialises as the Map it stands for (never the columns behind it). */
  toJSON(): Map<string, AccountTaint> {
    return new Map(this.entries());
  }
}

/** Hash → taint carried under one policy, in chain order, over the policy's CarriedTaint columns. */
export class TransferTaintMap implements ReadonlyMap<string, bigint> {
  constructor(
    private readonly trace: { cols: Pick<TraceTable, 'hashAt'>; indexOfHash(hash: string): number | undefined },
    private readonly c: CarriedTaint,
  ) {}

  get size(): number {
    return this.c.length;
  }

  get(hash: string): bigint | undefined {
    const k = this.trace.indexOfHash(hash);
    if (k === undefined) return undefined;
    const x = carriedAt(this.c, k);
    return x > 0 ? BigInt(x) : undefined;
  }

  has(hash: string): boolean {
    return this.get(hash) !== undefined;
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.c.length; i++) yield this.trace.cols.hashAt(this.c.k[i]);
  }

  *values(): MapIterator<bigint> {
    for (let i = 0; i < this.c.length; i++) yield BigInt(this.c.amount[i]);
  }

  *entries(): MapIterator<[string, bigint]> {
    for (let i = 0; i < this.c.length; i++) yield [this.trace.cols.hashAt(this.c.k[i]), BigInt(this.c.amount[i])];
  }

  [Symbol.iterator](): MapIterator<[string, bigint]> {
    return this.entries();
  }

  forEach(fn: (value: bigint, key: string, map: ReadonlyMap<string, bigint>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  /** Serialises as the Map it stands for (never the columns behind it). */
  toJSON(): Map<string, bigint> {
    return new Map(this.entries());
  }
}

/**
 * The sweep behind a result of runTrace (its columns, first-taint pointers, history, per-policy carried taint), for
 * consumers that read the per-account figures without an object per account (the taint index: src/screen). undefined
 * when the result is not runTrace's whole result: a hand-built one, an incremental one, or one whose policies'
 * maps or transfer table are not that sweep's.
 */
export function traceColumnsOf(result: TraceResult): TraceColumns | undefined {
  let trace: TraceColumns | undefined;
  for (const pr of Object.values(result.policies)) {
    if (pr === undefined) continue;
    if (!(pr.accounts instanceof PolicyAccounts) || !pr.accounts.whole) return undefined;
    const t = pr.accounts.trace;
    if ((trace !== undefined && t !== trace) || pr.carried !== t.carried[POLICIES.indexOf(pr.policy)]) return undefined;
    trace = t;
  }
  return trace !== undefined && tableOf(result).sender === trace.cols.sender ? trace : undefined;
}
