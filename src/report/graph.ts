/**
 * The export graph behind graph.gexf / graph.graphml: graph/'s trace graph over everything the trace
 * looked at (`scope: 'traced'`), flattened to scalar attributes (GEXF and GraphML take no nested values).
 * Nodes: every traced address (sorted), with label, category, exit flag and, per policy p,
 * `<p>_hops` (0 = untainted), `<p>_received`, `<p>_held` (XEM as numbers) and `<p>_first_tainted`.
 * Edges: one per transfer keyed by hash (chain order), with amount, fee, time, memo, seed flag and
 * `taint_<p>` per policy. Insertion order is deterministic, so the written files are too.
 */
import { MultiDirectedGraph } from 'graphology';
import { buildTraceGraph } from '../graph/index.js';
import type { TraceResult } from '../taint/index.js';
import { xem } from './format.js';
import { policiesOf } from './json.js';

/** Category → colour, shared by the exports and the HTML page. */
export const CATEGORY_COLORS: Record<string, string> = {
  exchange: '#2563eb',
  darkweb: '#9333ea',
  mixer: '#db2777',
  gambling: '#ea580c',
  victim: '#16a34a',
  thief: '#dc2626',
  tagger: '#0891b2',
  user: '#64748b',
  '': '#94a3b8',
};
export const colorOf = (category: string | undefined): string => CATEGORY_COLORS[category ?? ''] ?? '#a16207';

export type ExportNode = Record<string, string | number | boolean>;
export type ExportEdge = Record<string, string | number | boolean>;

/** µXEM → XEM as a JS number (display / graph tools; exact figures live in JSON and CSV). */
export const xemNumber = (micro: bigint | number): number => Number(xem(micro));

export function buildExportGraph(result: TraceResult): MultiDirectedGraph<ExportNode, ExportEdge> {
  const traced = buildTraceGraph(result, { scope: 'traced' });
  const policies = policiesOf(result);
  const graph = new MultiDirectedGraph<ExportNode, ExportEdge>();
  graph.setAttribute('case', result.case.id);
  graph.setAttribute('title', result.case.title);
  traced.forEachNode((address, n) => {
    const attrs: ExportNode = { label: n.label ?? address, address, category: n.category ?? '', exit: n.isExit };
    for (const p of policies) {
      const a = n.policies[p];
      attrs[`${p}_hops`] = a ? a.hops : 0;
      attrs[`${p}_received`] = a ? Number(a.received) : 0;
      attrs[`${p}_held`] = a ? Number(a.held) : 0;
      attrs[`${p}_first_tainted`] = a ? a.firstTaintedAt : '';
    }
    graph.addNode(address, attrs);
  });
  traced.forEachEdge((hash, e, from, to) => {
    const attrs: ExportEdge = {
      hash,
      height: e.height,
      time: e.time,
      amount: Number(e.amount),
      fee: Number(e.fee),
      memo: e.memo ?? '',
      seed: e.seed,
    };
    for (const p of policies) attrs[`taint_${p}`] = Number(e.taint[p] ?? 0);
    graph.addDirectedEdgeWithKey(hash, from, to, attrs);
  });
  return graph;
}
