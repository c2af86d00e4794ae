/**
 * KeptResults — IncrementalTrace's per-policy results kept between updates and rebuilt only where the resumed
 * sweep changed them (follow mode, docs/contracts.md §6): what `assembleSeeded` + `detached` give for the whole
 * trace, at the cost of what changed.
 *
 * Why only the touched accounts: every figure of an account (balance, taint held and received, hops, first
 * taint, history rows, an exit's memos) moves only on a transfer that has it as sender or recipient, and its
 * evidence follows first-taint pointers to earlier transfers. When the sweep resumed at chain position `from`,
 * the accounts whose results can differ are those of the transfers at `from` and after — before the change
 * (a fork took them out) and after it. Everything else is carried over by reference: the kept AccountTaint
 * objects are never changed once handed out (each update copies the maps it changes), so an earlier result
 * stays as it was.
 *
 * Per policy it keeps: the accounts (detached AccountTaint objects: evidence and history arrays), the carried
 * columns (rows before `from` copied, the rest from the sweep's log), the held and exited totals (adjusted by
 * the changed accounts' old and new figures). Also the openings and the seed transfers. `transferTaint` is a
 * view over the carried columns (views.ts TransferTaintMap). Pure: no I/O.
 */
import type { Transfer } from '../nem/index.js';
import type { IndexedColumns } from './columns.js';
import { seedTransfer } from './seeds.js';
import { NP, openingOf, type SweepResult } from './sweep.js';
import { accountFigures, type SeededTrace } from './trace.js';
import { evidenceSteps, TransferTaintMap } from './views.js';
import { POLICIES, type AccountTaint, type CarriedTaint, type Policy, type PolicyResult, type SeedTransfer } from './types.js';

/** What the kept results are rebuilt from: the transfers and columns after the update, and the finished sweep. */
export interface ResultsInput {
  sorted: Transfer[];
  cols: IndexedColumns;
  seed: Uint8Array;
  isExit: Uint8Array;
  res: SweepResult;
}

interface KeptPolicy {
  p: number;
  accounts: Map<string, AccountTaint>;
  carried: CarriedTaint;
  held: bigint;
  exited: bigint;
}

type History = NonNullable<SweepResult['history']>;

export class KeptResults {
  private kept: KeptPolicy[];
  private openings: Map<string, bigint>;
  private seeds: { k: number; t: SeedTransfer }[];
  /** The last sweep's history log, read before the next sweep overwrites it (rows to drop). */
  private history: History | null;

  /** All results of a trace assembled whole (`assembleSeeded` over the same sweep), detached. */
  constructor(
    private readonly policies: readonly Policy[],
    input: ResultsInput,
    traced: SeededTrace,
  ) {
    this.kept = policies.map((policy) => {
      const pr = traced.policies[policy]!;
      const accounts = new Map<string, AccountTaint>();
      for (const [address, a] of pr.accounts) accounts.set(address, { ...a });
      return { p: POLICIES.indexOf(policy), accounts, carried: pr.carried!, held: pr.totals.held, exited: pr.totals.exited };
    });
    this.openings = traced.openings;
    this.seeds = [];
    for (let k = 0; k < input.cols.n; k++) if (input.seed[k] === 1) this.seeds.push({ k, t: seedTransfer(input.sorted[k]) });
    this.history = input.res.history;
  }

  /** Chain positions of the seed transfers. */
  seedIndices(): number[] {
    return this.seeds.map((s) => s.k);
  }

  /**
   * The history rows per account·NP + policy of the last sweep at chain position `from` and after: what the
   * next sweep, resuming at `from`, replaces. Call before that sweep runs (it overwrites the log in place).
   */
  rowsFrom(from: number): Map<number, number> {
    const drop = new Map<number, number>();
    const h = this.history;
    if (h === null) return drop;
    for (let i = firstRowFrom(h.code, h.length, from); i < h.length; i++) {
      const key = h.account[i] * NP + (h.code[i] & 7);
      drop.set(key, (drop.get(key) ?? 0) + 1);
    }
    return drop;
  }

  /**
   * The results after a sweep that resumed at `from` (> 0, accounts numbered as before). `before`: the transfers
   * held before the update (their tail from `from` on is what the sweep replaced); `dropped`: `rowsFrom(from)`.
   * Returns them with the addresses whose results were rebuilt.
   */
  advance(
    input: ResultsInput,
    from: number,
    before: readonly Transfer[],
    dropped: ReadonlyMap<number, number>,
  ): { traced: SeededTrace; changed: Set<string> } {
    const { sorted, cols, res } = input;
    const changed = new Set<number>();
    for (let k = from; k < cols.n; k++) changed.add(cols.sender[k]).add(cols.recipient[k]);
    for (let k = from; k < before.length; k++) changed.add(cols.index.get(before[k].sender)!).add(cols.index.get(before[k].recipient)!);
    const addresses = new Set<string>();
    for (const a of changed) addresses.add(cols.addresses[a]);

    const log = res.log!;
    const logFrom = firstRowFrom(log.code, log.length, from);
    const newRows = groupHistory(res.history, from, changed);
    this.kept = this.kept.map((kp) => this.advancePolicy(kp, input, from, before, logFrom, changed, newRows, dropped));

    const openings = new Map(this.openings);
    for (const a of changed) {
      const o = openingOf(res, a);
      if (o > 0) openings.set(cols.addresses[a], BigInt(o));
      else openings.delete(cols.addresses[a]);
    }
    this.openings = openings;
    const seeds = this.seeds.filter((s) => s.k < from);
    for (let k = from; k < cols.n; k++) if (input.seed[k] === 1) seeds.push({ k, t: seedTransfer(sorted[k]) });
    this.seeds = seeds;
    this.history = res.history;
    return { traced: this.traced(input), changed: addresses };
  }

  /** The kept results as `assembleSeeded` gives them (transferTaint: a view over this result's own transfers). */
  traced(input: ResultsInput): SeededTrace {
    const { res, sorted } = input;
    const byHash = new HashLookup(sorted);
    const policies: Partial<Record<Policy, PolicyResult>> = {};
    this.kept.forEach((kp, i) => {
      policies[this.policies[i]] = {
        policy: this.policies[i],
        totals: { seed: res.injected[kp.p], held: kp.held, exited: kp.exited, fees: res.fees[kp.p] },
        accounts: kp.accounts,
        transferTaint: new TransferTaintMap(byHash, kp.carried),
        carried: kp.carried,
      };
    });
    const transfers = this.seeds.map((s) => s.t);
    return {
      seed: { amount: transfers.reduce((s, t) => s + t.amount, 0n), transfers },
      policies,
      dust: res.dust,
      openings: this.openings,
      balances: new Map(),
    };
  }

  private advancePolicy(
    kp: KeptPolicy,
    input: ResultsInput,
    from: number,
    before: readonly Transfer[],
    logFrom: number,
    changed: ReadonlySet<number>,
    newRows: ReadonlyMap<number, number[]>,
    dropped: ReadonlyMap<number, number>,
  ): KeptPolicy {
    const { sorted, cols, res, isExit } = input;
    const p = kp.p;
    // carried: the rows before `from` as they were, then the sweep's log rows of this policy from `from` on
    const old = kp.carried;
    const cut = firstCarriedFrom(old, from);
    const log = res.log!;
    let more = 0;
    for (let i = logFrom; i < log.length; i++) if ((log.code[i] & 7) === p) more++;
    const carried = { length: cut + more, k: new Int32Array(cut + more), amount: new Float64Array(cut + more) };
    carried.k.set(old.k.subarray(0, cut));
    carried.amount.set(old.amount.subarray(0, cut));
    for (let i = logFrom, j = cut; i < log.length; i++) {
      if ((log.code[i] & 7) !== p) continue;
      carried.k[j] = log.code[i] >>> 3;
      carried.amount[j++] = log.amount[i];
    }
    // exits' memos: the old rows from `from` on come off, the new ones go on
    const memoRows = new Map<string, { off: [string, number][]; on: [string, number][] }>();
    const memoRow = (address: string) => {
      let m = memoRows.get(address);
      if (m === undefined) memoRows.set(address, (m = { off: [], on: [] }));
      return m;
    };
    for (let i = cut; i < old.length; i++) {
      const t = before[old.k[i]];
      if (isExit[cols.index.get(t.recipient)!] === 1) memoRow(t.recipient).off.push([t.message ?? '', old.amount[i]]);
    }
    for (let i = cut; i < carried.length; i++) {
      const k = carried.k[i];
      if (isExit[cols.recipient[k]] === 1) memoRow(sorted[k].recipient).on.push([sorted[k].message ?? '', carried.amount[i]]);
    }

    const accounts = new Map(kp.accounts);
    let { held, exited } = kp;
    const view = { cols: { ...cols, hashAt: (k: number) => sorted[k].hash }, seed: input.seed };
    for (const a of changed) {
      const address = cols.addresses[a];
      const was = accounts.get(address);
      if (was !== undefined) {
        if (was.isExit) exited -= was.received;
        else held -= was.held;
      }
      if (res.firstK[a * NP + p] < 0) {
        accounts.delete(address);
        continue;
      }
      const exit = isExit[a] === 1;
      const f = accountFigures(res, a, p, exit);
      if (exit) exited += f.received;
      else held += f.held;
      const keep = (was?.history.length ?? 0) - (dropped.get(a * NP + p) ?? 0);
      const history = keep > 0 ? was!.history.slice(0, keep) : [];
      for (const i of newRows.get(a * NP + p) ?? []) {
        const t = sorted[res.history!.code[i] >>> 3];
        history.push({
          timeStamp: t.timeStamp,
          height: t.height,
          balance: BigInt(res.history!.balance[i]),
          tainted: BigInt(res.history!.tainted[i]),
        });
      }
      const at: AccountTaint = {
        address,
        isExit: exit,
        hops: f.hops,
        received: f.received,
        held: f.held,
        balance: f.balance,
        firstTaintedAt: cols.timeStamp[res.firstK[a * NP + p]],
        evidence: evidenceSteps(view, res.firstK, carried, a, p),
        history,
      };
      if (exit) {
        const memos = new Map<string, { amount: bigint; count: number }>();
        let count = was?.taintedTransfers ?? 0;
        for (const [memo, m] of was?.memos ?? []) memos.set(memo, { ...m });
        const rows = memoRows.get(address);
        for (const [memo, amount] of rows?.off ?? []) {
          const m = memos.get(memo)!;
          m.amount -= BigInt(amount);
          count--;
          if (--m.count === 0) memos.delete(memo);
        }
        for (const [memo, amount] of rows?.on ?? []) {
          const m = memos.get(memo);
          if (m === undefined) memos.set(memo, { amount: BigInt(amount), count: 1 });
          else {
            m.amount += BigInt(amount);
            m.count += 1;
          }
          count++;
        }
        at.memos = memos;
        at.taintedTransfers = count;
      }
      accounts.set(address, at);
    }
    return { p, accounts, carried, held, exited };
  }
}

/** Hash → transfer index over one result's transfers (built on the first lookup). */
class HashLookup {
  private index: Map<string, number> | null = null;
  readonly cols: { hashAt(k: number): string };
  constructor(readonly sorted: Transfer[]) {
    this.cols = { hashAt: (k) => sorted[k].hash };
  }
  indexOfHash(hash: string): number | undefined {
    if (this.index === null) {
      this.index = new Map();
      this.sorted.forEach((t, k) => this.index!.set(t.hash, k));
    }
    return this.index.get(hash);
  }
}

/** The first row of a log (codes k·8 + policy, ascending in k) whose transfer is at `from` or after. */
function firstRowFrom(code: Int32Array, length: number, from: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (code[mid] >>> 3 < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first carried row at transfer `from` or after. */
function firstCarriedFrom(c: CarriedTaint, from: number): number {
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.k[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The history rows from transfer `from` on of the changed accounts, per account·NP + policy, in log order. */
function groupHistory(h: SweepResult['history'], from: number, changed: ReadonlySet<number>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (h === null) return out;
  for (let i = firstRowFrom(h.code, h.length, from); i < h.length; i++) {
    if (!changed.has(h.account[i])) continue;
    const key = h.account[i] * NP + (h.code[i] & 7);
    let rows = out.get(key);
    if (rows === undefined) out.set(key, (rows = []));
    rows.push(i);
  }
  return out;
}
