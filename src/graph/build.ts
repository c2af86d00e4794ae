/**
 * buildTraceGraph: the traced subgraph of a TraceResult as a graphology MultiDirectedGraph, for
 * investigators' queries (graphology-traversal, metrics) and exports. Nodes are the accounts that
 * received taint under any policy plus the other ends of the transfers that carried taint (e.g. a
 * seed's sender); edges are the transfers that carried taint under any policy, keyed by hash.
 * (The export graph behind graph.gexf / graph.graphml is read from the trace's columns: report/graph.ts.)
 * Insertion order is fixed (nodes by address, edges in chain order) since graphology promises none.
 * Amounts are XEM decimal strings with six decimals (exact), times ISO-8601 UTC.
 */
import { MultiDirectedGraph } from 'graphology';
import { cmpStr, exitTest, policyOf, POLICIES, type Policy } from '../domain.js';
import { formatXem, nemToIso } from '../nem/index.js';
import { compareChainOrder, tableOf, traceColumnsOf, type TraceResult } from '../taint/index.js';
import { addressOrder } from './address-order.js';

export interface NodePolicyTaint {
  hops: number;
  received: string;
  held: string;
  firstTaintedAt: string;
}

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

/** The policies present in a result, in canonical order. */
const policiesIn = (result: TraceResult): Policy[] => POLICIES.filter((p) => result.policies[p] !== undefined);

/**
 * Every account the trace touched, sorted by address (cmpStr's order): the ends of its transfers (the table's
 * addresses, read from the columns: no transfer objects), of its seeds, and every policy's accounts.
 * `account[i]` is the index of `addresses[i]` in `tableOf(result).addresses`, or −1 for an address no transfer has
 * (a hand-built result can name one).
 */
export function tracedAccounts(result: TraceResult): { addresses: string[]; account: Int32Array } {
  const table = tableOf(result);
  const order = addressOrder(table.addresses);
  const sorted = Array.from(order, (a) => table.addresses[a]);
  // the rest: seed ends, and the accounts of maps that are not the sweep's over this table (runTrace's are)
  const rest = new Set<string>();
  for (const t of result.seed.transfers) rest.add(t.from).add(t.to);
  if (traceColumnsOf(result) === undefined)
    for (const p of policiesIn(result)) for (const a of policyOf(result, p).accounts.keys()) rest.add(a);
  const extra = [...rest].filter((a) => !inSorted(sorted, a)).sort(cmpStr);
  if (extra.length === 0) return { addresses: sorted, account: order };
  const addresses: string[] = [];
  const account = new Int32Array(sorted.length + extra.length);
  for (let i = 0, j = 0; i < sorted.length || j < extra.length;) {
    const fromTable = j === extra.length || (i < sorted.length && sorted[i] < extra[j]);
    account[addresses.length] = fromTable ? order[i] : -1;
    addresses.push(fromTable ? sorted[i++] : extra[j++]);
  }
  return { addresses, account };
}

/** Whether `a` is in the sorted list `xs` (binary search). */
function inSorted(xs: readonly string[], a: string): boolean {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < a) lo = mid + 1;
    else hi = mid;
  }
  return lo < xs.length && xs[lo] === a;
}

/** Every address the trace touched: transfer ends, seed ends, and accounts of every policy; sorted (tracedAccounts). */
export function tracedAddresses(result: TraceResult): string[] {
  return tracedAccounts(result).addresses;
}

export function buildTraceGraph(result: TraceResult): TraceGraph {
  const policies = policiesIn(result);
  const isExit = exitTest(result.labels, result.case.exitCategories);
  const seeds = new Set(result.seed.transfers.map((t) => t.hash));
  const edges = [...result.transfers]
    .filter((t) => seeds.has(t.hash) || policies.some((p) => (policyOf(result, p).transferTaint.get(t.hash) ?? 0n) > 0n))
    .sort(compareChainOrder);

  const addresses = new Set<string>();
  for (const p of policies) for (const a of policyOf(result, p).accounts.values()) if (a.received > 0n) addresses.add(a.address);
  for (const t of edges) {
    addresses.add(t.sender);
    addresses.add(t.recipient);
  }

  const graph: TraceGraph = new MultiDirectedGraph({ allowSelfLoops: true });
  graph.replaceAttributes({ caseId: result.case.id });
  for (const address of [...addresses].sort(cmpStr)) {
    const l = result.labels.get(address);
    const node: TraceNodeAttributes = {
      address,
      label: l?.label ?? null,
      category: l?.category ?? null,
      isExit: isExit(address),
      policies: {},
    };
    for (const p of policies) {
      const a = policyOf(result, p).accounts.get(address);
      if (a === undefined || a.received <= 0n) continue;
      node.policies[p] = {
        hops: a.hops,
        received: formatXem(a.received),
        held: formatXem(a.held),
        firstTaintedAt: nemToIso(a.firstTaintedAt),
      };
    }
    graph.addNode(address, node);
  }
  for (const t of edges) {
    const taint: Partial<Record<Policy, string>> = {};
    for (const p of policies) {
      const x = policyOf(result, p).transferTaint.get(t.hash);
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
