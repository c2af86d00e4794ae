/**
 * buildTraceGraph: the traced subgraph of a TraceResult as a graphology MultiDirectedGraph, for
 * investigators' queries (graphology-traversal, metrics) and exports. Nodes are the accounts that
 * received taint under any policy plus the other ends of the transfers that carried taint (e.g. a
 * seed's sender); edges are the transfers that carried taint under any policy, keyed by hash.
 * Insertion order is fixed (nodes by address, edges in chain order) since graphology promises none.
 * Amounts are XEM decimal strings with six decimals (exact), times ISO-8601 UTC.
 */
import { MultiDirectedGraph } from 'graphology';
import { formatXem } from '../nem/amount.js';
import { nemToIso } from '../nem/time.js';
import { type TraceResult } from '../taint/types.js';
import { POLICIES, type Policy } from '../domain.js';
import { exitTest } from '../domain.js';

export interface NodePolicyTaint { hops: number; received: string; held: string; firstTaintedAt: string }

export interface TraceNodeAttributes {
  address: string;
  label: string | null;
  category: string | null;
  isExit: boolean;
  /** Only the policies under which the account received taint. */
  policies: Partial<Record<Policy, NodePolicyTaint>>;
}

export interface TraceEdgeAttributes {
  hash: string;
  height: number;
  time: string;
  amount: string;
  fee: string;
  memo: string | null;
  seed: boolean;
  /** Taint carried to the recipient, per policy under which it carried any. */
  taint: Partial<Record<Policy, string>>;
}

export type TraceGraph = MultiDirectedGraph<TraceNodeAttributes, TraceEdgeAttributes, { caseId: string }>;

export function buildTraceGraph(result: TraceResult): TraceGraph {
  const policies = POLICIES.filter((p) => result.policies[p] !== undefined);
  const isExit = exitTest(result.labels, result.case.exitCategories);
  const seeds = new Set(result.seed.transfers.map((t) => t.hash));
  const carried = result.transfers.filter((t) => seeds.has(t.hash) || policies.some((p) => (result.policies[p]!.transferTaint.get(t.hash) ?? 0n) > 0n));

  const addresses = new Set<string>();
  for (const p of policies) for (const a of result.policies[p]!.accounts.values()) if (a.received > 0n) addresses.add(a.address);
  for (const t of carried) {
    addresses.add(t.sender);
    addresses.add(t.recipient);
  }

  const graph: TraceGraph = new MultiDirectedGraph({ allowSelfLoops: true });
  graph.replaceAttributes({ caseId: result.case.id });
  for (const address of [...addresses].sort()) {
    const l = result.labels.get(address);
    const node: TraceNodeAttributes = {
      address,
      label: l?.label ?? null,
      category: l?.category ?? null,
      isExit: isExit(address),
      policies: {},
    };
    for (const p of policies) {
      const a = result.policies[p]!.accounts.get(address);
      if (a === undefined || a.received <= 0n) continue;
      node.policies[p] = { hops: a.hops, received: formatXem(a.received), held: formatXem(a.held), firstTaintedAt: nemToIso(a.firstTaintedAt) };
    }
    graph.addNode(address, node);
  }
  for (const t of carried) {
    const taint: Partial<Record<Policy, string>> = {};
    for (const p of policies) {
      const x = result.policies[p]!.transferTaint.get(t.hash);
      if (x !== undefined && x > 0n) taint[p] = formatXem(x);
    }
    graph.addDirectedEdgeWithKey(t.hash, t.sender, t.recipient, {
      hash: t.hash,
      height: t.height,
      time: nemToIso(t.timeStamp),
      amount: formatXem(t.amount),
      fee: formatXem(t.fee),
      memo: t.message,
      seed: seeds.has(t.hash),
      taint,
    });
  }
  return graph;
}
