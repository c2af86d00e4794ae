/**
 * graph.gexf (GEXF 1.3, via graphology-gexf) of the export graph: per-policy taint attributes on
 * nodes and edges, node colour by category and size by the largest taint received (for Gephi).
 * graphology-gexf escapes XML's five specials but writes controls as they are: every text (labels,
 * memos, the case title in <meta>) goes through `visible` (safe-text.ts) first, so nothing XML 1.0
 * forbids is written.
 */
import gexf from 'graphology-gexf';
import type { TraceResult } from '../taint/index.js';
import { buildExportGraph, colorOf, EXPORT_EDGE_CAP, type ExportGraph } from './graph.js';
import { policiesOf } from './json.js';
import { visibleValues } from './safe-text.js';

/**
 * graph.gexf; `cap`: most transfers it holds (graph.ts; stated in its <meta><description>). `graph`: the export
 * graph when the caller built it already (writeReports builds it once for both graph files); left as it was.
 */
export function buildGexf(result: TraceResult, cap = EXPORT_EDGE_CAP, graph = buildExportGraph(result, cap)): string {
  const attributes = graph.getAttributes();
  graph.replaceAttributes(visibleValues(attributes));
  try {
    return writeGexf(result, graph);
  } finally {
    graph.replaceAttributes(attributes);
  }
}

function writeGexf(result: TraceResult, graph: ExportGraph): string {
  const policies = policiesOf(result);
  let max = 0;
  graph.forEachNode((_n, a) => {
    for (const p of policies) max = Math.max(max, a[`${p}_received`] as number);
  });
  return gexf.write(graph, {
    version: '1.3',
    formatNode: (_key, attributes) => {
      const { label, ...rest } = attributes;
      const taint = Math.max(0, ...policies.map((p) => rest[`${p}_received`] as number));
      return {
        label: visibleValues({ label: String(label) }).label,
        attributes: visibleValues(rest),
        viz: { color: colorOf(String(rest.category)), size: 2 + (max > 0 ? 18 * Math.sqrt(taint / max) : 0) },
      };
    },
    formatEdge: (_key, attributes) => ({ weight: attributes.amount as number, attributes: visibleValues(attributes) }),
  });
}
