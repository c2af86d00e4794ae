/**
 * The data embedded in report.html (pure): the complete ReportJson (tables stay complete), plus
 * what the page draws — a capped graph (top N accounts by taint + every tainted exit + seed
 * senders), per-policy flow diagrams (seed → hop levels → exits / held) and per-policy series of
 * tainted mass over time (held in accounts vs. arrived at exits). Drawing values are JS numbers
 * in XEM (geometry only); every figure shown as text comes from the exact strings.
 *
 * Read from the trace's columns (issue 10): the transfers from `tableOf`, per-transfer taint from `carriedOf`, the
 * accounts' figures and history from `accountColumnsOf`/`historyColumnsOf`, a listed transfer's memo by row
 * (`rowFields`); AccountTaint objects are made only for what the page shows of a drawn account (its figures and
 * evidence).
 */
import {
  accountColumnsOf,
  carriedAt,
  carriedOf,
  historyColumnsOf,
  rowFields,
  tableOf,
  type AccountColumns,
  type TraceResult,
  type TraceTable,
} from '../../taint/index.js';
import { policyOf, exitTest, type Policy } from '../../domain.js';
import { cmpStr, iso, nemMs, xem, xemNum } from './util.js';
import { CATEGORY_COLORS, xemNumber } from '../graph.js';
import { policiesOf, type ReportJson } from '../json.js';
import { policyPathFinder, seedIndices, type PathHop } from '../../graph/index.js';

export interface HtmlDataOptions {
  /** Most accounts the interactive graph draws (default 250). Exits and seed senders always count first. */
  maxNodes?: number;
  /** Transfers listed per node in the click panel (default 40). */
  maxNodeTransfers?: number;
  /** Exits drawn individually in the flow diagram (default 8; the rest are grouped). */
  maxFlowExits?: number;
  /** Hop columns in the flow diagram before deeper levels are merged (default 6). */
  maxFlowHops?: number;
  /** Points per time series (default 400). */
  maxSeriesPoints?: number;
  /** Taint paths from the seeds listed per drawn account and policy (default 5, fewest hops first). */
  maxNodePaths?: number;
}

export interface NodeTaint {
  h: number;
  r: number;
  held: number;
  rs: string;
  hs: string;
  f: string;
}
/** One transfer used by some evidence path (shared table: paths repeat across nodes and policies). */
export interface EvidenceStepRow {
  hash: string;
  from: string;
  to: string;
  time: string;
  amount: string;
}
/** A resolved evidence step, as the page shows it. */
export interface EvidenceRow extends EvidenceStepRow {
  taint: string;
}
export interface NodeTransfer {
  hash: string;
  time: string;
  dir: 'in' | 'out';
  peer: string;
  amount: string;
  memo: string | null;
  taint: Partial<Record<Policy, string>>;
}
export interface GraphNode {
  id: string;
  label: string;
  cat: string;
  exit: boolean;
  seed: boolean;
  t: Partial<Record<Policy, NodeTaint>>;
  /** Evidence path per policy: [index into graph.steps, taint carried]. */
  ev: Partial<Record<Policy, [number, string][]>>;
  /** Taint paths from the seeds per policy (src/graph/paths.ts, fewest hops first), each hop as in `ev`. */
  paths: Partial<Record<Policy, [number, string][][]>>;
  tx: NodeTransfer[];
  txTotal: number;
}
export interface GraphEdge {
  s: string;
  t: string;
  n: number;
  amount: number;
  taint: Partial<Record<Policy, number>>;
}
export interface FlowNode {
  id: string;
  label: string;
  col: number;
  kind: 'seed' | 'hop' | 'exit' | 'held';
  cat?: string;
}
export interface FlowLink {
  s: string;
  t: string;
  v: number;
}
export interface Series {
  t: number[];
  held: number[];
  exited: number[];
  marks: { t: number; label: string; amount: string }[];
}

export interface HtmlData {
  report: ReportJson;
  policies: Policy[];
  colors: Record<string, string>;
  graph: {
    nodes: GraphNode[];
    edges: GraphEdge[];
    steps: EvidenceStepRow[];
    totalNodes: number;
    totalEdges: number;
    cap: number;
    capped: boolean;
  };
  flows: Partial<Record<Policy, { nodes: FlowNode[]; links: FlowLink[]; skipped: number }>>;
  series: Partial<Record<Policy, Series>>;
}

/** What every part of the page reads of one trace. */
interface Trace {
  result: TraceResult;
  table: TraceTable;
  /** The seed transfers' indices, ascending. */
  seedKs: Int32Array;
  /** Per account of the table: 1 when it sent a seed transfer. */
  seedSender: Uint8Array;
  accounts: Map<Policy, AccountColumns>;
}

export function buildHtmlData(result: TraceResult, report: ReportJson, options: HtmlDataOptions = {}): HtmlData {
  const policies = policiesOf(result);
  const table = tableOf(result);
  const seedKs = seedIndices(result);
  const seedSender = new Uint8Array(table.accounts);
  for (const s of result.seed.transfers) {
    const a = table.index.get(s.from);
    if (a !== undefined) seedSender[a] = 1;
  }
  const accounts = new Map(policies.map((p) => [p, accountColumnsOf(result, p)!]));
  const trace: Trace = { result, table, seedKs, seedSender, accounts };
  return {
    report,
    policies,
    colors: CATEGORY_COLORS,
    graph: buildGraph(trace, policies, options.maxNodes ?? 250, options.maxNodeTransfers ?? 40, options.maxNodePaths ?? 5),
    flows: Object.fromEntries(policies.map((p) => [p, buildFlow(trace, p, options.maxFlowExits ?? 8, options.maxFlowHops ?? 6)])),
    series: Object.fromEntries(policies.map((p) => [p, buildSeries(trace, p, options.maxSeriesPoints ?? 400)])),
  };
}

const MAX = Number.MAX_SAFE_INTEGER;

/** A running sum of safe-integer µXEM, exact: a double while it stays below 2^53, a bigint beyond. */
class ExactSum {
  private n = 0;
  private big = 0n;
  /** Whether `big` holds a part (a flag: comparing bigints on every read is slow). */
  private spilled = false;
  add(x: number): void {
    const s = this.n + x;
    if (Math.abs(s) > MAX) {
      this.big += BigInt(this.n) + BigInt(x);
      this.n = 0;
      this.spilled = this.big !== 0n;
    } else this.n = s;
  }
  value(): number | bigint {
    return this.spilled ? this.big + BigInt(this.n) : this.n;
  }
}

/** Descending by taint received (exact), then by address: the order the page ranks accounts in. */
function byReceived(received: (a: number) => number, exact: (a: number) => bigint, address: (a: number) => string) {
  return (a: number, b: number): number => {
    const x = received(a);
    const y = received(b);
    if (x !== y) return x > y ? -1 : 1;
    if (x > MAX) {
      const [u, v] = [exact(a), exact(b)];
      if (u !== v) return u > v ? -1 : 1;
    }
    return cmpStr(address(a), address(b));
  };
}

/** The first `m` of `items` in `cmp` order, `key` (larger first) agreeing with `cmp`: a partial sort. */
function topBy(items: Int32Array, m: number, key: (a: number) => number, cmp: (a: number, b: number) => number): number[] {
  if (items.length <= 4 * m + 64) return Array.from(items).sort(cmp).slice(0, m);
  const keys = Float64Array.from(items, key).sort();
  const threshold = keys[keys.length - m];
  return Array.from(items.filter((a) => key(a) >= threshold))
    .sort(cmp)
    .slice(0, m);
}

function buildGraph(trace: Trace, policies: Policy[], cap: number, maxTx: number, maxPaths: number): HtmlData['graph'] {
  const { result, table } = trace;
  const exitOf = exitTest(result.labels, result.case.exitCategories);
  const N = table.accounts;
  const { sender, recipient, addresses } = table;
  const seedSenders = new Set(result.seed.transfers.map((t) => t.from));
  // every address the trace touched: the transfers' (the table's accounts) and the seeds' ends
  const outside = new Set<string>();
  for (const t of result.seed.transfers) for (const a of [t.from, t.to]) if (!table.index.has(a)) outside.add(a);
  const totalNodes = N + outside.size;
  // highest taint each account received under any policy (µXEM); tainted exits
  const maxReceived = new Float64Array(N);
  const isExit = new Uint8Array(N);
  for (const p of policies) {
    const ac = trace.accounts.get(p)!;
    for (let i = 0; i < ac.length; i++) {
      const a = ac.account[i];
      if (ac.received[i] <= 0) continue;
      if (ac.received[i] > maxReceived[a]) maxReceived[a] = ac.received[i];
      if (ac.exit[i] === 1) isExit[a] = 1;
    }
  }
  const exactMax = (a: number): bigint => {
    let best = 0n;
    for (const ac of trace.accounts.values()) {
      const i = ac.rowOf(a);
      if (i >= 0 && ac.receivedAt(i) > best) best = ac.receivedAt(i);
    }
    return best;
  };
  const byTaint = byReceived(
    (a) => maxReceived[a],
    exactMax,
    (a) => addresses[a],
  );
  const tainted: number[] = [];
  const exits: number[] = [];
  for (let a = 0; a < N; a++) if (maxReceived[a] > 0) (isExit[a] === 1 ? exits : tainted).push(a);
  exits.sort(byTaint);
  // Priority: seed senders, exits (by taint), tainted accounts (by taint), then untainted context.
  const chosen = new Set<string>(); // insertion order is priority order
  const take = (list: Iterable<string>) => {
    for (const a of list) {
      if (chosen.size >= cap) return;
      chosen.add(a);
    }
  };
  const names = (list: readonly number[]) => list.map((a) => addresses[a]);
  take([...seedSenders].sort(cmpStr));
  take(names(exits.slice(0, Math.max(1, Math.floor(cap / 2)))));
  // (a seed sender may be among them: take at most that many more)
  take(names(topBy(Int32Array.from(tainted), cap - chosen.size + seedSenders.size, (a) => maxReceived[a], byTaint)));
  take(names(exits));
  const drawnMark = new Uint8Array(N);
  const mark = () => {
    for (const a of chosen) {
      const i = table.index.get(a);
      if (i !== undefined) drawnMark[i] = 1;
    }
  };
  mark();
  if (chosen.size < cap) {
    // untainted context ranked by XEM sent into chosen accounts
    const ctx = new Map<number, number>();
    for (let k = 0; k < table.n; k++) {
      const [s, r] = [sender[k], recipient[k]];
      if (drawnMark[r] === 1 && drawnMark[s] === 0) ctx.set(s, (ctx.get(s) ?? 0) + table.amount[k]);
      else if (drawnMark[s] === 1 && drawnMark[r] === 0) ctx.set(r, (ctx.get(r) ?? 0) + table.amount[k]);
    }
    take([...ctx.entries()].sort((a, b) => b[1] - a[1] || cmpStr(addresses[a[0]], addresses[b[0]])).map(([a]) => addresses[a]));
    mark();
  }
  const drawn = chosen;

  // One pass over the transfers: per drawn account its transfer count and the ones its panel lists (tainted ones
  // first, then the rest, chain order kept within), and the edges between drawn accounts.
  const carried = policies.map((p) => carriedOf(result, p)!);
  const cursor = new Int32Array(policies.length);
  const taintAt = new Float64Array(policies.length);
  // the drawn accounts of the table by slot: per slot its transfer count and the transfers its panel lists
  const slot = new Int32Array(N).fill(-1);
  let slots = 0;
  for (let a = 0; a < N; a++) if (drawnMark[a] === 1) slot[a] = slots++;
  const counts = new Int32Array(slots);
  const listed = Array.from({ length: slots }, () => ({ tainted: [] as Listed[], clean: [] as Listed[], taintedCount: 0 }));
  const note = (at: number, k: number, dir: 'in' | 'out', any: boolean) => {
    const seq = counts[at]++;
    const l = listed[at];
    if (any) l.taintedCount += 1;
    const into = any ? l.tainted : l.clean;
    if (into.length < maxTx) into.push({ k, dir, seq });
  };
  const edgeMap = new Map<number, GraphEdge>();
  for (let k = 0; k < table.n; k++) {
    const s = sender[k];
    const r = recipient[k];
    const ss = slot[s];
    const rs = slot[r];
    if (ss < 0 && rs < 0) continue;
    let any = false;
    for (let j = 0; j < policies.length; j++) {
      const c = carried[j];
      let i = cursor[j];
      while (i < c.length && c.k[i] < k) i++;
      cursor[j] = i;
      taintAt[j] = i < c.length && c.k[i] === k ? c.amount[i] : 0;
      if (taintAt[j] > 0) any = true;
    }
    if (ss >= 0) note(ss, k, 'out', any);
    if (rs >= 0) note(rs, k, 'in', any);
    if (ss >= 0 && rs >= 0 && s !== r) {
      const key = s * N + r;
      let e = edgeMap.get(key);
      if (e === undefined) edgeMap.set(key, (e = { s: addresses[s], t: addresses[r], n: 0, amount: 0, taint: {} }));
      e.n += 1;
      e.amount += xemNum(table.amount[k]);
      for (let j = 0; j < policies.length; j++) if (taintAt[j] > 0) e.taint[policies[j]] = (e.taint[policies[j]] ?? 0) + xemNum(taintAt[j]);
    }
  }
  /** A listed transfer as the panel shows it (its memo read by row: no Transfer object). */
  // memos read in chain order: the store's list keeps a bounded number of segment views, so rows in order make each
  // segment's view once (in the panel's order they were made again and again)
  const fields = rowFields(result.transfers);
  const listedKs: number[] = [];
  for (const l of listed) for (const x of [...l.tainted, ...l.clean]) listedKs.push(x.k);
  const memos = new Map<number, string | null>();
  for (const k of Int32Array.from(listedKs).sort()) if (!memos.has(k)) memos.set(k, fields.messageAt(k));
  const nodeTransfer = ({ k, dir }: Listed): NodeTransfer => {
    const taint: Partial<Record<Policy, string>> = {};
    for (let j = 0; j < policies.length; j++) {
      const amount = carriedAt(carried[j], k);
      if (amount > 0) taint[policies[j]] = xem(amount);
    }
    const peer = addresses[dir === 'out' ? recipient[k] : sender[k]];
    // a transfer's time text is its timeStamp's (nemToIso: normalize.ts, records.ts; a hand-built one may leave it '')
    const time = iso(table.timeStamp[k]);
    return { hash: table.hashAt(k), time, dir, peer, amount: xem(table.amount[k]), memo: memos.get(k)!, taint };
  };

  const steps: EvidenceStepRow[] = [];
  const stepIndex = new Map<string, number>();
  const stepOf = (s: { hash: string; from: string; to: string; timeStamp: number; amount: bigint }): number => {
    let i = stepIndex.get(s.hash);
    if (i === undefined) {
      i = steps.length;
      steps.push({ hash: s.hash, from: s.from, to: s.to, time: iso(s.timeStamp), amount: xem(s.amount) });
      stepIndex.set(s.hash, i);
    }
    return i;
  };
  // the taint paths of every drawn account that received taint, per policy (one finder per policy answers them all)
  const ids = [...drawn].sort(cmpStr);
  const pathsOf = new Map<Policy, Map<string, PathHop[][]>>();
  for (const p of policies) {
    const ac = trace.accounts.get(p)!;
    const asked = ids.filter((id) => {
      const i = ac.rowOf(table.index.get(id) ?? -1);
      return i >= 0 && ac.received[i] > 0;
    });
    const found = policyPathFinder(result, p).many(asked, maxPaths);
    pathsOf.set(p, new Map(asked.map((id, i) => [id, found[i]])));
  }
  const nodes: GraphNode[] = ids.map((id) => {
    const l = result.labels.get(id);
    const t: GraphNode['t'] = {};
    const ev: GraphNode['ev'] = {};
    const paths: GraphNode['paths'] = {};
    const exit = exitOf(id);
    for (const p of policies) {
      const a = policyOf(result, p).accounts.get(id);
      if (!a || a.received <= 0n) continue;
      t[p] = {
        h: a.hops,
        r: xemNumber(a.received),
        held: xemNumber(a.held),
        rs: xem(a.received),
        hs: xem(a.held),
        f: iso(a.firstTaintedAt),
      };
      ev[p] = a.evidence.map((s): [number, string] => [stepOf(s), xem(s.taint)]);
      const found = pathsOf.get(p)!.get(id) ?? [];
      if (found.length > 0) paths[p] = found.map((path) => path.map((s): [number, string] => [stepOf(s), xem(s.taint)]));
    }
    // Panel transfers: tainted ones first (largest first), then the rest, newest chain order kept within.
    const a = table.index.get(id);
    const l2 = a === undefined ? undefined : listed[slot[a]];
    const tx =
      l2 === undefined
        ? []
        : [...l2.tainted, ...l2.clean.slice(0, Math.max(0, maxTx - l2.taintedCount))].sort((x, y) => x.seq - y.seq).map(nodeTransfer);
    return {
      id,
      label: l?.label ?? '',
      cat: l?.category ?? '',
      exit,
      seed: seedSenders.has(id),
      t,
      ev,
      paths,
      tx,
      txTotal: a === undefined ? 0 : counts[slot[a]],
    };
  });
  const edges = [...edgeMap.values()].sort((a, b) => cmpStr(a.s, b.s) || cmpStr(a.t, b.t));
  return { nodes, edges, steps, totalNodes, totalEdges: table.n, cap, capped: totalNodes > drawn.size };
}

/** A transfer a drawn account's panel lists: its index, direction and place in the account's transfers. */
interface Listed {
  k: number;
  dir: 'in' | 'out';
  seq: number;
}

/** A policy's tainted exits, most taint first. */
function exitRows(trace: Trace, ac: AccountColumns): number[] {
  const rows: number[] = [];
  for (let i = 0; i < ac.length; i++) if (ac.exit[i] === 1 && ac.received[i] > 0) rows.push(i);
  const address = (i: number) => trace.table.addresses[ac.account[i]];
  return rows.sort(
    byReceived(
      (i) => ac.received[i],
      (i) => ac.receivedAt(i),
      address,
    ),
  );
}

function buildFlow(trace: Trace, p: Policy, maxExits: number, maxHops: number): { nodes: FlowNode[]; links: FlowLink[]; skipped: number } {
  const { result, table } = trace;
  const ac = trace.accounts.get(p)!;
  const seedKs = trace.seedKs;
  const exits = exitRows(trace, ac);
  const exitAddress = (i: number) => table.addresses[ac.account[i]];
  let deepest = 0;
  for (let i = 0; i < ac.length; i++) if (ac.exit[i] === 0 && ac.received[i] > 0) deepest = Math.max(deepest, ac.hops[i]);
  // Deep traces: hop levels from `maxHops` on are merged into one "Hop n+" column.
  const maxHop = Math.min(deepest, maxHops);
  const lvl = (h: number) => Math.min(h, maxHop);
  const exitCol = maxHop + 1;
  const nodes: FlowNode[] = [{ id: 'seed', label: 'Seed', col: 0, kind: 'seed' }];
  for (let h = 1; h <= maxHop; h += 1)
    nodes.push({ id: `hop${h}`, label: h === maxHop && deepest > maxHop ? `Hop ${h}+` : `Hop ${h}`, col: h, kind: 'hop' });
  /** Per account row of the policy: its place among the shown exits (−1: not shown; an exit is grouped as "other exits"). */
  const shownAt = new Int32Array(ac.length).fill(-1);
  for (const [j, i] of exits.slice(0, maxExits).entries()) {
    const address = exitAddress(i);
    const l = result.labels.get(address);
    shownAt[i] = j;
    nodes.push({ id: `exit:${address}`, label: l?.label ?? `${address.slice(0, 8)}…`, col: exitCol, kind: 'exit', cat: l?.category ?? '' });
  }
  if (exits.length > maxExits)
    nodes.push({ id: 'exit:other', label: `${exits.length - maxExits} other exits`, col: exitCol, kind: 'exit', cat: '' });
  // link ends as numbers: 0 seed, h hop h, exitCol + 1 + j shown exit j, exitCol + 1 + maxExits other exits, then held
  const OTHER = exitCol + 1 + maxExits;
  const HELD = OTHER + 1;
  const nameOf = (x: number): string =>
    x === 0
      ? 'seed'
      : x <= maxHop
        ? `hop${x}`
        : x === OTHER
          ? 'exit:other'
          : x === HELD
            ? 'held'
            : `exit:${exitAddress(exits[x - exitCol - 1])}`;
  // per link (s · (HELD + 1) + t) its sum in XEM, the links in the order first seen
  const sums = new Float64Array((HELD + 1) * (HELD + 1));
  const seen = new Uint8Array(sums.length);
  const order: number[] = [];
  const add = (key: number, v: number) => {
    if (seen[key] === 0) {
      seen[key] = 1;
      order.push(key);
    }
    sums[key] += v;
  };
  const link = (s: number, t: number, v: number) => {
    if (v > 0) add(s * (HELD + 1) + t, xemNum(v));
  };
  let skipped = 0;
  const carried = carriedOf(result, p)!; // the transfers that carried taint, in chain order
  for (let i = 0, j = 0; i < carried.length; i++) {
    const k = carried.k[i];
    const x = carried.amount[i];
    const s = table.sender[k];
    const r = table.recipient[k];
    while (j < seedKs.length && seedKs[j] < k) j++; // both ascending
    const sr = ac.rowOf(s);
    const src = (j < seedKs.length && seedKs[j] === k) || trace.seedSender[s] === 1 ? 0 : sr >= 0 ? ac.hops[sr] : undefined;
    const rr = ac.rowOf(r);
    if (src === undefined || rr < 0) {
      skipped += 1;
      continue;
    }
    const srcId = src === 0 ? 0 : lvl(src);
    if (ac.exit[rr] === 1) {
      const j = shownAt[rr];
      link(srcId, j < 0 ? OTHER : exitCol + 1 + j, x);
      continue;
    }
    if (lvl(ac.hops[rr]) <= (src === 0 ? 0 : lvl(src))) {
      skipped += 1;
      continue;
    } // flows within or back across hop levels are not drawn
    link(srcId, lvl(ac.hops[rr]), x);
  }
  let held = 0n;
  const heldByHop = new Map<number, bigint>();
  for (let i = 0; i < ac.length; i++)
    if (ac.exit[i] === 0 && ac.held[i] > 0) {
      const h = lvl(ac.hops[i]);
      heldByHop.set(h, (heldByHop.get(h) ?? 0n) + BigInt(ac.held[i]));
      held += BigInt(ac.held[i]);
    }
  if (held > 0n) {
    nodes.push({ id: 'held', label: 'Still held', col: exitCol, kind: 'held' });
    for (const [h, v] of [...heldByHop.entries()].sort((a, b) => a[0] - b[0])) if (v > 0n) add(h * (HELD + 1) + HELD, xemNumber(v));
  }
  return {
    nodes,
    links: order.map((key) => ({ s: nameOf(Math.floor(key / (HELD + 1))), t: nameOf(key % (HELD + 1)), v: sums[key] })),
    skipped,
  };
}

function buildSeries(trace: Trace, p: Policy, maxPoints: number): Series {
  const { result, table } = trace;
  const ac = trace.accounts.get(p)!;
  const hc = historyColumnsOf(result, p)!;
  const carried = carriedOf(result, p)!;
  // Events: the history rows of tainted non-exit accounts (held) and the carried transfers into exits (exited),
  // both in chain order, merged by height, then by time within a height (stable: each account's rows in order).
  const heldBy = new Uint8Array(table.accounts);
  const exitBy = new Uint8Array(table.accounts);
  for (let r = 0; r < ac.length; r++)
    if (ac.exit[r] === 1) exitBy[ac.account[r]] = 1;
    else if (ac.received[r] > 0) heldBy[ac.account[r]] = 1;
  // an event: ≥ 0 a history row, < 0 the carried row −1 − e
  const cap = hc.length + carried.length;
  const events = new Int32Array(cap);
  const evHeight = new Int32Array(cap);
  const evTime = new Int32Array(cap);
  const [hLength, hAccount, hHeight, hTime] = [hc.length, hc.account, hc.height, hc.timeStamp];
  const [cLength, cK] = [carried.length, carried.k];
  const [height, recipient, timeStamp] = [table.height, table.recipient, table.timeStamp];
  let n = 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < hLength && heldBy[hAccount[i]] === 0) i++;
    while (j < cLength && exitBy[recipient[cK[j]]] === 0) j++;
    if (i < hLength && (j >= cLength || hHeight[i] <= height[cK[j]])) {
      events[n] = i;
      evHeight[n] = hHeight[i];
      evTime[n] = hTime[i];
      i++;
    } else if (j < cLength) {
      events[n] = -1 - j;
      evHeight[n] = height[cK[j]];
      evTime[n] = timeStamp[cK[j]];
      j++;
    } else break;
    n++;
  }
  // within a height, by time (rarely needed: a transaction's time mostly follows its block's order)
  for (let a = 0; a < n;) {
    let b = a + 1;
    let ordered = true;
    for (; b < n && evHeight[b] === evHeight[a]; b++) if (evTime[b] < evTime[b - 1]) ordered = false;
    if (!ordered && b - a <= 64) {
      // a short run (a block's events): a stable insertion sort in place
      for (let x = a + 1; x < b; x++) {
        const e = events[x];
        const t = evTime[x];
        let y = x;
        for (; y > a && evTime[y - 1] > t; y--) {
          events[y] = events[y - 1];
          evTime[y] = evTime[y - 1];
        }
        events[y] = e;
        evTime[y] = t;
      }
    } else if (!ordered) {
      const run = Array.from(events.subarray(a, b).keys(), (x) => a + x).sort((x, y) => evTime[x] - evTime[y]);
      const [e, t] = [run.map((x) => events[x]), run.map((x) => evTime[x])];
      events.set(e, a);
      evTime.set(t, a);
    }
    a = b;
  }
  // One point per run of events at the same time: the state after the run. Downsampled when there are more than
  // `maxPoints` (and more than 2): the last point per time bucket, the first point always kept first.
  let runs = 0;
  for (let x = 0; x < n; x++) if (x + 1 === n || evTime[x + 1] !== evTime[x]) runs++;
  const down = runs > maxPoints && runs > 2;
  const t0 = n > 0 ? nemMs(evTime[0]) : 0;
  const span = n > 0 ? nemMs(evTime[n - 1]) - t0 || 1 : 1;
  type Point = { t: number; held: number | bigint; exited: number | bigint };
  const pts: Point[] = [];
  const buckets = new Map<number, Point>();
  const last = new Float64Array(table.accounts);
  const held = new ExactSum();
  const exited = new ExactSum();
  for (let x = 0; x < n; x++) {
    const e = events[x];
    if (e < 0) exited.add(carried.amount[-1 - e]);
    else {
      const a = hc.account[e];
      held.add(hc.tainted[e] - last[a]);
      last[a] = hc.tainted[e];
    }
    if (x + 1 < n && evTime[x + 1] === evTime[x]) continue;
    const t = nemMs(evTime[x]);
    if (!down || pts.length === 0) pts.push({ t, held: held.value(), exited: exited.value() });
    if (!down) continue;
    const b = Math.floor(((t - t0) / span) * (maxPoints - 1));
    const at = buckets.get(b);
    if (at === undefined) buckets.set(b, { t, held: held.value(), exited: exited.value() });
    else {
      at.t = t;
      at.held = held.value();
      at.exited = exited.value();
    }
  }
  for (const [, r] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) pts.push(r);
  const accounts = policyOf(result, p).accounts;
  const marks = exitRows(trace, ac)
    .slice(0, 6)
    .map((i) => {
      const address = table.addresses[ac.account[i]];
      return {
        t: nemMs(accounts.get(address)!.firstTaintedAt),
        label: result.labels.get(address)?.label ?? address.slice(0, 10),
        amount: xem(ac.receivedAt(i)),
      };
    });
  const num = (x: number | bigint) => (typeof x === 'bigint' ? xemNumber(x) : xemNum(x));
  return { t: pts.map((r) => r.t), held: pts.map((r) => num(r.held)), exited: pts.map((r) => num(r.exited)), marks };
}
