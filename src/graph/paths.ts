/**
 * taintedPaths(graph, result, to, options): the paths along which taint travelled from the seeds to
 * an address under one policy, fewest hops first — every hop a transfer that carried taint under the
 * policy, each after the one before it in chain order (taint never flows backwards in time), no
 * account twice. The graph is the trace graph (build.ts): edges are the transfers that carried taint.
 * Paths of one length come in chain order of their hops (first hop first, then the second …).
 *
 * The search reads the trace's columns (`tableOf`, `carriedOf`; no Transfer objects). A finder is prepared once
 * per policy (the tainted edges in chain order, each account's outgoing edges) and answers many targets (the
 * report page asks for every drawn account). Per target: one sweep over the policy's tainted edges up to the
 * target's last incoming one, latest first, gives each account the fewest hops to the target along edges later
 * than a given transfer (a time-respecting lower bound, `reach`); paths are then enumerated forward from the seed
 * transfers by iterative deepening, pruned by that bound, so only hops that can still arrive in time within the
 * length are tried (a plain hop distance let the enumeration try every order-violating branch: minutes per account
 * on a 50,000-transfer chain). A length is tried only while a hop was cut for needing more hops than it had: when
 * none was, no longer path exists.
 */
import { carriedOf, carriedAt, tableOf, type Policy, type TraceResult, type TraceTable } from '../taint/index.js';
import type { TraceGraph } from './build.js';

export interface PathHop {
  hash: string;
  from: string;
  to: string;
  height: number;
  timeStamp: number;
  amount: bigint;
  /** Taint the transfer carried under the policy (a seed: its whole amount). */
  taint: bigint;
}

export interface TaintedPathsOptions {
  policy: Policy;
  /** Most paths returned (default 20). */
  max?: number;
  /** Longest path, in hops (default: the case's hop limit). */
  maxHops?: number;
}

export const PATHS_DEFAULTS = { max: 20 } as const;

/** Answers `(to, max)`: at most `max` paths to address `to`, fewest hops first. */
export interface PathFinder {
  (to: string, max: number): PathHop[][];
  /** The same for many targets (answers in the order asked), sweeping the edges once per 32 of them. */
  many(targets: readonly string[], max: number): PathHop[][][];
}

const noPaths: PathFinder = Object.assign(() => [], { many: (targets: readonly string[]) => targets.map((): PathHop[][] => []) });

export function taintedPaths(graph: TraceGraph, result: TraceResult, to: string, options: TaintedPathsOptions): PathHop[][] {
  return pathFinder(graph, result, options.policy, options.maxHops)(to, options.max ?? PATHS_DEFAULTS.max);
}

/** The same for many targets under one policy, over the graph's edges (the transfers that carried taint). */
export function pathFinder(graph: TraceGraph, result: TraceResult, policy: Policy, maxHops: number = result.case.maxHops): PathFinder {
  const c = carriedOf(result, policy);
  if (c === undefined) return noPaths;
  const table = tableOf(result);
  const order = hashIndex(table);
  const ks: number[] = [];
  graph.forEachEdge((_key, attrs) => ks.push(order.get(attrs.hash)!));
  const seeds = new Set(seedIndices(result));
  const sorted = Int32Array.from(new Set(ks)).sort();
  const taint = Float64Array.from(sorted, (k) => (seeds.has(k) ? table.amount[k] : carriedAt(c, k)));
  return finderOver(result, maxHops, sorted, taint);
}

/**
 * pathFinder without a graph: the policy's tainted edges read straight from its carried-taint columns and the
 * seeds (the same edges the trace graph holds for the policy).
 */
export function policyPathFinder(result: TraceResult, policy: Policy, maxHops: number = result.case.maxHops): PathFinder {
  const c = carriedOf(result, policy);
  if (c === undefined) return noPaths;
  const table = tableOf(result);
  // the carried rows and the seeds (a seed carries its whole amount), merged in chain order
  const seeds = seedIndices(result);
  const ks = new Int32Array(c.length + seeds.length);
  const taint = new Float64Array(ks.length);
  let n = 0;
  for (let i = 0, j = 0; i < c.length || j < seeds.length; n++) {
    if (j < seeds.length && (i >= c.length || seeds[j] <= c.k[i])) {
      if (i < c.length && c.k[i] === seeds[j]) i++;
      ks[n] = seeds[j];
      taint[n] = table.amount[seeds[j++]];
    } else {
      ks[n] = c.k[i];
      taint[n] = c.amount[i++];
    }
  }
  return finderOver(result, maxHops, ks.subarray(0, n), taint.subarray(0, n));
}

/**
 * The seed transfers' indices into the trace's transfers, ascending: found by height in the table's height column
 * (chain order), then by hash.
 */
export function seedIndices(result: TraceResult): Int32Array {
  const table = tableOf(result);
  const out: number[] = [];
  for (const s of result.seed.transfers) {
    let lo = 0;
    let hi = table.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table.height[mid] < s.height) lo = mid + 1;
      else hi = mid;
    }
    let k = lo;
    while (k < table.n && table.height[k] === s.height && table.hashAt(k) !== s.hash) k++;
    if (k < table.n && table.height[k] === s.height) out.push(k);
    else {
      // a hand-built result need not be in chain order
      for (k = 0; k < table.n && table.hashAt(k) !== s.hash; k++);
      if (k < table.n) out.push(k);
    }
  }
  return Int32Array.from(new Set(out)).sort();
}

const hashIndexes = new WeakMap<TraceTable, Map<string, number>>();

/** Hash → index into the trace's transfers (built once per trace; the CLI's finder reads a graph's hashes). */
function hashIndex(table: TraceTable): Map<string, number> {
  let order = hashIndexes.get(table);
  if (order === undefined) {
    order = new Map();
    for (let k = 0; k < table.n; k++) order.set(table.hashAt(k), k);
    hashIndexes.set(table, order);
  }
  return order;
}

const NONE = 0x7fffffff;

/**
 * Hops beyond a target's fewest that the capped rounds of `many` allow, in turn, before a round for any length. At
 * 200k transfers (seed 7) they cut the sweeps' profile entries ≈ 10× against 0, 1 alone (README Benchmarks).
 */
const ROUND_CAPS = [0, 1, 3, 7];

/**
 * The finder over the transfers `ks` (indices into result.transfers, ascending, unique) that carried `taint` under
 * the policy (a seed: its whole amount).
 */
function finderOver(result: TraceResult, maxHops: number, ks: Int32Array, taint: Float64Array): PathFinder {
  const table = tableOf(result);
  const seedKs = seedIndices(result);
  const isSeed = new Set(seedKs);
  const taintOf = (k: number): number => {
    if (isSeed.has(k)) return table.amount[k];
    let lo = 0;
    let hi = ks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ks[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    return lo < ks.length && ks[lo] === k ? taint[lo] : 0;
  };

  // the policy's tainted edges (no self loops) in chain order; accounts are the table's
  const accounts = table.accounts;
  let E = 0;
  const ek = new Int32Array(ks.length);
  for (let i = 0; i < ks.length; i++) if (table.sender[ks[i]] !== table.recipient[ks[i]] && taint[i] > 0) ek[E++] = ks[i];
  const efrom = new Int32Array(E);
  const eto = new Int32Array(E);
  /** Accounts at an end of some edge (the only ones a path can visit). */
  const known = new Uint8Array(accounts);
  /** Per account: its last incoming edge (−1: none); outgoing edges as CSR (edge indices, chain order). */
  const lastIn = new Int32Array(accounts).fill(-1);
  const outStart = new Int32Array(accounts + 1);
  for (let i = 0; i < E; i++) {
    const k = ek[i];
    efrom[i] = table.sender[k];
    eto[i] = table.recipient[k];
    known[efrom[i]] = known[eto[i]] = 1;
    lastIn[eto[i]] = i;
    outStart[efrom[i] + 1]++;
  }
  for (let a = 0; a < accounts; a++) outStart[a + 1] += outStart[a];
  const outEdges = new Int32Array(E);
  const fill = outStart.slice(0, accounts);
  for (let i = 0; i < E; i++) outEdges[fill[efrom[i]]++] = i;

  // Per edge: the fewest hops from the seeds to its sender before it (a seed edge: 0, it may start a path; NONE:
  // no path reaches the edge). Per account: the fewest hops from the seeds at all. Seeds arrive in 1 hop.
  const pre = new Int32Array(E);
  const fewest = new Int32Array(accounts).fill(NONE);
  const arrive = (a: number, hops: number) => {
    if (hops < fewest[a]) fewest[a] = hops;
  };
  let s = 0;
  for (let i = 0; i < E; i++) {
    const k = ek[i];
    for (; s < seedKs.length && seedKs[s] < k; s++) arrive(table.recipient[seedKs[s]], 1);
    pre[i] = s < seedKs.length && seedKs[s] === k ? 0 : fewest[efrom[i]];
    if (pre[i] !== NONE) arrive(eto[i], pre[i] + 1);
  }
  for (; s < seedKs.length; s++) arrive(table.recipient[seedKs[s]], 1);

  const edges: ReachEdges = { ek, efrom, eto, lastIn, pre };
  const reach = reachOf(table);
  const hop = (k: number): PathHop => ({
    hash: table.hashAt(k),
    from: table.addresses[table.sender[k]],
    to: table.addresses[table.recipient[k]],
    height: table.height[k],
    timeStamp: table.timeStamp[k],
    amount: BigInt(table.amount[k]),
    taint: BigInt(taintOf(k)),
  });

  /**
   * The paths of `first`..`last` hops to account `to`, the target of slot `t` of the last sweep (swept for paths of
   * at most `last` hops), added to `paths`. With `last` = maxHops, lengths stop once no hop was cut for length.
   */
  const enumerate = (to: number, t: number, max: number, paths: PathHop[][], first: number, last: number): void => {
    const onPath = new Set<number>();
    const stack: number[] = [];
    /** A hop was cut for needing more hops than were left (a longer length may find more); set per length. */
    let longer: boolean;
    /** Extends a path ending at `node` after transfer k with `left` hops to go; false once `max` paths are found. */
    const extend = (node: number, k: number, left: number): boolean => {
      if (left === 0) {
        if (node === to) paths.push(stack.map(hop));
        return paths.length < max;
      }
      if (node === to) return true; // a path ends at its first arrival
      // the node's edges after transfer k (edge order is chain order)
      const end = outStart[node + 1];
      let lo = outStart[node];
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ek[outEdges[mid]] <= k) lo = mid + 1;
        else hi = mid;
      }
      for (let j = lo; j < end; j++) {
        const e = outEdges[j];
        const next = eto[e];
        if (onPath.has(next)) continue;
        const need = reach.within(t, next, ek[e]);
        if (need > left - 1) {
          if (need !== NONE) longer = true;
          continue;
        }
        onPath.add(next);
        stack.push(ek[e]);
        const more = extend(next, ek[e], left - 1);
        stack.pop();
        onPath.delete(next);
        if (!more) return false;
      }
      return true;
    };
    for (let length = first; length <= last && paths.length < max; length++) {
      longer = false;
      for (const k of seedKs) {
        const [from, recipient] = [table.sender[k], table.recipient[k]];
        if (known[recipient] === 0) continue;
        const need = reach.within(t, recipient, k);
        if (need === NONE) continue;
        if (1 + need > length) {
          longer = true;
          continue;
        }
        onPath.clear();
        if (known[from] === 1) onPath.add(from);
        onPath.add(recipient);
        stack.length = 0;
        stack.push(k);
        if (!extend(recipient, k, length - 1)) break;
      }
      if (!longer && last === maxHops) break;
    }
  };

  /**
   * Rounds of sweeps: for paths of at most the fewest hops the target can be reached in plus 0, 1, 3 and 7
   * (ROUND_CAPS), then of any length up to maxHops. A sweep for paths of at most L hops keeps only the edges that
   * can lie on one (the hops to the edge's sender plus the hops from it to the target within L), and lengths up to
   * L are enumerated exactly over it: most targets are done in the capped rounds, at a fraction of the work of a
   * sweep for any length (whose profiles grow with every edge that reaches a target); only a target with fewer
   * paths than asked within those caps needs the last round, which alone can tell that no longer path exists.
   */
  const many = (targets: readonly string[], max: number): PathHop[][][] => {
    const out: PathHop[][][] = targets.map(() => []);
    let pending: { i: number; a: number; done: number }[] = [];
    targets.forEach((address, i) => {
      const a = table.index.get(address);
      if (a !== undefined && known[a] === 1 && max > 0) pending.push({ i, a, done: 0 });
    });
    for (let round = 0; pending.length > 0; round++) {
      const capOf = (x: { a: number }) =>
        round < ROUND_CAPS.length && fewest[x.a] !== NONE ? Math.min(maxHops, fewest[x.a] + ROUND_CAPS[round]) : maxHops;
      // batched by their last incoming edge (a sweep starts from its batch's latest): each target's answer is its own
      pending.sort((x, y) => lastIn[x.a] - lastIn[y.a]);
      for (let from = 0; from < pending.length; from += reach.width) {
        const batch = pending.slice(from, from + reach.width);
        reach.sweep(
          edges,
          Int32Array.from(batch, (x) => x.a),
          Int32Array.from(batch, capOf),
        );
        batch.forEach((x, t) => {
          const cap = capOf(x);
          enumerate(x.a, t, max, out[x.i], x.done + 1, cap);
          x.done = cap;
        });
      }
      pending = pending.filter((x) => out[x.i].length < max && x.done < maxHops);
    }
    reach.release();
    return out;
  };
  return Object.assign((to: string, max: number) => many([to], max)[0], { many });
}

/** A policy's tainted edges in chain order, as a Reach sweeps them. */
interface ReachEdges {
  ek: Int32Array;
  efrom: Int32Array;
  eto: Int32Array;
  lastIn: Int32Array;
  pre: Int32Array;
}

/**
 * Fewest hops from each account to a target along edges later than a given transfer, respecting time (each hop
 * after the one before) but not "no account twice": a lower bound that prunes the enumeration to hops that can
 * still arrive in time. One sweep over the edges, latest first (a profile per account: as earlier edges come in,
 * the fewest hops only fall), from the last edge into any of the targets. 32 targets share a sweep: a bit per
 * target marks the accounts that reach it, so an edge whose recipient reaches none costs one read.
 * The per-target tables have a row only for the accounts a sweep reaches (a slot given on first reach), so their
 * size follows the accounts near the targets, not the trace's: sized by every account they had to share a sweep
 * among fewer targets on big traces (3 at 1.25M accounts: ten times the sweeps, each over ten times the edges —
 * 15 s of a 10M page). Shared by every finder over the trace (`reachOf`): a sweep and the enumeration that reads
 * it run together, synchronously, so finders never see each other's state.
 */
class Reach {
  /** Targets per sweep. */
  readonly width = 32;
  private targets: Int32Array = new Int32Array(0);
  /** Per account: bit t set once it reaches target t (this sweep). */
  private readonly mask: Int32Array;
  /** Per account reached this sweep (mask ≠ 0): its row in `bestHead`. */
  private readonly slot: Int32Array;
  private slots = 0;
  /**
   * Per slot·width + target, side by side (one cache line for both): [2i] fewest hops so far, [2i + 1] its latest
   * profile entry.
   */
  private bestHead: Int32Array = new Int32Array(2 * 32 * 1024);
  /** Profile entries (the edge's transfer, hops), each linked to the one before (a later transfer, more hops). */
  private entK: Int32Array = new Int32Array(4096);
  private entHops: Int32Array = new Int32Array(4096);
  private entPrev: Int32Array = new Int32Array(4096);

  constructor(accounts: number) {
    this.mask = new Int32Array(accounts);
    this.slot = new Int32Array(accounts);
  }

  /** A row of `bestHead` for account a, reached for the first time this sweep. */
  private newSlot(a: number): void {
    if (2 * (this.slots + 1) * this.width > this.bestHead.length) {
      const bigger = new Int32Array(2 * this.bestHead.length);
      bigger.set(this.bestHead);
      this.bestHead = bigger;
    }
    this.slot[a] = this.slots++;
  }

  /**
   * The profiles towards `targets` (at most `width` accounts; slot t is targets[t]) over `edges` for paths of at
   * most caps[t] (≤ maxHops) hops: an edge counts only if the fewest hops to its sender plus its hops to the target
   * fit in the cap.
   */
  sweep(edges: ReachEdges, targets: Int32Array, caps: Int32Array): void {
    const { mask, slot, width } = this;
    const { ek, efrom, eto, lastIn, pre } = edges;
    mask.fill(0);
    this.slots = 0;
    this.targets = targets;
    let last = -1;
    targets.forEach((a, t) => {
      if (mask[a] === 0) this.newSlot(a);
      mask[a] |= 1 << t;
      const x = 2 * (slot[a] * width + t);
      this.bestHead[x] = 0;
      this.bestHead[x + 1] = -1;
      last = Math.max(last, lastIn[a]);
    });
    let bh = this.bestHead;
    let entK: Int32Array = this.entK;
    let entHops: Int32Array = this.entHops;
    let entPrev: Int32Array = this.entPrev;
    let n = 0;
    for (let i = last; i >= 0; i--) {
      let m = mask[eto[i]];
      if (m === 0) continue;
      const before = pre[i];
      if (before === NONE) continue; // no path reaches this edge
      const from = efrom[i];
      const r = slot[eto[i]] * width;
      while (m !== 0) {
        const bit = m & -m;
        m ^= bit;
        const t = 31 - Math.clz32(bit);
        const via = bh[2 * (r + t)] + 1;
        if (from === targets[t] || before + via > caps[t]) continue; // a path ends at its first arrival
        if (mask[from] === 0) {
          this.newSlot(from);
          bh = this.bestHead;
        }
        const x = 2 * (slot[from] * width + t);
        if ((mask[from] & bit) !== 0) {
          if (via >= bh[x]) continue;
        } else {
          mask[from] |= bit;
          bh[x + 1] = -1;
        }
        bh[x] = via;
        if (n === entK.length) [entK, entHops, entPrev] = this.grow();
        entK[n] = ek[i];
        entHops[n] = via;
        entPrev[n] = bh[x + 1];
        bh[x + 1] = n++;
      }
    }
  }

  /** Gives back the tables' memory after a finder's answers (they grow with the accounts a sweep reaches). */
  release(): void {
    this.bestHead = new Int32Array(2 * this.width * 1024);
    this.entK = new Int32Array(4096);
    this.entHops = new Int32Array(4096);
    this.entPrev = new Int32Array(4096);
    this.targets = new Int32Array(0);
    this.mask.fill(0);
  }

  /** Fewest hops from account a to target t for paths whose first hop comes after transfer k (NONE: none). */
  within(t: number, a: number, k: number): number {
    if (a === this.targets[t]) return 0;
    if ((this.mask[a] & (1 << t)) === 0) return NONE;
    // entries from the newest (the earliest edge, fewest hops): the first after k has the fewest hops of those
    let j = this.bestHead[2 * (this.slot[a] * this.width + t) + 1];
    while (j >= 0 && this.entK[j] <= k) j = this.entPrev[j];
    return j < 0 ? NONE : this.entHops[j];
  }

  private grow(): [Int32Array, Int32Array, Int32Array] {
    const n = this.entK.length * 2;
    const copy = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.entK = copy(this.entK);
    this.entHops = copy(this.entHops);
    this.entPrev = copy(this.entPrev);
    return [this.entK, this.entHops, this.entPrev];
  }
}

const reaches = new WeakMap<TraceTable, Reach>();

/** The Reach tables of a trace (one per trace, shared by its finders). */
function reachOf(table: TraceTable): Reach {
  let r = reaches.get(table);
  if (r === undefined) reaches.set(table, (r = new Reach(table.accounts)));
  return r;
}
