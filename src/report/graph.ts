/**
 * The export graph behind graph.gexf / graph.graphml, as columns read straight from the trace's table
 * (`tableOf`), carried-taint columns (`carriedOf`) and the policies' account columns (`accountColumnsOf`), the memos
 * by row (`rowFields`): no Transfer or AccountTaint object, no graph library on the way (issue 10). Everything the
 * trace looked at, flattened to scalar attributes (GEXF and GraphML take no nested values).
 * Capped (EXPORT_EDGE_CAP; the `description` says so, and each file states it): a trace of more transfers
 * exports the `cap` that carried the most taint (largest under any policy, seeds first, ties in chain order)
 * and the accounts at their ends; every transfer is in transfers.csv, every account in accounts.csv.
 * Nodes: every traced address (sorted), with label, category, exit flag and, per policy p,
 * `<p>_hops` (0 = untainted), `<p>_received`, `<p>_held` (XEM as numbers) and `<p>_first_tainted`.
 * Edges: one per transfer keyed by hash (chain order), with amount, fee, time, memo, seed flag and
 * `taint_<p>` per policy. The order is deterministic, so the written files are too.
 */
import { MultiDirectedGraph } from 'graphology';
import { exitTest, type Policy } from '../domain.js';
import { seedIndices, tracedAccounts } from '../graph/index.js';
import { nemToIso } from '../nem/index.js';
import { accountColumnsOf, carriedOf, rowFields, tableOf, type TraceResult, type TraceTable } from '../taint/index.js';
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

/**
 * The same number as `xemNumber` without the text: a safe integer divided by 10^6 is the double nearest the decimal,
 * which is what parsing the decimal gives (both round the same real number once).
 */
const xemOf = (micro: bigint | number): number => {
  const m = typeof micro === 'bigint' && micro >= -0x1fffffffffffffn && micro <= 0x1fffffffffffffn ? Number(micro) : micro;
  return typeof m === 'number' && Number.isSafeInteger(m) ? m / 1e6 : xemNumber(m);
};

/** Most transfers a graph export holds (the rest are in transfers.csv). */
export const EXPORT_EDGE_CAP = 20_000;

/** One attribute of every node or every edge: its name, kind and value per row. */
export type ExportColumn =
  | { name: string; kind: 'string'; values: readonly string[] }
  | { name: string; kind: 'number'; values: ArrayLike<number> }
  | { name: string; kind: 'boolean'; values: Uint8Array };

/**
 * The export graph as columns: node rows (addresses sorted) and edge rows (chain order), each attribute a column
 * in the files' order. Nodes' first column is `label`, edges' first is `hash`.
 */
export interface ExportColumns {
  caseId: string;
  title: string;
  /** Complete, or capped and how (the files' <description>/<desc>). */
  description: string;
  policies: Policy[];
  nodes: { length: number; address: readonly string[]; columns: ExportColumn[] };
  edges: { length: number; source: readonly string[]; target: readonly string[]; columns: ExportColumn[] };
}

/** The export graph's columns (see the module comment); `cap`: most transfers it holds. */
export function exportColumns(result: TraceResult, cap = EXPORT_EDGE_CAP): ExportColumns {
  const table = tableOf(result);
  const total = table.n;
  const chosen = total > cap ? topCarriers(result, cap) : null;
  const rows = chosen ?? Int32Array.from({ length: total }, (_v, k) => k);
  const policies = policiesOf(result);
  return {
    caseId: result.case.id,
    title: result.case.title,
    description:
      chosen === null
        ? `complete: all ${total} transfers of the trace and every address it touched`
        : `capped at ${cap} of ${total} transfers: the ${chosen.length} that carried the most taint (largest under any policy, ` +
          'seeds first) and the accounts at their ends; every transfer is in transfers.csv, every account in accounts.csv',
    policies,
    nodes: nodeColumns(result, policies, exportedAddresses(result, table, rows, chosen === null)),
    edges: edgeColumns(result, table, policies, rows),
  };
}

/**
 * The addresses the export shows, sorted, each with its account index in the table (−1: in no transfer): the ends of
 * its transfers and, when complete, every address the trace touched (tracedAccounts).
 */
function exportedAddresses(result: TraceResult, table: TraceTable, rows: ArrayLike<number>, complete: boolean): ExportedAccounts {
  if (complete) return tracedAccounts(result);
  const seen = new Uint8Array(table.addresses.length);
  const addresses: string[] = [];
  const add = (a: number) => {
    if (seen[a] === 0) {
      seen[a] = 1;
      addresses.push(table.addresses[a]);
    }
  };
  for (let i = 0; i < rows.length; i++) {
    add(table.sender[rows[i]]);
    add(table.recipient[rows[i]]);
  }
  addresses.sort(); // UTF-16 code-unit order: cmpStr's, without a comparator call per pair
  return { addresses, account: Int32Array.from(addresses, (a) => table.index.get(a)!) };
}

interface ExportedAccounts {
  addresses: string[];
  account: Int32Array;
}

function nodeColumns(result: TraceResult, policies: Policy[], { addresses: address, account }: ExportedAccounts): ExportColumns['nodes'] {
  const n = address.length;
  const isos = new Map<number, string>(); // an account is often first tainted by one transfer under several policies
  const isoOf = (t: number): string => {
    let s = isos.get(t);
    if (s === undefined) isos.set(t, (s = nemToIso(t)));
    return s;
  };
  const isExit = exitTest(result.labels, result.case.exitCategories);
  const label: string[] = new Array<string>(n);
  const category: string[] = new Array<string>(n);
  const exit = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = result.labels.get(address[i]);
    label[i] = l?.label ?? address[i];
    category[i] = l?.category ?? '';
    exit[i] = isExit(address[i]) ? 1 : 0;
  }
  const columns: ExportColumn[] = [
    { name: 'label', kind: 'string', values: label },
    { name: 'address', kind: 'string', values: address },
    { name: 'category', kind: 'string', values: category },
    { name: 'exit', kind: 'boolean', values: exit },
  ];
  // the policies' account columns; an address no transfer names (a hand-built result's) is read from the maps
  const byColumns = !account.includes(-1);
  for (const p of policies) {
    const hops = new Int32Array(n);
    const received = new Float64Array(n);
    const held = new Float64Array(n);
    const first: string[] = new Array<string>(n).fill('');
    const set = (i: number, h: number, r: number | bigint, k: number | bigint, f: number) => {
      hops[i] = h;
      received[i] = xemOf(r);
      held[i] = xemOf(k);
      first[i] = isoOf(f);
    };
    if (byColumns) {
      const c = accountColumnsOf(result, p)!;
      for (let i = 0; i < n; i++) {
        const r = c.rowOf(account[i]);
        if (r < 0 || c.received[r] <= 0) continue;
        set(i, c.hops[r], c.received[r] > Number.MAX_SAFE_INTEGER ? c.receivedAt(r) : c.received[r], c.held[r], c.firstTaintedAt[r]);
      }
    } else {
      const accounts = result.policies[p]!.accounts;
      for (let i = 0; i < n; i++) {
        const a = accounts.get(address[i]);
        if (a !== undefined && a.received > 0n) set(i, a.hops, a.received, a.held, a.firstTaintedAt);
      }
    }
    columns.push(
      { name: `${p}_hops`, kind: 'number', values: hops },
      { name: `${p}_received`, kind: 'number', values: received },
      { name: `${p}_held`, kind: 'number', values: held },
      { name: `${p}_first_tainted`, kind: 'string', values: first },
    );
  }
  return { length: n, address, columns };
}

function edgeColumns(result: TraceResult, table: TraceTable, policies: Policy[], rows: ArrayLike<number>): ExportColumns['edges'] {
  const n = rows.length;
  const hash: string[] = new Array<string>(n);
  const source: string[] = new Array<string>(n);
  const target: string[] = new Array<string>(n);
  const height = new Int32Array(n);
  const time: string[] = new Array<string>(n);
  const amount = new Float64Array(n);
  const fee = new Float64Array(n);
  const memo: string[] = new Array<string>(n);
  const seed = new Uint8Array(n);
  const seeds = new Set(seedIndices(result));
  const fields = rowFields(result.transfers);
  for (let i = 0; i < n; i++) {
    const k = rows[i];
    hash[i] = table.hashAt(k);
    source[i] = table.addresses[table.sender[k]];
    target[i] = table.addresses[table.recipient[k]];
    height[i] = table.height[k];
    time[i] = nemToIso(table.timeStamp[k]);
    amount[i] = xemOf(table.amount[k]);
    fee[i] = xemOf(table.fee[k]);
    memo[i] = fields.messageAt(k) ?? ''; // the one field not in the columns (read from the row: no Transfer object)
    seed[i] = seeds.has(k) ? 1 : 0;
  }
  const columns: ExportColumn[] = [
    { name: 'hash', kind: 'string', values: hash },
    { name: 'height', kind: 'number', values: height },
    { name: 'time', kind: 'string', values: time },
    { name: 'amount', kind: 'number', values: amount },
    { name: 'fee', kind: 'number', values: fee },
    { name: 'memo', kind: 'string', values: memo },
    { name: 'seed', kind: 'boolean', values: seed },
  ];
  for (const p of policies) {
    // both ascending in k: one merge walk
    const c = carriedOf(result, p)!;
    const taint = new Float64Array(n);
    for (let i = 0, j = 0; i < n; i++) {
      while (j < c.length && c.k[j] < rows[i]) j++;
      if (j < c.length && c.k[j] === rows[i] && c.amount[j] > 0) taint[i] = xemOf(c.amount[j]);
    }
    columns.push({ name: `taint_${p}`, kind: 'number', values: taint });
  }
  return { length: n, source, target, columns };
}

/**
 * Indices (ascending) of the at most `cap` transfers that carried the most taint under any policy; seeds first,
 * ties in chain order. The cut is found in a sorted typed copy of the scores (no comparator over every tainted transfer).
 */
export function topCarriers(result: TraceResult, cap: number): Int32Array {
  const n = tableOf(result).n;
  const score = new Float64Array(n);
  for (const p of policiesOf(result)) {
    const c = carriedOf(result, p)!;
    for (let i = 0; i < c.length; i++) if (c.amount[i] > score[c.k[i]]) score[c.k[i]] = c.amount[i];
  }
  for (const k of seedIndices(result)) score[k] = Infinity;
  let positive = 0;
  for (let k = 0; k < n; k++) if (score[k] > 0) positive++;
  // the cap-th largest score: every higher score is in, and the first (chain order) of those equal to it
  let threshold = 0;
  let ties = Infinity;
  if (positive > cap) {
    const ranked = new Float64Array(positive);
    for (let k = 0, j = 0; k < n; k++) if (score[k] > 0) ranked[j++] = score[k];
    threshold = cap > 0 ? kthLargest(ranked, cap) : Infinity;
    let above = 0;
    for (let i = 0; i < positive; i++) if (ranked[i] > threshold) above++;
    ties = cap - above;
  }
  const out = new Int32Array(Math.min(cap, positive));
  for (let k = 0, j = 0; k < n && j < out.length; k++) {
    if (score[k] > threshold || (score[k] === threshold && threshold > 0 && ties-- > 0)) out[j++] = k;
  }
  return out;
}

/**
 * The k-th largest value of `a` (1 ≤ k ≤ a.length), reordering `a`: quickselect (median-of-three pivot), which falls
 * back to sorting the part left when a pathological input makes it partition too often.
 */
export function kthLargest(a: Float64Array, k: number): number {
  const target = k - 1; // index of the answer in descending order
  let lo = 0;
  let hi = a.length - 1;
  for (let budget = 2 * Math.ceil(Math.log2(a.length + 1)) + 8; lo < hi; budget--) {
    if (budget === 0) {
      const rest = a
        .subarray(lo, hi + 1)
        .sort()
        .reverse();
      return rest[target - lo];
    }
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x > y ? (y > z ? y : x > z ? z : x) : x > z ? x : y > z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}

export type ExportGraph = MultiDirectedGraph<ExportNode, ExportEdge>;

/** The value of a column at a row, as the graph library and the writers' type inference see it. */
export const valueAt = (c: ExportColumn, i: number): string | number | boolean => (c.kind === 'boolean' ? c.values[i] === 1 : c.values[i]);

/** The export graph as a graphology graph (library users' queries; the files are written from the columns). */
export function buildExportGraph(result: TraceResult, cap = EXPORT_EDGE_CAP): ExportGraph {
  const x = exportColumns(result, cap);
  const graph: ExportGraph = new MultiDirectedGraph<ExportNode, ExportEdge>();
  graph.setAttribute('case', x.caseId);
  graph.setAttribute('title', x.title);
  graph.setAttribute('description', x.description);
  const record = (columns: ExportColumn[], i: number): Record<string, string | number | boolean> => {
    const r: Record<string, string | number | boolean> = {};
    for (const c of columns) r[c.name] = valueAt(c, i);
    return r;
  };
  for (let i = 0; i < x.nodes.length; i++) graph.addNode(x.nodes.address[i], record(x.nodes.columns, i));
  for (let i = 0; i < x.edges.length; i++) {
    const attrs = record(x.edges.columns, i);
    graph.addDirectedEdgeWithKey(attrs.hash, x.edges.source[i], x.edges.target[i], attrs);
  }
  return graph;
}
