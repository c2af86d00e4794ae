/**
 * graph.graphml of the export graph's columns (graph.ts), hand-written in chunks (one per node or edge): typed
 * <key> declarations (string, boolean, int, double) inferred over all values, one <node>/<edge> per row in the
 * export's deterministic order (capped: its <desc> says so, graph.ts); every text through xmlText (safe-text.ts):
 * controls, bidi and lone surrogates shown visibly, so nothing XML 1.0 forbids is written.
 */
import type { TraceResult } from '../taint/index.js';
import { EXPORT_EDGE_CAP, exportColumns, type ExportColumn, type ExportColumns } from './graph.js';
import { xmlText } from './safe-text.js';

/** graph.graphml as one string; `cap`: most transfers it holds (graph.ts; stated in its <desc>). */
export function buildGraphml(result: TraceResult, cap = EXPORT_EDGE_CAP, columns = exportColumns(result, cap)): string {
  return [...graphmlChunks(columns)].join('');
}

/** A column's GraphML type: `int` when every value is an integer of at most 2^31 − 1 in size, else `double`. */
function kindOf(c: ExportColumn, rows: number): string {
  if (c.kind !== 'number') return c.kind;
  for (let i = 0; i < rows; i++) {
    const v = c.values[i];
    if (!Number.isInteger(v) || Math.abs(v) > 0x7fffffff) return 'double';
  }
  return 'int';
}

/** `<key>` lines of some columns (none for no rows) and, per column, its `<data key="…">` opening tag. */
function keys(columns: ExportColumn[], rows: number, prefix: 'n' | 'e', domain: string): { xml: string; opens: string[] } {
  let xml = '';
  const opens = columns.map((c, j) => {
    if (rows > 0) xml += `\n  <key id="${prefix}${j}" for="${domain}" attr.name="${xmlText(c.name)}" attr.type="${kindOf(c, rows)}"/>`;
    return `<data key="${prefix}${j}">`;
  });
  return { xml, opens };
}

/** The `<data>` elements of row i; numbers and booleans print nothing XML escapes. */
function data(columns: ExportColumn[], opens: string[], i: number): string {
  let s = '';
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j];
    let v: string;
    if (c.kind === 'string') v = xmlText(c.values[i]);
    else if (c.kind === 'boolean') v = c.values[i] === 1 ? 'true' : 'false';
    else {
      const x = c.values[i];
      v = x === 0 ? '0' : String(x);
    }
    s += opens[j] + v + '</data>';
  }
  return s;
}

/** graph.graphml in chunks, for writing without holding the file. */
export function* graphmlChunks(x: ExportColumns): Generator<string> {
  const { nodes, edges } = x;
  const nodeKeys = keys(nodes.columns, nodes.length, 'n', 'node');
  const edgeKeys = keys(edges.columns, edges.length, 'e', 'edge');
  yield (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">' +
    nodeKeys.xml +
    edgeKeys.xml +
    `\n  <graph id="${xmlText(x.caseId)}" edgedefault="directed">\n    <desc>${xmlText(x.description)}</desc>`
  );
  for (let i = 0; i < nodes.length; i++) {
    yield `\n    <node id="${xmlText(nodes.address[i])}">${data(nodes.columns, nodeKeys.opens, i)}</node>`;
  }
  for (let i = 0; i < edges.length; i++) {
    const hash = (edges.columns[0].values as readonly string[])[i];
    yield (
      `\n    <edge id="${xmlText(hash)}" source="${xmlText(edges.source[i])}" target="${xmlText(edges.target[i])}">` +
      data(edges.columns, edgeKeys.opens, i) +
      '</edge>'
    );
  }
  yield '\n  </graph>\n</graphml>\n';
}
