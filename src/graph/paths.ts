/**
 * taintedPaths(graph, result, to, options): the paths along which taint travelled from the seeds to
 * an address under one policy, fewest hops first — every hop a transfer that carried taint under the
 * policy, each after the one before it in chain order (taint never flows backwards in time), no
 * account twice. The graph is the trace graph (build.ts): edges are the transfers that carried taint.
 *
 * The search: one sweep over the policy's tainted edges, latest first, gives each account the fewest hops to
 * the target along edges later than a given transfer (a time-respecting lower bound, reachWithin); paths are
 * then enumerated forward from the seed transfers by iterative deepening, pruned by that bound, so only hops
 * that can still arrive in time within the length are tried (a plain hop distance let the enumeration try
 * every order-violating branch: minutes per account on a 50,000-transfer chain).
 */
import { carriedAt, carriedOf, type Policy, type TraceResult } from '../taint/index.js';
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

export function taintedPaths(graph: TraceGraph, result: TraceResult, to: string, options: TaintedPathsOptions): PathHop[][] {
  return pathFinder(graph, result, options.policy, options.maxHops)(to, options.max ?? PATHS_DEFAULTS.max);
}

/**
 * The same for many targets under one policy: the policy's tainted edges and the seeds are prepared
 * once; each call `(to, max)` runs the BFS from its target and the enumeration.
 */
export function pathFinder(
  graph: TraceGraph,
  result: TraceResult,
  policy: Policy,
  maxHops: number = result.case.maxHops,
): (to: string, max: number) => PathHop[][] {
  if (result.policies[policy] === undefined) return () => [];
  const order = orderOf(result.transfers);
  const ks: number[] = [];
  graph.forEachEdge((_key, attrs) => ks.push(order.get(attrs.hash)!));
  return finderOver(result, policy, maxHops, ks);
}

/**
 * pathFinder without a graph: the policy's tainted edges read straight from its carried-taint columns and the
 * seeds (the same edges the trace graph holds for the policy), so a caller that wants paths to a few accounts
 * (the report page) builds no graph of every tainted transfer.
 */
export function policyPathFinder(
  result: TraceResult,
  policy: Policy,
  maxHops: number = result.case.maxHops,
): (to: string, max: number) => PathHop[][] {
  const c = carriedOf(result, policy);
  if (c === undefined) return () => [];
  const order = orderOf(result.transfers);
  const ks = Array.from(c.k);
  for (const t of result.seed.transfers) {
    const k = order.get(t.hash);
    if (k !== undefined) ks.push(k);
  }
  return finderOver(result, policy, maxHops, ks);
}

/** The finder over the transfers `ks` (indices into result.transfers, any order, repeats allowed) that carried taint. */
function finderOver(result: TraceResult, policy: Policy, maxHops: number, ks: readonly number[]): (to: string, max: number) => PathHop[][] {
  const c = carriedOf(result, policy)!;
  const order = orderOf(result.transfers);
  const seedKs = new Set<number>();
  for (const t of result.seed.transfers) {
    const k = order.get(t.hash);
    if (k !== undefined) seedKs.add(k);
  }
  const carried = (k: number): bigint => (seedKs.has(k) ? BigInt(result.transfers[k].amount) : BigInt(carriedAt(c, k)));

  // the policy's tainted edges (no self loops), accounts numbered, edges in chain order
  const id = new Map<string, number>();
  const idOf = (a: string): number => {
    let i = id.get(a);
    if (i === undefined) id.set(a, (i = id.size));
    return i;
  };
  const edges: { k: number; from: number; to: number }[] = [];
  for (const k of Int32Array.from(new Set(ks)).sort()) {
    const t = result.transfers[k];
    if (t.sender !== t.recipient && carried(k) > 0n) edges.push({ k, from: idOf(t.sender), to: idOf(t.recipient) });
  }
  const out: (typeof edges)[] = Array.from({ length: id.size }, () => []);
  for (const e of edges) out[e.from].push(e);
  const columns = {
    k: Int32Array.from(edges, (e) => e.k),
    from: Int32Array.from(edges, (e) => e.from),
    to: Int32Array.from(edges, (e) => e.to),
  };
  const hop = (k: number): PathHop => {
    const t = result.transfers[k];
    return {
      hash: t.hash,
      from: t.sender,
      to: t.recipient,
      height: t.height,
      timeStamp: t.timeStamp,
      amount: BigInt(t.amount),
      taint: carried(k),
    };
  };
  const seedList = [...seedKs].sort((x, y) => x - y);

  return (toAddress, max) => {
    const to = id.get(toAddress);
    if (to === undefined || max <= 0) return [];
    const within = reachWithin(columns, id.size, to, maxHops);
    const paths: PathHop[][] = [];
    const onPath = new Set<number>();
    const stack: number[] = [];
    /** Extends a path ending at `node` after transfer k with `left` hops to go; false once `max` paths are found. */
    const extend = (node: number, k: number, left: number): boolean => {
      if (left === 0) {
        if (node === to) paths.push(stack.map(hop));
        return paths.length < max;
      }
      if (node === to) return true; // a path ends at its first arrival
      for (const e of out[node]) {
        if (e.k <= k || onPath.has(e.to) || within(e.to, e.k) > left - 1) continue;
        onPath.add(e.to);
        stack.push(e.k);
        const more = extend(e.to, e.k, left - 1);
        stack.pop();
        onPath.delete(e.to);
        if (!more) return false;
      }
      return true;
    };
    for (let length = 1; length <= maxHops && paths.length < max; length++) {
      for (const k of seedList) {
        const t = result.transfers[k];
        const [from, recipient] = [id.get(t.sender), id.get(t.recipient)];
        if (recipient === undefined || 1 + within(recipient, k) > length) continue;
        onPath.clear();
        if (from !== undefined) onPath.add(from);
        onPath.add(recipient);
        stack.length = 0;
        stack.push(k);
        if (!extend(recipient, k, length - 1)) break;
      }
    }
    return paths;
  };
}

const orders = new WeakMap<readonly { hash: string }[], Map<string, number>>();

/** Hash → index into the trace's transfers, built once per trace (the report page asks for a finder per policy). */
function orderOf(transfers: readonly { hash: string }[]): Map<string, number> {
  let order = orders.get(transfers);
  if (order === undefined) orders.set(transfers, (order = new Map(transfers.map((t, k) => [t.hash, k]))));
  return order;
}

/**
 * Fewest hops from each account to `to` along edges later than a given transfer, respecting time (each hop
 * after the one before) but not "no account twice": a lower bound that prunes the enumeration to hops that can
 * still arrive in time. One sweep over the edges, latest first (a profile per account: as earlier edges come in,
 * the fewest hops only fall); `within(a, k)` answers for paths whose first hop comes after transfer k
 * (Infinity: none within `maxHops`; 0 for `to` itself).
 */
function reachWithin(
  edges: { k: Int32Array; from: Int32Array; to: Int32Array },
  accounts: number,
  to: number,
  maxHops: number,
): (a: number, k: number) => number {
  const best = new Int32Array(accounts).fill(0x7fffffff);
  best[to] = 0;
  // per account: (k, hops) pairs appended as k falls and hops fall
  const ks: number[][] = [];
  const hops: number[][] = [];
  for (let i = edges.k.length - 1; i >= 0; i--) {
    const from = edges.from[i];
    const next = best[edges.to[i]];
    if (from === to || next >= maxHops) continue; // a path ends at its first arrival
    const via = next + 1;
    if (via >= best[from]) continue;
    best[from] = via;
    (ks[from] ??= []).push(edges.k[i]);
    (hops[from] ??= []).push(via);
  }
  return (a, k) => {
    if (a === to) return 0;
    const list = ks[a];
    if (list === undefined || list[0] <= k) return Infinity;
    // the last entry with an edge after k (the list's k fall)
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (list[mid] > k) lo = mid;
      else hi = mid - 1;
    }
    return hops[a][lo];
  };
}
