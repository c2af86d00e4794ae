/**
 * The export graph behind graph.gexf / graph.graphml: a graphology MultiDirectedGraph of the
 * traced subgraph with flat, scalar attributes (GEXF and GraphML take no nested values).
 * Nodes: every traced address (sorted), with label, category, exit flag and, per policy p,
 * `<p>_hops` (0 = untainted), `<p>_received`, `<p>_held` (XEM as numbers) and `<p>_first_tainted`.
 * Edges: one per transfer keyed by hash (chain order), with amount, fee, time, memo, seed flag and
 * `taint_<p>` per policy. Insertion order is deterministic, so the written files are too.
 */
import { MultiDirectedGraph } from 'graphology';
import type { TraceResult } from '../taint/types.js';
import { tracedAddresses } from './csv.js';
import { chainOrder, iso, xem } from './format.js';
import { policiesOf } from './json.js';
import { exitTest } from '../domain.js';


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
  const graph = new MultiDirectedGraph<ExportNode, ExportEdge>();
  const policies = policiesOf(result);
  const isExit = exitTest(result.labels, result.case.exitCategories);
  graph.setAttribute('case', result.case.id);
  graph.setAttribute('title', result.case.title);
  for (const address of tracedAddresses(result)) {
    const l = result.labels.get(address);
    const attrs: ExportNode = {
      label: l?.label ?? address,
      address,
      category: l?.category ?? '',
      exit: isExit(address),
    };
    for (const p of policies) {
      const a = result.policies[p]!.accounts.get(address);
      const tainted = a !== undefined && a.received > 0n;
      attrs[`${p}_hops`] = tainted ? a.hops : 0;
      attrs[`${p}_received`] = tainted ? xemNumber(a.received) : 0;
      attrs[`${p}_held`] = tainted ? xemNumber(a.held) : 0;
      attrs[`${p}_first_tainted`] = tainted ? iso(a.firstTaintedAt) : '';
    }
    graph.addNode(address, attrs);
  }
  const seeds = new Set(result.seed.transfers.map((t) => t.hash));
  for (const t of [...result.transfers].sort(chainOrder)) {
    const attrs: ExportEdge = {
      hash: t.hash, height: t.height, time: t.time || iso(t.timeStamp), amount: xemNumber(t.amount), fee: xemNumber(t.fee),
      memo: t.message ?? '', seed: seeds.has(t.hash),
    };
    for (const p of policies) attrs[`taint_${p}`] = xemNumber(result.policies[p]!.transferTaint.get(t.hash) ?? 0n);
    graph.addDirectedEdgeWithKey(t.hash, t.sender, t.recipient, attrs);
  }
  return graph;
}
