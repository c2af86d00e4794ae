/**
 * The export graph behind graph.gexf / graph.graphml: graph/'s trace graph over everything the trace
 * looked at (`scope: 'traced'`), flattened to scalar attributes (GEXF and GraphML take no nested values).
 * Capped (EXPORT_EDGE_CAP; the `description` graph attribute says so, and each file states it): a trace of
 * more transfers exports the `cap` that carried the most taint (largest under any policy, seeds first, ties
 * in chain order) and the accounts at their ends; every transfer is in transfers.csv, every account in accounts.csv.
 * Nodes: every traced address (sorted), with label, category, exit flag and, per policy p,
 * `<p>_hops` (0 = untainted), `<p>_received`, `<p>_held` (XEM as numbers) and `<p>_first_tainted`.
 * Edges: one per transfer keyed by hash (chain order), with amount, fee, time, memo, seed flag and
 * `taint_<p>` per policy. Insertion order is deterministic, so the written files are too.
 */
import { MultiDirectedGraph } from 'graphology';
import { buildTraceGraph } from '../graph/index.js';
import { carriedOf, type TraceResult } from '../taint/index.js';
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

/** Most transfers a graph export holds (the rest are in transfers.csv). */
export const EXPORT_EDGE_CAP = 20_000;

export type ExportGraph = MultiDirectedGraph<ExportNode, ExportEdge>;

export function buildExportGraph(result: TraceResult, cap = EXPORT_EDGE_CAP): ExportGraph {
  const total = result.transfers.length;
  const chosen = total > cap ? topCarriers(result, cap) : null;
  const traced = buildTraceGraph(result, chosen === null ? { scope: 'traced' } : { edges: chosen });
  const policies = policiesOf(result);
  const graph: ExportGraph = new MultiDirectedGraph<ExportNode, ExportEdge>();
  graph.setAttribute('case', result.case.id);
  graph.setAttribute('title', result.case.title);
  graph.setAttribute(
    'description',
    chosen === null
      ? `complete: all ${total} transfers of the trace and every address it touched`
      : `capped at ${cap} of ${total} transfers: the ${chosen.length} that carried the most taint (largest under any policy, ` +
          'seeds first) and the accounts at their ends; every transfer is in transfers.csv, every account in accounts.csv',
  );
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

/** Indices (ascending) of the at most `cap` transfers that carried the most taint under any policy; seeds first, ties in chain order. */
export function topCarriers(result: TraceResult, cap: number): number[] {
  const n = result.transfers.length;
  const score = new Float64Array(n);
  for (const p of policiesOf(result)) {
    const c = carriedOf(result, p)!;
    for (let i = 0; i < c.length; i++) if (c.amount[i] > score[c.k[i]]) score[c.k[i]] = c.amount[i];
  }
  const seeds = new Set(result.seed.transfers.map((t) => t.hash));
  result.transfers.forEach((t, k) => {
    if (seeds.has(t.hash)) score[k] = Infinity;
  });
  const ranked: number[] = [];
  for (let k = 0; k < n; k++) if (score[k] > 0) ranked.push(k);
  ranked.sort((x, y) => score[y] - score[x] || x - y);
  return ranked.slice(0, cap).sort((x, y) => x - y);
}
