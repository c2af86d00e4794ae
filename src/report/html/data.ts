/**
 * The data embedded in report.html (pure): the complete ReportJson (tables stay complete), plus
 * what the page draws — a capped graph (top N accounts by taint + every tainted exit + seed
 * senders), per-policy flow diagrams (seed → hop levels → exits / held) and per-policy series of
 * tainted mass over time (held in accounts vs. arrived at exits). Drawing values are JS numbers
 * in XEM (geometry only); every figure shown as text comes from the exact strings.
 */
import { carriedOf, type TraceResult } from '../../taint/index.js';
import { policyOf, exitTest, type Policy } from '../../domain.js';
import { chainOrder, cmpStr, iso, nemMs, xem } from './util.js';
import { CATEGORY_COLORS, xemNumber } from '../graph.js';
import { policiesOf, type ReportJson } from '../json.js';
import { policyPathFinder } from '../../graph/index.js';

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

export function buildHtmlData(result: TraceResult, report: ReportJson, options: HtmlDataOptions = {}): HtmlData {
  const policies = policiesOf(result);
  return {
    report,
    policies,
    colors: CATEGORY_COLORS,
    graph: buildGraph(result, policies, options.maxNodes ?? 250, options.maxNodeTransfers ?? 40, options.maxNodePaths ?? 5),
    flows: Object.fromEntries(policies.map((p) => [p, buildFlow(result, p, options.maxFlowExits ?? 8, options.maxFlowHops ?? 6)])),
    series: Object.fromEntries(policies.map((p) => [p, buildSeries(result, p, options.maxSeriesPoints ?? 400)])),
  };
}

function buildGraph(result: TraceResult, policies: Policy[], cap: number, maxTx: number, maxPaths: number): HtmlData['graph'] {
  const exitOf = exitTest(result.labels, result.case.exitCategories);
  const all = new Set<string>();
  for (const t of result.transfers) {
    all.add(t.sender);
    all.add(t.recipient);
  }
  const seedSenders = new Set(result.seed.transfers.map((t) => t.from));
  for (const s of seedSenders) all.add(s);
  for (const t of result.seed.transfers) all.add(t.to);
  // highest taint each account received under any policy (µXEM); exits in first-seen order
  const tainted = new Map<string, bigint>();
  const exitSet = new Set<string>();
  for (const p of policies)
    for (const a of policyOf(result, p).accounts.values()) {
      if (a.received <= 0n) continue;
      all.add(a.address);
      if (a.received > (tainted.get(a.address) ?? 0n)) tainted.set(a.address, a.received);
      if (a.isExit) exitSet.add(a.address);
    }
  const exits = [...exitSet];
  const byTaint = (a: string, b: string) => {
    const x = tainted.get(a) ?? 0n;
    const y = tainted.get(b) ?? 0n;
    return x > y ? -1 : x < y ? 1 : cmpStr(a, b);
  };
  // Priority: seed senders, exits (by taint), tainted accounts (by taint), then untainted context.
  const chosen = new Set<string>(); // insertion order is priority order
  const take = (list: string[]) => {
    for (const a of list) {
      if (chosen.size >= cap) return;
      chosen.add(a);
    }
  };
  const chosenSet = () => new Set(chosen);
  take([...seedSenders].sort(cmpStr));
  take(exits.sort(byTaint).slice(0, Math.max(1, Math.floor(cap / 2))));
  take([...tainted.keys()].filter((a) => !exitSet.has(a)).sort(byTaint));
  take(exits);
  if (chosen.size < cap) {
    // untainted context ranked by XEM sent into chosen accounts
    const have = chosenSet();
    const ctx = new Map<string, number>();
    for (const t of result.transfers) {
      if (have.has(t.recipient) && !have.has(t.sender)) ctx.set(t.sender, (ctx.get(t.sender) ?? 0) + t.amount);
      else if (have.has(t.sender) && !have.has(t.recipient)) ctx.set(t.recipient, (ctx.get(t.recipient) ?? 0) + t.amount);
    }
    take([...ctx.entries()].sort((a, b) => b[1] - a[1] || cmpStr(a[0], b[0])).map(([a]) => a));
  }
  const drawn = chosenSet();
  const byNode = new Map<string, NodeTransfer[]>();
  const counts = new Map<string, number>();
  const edgeMap = new Map<string, GraphEdge>();
  const sorted = [...result.transfers].sort(chainOrder);
  for (const t of sorted) {
    if (!drawn.has(t.sender) && !drawn.has(t.recipient)) continue;
    const taint: Partial<Record<Policy, string>> = {};
    for (const p of policies) {
      const x = policyOf(result, p).transferTaint.get(t.hash);
      if (x !== undefined && x > 0n) taint[p] = xem(x);
    }
    for (const [node, dir, peer] of [
      [t.sender, 'out', t.recipient],
      [t.recipient, 'in', t.sender],
    ] as const) {
      if (!drawn.has(node)) continue;
      counts.set(node, (counts.get(node) ?? 0) + 1);
      const list = byNode.get(node) ?? [];
      list.push({ hash: t.hash, time: t.time || iso(t.timeStamp), dir, peer, amount: xem(t.amount), memo: t.message, taint });
      byNode.set(node, list);
    }
    if (drawn.has(t.sender) && drawn.has(t.recipient) && t.sender !== t.recipient) {
      const key = `${t.sender}>${t.recipient}`;
      const e = edgeMap.get(key) ?? { s: t.sender, t: t.recipient, n: 0, amount: 0, taint: {} };
      e.n += 1;
      e.amount += xemNumber(t.amount);
      for (const p of policies) {
        const x = policyOf(result, p).transferTaint.get(t.hash);
        if (x) e.taint[p] = (e.taint[p] ?? 0) + xemNumber(x);
      }
      edgeMap.set(key, e);
    }
  }
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
  const finders = new Map(policies.map((p) => [p, policyPathFinder(result, p)]));
  const nodes: GraphNode[] = [...drawn].sort(cmpStr).map((id) => {
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
      const found = finders.get(p)!(id, maxPaths);
      if (found.length > 0) paths[p] = found.map((path) => path.map((s): [number, string] => [stepOf(s), xem(s.taint)]));
    }
    // Panel transfers: tainted ones first (largest first), then the rest, newest chain order kept within.
    const list = byNode.get(id) ?? [];
    const ranked = list
      .map((x, i) => ({ x, i, w: Object.keys(x.taint).length > 0 ? 1 : 0 }))
      .sort((a, b) => b.w - a.w || a.i - b.i)
      .slice(0, maxTx)
      .sort((a, b) => a.i - b.i)
      .map((r) => r.x);
    return {
      id,
      label: l?.label ?? '',
      cat: l?.category ?? '',
      exit,
      seed: seedSenders.has(id),
      t,
      ev,
      paths,
      tx: ranked,
      txTotal: counts.get(id) ?? 0,
    };
  });
  const edges = [...edgeMap.values()].sort((a, b) => cmpStr(a.s, b.s) || cmpStr(a.t, b.t));
  return { nodes, edges, steps, totalNodes: all.size, totalEdges: result.transfers.length, cap, capped: all.size > drawn.size };
}

function buildFlow(
  result: TraceResult,
  p: Policy,
  maxExits: number,
  maxHops: number,
): { nodes: FlowNode[]; links: FlowLink[]; skipped: number } {
  const pr = policyOf(result, p);
  const seedSenders = new Set(result.seed.transfers.map((t) => t.from));
  const seedHashes = new Set(result.seed.transfers.map((t) => t.hash));
  const exits = [...pr.accounts.values()]
    .filter((a) => a.isExit && a.received > 0n)
    .sort((a, b) => (a.received > b.received ? -1 : a.received < b.received ? 1 : cmpStr(a.address, b.address)));
  const shownExits = new Set(exits.slice(0, maxExits).map((a) => a.address));
  let deepest = 0;
  for (const a of pr.accounts.values()) if (!a.isExit && a.received > 0n) deepest = Math.max(deepest, a.hops);
  // Deep traces: hop levels from `maxHops` on are merged into one "Hop n+" column.
  const maxHop = Math.min(deepest, maxHops);
  const lvl = (h: number) => Math.min(h, maxHop);
  const exitCol = maxHop + 1;
  const nodes: FlowNode[] = [{ id: 'seed', label: 'Seed', col: 0, kind: 'seed' }];
  for (let h = 1; h <= maxHop; h += 1)
    nodes.push({ id: `hop${h}`, label: h === maxHop && deepest > maxHop ? `Hop ${h}+` : `Hop ${h}`, col: h, kind: 'hop' });
  for (const a of exits.slice(0, maxExits)) {
    const l = result.labels.get(a.address);
    nodes.push({
      id: `exit:${a.address}`,
      label: l?.label ?? `${a.address.slice(0, 8)}…`,
      col: exitCol,
      kind: 'exit',
      cat: l?.category ?? '',
    });
  }
  if (exits.length > maxExits)
    nodes.push({ id: 'exit:other', label: `${exits.length - maxExits} other exits`, col: exitCol, kind: 'exit', cat: '' });
  const links = new Map<string, number>();
  const add = (s: string, t: string, v: bigint) => {
    if (v > 0n) links.set(`${s}\u0000${t}`, (links.get(`${s}\u0000${t}`) ?? 0) + xemNumber(v));
  };
  let skipped = 0;
  const carried = carriedOf(result, p)!; // the transfers that carried taint, in chain order
  for (let i = 0; i < carried.length; i++) {
    const t = result.transfers[carried.k[i]];
    const x = BigInt(carried.amount[i]);
    const src = seedHashes.has(t.hash) || seedSenders.has(t.sender) ? 0 : pr.accounts.get(t.sender)?.hops;
    if (src === undefined) {
      skipped += 1;
      continue;
    }
    const r = pr.accounts.get(t.recipient);
    if (!r) {
      skipped += 1;
      continue;
    }
    const srcId = src === 0 ? 'seed' : `hop${lvl(src)}`;
    if (r.isExit) {
      add(srcId, shownExits.has(t.recipient) ? `exit:${t.recipient}` : 'exit:other', x);
      continue;
    }
    if (lvl(r.hops) <= (src === 0 ? 0 : lvl(src))) {
      skipped += 1;
      continue;
    } // flows within or back across hop levels are not drawn
    add(srcId, `hop${lvl(r.hops)}`, x);
  }
  let held = 0n;
  const heldByHop = new Map<number, bigint>();
  for (const a of pr.accounts.values())
    if (!a.isExit && a.held > 0n) {
      heldByHop.set(lvl(a.hops), (heldByHop.get(lvl(a.hops)) ?? 0n) + a.held);
      held += a.held;
    }
  if (held > 0n) {
    nodes.push({ id: 'held', label: 'Still held', col: exitCol, kind: 'held' });
    for (const [h, v] of [...heldByHop.entries()].sort((a, b) => a[0] - b[0])) add(`hop${h}`, 'held', v);
  }
  return {
    nodes,
    links: [...links.entries()].map(([k, v]) => {
      const [s, t] = k.split('\u0000');
      return { s, t, v };
    }),
    skipped,
  };
}

function buildSeries(result: TraceResult, p: Policy, maxPoints: number): Series {
  const pr = policyOf(result, p);
  type Ev = { height: number; ts: number; key: string; held?: bigint; exited?: bigint };
  const events: Ev[] = [];
  for (const a of pr.accounts.values()) {
    if (a.received <= 0n || a.isExit) continue;
    for (const h of a.history) events.push({ height: h.height, ts: h.timeStamp, key: a.address, held: h.tainted });
  }
  const exitSet = new Set([...pr.accounts.values()].filter((a) => a.isExit).map((a) => a.address));
  const carried = carriedOf(result, p)!;
  for (let i = 0; i < carried.length; i++) {
    const t = result.transfers[carried.k[i]];
    if (exitSet.has(t.recipient)) events.push({ height: t.height, ts: t.timeStamp, key: '', exited: BigInt(carried.amount[i]) });
  }
  events.sort((a, b) => a.height - b.height || a.ts - b.ts || cmpStr(a.key, b.key));
  const last = new Map<string, bigint>();
  let held = 0n;
  let exited = 0n;
  const raw: { t: number; held: bigint; exited: bigint }[] = [];
  for (const e of events) {
    if (e.exited !== undefined) exited += e.exited;
    else {
      held += e.held! - (last.get(e.key) ?? 0n);
      last.set(e.key, e.held!);
    }
    const t = nemMs(e.ts);
    if (raw.length > 0 && raw[raw.length - 1].t === t) {
      raw[raw.length - 1] = { t, held, exited };
    } else raw.push({ t, held, exited });
  }
  // Downsample: keep the last state per time bucket (first and last points always kept).
  let pts = raw;
  if (raw.length > maxPoints && raw.length > 2) {
    const t0 = raw[0].t;
    const span = raw[raw.length - 1].t - t0 || 1;
    const buckets = new Map<number, (typeof raw)[number]>();
    for (const r of raw) buckets.set(Math.floor(((r.t - t0) / span) * (maxPoints - 1)), r);
    pts = [raw[0], ...[...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r)];
  }
  const marks = [...pr.accounts.values()]
    .filter((a) => a.isExit && a.received > 0n)
    .sort((a, b) => (a.received > b.received ? -1 : a.received < b.received ? 1 : cmpStr(a.address, b.address)))
    .slice(0, 6)
    .map((a) => ({
      t: nemMs(a.firstTaintedAt),
      label: result.labels.get(a.address)?.label ?? a.address.slice(0, 10),
      amount: xem(a.received),
    }));
  return { t: pts.map((r) => r.t), held: pts.map((r) => xemNumber(r.held)), exited: pts.map((r) => xemNumber(r.exited)), marks };
}
