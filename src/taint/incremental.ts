/**
 * IncrementalTrace — follow mode's re-trace (docs/contracts.md §6 "Follow mode"): the same result as
 * `runTrace` over the whole transfer set, without sweeping it all again when a block arrives.
 *
 * It keeps the transfers in chain order, their columns, and the sweep (src/taint/sweep.ts `Sweeper`)
 * between updates. An update (transfers added, transfers removed by a fork, or the whole set again
 * after a backfill) finds the first chain position that changed; everything before it is the same, so
 * the sweep resumes from its state there: from where it stopped when the new transfers all come after
 * it (a new block), else from the newest checkpoint at or before that position (a fork, a backfill
 * below it), else from the start. Checkpoints are taken where the height crosses a multiple of
 * `checkpointBlocks`, and kept for the last `keepBlocks` below the tip (plus the newest one under
 * them), so a fork within the chain's rewrite limit re-sweeps at most that many blocks' transfers
 * and more.
 *
 * Accounts keep their column index from the update that first saw them (a batch trace numbers them
 * by first appearance in chain order); results are keyed by address, so nothing depends on it. A
 * resume from the start renumbers them as a batch trace does. Pure: no I/O.
 */
import type { Transfer } from '../nem/index.js';
import { buildColumns, setColumnRow, type IndexedColumns } from './columns.js';
import { compareChainOrder, sortTransfers } from './order.js';
import { checkSeedsFound, seedTest } from './seeds.js';
import { Sweeper, type SweepCheckpoint, type SweepOptions } from './sweep.js';
import { KeptResults, type ResultsInput } from './incremental-results.js';
import { assembleSeeded, checkPolicies, traceResultOf, type RunTraceInput, type SeededTrace } from './trace.js';
import { tableOfTransfers } from './table.js';
import { exitTest, type Label, type Policy, type ResolvedCase, type TraceResult } from './types.js';

export interface IncrementalTraceOptions {
  caseSpec: ResolvedCase;
  labels: ReadonlyMap<string, Label>;
  policies?: readonly Policy[];
  engineVersion: string;
  /** A checkpoint where the height crosses a multiple of this (default 100 blocks). */
  checkpointBlocks?: number;
  /**
   * Checkpoints are kept from this many blocks below the tip (default 512; give at least the chain's
   * rewrite limit, 360 for NIS1, so a fork resumes from a checkpoint).
   */
  keepBlocks?: number;
}

/** What changed in the store since the last update. */
export type TraceChange =
  /** Transfers stored (a new block's) and transfers deleted (a fork), either may be empty. */
  | { add?: readonly Transfer[]; remove?: readonly Transfer[] }
  /** The whole transfer set as the store holds it now (after a backfill crawl, a restart). */
  | { all: readonly Transfer[] };

export interface TraceUpdateStats {
  /** Transfers traced. */
  transfers: number;
  /** The first chain position that changed. */
  changedAt: number;
  /** Where the sweep resumed (0: from the start). */
  resumedAt: number;
  /** Transfers swept by this update. */
  swept: number;
  /** Checkpoints held after it. */
  checkpoints: number;
}

/** What an update gives: the result, what it swept, and the accounts whose results it rebuilt. */
export interface TraceUpdate {
  /** The result, its transfers a plain array (follow reads them as one). */
  result: TraceResult & { transfers: Transfer[] };
  stats: TraceUpdateStats;
  /**
   * What may differ from the result of the previous update that returned one (updates that threw in between
   * included): `accounts`, the addresses whose per-policy results (figures, evidence, history, memos) were
   * rebuilt — those of the transfers swept, before and after the change; every other account's AccountTaint
   * objects are the previous result's; `from`, the first chain position whose carried taint was recomputed.
   * null: everything was rebuilt (the first update, or one that swept from the start).
   */
  changed: Changed | null;
}

export interface Changed {
  accounts: ReadonlySet<string>;
  from: number;
}

interface Checkpoint {
  /** Height of transfer `state.k` (the first one after it). */
  height: number;
  state: SweepCheckpoint;
}

export class IncrementalTrace {
  private readonly policies: Policy[];
  private readonly exitOf: (address: string) => boolean;
  private readonly isSeed: (t: Transfer) => boolean;
  private readonly every: number;
  private readonly keep: number;
  private sorted: Transfer[] = [];
  private cols: IndexedColumns = buildColumns([]);
  private isExit = new Uint8Array(0);
  private seed = new Uint8Array(0);
  private sweeper: Sweeper | null = null;
  private checkpoints: Checkpoint[] = [];
  /** The results of the last update, rebuilt where the next one changes them. */
  private kept: KeptResults | null = null;
  /** The changes of the updates since the last one that returned a result (undefined: none; null: everything). */
  private unreported: Changed | null | undefined = undefined;

  constructor(private readonly options: IncrementalTraceOptions) {
    this.policies = checkPolicies(options.policies);
    this.exitOf = exitTest(options.labels, options.caseSpec.exitCategories);
    this.isSeed = seedTest(options.caseSpec.seeds);
    this.every = options.checkpointBlocks ?? 100;
    this.keep = options.keepBlocks ?? 512;
    if (!(this.every >= 1) || !(this.keep >= 0)) throw new TypeError('checkpointBlocks ≥ 1 and keepBlocks ≥ 0');
  }

  /** Transfers held, in chain order (do not modify). */
  get transfers(): readonly Transfer[] {
    return this.sorted;
  }

  /**
   * Applies a change and traces: the TraceResult `runTrace` gives for the transfers held afterwards.
   * Throws TRACE_STORE_EMPTY as `runTrace` does when a seed of the case is not among them (the change
   * is kept; the next update traces again).
   */
  update(change: TraceChange, meta: Pick<RunTraceInput, 'storeDigest' | 'tipHeight'>): TraceUpdate {
    const windowTo = this.options.caseSpec.windowTo;
    const inWindow = (t: Transfer) => windowTo === null || t.timeStamp < windowTo;
    const next = 'all' in change ? sortTransfers(change.all.filter(inWindow)) : this.merged(change, inWindow);
    const changedAt = firstDifference(this.sorted, next);
    const from = this.resumePoint(changedAt);
    const before = this.sorted;
    // the history rows the resumed sweep replaces, read before it overwrites them
    const dropped = from > 0 && this.kept !== null ? this.kept.rowsFrom(from) : null;
    try {
      this.rebuild(next, from);
      this.sweepTo(meta.tipHeight);
    } catch (err) {
      // a transfer the columns refuse, or a balance past 2^53: start over on the next update
      this.reset();
      throw err;
    }
    const swept = this.cols.n - from;
    const res = this.sweeper!.result();
    const input: ResultsInput = { sorted: this.sorted, cols: this.cols, seed: this.seed, isExit: this.isExit, res };

    let traced: SeededTrace;
    let changed: Changed | null = null;
    if (dropped !== null) {
      const advanced = this.kept!.advance(input, from, before, dropped);
      traced = advanced.traced;
      changed = { accounts: advanced.changed, from };
    } else {
      const whole = assembleSeeded(
        { sorted: this.sorted, cols: tableOfTransfers(this.sorted, this.cols) },
        { isExit: this.isExit, seed: this.seed, dust: this.options.caseSpec.dust, policies: this.policies, history: true },
        res,
      );
      this.kept = new KeptResults(this.policies, input, whole);
      traced = this.kept.traced(input);
    }
    // the changes of updates that threw (a seed missing) were never handed out: they count as this one's
    const unreported = this.unreported;
    if (unreported !== undefined && changed !== null)
      changed =
        unreported === null
          ? null
          : { accounts: new Set([...changed.accounts, ...unreported.accounts]), from: Math.min(from, unreported.from) };
    try {
      checkSeedsFound(
        this.kept!.seedIndices().map((k) => this.sorted[k]),
        this.options.caseSpec.seeds,
      );
    } catch (err) {
      this.unreported = changed;
      throw err;
    }
    this.unreported = undefined;
    const result = traceResultOf({ ...this.options, ...meta }, this.policies, this.sorted, traced);
    return {
      result,
      changed,
      stats: { transfers: this.cols.n, changedAt, resumedAt: from, swept, checkpoints: this.checkpoints.length },
    };
  }

  private reset(): void {
    this.sorted = [];
    this.sweeper = null;
    this.checkpoints = [];
    this.kept = null;
    this.unreported = undefined;
  }

  /**
   * The held transfers with `remove` taken out and `add` put in (one per hash: an added transfer replaces
   * a held one with its hash at the same height). Only the tail from the first height touched is rebuilt.
   */
  private merged(change: { add?: readonly Transfer[]; remove?: readonly Transfer[] }, inWindow: (t: Transfer) => boolean): Transfer[] {
    const add = sortTransfers((change.add ?? []).filter(inWindow));
    const remove = change.remove ?? [];
    const gone = new Set<string>();
    let cut = this.sorted.length;
    for (const t of [...remove, ...add]) {
      gone.add(t.hash.toLowerCase());
      cut = Math.min(cut, this.firstAtHeight(t.height));
    }
    const tail = this.sorted.slice(cut).filter((t) => !gone.has(t.hash.toLowerCase()));
    const out = this.sorted.slice(0, cut);
    let i = 0;
    let j = 0;
    while (i < tail.length || j < add.length) {
      if (j >= add.length || (i < tail.length && compareChainOrder(tail[i], add[j]) <= 0)) out.push(tail[i++]);
      else out.push(add[j++]);
    }
    return out;
  }

  /** The first held position whose height is at least `height`. */
  private firstAtHeight(height: number): number {
    const s = this.sorted;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid].height < height) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The newest point at or before `changedAt` the sweep can resume from; drops what the change invalidated. */
  private resumePoint(changedAt: number): number {
    if (this.sweeper !== null && this.sweeper.k <= changedAt) return this.sweeper.k;
    this.checkpoints = this.checkpoints.filter((c) => c.state.k <= changedAt);
    const cp = this.checkpoints.at(-1);
    if (cp === undefined) {
      this.sweeper = null;
      return 0;
    }
    this.sweeper = null;
    return cp.state.k;
  }

  /** Takes `next` as the held transfers; columns, exits and seeds rebuilt from `from` on. */
  private rebuild(next: Transfer[], from: number): void {
    this.sorted = next;
    if (from === 0) {
      this.cols = buildColumns(next);
      this.isExit = new Uint8Array(this.cols.accounts);
      this.cols.addresses.forEach((a, i) => {
        if (this.exitOf(a)) this.isExit[i] = 1;
      });
      this.seed = new Uint8Array(this.cols.n);
      next.forEach((t, k) => {
        if (this.isSeed(t)) this.seed[k] = 1;
      });
      return;
    }
    const n = next.length;
    const c = this.cols;
    const cap = c.sender.length;
    if (n > cap) {
      const size = Math.max(n, cap * 2);
      c.sender = grown(c.sender, new Int32Array(size), from);
      c.recipient = grown(c.recipient, new Int32Array(size), from);
      c.amount = grown(c.amount, new Float64Array(size), from);
      c.fee = grown(c.fee, new Float64Array(size), from);
      c.timeStamp = grown(c.timeStamp, new Int32Array(size), from);
      c.height = grown(c.height, new Int32Array(size), from);
      this.seed = grown(this.seed, new Uint8Array(size), from);
    }
    const id = (a: string): number => {
      let i = c.index.get(a);
      if (i === undefined) {
        i = c.addresses.length;
        c.index.set(a, i);
        c.addresses.push(a);
      }
      return i;
    };
    for (let k = from; k < n; k++) {
      setColumnRow(c, k, next[k], id);
      this.seed[k] = this.isSeed(next[k]) ? 1 : 0;
    }
    c.n = n;
    if (c.addresses.length > this.isExit.length) {
      this.isExit = grown(this.isExit, new Uint8Array(Math.max(c.addresses.length, this.isExit.length * 2)), c.accounts);
    }
    for (let a = c.accounts; a < c.addresses.length; a++) this.isExit[a] = this.exitOf(c.addresses[a]) ? 1 : 0;
    c.accounts = c.addresses.length;
  }

  /** Runs the sweep to the end, taking the checkpoints that will be kept on the way. */
  private sweepTo(tip: number): void {
    const options: SweepOptions = {
      isExit: this.isExit,
      seed: this.seed,
      dust: Number(this.options.caseSpec.dust),
      log: true,
      history: true,
    };
    const cols = this.cols;
    if (this.sweeper === null) {
      const cp = this.checkpoints.at(-1);
      this.sweeper = new Sweeper(cols, options, cp?.state);
    } else this.sweeper.extend(cols, options);
    const sweeper = this.sweeper;
    // block boundaries (first transfer of a height past a multiple of `every`) between here and the end
    const floor = tip - this.keep;
    const wanted: number[] = [];
    let below = -1;
    for (let k = Math.max(1, sweeper.k); k < cols.n; k++) {
      if (Math.floor(cols.height[k] / this.every) === Math.floor(cols.height[k - 1] / this.every)) continue;
      if (cols.height[k] > floor) wanted.push(k);
      else below = k;
    }
    if (below > 0) wanted.unshift(below);
    for (const k of wanted) {
      if (this.checkpoints.at(-1)?.state.k === k) continue;
      sweeper.run(k);
      this.checkpoints.push({ height: cols.height[k], state: sweeper.checkpoint() });
    }
    sweeper.run(cols.n);
    // keep the checkpoints within `keep` blocks of the tip and the newest one below them
    const firstKept = this.checkpoints.findIndex((c) => c.height > floor);
    const cut = firstKept === -1 ? this.checkpoints.length - 1 : firstKept - 1;
    if (cut > 0) this.checkpoints = this.checkpoints.slice(cut);
  }
}

/** `into` with the first `count` elements of `from`. */
function grown<T extends Int32Array | Float64Array | Uint8Array>(from: T, into: T, count: number): T {
  into.set(from.subarray(0, count));
  return into;
}

/** The first position where two chain-ordered lists differ (hash, height or position), or the shorter length. */
function firstDifference(a: readonly Transfer[], b: readonly Transfer[]): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x.hash.toLowerCase() !== y.hash.toLowerCase() || compareChainOrder(x, y) !== 0 || x.amount !== y.amount || x.fee !== y.fee)
      return k;
    if (x.sender !== y.sender || x.recipient !== y.recipient) return k;
  }
  return n;
}
