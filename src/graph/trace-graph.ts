/**
 * traceGraph(graph, options): the six policies over a caller's graphology MultiDirectedGraph whose
 * edges are transfers (graphTransfers in project.ts reads them), with the results written back as
 * attributes. The graph is projected onto the same Transfer records and typed columns as the store
 * path and traced by the same `runTrace`, so the answers are the store path's, to the µXEM.
 *
 * Seeds: edge keys (or transfer hashes) of seed transfers, or `{ account, from, to, exclude? }`
 * windows of an account's outflows (NEM timestamps or ISO times). Exits: nodes whose `category`
 * attribute (or label in `labels`) is one of `exitCategories` (default DEFAULT_EXIT_CATEGORIES).
 *
 * Written back, per policy P (amounts µXEM as numbers, or bigint past 2^53; 0 = none):
 *  - node `taint.P` (taint received), `held.P` (tainted balance at the end; poison: the whole
 *    balance of a poisoned account), `hops.P` (minimum hops, seed recipients 1; 0 = never tainted);
 *  - edge `taint.P` (taint the transfer carried to its target, fee part excluded).
 * Every node and edge gets every attribute, so a later run overwrites an earlier one completely.
 */
import { TracerError } from '../errors.js';
import { parseXem } from '../nem/index.js';
import { isoToNem } from '../nem/index.js';
import { DEFAULT_MAX_HOPS } from '../labels/index.js';
import { runTrace } from '../taint/index.js';
import {
  DEFAULT_EXIT_CATEGORIES,
  POLICIES,
  type Label,
  type Policy,
  type ResolvedCase,
  type SeedSpec,
  type TraceResult,
} from '../taint/index.js';
import { ENGINE_VERSION } from '../version.js';
import { graphTransfers, type TransferGraph } from './project.js';

export interface GraphTraceOptions {
  seeds: ReadonlyArray<string | { account: string; from: number | string; to: number | string; exclude?: readonly string[] }>;
  /** Categories whose accounts absorb taint (default: exchange, darkweb, mixer, gambling). */
  exitCategories?: readonly string[];
  /** Labels by node key; a node's own `category` (and `label`) attribute is used when absent here. */
  labels?: ReadonlyMap<string, Label>;
  /** Poison dust threshold: µXEM as bigint, or XEM as a decimal string (default 0). */
  dust?: bigint | string;
  /** Transfers at or after this time are left out (NEM timestamp or ISO time). */
  windowTo?: number | string | null;
  /** Policies to write back (default: all six). */
  policies?: readonly Policy[];
}

export function traceGraph(graph: TransferGraph, options: GraphTraceOptions): TraceResult {
  const transfers = graphTransfers(graph);
  const hashOfEdge = new Map<string, string>();
  graph.forEachEdge((key, attrs) => hashOfEdge.set(key, typeof attrs.hash === 'string' ? attrs.hash : key));
  const asked: GraphTraceOptions['seeds'] | undefined = options?.seeds;
  if (!Array.isArray(asked) || asked.length === 0)
    throw new TracerError('TRACE_INVALID_OPTION', 'traceGraph: seeds must be a non-empty array');
  const seeds: SeedSpec[] = (asked as GraphTraceOptions['seeds']).map((s, i): SeedSpec => {
    if (typeof s === 'string') {
      const hash = hashOfEdge.get(s) ?? s;
      return { hash };
    }
    if (typeof s !== 'object' || s === null || typeof s.account !== 'string' || !graph.hasNode(s.account)) {
      throw new TracerError(
        'TRACE_INVALID_OPTION',
        `traceGraph: seeds[${i}] must be an edge key, a hash or { account, from, to } naming a node of the graph`,
      );
    }
    return {
      account: s.account,
      from: time(s.from, `seeds[${i}].from`),
      to: time(s.to, `seeds[${i}].to`),
      exclude: [...(s.exclude ?? [])],
    };
  });
  const labels = new Map<string, Label>(options.labels ?? []);
  graph.forEachNode((node, attrs) => {
    if (labels.has(node) || typeof attrs.category !== 'string') return;
    labels.set(node, { address: node, label: typeof attrs.label === 'string' ? attrs.label : node, category: attrs.category });
  });
  const dust = typeof options.dust === 'bigint' ? options.dust : parseXem(options.dust ?? '0');
  const windowTo = options.windowTo === undefined || options.windowTo === null ? null : time(options.windowTo, 'windowTo');
  const caseSpec: ResolvedCase = {
    id: 'graph',
    title: 'traceGraph',
    seeds,
    windowTo,
    labelFiles: [],
    exitCategories: [...(options.exitCategories ?? DEFAULT_EXIT_CATEGORIES)],
    dust,
    maxHops: DEFAULT_MAX_HOPS,
    valuation: null,
  };
  const result = runTrace({
    transfers,
    caseSpec,
    labels,
    policies: options.policies,
    storeDigest: 'graph',
    tipHeight: 0,
    engineVersion: ENGINE_VERSION,
  });
  writeBack(graph, result);
  return result;
}

/** Writes every policy's figures onto every node and edge (zeros where nothing was carried). */
function writeBack(graph: TransferGraph, result: TraceResult): void {
  const policies = POLICIES.filter((p) => result.policies[p] !== undefined);
  graph.updateEachNodeAttributes((node, attrs) => {
    const next = { ...attrs };
    for (const p of policies) {
      const a = result.policies[p]!.accounts.get(node);
      next[`taint.${p}`] = num(a?.received ?? 0n);
      next[`held.${p}`] = num(a?.held ?? 0n);
      next[`hops.${p}`] = a?.hops ?? 0;
    }
    return next;
  });
  graph.updateEachEdgeAttributes((key, attrs) => {
    const next = { ...attrs };
    const hash = typeof attrs.hash === 'string' ? attrs.hash : key;
    for (const p of policies) next[`taint.${p}`] = num(result.policies[p]!.transferTaint.get(hash) ?? 0n);
    return next;
  });
}

function num(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function time(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31) return v;
  if (typeof v === 'string') return isoToNem(v);
  throw new TracerError('TRACE_INVALID_OPTION', `traceGraph: ${field} must be a NEM timestamp or an ISO time, got ${JSON.stringify(v)}`);
}
