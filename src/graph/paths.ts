/**
 * taintedPaths(graph, result, to, options): the paths along which taint travelled from the seeds to
 * an address under one policy, fewest hops first — every hop a transfer that carried taint under the
 * policy, each after the one before it in chain order (taint never flows backwards in time), no
 * account twice. The graph is the trace graph (build.ts): edges are the transfers that carried taint.
 *
 * On graphology: a breadth-first search against the edges from the target (graphology-traversal,
 * `inbound` mode, over the policy's tainted edges) gives every account's distance to the target;
 * paths are then enumerated forward from the seed transfers by iterative deepening, pruned by that
 * distance, so only hops that can still reach the target within the length are tried.
 */
import { MultiDirectedGraph } from 'graphology';
import { bfsFromNode } from 'graphology-traversal';
import type { Policy, TraceResult } from '../taint/index.js';
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
 * once; each call `(to, max)` runs the BFS from its target and the enumeration (the report page asks
 * it for every account it draws).
 */
export function pathFinder(
  graph: TraceGraph,
  result: TraceResult,
  policy: Policy,
  maxHops: number = result.case.maxHops,
): (to: string, max: number) => PathHop[][] {
  const pr = result.policies[policy];
  if (pr === undefined) return () => [];
  const order = new Map(result.transfers.map((t, k) => [t.hash, k]));
  const seeds = new Set(result.seed.transfers.map((t) => t.hash));
  const carried = (hash: string): bigint =>
    seeds.has(hash) ? BigInt(result.transfers[order.get(hash)!].amount) : (pr.transferTaint.get(hash) ?? 0n);

  // the policy's tainted edges as a graph of their own
  const tainted = new MultiDirectedGraph({ allowSelfLoops: true });
  graph.forEachNode((n) => tainted.addNode(n));
  graph.forEachEdge((key, attrs, source, target) => {
    if (source !== target && carried(attrs.hash) > 0n) tainted.addDirectedEdgeWithKey(key, source, target);
  });
  const hop = (hash: string): PathHop => {
    const t = result.transfers[order.get(hash)!];
    return {
      hash,
      from: t.sender,
      to: t.recipient,
      height: t.height,
      timeStamp: t.timeStamp,
      amount: BigInt(t.amount),
      taint: carried(hash),
    };
  };
  // out-edges per account in chain order
  const out = new Map<string, { hash: string; k: number; target: string }[]>();
  tainted.forEachEdge((key, _a, source, target) => {
    const hash = graph.getEdgeAttribute(key, 'hash');
    let list = out.get(source);
    if (list === undefined) out.set(source, (list = []));
    list.push({ hash, k: order.get(hash)!, target });
  });
  for (const list of out.values()) list.sort((a, b) => a.k - b.k);
  const seedList = [...seeds].filter((h) => order.has(h)).sort((a, b) => order.get(a)! - order.get(b)!);

  return (to, max) => {
    if (!tainted.hasNode(to) || max <= 0) return [];
    // every account's distance to the target over the tainted edges
    const dist = new Map<string, number>();
    bfsFromNode(
      tainted,
      to,
      (node, _a, d) => {
        dist.set(node, d);
        return d >= maxHops;
      },
      { mode: 'inbound' },
    );
    const starts = seedList.filter((h) => dist.has(result.transfers[order.get(h)!].recipient));
    const paths: PathHop[][] = [];
    const onPath = new Set<string>();
    const stack: string[] = [];
    /** Extends a path ending at `node` after transfer k with `left` hops to go; false once `max` paths are found. */
    const extend = (node: string, k: number, left: number): boolean => {
      if (left === 0) {
        if (node === to) paths.push(stack.map(hop));
        return paths.length < max;
      }
      if (node === to) return true; // a path ends at its first arrival
      for (const e of out.get(node) ?? []) {
        if (e.k <= k || onPath.has(e.target) || (dist.get(e.target) ?? Infinity) > left - 1) continue;
        onPath.add(e.target);
        stack.push(e.hash);
        const more = extend(e.target, e.k, left - 1);
        stack.pop();
        onPath.delete(e.target);
        if (!more) return false;
      }
      return true;
    };
    for (let length = 1; length <= maxHops && paths.length < max; length++) {
      for (const h of starts) {
        const k = order.get(h)!;
        const t = result.transfers[k];
        if (1 + dist.get(t.recipient)! > length) continue;
        onPath.clear();
        onPath.add(t.sender);
        onPath.add(t.recipient);
        stack.length = 0;
        stack.push(h);
        if (!extend(t.recipient, k, length - 1)) break;
      }
    }
    return paths;
  };
}
