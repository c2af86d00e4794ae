/**
 * graph.graphml of the export graph, hand-written (graphology ships no GraphML writer): typed
 * <key> declarations (string, boolean, int, double) inferred over all values, one <node>/<edge>
 * per element in the export graph's deterministic order (capped: its <desc> says so, graph.ts); every text through xmlText (safe-text.ts):
 * controls, bidi and lone surrogates shown visibly, so nothing XML 1.0 forbids is written.
 */
import type { TraceResult } from '../taint/index.js';
import { buildExportGraph, EXPORT_EDGE_CAP } from './graph.js';
import { xmlText } from './safe-text.js';

type Kind = 'boolean' | 'int' | 'double' | 'string';

const xmlEscape = xmlText;

function kindOf(v: unknown): Kind {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? 'int' : 'double';
  return 'string';
}
const RANK: Record<Kind, number> = { boolean: 0, int: 1, double: 2, string: 3 };

function inferKeys(records: Record<string, unknown>[]): Map<string, Kind> {
  const keys = new Map<string, Kind>();
  for (const r of records) {
    for (const [k, v] of Object.entries(r)) {
      const kind = kindOf(v);
      const cur = keys.get(k);
      if (cur === undefined) keys.set(k, kind);
      else if (cur !== kind) keys.set(k, (cur === 'boolean') !== (kind === 'boolean') ? 'string' : RANK[kind] > RANK[cur] ? kind : cur);
    }
  }
  return keys;
}

/** graph.graphml; `cap`: most transfers it holds (graph.ts; stated in its <desc>); `graph`: the export graph if built already. */
export function buildGraphml(result: TraceResult, cap = EXPORT_EDGE_CAP, graph = buildExportGraph(result, cap)): string {
  const nodes: { key: string; a: Record<string, unknown> }[] = [];
  const edges: { key: string; s: string; t: string; a: Record<string, unknown> }[] = [];
  graph.forEachNode((key, a) => nodes.push({ key, a }));
  graph.forEachEdge((key, a, s, t) => edges.push({ key, s, t, a }));
  const nodeKeys = inferKeys(nodes.map((n) => n.a));
  const edgeKeys = inferKeys(edges.map((e) => e.a));
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const [k, kind] of nodeKeys) out.push(`  <key id="n_${xmlEscape(k)}" for="node" attr.name="${xmlEscape(k)}" attr.type="${kind}"/>`);
  for (const [k, kind] of edgeKeys) out.push(`  <key id="e_${xmlEscape(k)}" for="edge" attr.name="${xmlEscape(k)}" attr.type="${kind}"/>`);
  out.push(`  <graph id="${xmlEscape(String(graph.getAttribute('case') ?? 'trace'))}" edgedefault="directed">`);
  out.push(`    <desc>${xmlEscape(String(graph.getAttribute('description') ?? ''))}</desc>`);
  // the opening tag per attribute name escaped once; numbers and booleans print nothing XML escapes
  const opens = new Map<string, string>();
  const open = (prefix: string, k: string): string => {
    const id = `${prefix}_${k}`;
    let tag = opens.get(id);
    if (tag === undefined) opens.set(id, (tag = `<data key="${prefix}_${xmlEscape(k)}">`));
    return tag;
  };
  const data = (prefix: string, a: Record<string, unknown>) => {
    let s = '';
    for (const k in a) {
      const v = a[k];
      s += `${open(prefix, k)}${typeof v === 'number' || typeof v === 'boolean' ? String(v) : xmlEscape(String(v))}</data>`;
    }
    return s;
  };
  for (const n of nodes) out.push(`    <node id="${xmlEscape(n.key)}">${data('n', n.a)}</node>`);
  for (const e of edges)
    out.push(`    <edge id="${xmlEscape(e.key)}" source="${xmlEscape(e.s)}" target="${xmlEscape(e.t)}">${data('e', e.a)}</edge>`);
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
