/**
 * graph.gexf (GEXF 1.3) of the export graph's columns (graph.ts), written directly in chunks: per-policy taint
 * attributes on nodes and edges, node colour by category and size by the largest taint received (for Gephi).
 * The bytes are those graphology-gexf 0.13's writer gave for the same graph (pretty-printed, two-space indent;
 * attribute types inferred over all values — `integer` when every value is a 32-bit integer, else `double` — and
 * declared in order of first non-empty value; empty strings left out), which it replaced at scale (README
 * Benchmarks, the graph writers). Every text (labels, memos, the case title in <meta>) goes through `visible`
 * (safe-text.ts) first, so nothing XML 1.0 forbids is written; then XML's escapes for an attribute value
 * (`&`, `<`, `"`) or element text (`&`, `<`, `>`).
 */
import type { TraceResult } from '../taint/index.js';
import { colorOf, EXPORT_EDGE_CAP, exportColumns, type ExportColumn, type ExportColumns } from './graph.js';
import { visible, xmlPlain } from './safe-text.js';

const attr = (s: string): string => {
  if (xmlPlain(s)) return s;
  const v = visible(s);
  return /[&<"]/.test(v) ? v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;') : v;
};
const text = (s: string): string => visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** graph.gexf as one string; `cap`: most transfers it holds (graph.ts; stated in its <meta><description>). */
export function buildGexf(result: TraceResult, cap = EXPORT_EDGE_CAP, columns = exportColumns(result, cap)): string {
  return [...gexfChunks(columns)].join('');
}

interface ModelEntry {
  column: ExportColumn;
  /** `\n<indent><attvalue for="…" value="` */
  open: string;
}

/** The GEXF attribute model of some columns: those with a non-empty value, in order of their first one. */
function model(columns: ExportColumn[], rows: number): { name: string; type: string; column: ExportColumn }[] {
  const found: { name: string; type: string; column: ExportColumn; first: number; at: number }[] = [];
  columns.forEach((column, at) => {
    if (rows === 0) return;
    if (column.kind === 'string') {
      const first = column.values.findIndex((v) => v !== '');
      if (first >= 0) found.push({ name: column.name, type: 'string', column, first, at });
    } else if (column.kind === 'boolean') found.push({ name: column.name, type: 'boolean', column, first: 0, at });
    else {
      let integer = true;
      for (let i = 0; i < rows && integer; i++) integer = column.values[i] === (column.values[i] | 0);
      found.push({ name: column.name, type: integer ? 'integer' : 'double', column, first: 0, at });
    }
  });
  return found.sort((a, b) => a.first - b.first || a.at - b.at);
}

function modelXml(entries: { name: string; type: string }[], cls: string): string {
  if (entries.length === 0) return '';
  let s = `\n    <attributes class="${cls}">`;
  for (const e of entries) s += `\n      <attribute id="${attr(e.name)}" title="${attr(e.name)}" type="${e.type}"/>`;
  return s + '\n    </attributes>';
}

/** `<attvalues>` of row i (values left out when empty, as graphology-gexf did). */
function attvalues(entries: ModelEntry[], i: number): string {
  if (entries.length === 0) return '';
  let s = '';
  for (const { column: c, open } of entries) {
    if (c.kind === 'string') {
      const v = c.values[i];
      if (v !== '') s += open + attr(v) + '"/>';
    } else if (c.kind === 'boolean') s += open + (c.values[i] === 1 ? 'true' : 'false') + '"/>';
    else {
      const v = c.values[i];
      s += open + (v === 0 ? '0' : String(v)) + '"/>';
    }
  }
  return s === '' ? '\n        <attvalues/>' : `\n        <attvalues>${s}\n        </attvalues>`;
}

const entriesOf = (m: { name: string; column: ExportColumn }[]): ModelEntry[] =>
  m.map(({ name, column }) => ({ column, open: `\n          <attvalue for="${attr(name)}" value="` }));

/** graph.gexf in chunks (one per node or edge), for writing without holding the file. */
export function* gexfChunks(x: ExportColumns): Generator<string> {
  const { nodes, edges } = x;
  const [labelColumn, ...nodeAttributes] = nodes.columns;
  const nodeModel = model(nodeAttributes, nodes.length);
  const edgeModel = model(edges.columns, edges.length);
  yield (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gexf version="1.3" xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd">\n' +
    `  <meta>\n    <case>${text(x.caseId)}</case>\n    <title>${text(x.title)}</title>\n` +
    `    <description>${text(x.description)}</description>\n  </meta>\n  <graph defaultedgetype="directed">` +
    modelXml(nodeModel, 'node') +
    modelXml(edgeModel, 'edge')
  );

  // node size: 2 + 18·sqrt(taint / max), taint = the largest received under any policy
  const received = nodes.columns
    .filter((c) => c.name.endsWith('_received') && c.kind === 'number')
    .map((c) => c.values as ArrayLike<number>);
  const taintOf = (i: number): number => {
    let t = 0;
    for (const r of received) t = Math.max(t, r[i]);
    return t;
  };
  let max = 0;
  for (let i = 0; i < nodes.length; i++) max = Math.max(max, taintOf(i));
  const category = nodes.columns.find((c) => c.name === 'category')!.values as readonly string[];
  const labels = labelColumn.values as readonly string[];
  const nodeEntries = entriesOf(nodeModel);
  if (nodes.length === 0) yield '\n    <nodes/>';
  else {
    yield '\n    <nodes>';
    for (let i = 0; i < nodes.length; i++) {
      const label = visible(labels[i]);
      yield (
        `\n      <node id="${attr(nodes.address[i])}"${label === '' ? '' : ` label="${attr(label)}"`}>` +
        attvalues(nodeEntries, i) +
        `\n        <viz:color hex="${colorOf(category[i])}"/>` +
        `\n        <viz:size value="${2 + (max > 0 ? 18 * Math.sqrt(taintOf(i) / max) : 0)}"/>\n      </node>`
      );
    }
    yield '\n    </nodes>';
  }
  const edgeEntries = entriesOf(edgeModel);
  const amount = edges.columns.find((c) => c.name === 'amount')!.values as ArrayLike<number>;
  if (edges.length === 0) yield '\n    <edges/>';
  else {
    yield '\n    <edges>';
    for (let i = 0; i < edges.length; i++) {
      const hash = (edges.columns[0].values as readonly string[])[i];
      yield (
        `\n      <edge id="${attr(hash)}" source="${attr(edges.source[i])}" target="${attr(edges.target[i])}" weight="${amount[i]}">` +
        attvalues(edgeEntries, i) +
        '\n      </edge>'
      );
    }
    yield '\n    </edges>';
  }
  yield '\n  </graph>\n</gexf>';
}
