/**
 * graph.gexf (GEXF 1.3) of the export graph's columns (graph.ts), written directly in chunks, one line per node
 * or edge: per-policy taint attributes on nodes and edges, node colour by category and size by the largest taint
 * received (for Gephi). Compact where graphology-gexf's writer (which it replaced at scale: README Benchmarks, the
 * graph writers) was not: attributes declared with numeric ids and their names as titles, numbers and booleans
 * with a default (0, false) that their values then leave out, no indentation inside an element. Read back by
 * graphology-gexf's parser it is the graph that writer's file was (tested). Every text (labels, memos, the case
 * title in <meta>) goes through xmlText (safe-text.ts): nothing XML 1.0 forbids is written.
 */
import type { TraceResult } from '../taint/index.js';
import { colorOf, EXPORT_EDGE_CAP, exportColumns, type ExportColumn, type ExportColumns } from './graph.js';
import { xmlText } from './safe-text.js';

const attr = xmlText;
const text = xmlText;

/** graph.gexf as one string; `cap`: most transfers it holds (graph.ts; stated in its <meta><description>). */
export function buildGexf(result: TraceResult, cap = EXPORT_EDGE_CAP, columns = exportColumns(result, cap)): string {
  return [...gexfChunks(columns)].join('');
}

/** One declared attribute: its column and the `<attvalue for="…" value="` that opens its values. */
interface Declared {
  column: ExportColumn;
  open: string;
}

/**
 * The attribute model of some columns: `<attribute>` lines (id = the column's position, title = its name) and what
 * opens each value. A string column with no value is not declared (as graphology-gexf wrote it); numbers and
 * booleans declare their default (0, false), and a value equal to it is left out.
 */
function model(columns: ExportColumn[], rows: number, cls: string): { xml: string; declared: Declared[] } {
  const declared: Declared[] = [];
  let xml = '';
  columns.forEach((column, id) => {
    if (rows === 0 || (column.kind === 'string' && !column.values.some((v) => v !== ''))) return;
    const head = `\n      <attribute id="${id}" title="${attr(column.name)}" type="`;
    if (column.kind === 'string') xml += `${head}string"/>`;
    else if (column.kind === 'boolean') xml += `${head}boolean"><default>false</default></attribute>`;
    else xml += `${head}${integers(column.values, rows) ? 'integer' : 'double'}"><default>0</default></attribute>`;
    declared.push({ column, open: `<attvalue for="${id}" value="` });
  });
  return { xml: xml === '' ? '' : `\n    <attributes class="${cls}">${xml}\n    </attributes>`, declared };
}

/** GEXF's `integer`: every value a 32-bit integer (graphology-gexf's rule), else `double`. */
function integers(values: ArrayLike<number>, rows: number): boolean {
  for (let i = 0; i < rows; i++) if (values[i] !== (values[i] | 0)) return false;
  return true;
}

/** `<attvalues>` of row i: the values that are not empty or the default. */
function attvalues(declared: Declared[], i: number): string {
  let s = '';
  for (const { column: c, open } of declared) {
    if (c.kind === 'string') {
      const v = c.values[i];
      if (v !== '') s += open + attr(v) + '"/>';
    } else if (c.kind === 'boolean') {
      if (c.values[i] === 1) s += open + 'true"/>';
    } else {
      const v = c.values[i];
      if (v !== 0) s += open + String(v) + '"/>';
    }
  }
  return s === '' ? '' : `<attvalues>${s}</attvalues>`;
}

/** graph.gexf in chunks (one per node or edge, one line each), for writing without holding the file. */
export function* gexfChunks(x: ExportColumns): Generator<string> {
  const { nodes, edges } = x;
  const [labelColumn, ...nodeAttributes] = nodes.columns;
  const nodeModel = model(nodeAttributes, nodes.length, 'node');
  const edgeModel = model(edges.columns, edges.length, 'edge');
  yield (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gexf version="1.3" xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd">\n' +
    `  <meta>\n    <case>${text(x.caseId)}</case>\n    <title>${text(x.title)}</title>\n` +
    `    <description>${text(x.description)}</description>\n  </meta>\n  <graph defaultedgetype="directed">` +
    nodeModel.xml +
    edgeModel.xml
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
  yield '\n    <nodes>';
  for (let i = 0; i < nodes.length; i++) {
    const label = labels[i];
    yield (
      `\n      <node id="${attr(nodes.address[i])}"${label === '' ? '' : ` label="${attr(label)}"`}>` +
      attvalues(nodeModel.declared, i) +
      `<viz:color hex="${colorOf(category[i])}"/><viz:size value="${2 + (max > 0 ? 18 * Math.sqrt(taintOf(i) / max) : 0)}"/></node>`
    );
  }
  yield '\n    </nodes>\n    <edges>';
  const amount = edges.columns.find((c) => c.name === 'amount')!.values as ArrayLike<number>;
  const hash = edges.columns[0].values as readonly string[];
  for (let i = 0; i < edges.length; i++) {
    yield (
      `\n      <edge id="${attr(hash[i])}" source="${attr(edges.source[i])}" target="${attr(edges.target[i])}" weight="${amount[i]}">` +
      attvalues(edgeModel.declared, i) +
      '</edge>'
    );
  }
  yield '\n    </edges>\n  </graph>\n</gexf>\n';
}
