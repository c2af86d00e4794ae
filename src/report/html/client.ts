/**
 * Browser side of report.html (bundled by esbuild into the page; never imported by Node code).
 * Reads the embedded data, then draws: the policy selector, the flow diagram (SVG, hand-drawn
 * Sankey), the tainted-mass-over-time chart (SVG), and the sigma.js graph of the traced subgraph
 * (layered by hop, sized by taint, coloured by category, exits ringed; click → panel with the
 * node's taint, evidence path and transfers; filters by policy, hop and untainted context).
 * The root tsconfig has no DOM lib, so DOM handles are typed loosely here on purpose.
 * Test hook: `window.__tainttrace`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { DirectedGraph } from 'graphology';
import Sigma from 'sigma';
import type { EvidenceRow, FlowLink, FlowNode, GraphEdge, GraphNode, HtmlData, Series } from './data.js';
import { policyOf, type Policy } from '../../domain.js';

const win: any = globalThis as any;
const doc: any = win.document;
const data: HtmlData = JSON.parse(doc.getElementById('tainttrace-data').textContent);
const SVGNS = 'http://www.w3.org/2000/svg';
const POLICY_KEY = 'tainttrace.policy';

const state = {
  policy: (data.policies.includes('haircut' as Policy) ? 'haircut' : data.policies[0]) as Policy,
  maxHop: Infinity,
  context: true,
  selected: null as string | null,
};

// ---------- small helpers ----------
const $ = (sel: string): any => doc.querySelector(sel);
const $$ = (sel: string): any[] => Array.from(doc.querySelectorAll(sel));
function el(tag: string, attrs: Record<string, any> = {}, ...kids: any[]): any {
  const n = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') n.className = v; else if (k === 'text') n.textContent = v;
    else if (k === 'style') n.style.cssText = v; // CSSOM: a style attribute would need CSP 'unsafe-inline'
    else n.setAttribute(k, String(v));
  }
  for (const k of kids) if (k !== null && k !== undefined) n.append(k);
  return n;
}
function svg(tag: string, attrs: Record<string, any> = {}, text?: string): any {
  const n = doc.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}
const groupInt = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** "168197405.343966" → "168,197,405.343966" */
const fmtXem = (x: string) => { const [w, d] = x.split('.'); return `${groupInt(w)}.${d}`; };
/** number (XEM) → "168.2M" */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(a >= 1e10 ? 1 : 2)}B`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 1 : 2)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(a >= 1e4 ? 1 : 2)}k`;
  return v.toFixed(a >= 10 ? 0 : 2);
}
const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
/** Graph labels stay short (the panel shows the full name): at most n characters, cut at a word. */
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n).replace(/[\s(;,:-]+\S*$/, '')}…`);
const nodesById = new Map<string, GraphNode>(data.graph.nodes.map((n) => [n.id, n]));
const nameOf = (a: string) => nodesById.get(a)?.label || short(a);
const colorOf = (cat: string, tainted = true) => (cat ? data.colors[cat] ?? '#a16207' : tainted ? '#818cf8' : '#cbd5e1');
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---------- policy selector ----------
function setPolicy(p: Policy): void {
  if (!data.policies.includes(p)) return;
  state.policy = p;
  try { win.sessionStorage?.setItem(POLICY_KEY, p); } catch { /* file:// may refuse storage */ }
  for (const b of $$('.tab')) { const on = b.dataset.policy === p; b.classList.toggle('active', on); b.setAttribute('aria-pressed', String(on)); }
  for (const n of $$('[data-policy]')) if (!n.classList.contains('tab')) n.hidden = n.dataset.policy !== p;
  $('#policy-hint').textContent = p === 'poison' ? 'binary: whole amounts out of poisoned accounts (upper bound)' : 'amount policy: seed = held + exited + fees';
  drawFlow();
  drawTimeline();
  graphView?.update();
  renderPanel();
}

// ---------- flow diagram (Sankey) ----------
function drawFlow(): void {
  const box = $('#flow');
  box.textContent = '';
  const f = data.flows[state.policy];
  if (!f || f.links.length === 0) { box.append(el('p', { class: 'muted', text: 'No tainted flow under this policy.' })); return; }
  const W = 720; const H = 360; const nw = 12; const padR = 150; const gap = 8;
  const cols = Math.max(...f.nodes.map((n) => n.col)) + 1;
  const colX = (c: number) => (cols === 1 ? 0 : (c * (W - padR - nw)) / (cols - 1));
  const inV = new Map<string, number>(); const outV = new Map<string, number>();
  for (const l of f.links) { outV.set(l.s, (outV.get(l.s) ?? 0) + l.v); inV.set(l.t, (inV.get(l.t) ?? 0) + l.v); }
  const used = f.nodes.filter((n) => (inV.get(n.id) ?? 0) + (outV.get(n.id) ?? 0) > 0);
  const val = (n: FlowNode) => Math.max(inV.get(n.id) ?? 0, outV.get(n.id) ?? 0);
  const byCol = new Map<number, FlowNode[]>();
  for (const n of used) { const l = byCol.get(n.col) ?? []; l.push(n); byCol.set(n.col, l); }
  let k = Infinity;
  for (const list of byCol.values()) { const tot = list.reduce((s, n) => s + val(n), 0); k = Math.min(k, (H - 20 - gap * (list.length - 1)) / (tot || 1)); }
  const pos = new Map<string, { x: number; y: number; h: number }>();
  for (const [c, list] of byCol) {
    if (list[0]?.kind === 'exit' || list.some((n) => n.kind === 'held')) list.sort((a, b) => (a.kind === 'held' ? 1 : 0) - (b.kind === 'held' ? 1 : 0) || val(b) - val(a));
    const tot = list.reduce((s, n) => s + Math.max(2, val(n) * k), 0) + gap * (list.length - 1);
    let y = 10 + (H - 20 - tot) / 2;
    for (const n of list) { const h = Math.max(2, val(n) * k); pos.set(n.id, { x: colX(c), y, h }); y += h + gap; }
  }
  const color = (n: FlowNode) => (n.kind === 'seed' ? '#dc2626' : n.kind === 'hop' ? '#6366f1' : n.kind === 'held' ? '#64748b' : colorOf(n.cat ?? ''));
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `flow of tainted XEM under ${state.policy}` });
  const outOff = new Map<string, number>(); const inOff = new Map<string, number>();
  const links = [...f.links].sort((a, b) => (pos.get(a.s)!.y - pos.get(b.s)!.y) || (pos.get(a.t)!.y - pos.get(b.t)!.y));
  const nodeById = new Map(f.nodes.map((n) => [n.id, n]));
  for (const l of links as FlowLink[]) {
    const a = pos.get(l.s)!; const b = pos.get(l.t)!;
    const th = Math.max(0.8, l.v * k);
    const sy = a.y + (outOff.get(l.s) ?? 0); outOff.set(l.s, (outOff.get(l.s) ?? 0) + l.v * k);
    const ty = b.y + (inOff.get(l.t) ?? 0); inOff.set(l.t, (inOff.get(l.t) ?? 0) + l.v * k);
    const x0 = a.x + nw; const x1 = b.x; const mx = (x0 + x1) / 2;
    const d = `M${x0},${sy}C${mx},${sy} ${mx},${ty} ${x1},${ty}L${x1},${ty + th}C${mx},${ty + th} ${mx},${sy + th} ${x0},${sy + th}Z`;
    const p = svg('path', { d, fill: color(nodeById.get(l.t)!), 'fill-opacity': 0.28 });
    p.append(svg('title', {}, `${nodeById.get(l.s)!.label} → ${nodeById.get(l.t)!.label}: ${compact(l.v)} XEM`));
    s.append(p);
  }
  const lastLabelY = new Map<number, number>();
  for (const n of used) {
    const p = pos.get(n.id)!;
    const r = svg('rect', { x: p.x, y: p.y, width: nw, height: p.h, fill: color(n), rx: 2 });
    r.append(svg('title', {}, `${n.label}: ${compact(val(n))} XEM`));
    s.append(r);
    const last = n.col === cols - 1;
    const tx = last ? p.x + nw + 6 : p.x + nw + 4;
    const ty = p.y + p.h / 2;
    const room = ty - (lastLabelY.get(n.col) ?? -Infinity) >= 24;
    if ((p.h >= 9 || last) && room) {
      lastLabelY.set(n.col, ty);
      s.append(svg('text', { x: tx, y: ty - (last ? 0 : 1), 'dominant-baseline': 'middle', class: 'lbl' }, last ? `${n.label.length > 18 ? `${n.label.slice(0, 17)}…` : n.label}` : n.label));
      s.append(svg('text', { x: last ? tx : tx, y: ty + 12, 'dominant-baseline': 'middle' }, `${compact(val(n))} XEM`));
    }
  }
  box.append(s);
  $('#flow-sub').textContent = `${state.policy}: seed → hop levels → exits`;
  $('#flow-note').textContent = `Band width ∝ tainted XEM carried. Hop n = accounts first reached at n hops; the right column shows exits${f.skipped ? `; ${f.skipped} transfer(s) flowing within or back across hop levels are not drawn` : ''}.`;
}

// ---------- tainted mass over time ----------
function drawTimeline(): void {
  const box = $('#timeline');
  box.textContent = '';
  const s0: Series | undefined = data.series[state.policy];
  if (!s0 || s0.t.length === 0) { box.append(el('p', { class: 'muted', text: 'No tainted balance events.' })); return; }
  const W = 720; const H = 360; const m = { l: 58, r: 16, t: 30, b: 34 };
  let t0 = s0.t[0]; let t1 = s0.t[s0.t.length - 1];
  if (t1 - t0 < 86_400_000) { t1 = t0 + 86_400_000; }
  const pad = (t1 - t0) * 0.02; t0 -= pad; t1 += pad;
  const top = Math.max(...s0.t.map((_, i) => s0.held[i] + s0.exited[i])) * 1.08 || 1;
  const X = (t: number) => m.l + ((t - t0) / (t1 - t0)) * (W - m.l - m.r);
  const Y = (v: number) => H - m.b - (v / top) * (H - m.t - m.b);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'tainted mass over time' });
  // grid + y ticks
  const step = niceStep(top / 5);
  for (let v = 0; v <= top; v += step) {
    g.append(svg('line', { x1: m.l, x2: W - m.r, y1: Y(v), y2: Y(v), stroke: '#e2e8f0' }));
    g.append(svg('text', { x: m.l - 6, y: Y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, compact(v)));
  }
  const days = (t1 - t0) / 86_400_000;
  const tick = days > 120 ? 30 : days > 40 ? 7 : days > 10 ? 2 : 1;
  const start = Math.ceil(t0 / 86_400_000) * 86_400_000;
  let count = 0;
  for (let t = start; t <= t1 && count < 40; t += tick * 86_400_000, count += 1) {
    g.append(svg('line', { x1: X(t), x2: X(t), y1: H - m.b, y2: H - m.b + 4, stroke: '#94a3b8' }));
    if (count % Math.ceil((days / tick) / 8) === 0) g.append(svg('text', { x: X(t), y: H - m.b + 16, 'text-anchor': 'middle' }, dateOf(t).slice(5)));
  }
  // step areas: held (bottom), exited (stacked on top)
  const n = s0.t.length;
  const pts = (f: (i: number) => number) => { const out: string[] = []; for (let i = 0; i < n; i += 1) { const x = X(s0.t[i]); if (i > 0) out.push(`${x},${Y(f(i - 1))}`); out.push(`${x},${Y(f(i))}`); } out.push(`${X(t1)},${Y(f(n - 1))}`); return out; };
  const upper = pts((i) => s0.held[i] + s0.exited[i]);
  const mid = pts((i) => s0.held[i]);
  const base = [`${X(t1)},${Y(0)}`, `${X(s0.t[0])},${Y(0)}`];
  g.append(svg('polygon', { points: [...mid, ...base].join(' '), fill: '#64748b', 'fill-opacity': 0.35, stroke: '#475569', 'stroke-width': 1 }));
  g.append(svg('polygon', { points: [...upper, ...mid.slice().reverse()].join(' '), fill: '#f59e0b', 'fill-opacity': 0.55, stroke: '#d97706', 'stroke-width': 1 }));
  g.append(svg('line', { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b, stroke: '#94a3b8' }));
  // marks: first arrival at the largest exits
  const rowEnd = [-Infinity, -Infinity, -Infinity];
  s0.marks.forEach((mk) => {
    const x = X(mk.t);
    const right = x > W - m.r - 110;
    const text = mk.label.length > 16 ? `${mk.label.slice(0, 15)}…` : mk.label;
    const span = [right ? x - 6 * text.length : x, right ? x : x + 6 * text.length];
    const row = rowEnd.findIndex((end) => span[0] > end + 6);
    g.append(svg('line', { x1: x, x2: x, y1: row < 0 ? m.t : m.t - 4 + row * 10, y2: H - m.b, stroke: '#b45309', 'stroke-dasharray': '3 3', 'stroke-opacity': 0.6 }));
    if (row < 0) return;
    rowEnd[row] = span[1];
    const t = svg('text', { x: right ? x - 3 : x + 3, y: m.t - 6 + row * 10, class: 'lbl', 'font-size': 10, 'text-anchor': right ? 'end' : 'start' }, text);
    t.append(svg('title', {}, `${mk.label}: first taint ${new Date(mk.t).toISOString()} · total ${fmtXem(mk.amount)} XEM`));
    g.append(t);
  });
  // legend
  const lg = svg('g', { transform: `translate(${W - m.r - 220},${H - m.b - 44})` });
  lg.append(svg('rect', { x: 0, y: 0, width: 220, height: 38, rx: 6, fill: '#fff', 'fill-opacity': 0.85, stroke: '#e2e8f0' }));
  lg.append(svg('rect', { x: 8, y: 8, width: 10, height: 10, fill: '#f59e0b' })); lg.append(svg('text', { x: 24, y: 13, 'dominant-baseline': 'middle' }, `reached exits (${compact(s0.exited[n - 1])})`));
  lg.append(svg('rect', { x: 8, y: 22, width: 10, height: 10, fill: '#94a3b8' })); lg.append(svg('text', { x: 24, y: 27, 'dominant-baseline': 'middle' }, `held in accounts (${compact(s0.held[n - 1])})`));
  g.append(lg);
  g.append(svg('text', { x: m.l, y: 12, class: 'lbl' }, `XEM · ${dateOf(s0.t[0])} → ${dateOf(s0.t[n - 1])}`));
  box.append(g);
}
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

// ---------- graph (sigma.js) ----------
interface GraphView { update(): void; renderer: any; graph: any; visible(): number }
let graphView: GraphView | null = null;

function buildGraphView(): GraphView {
  const graph = new DirectedGraph();
  for (const n of data.graph.nodes) graph.addNode(n.id, { x: 0, y: 0, size: 3, color: '#cbd5e1', label: n.label ? clip(n.label, 32) : short(n.id) });
  data.graph.edges.forEach((e: GraphEdge, i: number) => { if (!graph.hasEdge(e.s, e.t)) graph.addDirectedEdgeWithKey(`e${i}`, e.s, e.t, { size: 1, color: '#e2e8f0' }); });
  const container = $('#graph');
  const renderer: any = new Sigma(graph as any, container, {
    defaultEdgeType: 'arrow', renderEdgeLabels: false, labelRenderedSizeThreshold: 9, labelDensity: 0.5, labelFont: 'system-ui, sans-serif',
    labelSize: 12, labelWeight: '600', zIndex: true, minCameraRatio: 0.05, maxCameraRatio: 4, stagePadding: 40,
  } as any);
  const edgeData = new Map<string, GraphEdge>(); data.graph.edges.forEach((e, i) => edgeData.set(`e${i}`, e));
  let hidden = new Set<string>();
  let evidenceEdges = new Set<string>();
  let maxR = 1; let maxT = 1;

  function layout(): void {
    const p = state.policy;
    const tainted = (n: GraphNode) => n.t[p] !== undefined;
    let maxHop = 1;
    for (const n of data.graph.nodes) if (tainted(n) && !n.exit) maxHop = Math.max(maxHop, n.t[p]!.h);
    const exitCol = maxHop + 1;
    const colOf = new Map<string, number>();
    for (const n of data.graph.nodes) {
      if (n.seed && !tainted(n)) colOf.set(n.id, 0);
      else if (tainted(n)) colOf.set(n.id, n.exit ? exitCol : n.t[p]!.h);
    }
    // untainted context: half a column before its first drawn neighbour (or after, for recipients)
    for (const n of data.graph.nodes) {
      if (colOf.has(n.id)) continue;
      let c: number | undefined;
      for (const nb of graph.outNeighbors(n.id)) if (colOf.has(nb)) { c = colOf.get(nb)! - 0.5; break; }
      if (c === undefined) for (const nb of graph.inNeighbors(n.id)) if (colOf.has(nb)) { c = colOf.get(nb)! + 0.5; break; }
      colOf.set(n.id, c ?? -0.5);
    }
    const cols = new Map<number, string[]>();
    for (const [id, c] of colOf) { const l = cols.get(c) ?? []; l.push(id); cols.set(c, l); }
    const tallest = Math.max(...[...cols.values()].map((l) => Math.min(l.length, 36)));
    const colW = Math.max(1.2, (1.5 * tallest) / Math.max(1, exitCol));
    const ys = new Map<string, number>();
    for (const c of [...cols.keys()].sort((a, b) => a - b)) {
      const ids = cols.get(c)!;
      const bary = (id: string) => { let s = 0; let k = 0; for (const nb of graph.inNeighbors(id)) if (ys.has(nb)) { s += ys.get(nb)!; k += 1; } return k ? s / k : 0; };
      const r = (id: string) => nodesById.get(id)!.t[p]?.r ?? 0;
      ids.sort((a, b) => bary(a) - bary(b) || r(b) - r(a) || (a < b ? -1 : 1));
      const per = 36; const sub = Math.ceil(ids.length / per);
      const rows = Math.ceil(ids.length / sub);
      ids.forEach((id, i) => {
        const row = Math.floor(i / sub); const sc = i % sub;
        // untainted context (half columns) sits below the tainted rows
        const gapY = Math.max(1, Math.min(3, (tallest * 0.8) / rows));
        const y = Number.isInteger(c) ? (row - (rows - 1) / 2) * gapY : tallest / 2 + 1 + row;
        ys.set(id, y);
        const x = (c === 0 ? -1.8 : c) * colW + (sub > 1 ? (sc / (sub - 1) - 0.5) * colW * 0.6 : 0);
        graph.mergeNodeAttributes(id, { x, y: -y });
      });
    }
    // Leave room on the right for the exits' labels (sigma frames nodes, not labels).
    let x0 = Infinity; let x1 = -Infinity; let y0 = Infinity; let y1 = -Infinity;
    graph.forEachNode((_n: string, a: any) => { x0 = Math.min(x0, a.x); x1 = Math.max(x1, a.x); y0 = Math.min(y0, a.y); y1 = Math.max(y1, a.y); });
    const wide = Math.max(x1 - x0, 1);
    renderer.setCustomBBox({ x: [x0 - wide * 0.04, x1 + wide * 0.34], y: [y0 - 0.5, y1 + 0.5] });
  }

  function style(): void {
    const p = state.policy;
    maxR = Math.max(1e-9, ...data.graph.nodes.map((n) => n.t[p]?.r ?? 0));
    maxT = Math.max(1e-9, ...data.graph.edges.map((e) => e.taint[p] ?? 0));
    for (const n of data.graph.nodes) {
      const t = n.t[p];
      const size = t ? 4 + 16 * Math.sqrt(t.r / maxR) : n.seed ? 8 : 2.5;
      graph.mergeNodeAttributes(n.id, {
        size: n.exit && t ? Math.max(size, 8) : size,
        color: t || n.seed ? colorOf(n.cat, true) : '#cbd5e1',
        forceLabel: (n.exit && !!t) || n.seed || (t !== undefined && t.h === 1),
        zIndex: n.exit ? 3 : t ? 2 : 1,
      });
    }
    graph.forEachEdge((key: string) => {
      const e = edgeData.get(key)!;
      const x = e.taint[p] ?? 0;
      graph.mergeEdgeAttributes(key, { size: x > 0 ? 0.8 + 5 * Math.sqrt(x / maxT) : 0.6, color: x > 0 ? 'rgba(217,119,6,0.7)' : 'rgba(148,163,184,0.35)', zIndex: x > 0 ? 1 : 0 });
    });
  }

  function filter(): void {
    const p = state.policy;
    hidden = new Set();
    for (const n of data.graph.nodes) {
      const t = n.t[p];
      if (t && t.h > state.maxHop) hidden.add(n.id);
      else if (!t && !n.seed && !state.context) hidden.add(n.id);
    }
    for (const n of data.graph.nodes) {
      if (n.t[p] || n.seed || hidden.has(n.id)) continue;
      const nbs = [...graph.neighbors(n.id)];
      if (nbs.length > 0 && nbs.every((nb: string) => hidden.has(nb) || !(nodesById.get(nb)!.t[p] || nodesById.get(nb)!.seed))) hidden.add(n.id);
    }
    evidenceEdges = new Set();
    const sel = state.selected ? nodesById.get(state.selected) : undefined;
    for (const [i] of sel?.ev[p] ?? []) { const step = data.graph.steps[i]; if (graph.hasEdge(step.from, step.to)) evidenceEdges.add(graph.edge(step.from, step.to)!); }
  }

  renderer.setSetting('nodeReducer', (node: string, attrs: any) => {
    if (hidden.has(node)) return { ...attrs, hidden: true };
    if (state.selected === node) return { ...attrs, highlighted: true, forceLabel: true, zIndex: 5 };
    return attrs;
  });
  renderer.setSetting('edgeReducer', (edge: string, attrs: any) => {
    const [s, t] = graph.extremities(edge);
    if (hidden.has(s) || hidden.has(t)) return { ...attrs, hidden: true };
    if (evidenceEdges.has(edge)) return { ...attrs, color: '#dc2626', size: Math.max(attrs.size, 3), zIndex: 4 };
    return attrs;
  });

  // Exit rings: a 2D layer under the nodes, redrawn after each render.
  const ring = renderer.createCanvas('exit-rings', { beforeLayer: 'nodes' });
  const ctx = ring.getContext('2d');
  renderer.on('afterRender', () => {
    const { width, height } = renderer.getDimensions();
    const dpr = win.devicePixelRatio || 1;
    if (ring.width !== Math.round(width * dpr)) { ring.width = Math.round(width * dpr); ring.height = Math.round(height * dpr); ring.style.width = `${width}px`; ring.style.height = `${height}px`; }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    for (const n of data.graph.nodes) {
      if (!n.exit || !n.t[state.policy] || hidden.has(n.id)) continue;
      const d = renderer.getNodeDisplayData(n.id);
      if (!d) continue;
      const pnt = renderer.framedGraphToViewport(d);
      const r = renderer.scaleSize(d.size);
      ctx.beginPath(); ctx.arc(pnt.x, pnt.y, r + 4, 0, Math.PI * 2);
      ctx.fillStyle = 'rgba(245,158,11,0.18)'; ctx.fill();
      ctx.lineWidth = 2.5; ctx.strokeStyle = '#f59e0b'; ctx.stroke();
    }
  });

  renderer.on('clickNode', ({ node }: { node: string }) => select(node));
  renderer.on('clickStage', () => select(null));
  renderer.on('enterNode', () => { container.style.cursor = 'pointer'; });
  renderer.on('leaveNode', () => { container.style.cursor = ''; });

  const view: GraphView = {
    graph, renderer,
    update() { layout(); style(); filter(); renderer.refresh(); win.__tainttrace.drawnNodes = view.visible(); container.dataset.drawnNodes = String(view.visible()); },
    visible() { return data.graph.nodes.filter((n) => !hidden.has(n.id)).length; },
  };
  return view;
}

function select(id: string | null): void {
  state.selected = id;
  graphView?.update();
  renderPanel();
}

function evidenceHtml(steps: EvidenceRow[]): any {
  const box = el('div', { class: 'evidence' });
  steps.forEach((s, i) => box.append(el('div', { class: 'step', 'data-hash': s.hash },
    el('div', {}, el('b', { text: `${i + 1}. ${nameOf(s.from)} → ${nameOf(s.to)}` })),
    el('div', { text: `${s.time.replace('T', ' ').slice(0, 19)} UTC · ${fmtXem(s.amount)} XEM, taint ${fmtXem(s.taint)}` }),
    el('div', { class: 'hash', text: s.hash }))));
  return box;
}

function renderPanel(): void {
  const panel = $('#panel');
  panel.textContent = '';
  const n = state.selected ? nodesById.get(state.selected) : undefined;
  win.__tainttrace.selected = n?.id ?? null;
  if (!n) { overviewPanel(panel); return; }
  const p = state.policy;
  const t = n.t[p];
  panel.dataset.node = n.id;
  panel.append(el('h3', { text: n.label || short(n.id) }));
  panel.append(el('div', { class: 'addrline', text: n.id }));
  const tags = el('div', {});
  if (n.cat) tags.append(el('span', { class: `badge cat-${n.cat}`, text: n.cat }), ' ');
  if (n.exit) tags.append(el('span', { class: 'badge', text: 'exit' }), ' ');
  if (n.seed) tags.append(el('span', { class: 'badge', text: 'seed sender' }));
  panel.append(tags);
  if (t) {
    panel.append(el('dl', {},
      el('dt', { text: n.exit ? 'taint arrived' : 'taint received' }), el('dd', { 'data-xem': t.rs, text: `${fmtXem(t.rs)} XEM` }),
      ...(n.exit ? [] : [el('dt', { text: 'tainted, held' }), el('dd', { 'data-xem': t.hs, text: `${fmtXem(t.hs)} XEM` })]),
      el('dt', { text: 'min hops' }), el('dd', { text: String(t.h) }),
      el('dt', { text: 'first tainted' }), el('dd', { text: `${t.f.replace('T', ' ').slice(0, 19)} UTC` })));
  } else panel.append(el('p', { class: 'muted', text: `Not tainted under ${p}.` }));
  const others = data.policies.filter((q) => n.t[q]);
  if (others.length > 0) {
    const tb = el('table', { class: 'txl' });
    for (const q of others) tb.append(el('tr', {}, el('td', { text: q }), el('td', { style: 'text-align:right', text: `${fmtXem(n.t[q]!.rs)}` }), el('td', { text: `hop ${n.t[q]!.h}` })));
    panel.append(el('h4', { text: 'taint received, every policy (XEM)' }), tb);
  }
  const ev: EvidenceRow[] = (n.ev[p] ?? []).map(([i, taint]) => ({ ...data.graph.steps[i], taint }));
  if (ev.length > 0) panel.append(el('h4', { text: `evidence path (${p}) — how taint first arrived` }), evidenceHtml(ev));
  if (n.tx.length > 0) {
    const tb = el('table', { class: 'txl' });
    for (const x of n.tx) {
      const taint = x.taint[p];
      tb.append(el('tr', { 'data-hash': x.hash },
        el('td', { text: x.time.slice(0, 10) }),
        el('td', { class: x.dir, text: x.dir === 'in' ? '← ' + nameOf(x.peer) : '→ ' + nameOf(x.peer), title: x.peer }),
        el('td', { style: 'text-align:right', text: compact(Number(x.amount)) }),
        el('td', { class: 't', style: 'text-align:right', text: taint ? compact(Number(taint)) : '' }),
        el('td', { text: x.memo ? `“${x.memo.length > 14 ? `${x.memo.slice(0, 13)}…` : x.memo}”` : '', title: x.memo ?? '' })));
    }
    panel.append(el('h4', { text: `transfers (${n.tx.length < n.txTotal ? `${n.tx.length} of ${n.txTotal}, tainted first` : n.txTotal}) · XEM · taint` }), tb);
  }
}

/** Panel with nothing selected: how to use it, and the policy's exits as shortcuts. */
function overviewPanel(panel: any): void {
  delete panel.dataset.node;
  const p = state.policy;
  panel.append(el('p', { class: 'muted', text: 'Click a node (or an exit below) to see its taint, evidence path and transfers. Exits are ringed in amber; drag to pan, scroll to zoom.' }));
  const exits = data.report.policies[p]?.exits ?? [];
  if (exits.length === 0) return;
  panel.append(el('h4', { text: `exits reached under ${p}` }));
  const tb = el('table', { class: 'txl' });
  for (const x of exits.slice(0, 30)) {
    const row = el('tr', { 'data-exit': x.address, style: 'cursor:pointer' },
      el('td', {}, el('i', { style: `display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:6px;background:${colorOf(x.category ?? '')}` }), x.label ?? short(x.address)),
      el('td', { style: 'text-align:right', text: `${compact(Number(x.amount))} XEM` }),
      el('td', { class: 'muted', text: `hop ${x.minHops}` }));
    if (nodesById.has(x.address)) row.addEventListener('click', () => select(x.address));
    tb.append(row);
  }
  panel.append(tb);
}

function legend(): void {
  const lg = $('#legend');
  const cats = new Set(data.graph.nodes.map((n) => n.cat).filter((c) => c));
  for (const c of Object.keys(data.colors)) if (c && cats.has(c)) lg.append(el('span', {}, el('i', { style: `background:${data.colors[c]}` }), c));
  lg.append(el('span', {}, el('i', { style: 'background:#818cf8' }), 'unlabelled (tainted)'));
  lg.append(el('span', {}, el('i', { style: 'background:#cbd5e1' }), 'untainted'));
  lg.append(el('span', {}, el('i', { class: 'ring' }), 'exit'));
  lg.append(el('span', {}, el('i', { style: 'background:#d97706;border-radius:2px;height:4px' }), 'tainted transfer'));
  lg.append(el('span', {}, el('i', { style: 'background:#dc2626;border-radius:2px;height:4px' }), 'evidence path'));
  const g = data.graph;
  $('#graph-note').textContent = g.capped
    ? `Showing ${g.nodes.length} of ${g.totalNodes} accounts (cap ${g.cap}: seed senders, every tainted exit, then the most tainted accounts) and ${g.edges.length} aggregated links; tables and exports are complete.`
    : `All ${g.totalNodes} accounts and ${g.totalEdges} transfers (${g.edges.length} aggregated links). Node size ∝ taint received; x = hop.`;
}

function showMore(): void {
  for (const b of $$('button.more')) b.addEventListener('click', () => {
    const p = b.dataset.more as Policy;
    const tbody = $(`table[data-policy-table="${p}"] tbody`);
    const rows = policyOf(data.report, p).accounts.slice(Number(b.dataset.shown));
    for (const a of rows) {
      const td = (x: string) => { const [w, d] = x.split('.'); const c = el('td', { class: 'num', 'data-xem': x }, groupInt(w)); c.append(el('span', { class: 'dec', text: `.${d}` })); return c; };
      const name = el('span', { class: 'addr', title: a.address }); if (a.label) name.append(el('b', { text: a.label }), ' '); name.append(el('code', { text: a.address }));
      tbody.append(el('tr', { 'data-address': a.address }, el('td', {}, name), el('td', { class: 'num', text: String(a.hops) }), td(a.received), td(a.held), el('td', { text: a.firstTaintedAt })));
    }
    b.remove();
  });
}

function init(): void {
  win.__tainttrace = { ready: false, policies: data.policies, nodeCount: data.graph.nodes.length, edgeCount: data.graph.edges.length, cap: data.graph.cap, capped: data.graph.capped };
  for (const b of $$('.tab')) b.addEventListener('click', () => setPolicy(b.dataset.policy));
  let saved: string | null = null;
  try { saved = win.sessionStorage?.getItem(POLICY_KEY) ?? null; } catch { /* ignore */ }
  if (saved && data.policies.includes(saved as Policy)) state.policy = saved as Policy;
  const maxHop = Math.max(1, ...data.graph.nodes.flatMap((n) => Object.values(n.t).map((t) => t!.h)));
  const range = $('#hop-filter'); range.max = String(maxHop); range.value = String(maxHop); $('#hop-value').textContent = String(maxHop);
  range.addEventListener('input', () => { state.maxHop = Number(range.value); $('#hop-value').textContent = range.value; graphView?.update(); });
  $('#untainted').addEventListener('change', (ev: any) => { state.context = ev.target.checked; graphView?.update(); });
  $('#reset-view').addEventListener('click', () => graphView?.renderer.getCamera().animatedReset());
  legend();
  showMore();
  try {
    graphView = buildGraphView();
  } catch (err) {
    $('#graph').append(el('p', { class: 'muted', style: 'padding:16px', text: `The interactive graph needs WebGL: ${String((err as Error)?.message ?? err)}` }));
  }
  setPolicy(state.policy);
  Object.assign(win.__tainttrace, {
    ready: true,
    graph: graphView?.graph, renderer: graphView?.renderer,
    setPolicy, select,
    /** Viewport (CSS px, relative to the graph container) of a node, for tests clicking it. */
    nodePosition(id: string) { const d = graphView!.renderer.getNodeDisplayData(id); return d ? graphView!.renderer.framedGraphToViewport(d) : null; },
  });
  Object.defineProperty(win.__tainttrace, 'policy', { get: () => state.policy, enumerable: true });
  doc.body.dataset.ready = 'true';
}

init();
