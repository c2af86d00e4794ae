/**
 * The sigma.js graph of the traced subgraph: laid out in columns by hop under the selected policy, sized by
 * taint received, coloured by category, exits ringed; a click selects a node (the panel shows it): its
 * evidence path is drawn in red, its taint paths from the seeds in violet (all, or the one picked in the
 * panel). Filters: hop limit and untainted context.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access,
   @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
   sigma's renderer and reducer types are loose (attribute bags); this module is the one place that touches them. */
import { DirectedGraph } from 'graphology';
import Sigma from 'sigma';
import type { GraphEdge, GraphNode } from '../data.js';
import { actions, colorOf, data, hook, nodesById, state } from './context.js';
import { $ } from './dom.js';
import { clip, short } from './format.js';

export interface GraphView {
  update(): void;
  renderer: Sigma;
  graph: DirectedGraph;
  visible(): number;
}

export function buildGraphView(): GraphView {
  const graph = new DirectedGraph();
  for (const n of data.graph.nodes)
    graph.addNode(n.id, { x: 0, y: 0, size: 3, color: '#cbd5e1', label: n.label ? clip(n.label, 32) : short(n.id) });
  data.graph.edges.forEach((e: GraphEdge, i: number) => {
    if (!graph.hasEdge(e.s, e.t)) graph.addDirectedEdgeWithKey(`e${i}`, e.s, e.t, { size: 1, color: '#e2e8f0' });
  });
  const container = $('#graph');
  const renderer: any = new Sigma(graph, container, {
    defaultEdgeType: 'arrow',
    renderEdgeLabels: false,
    labelRenderedSizeThreshold: 9,
    labelDensity: 0.5,
    labelFont: 'system-ui, sans-serif',
    labelSize: 12,
    labelWeight: '600',
    zIndex: true,
    minCameraRatio: 0.05,
    maxCameraRatio: 4,
    stagePadding: 40,
  });
  const edgeData = new Map<string, GraphEdge>();
  data.graph.edges.forEach((e, i) => edgeData.set(`e${i}`, e));
  let hidden = new Set<string>();
  let evidenceEdges = new Set<string>();
  let pathEdges = new Set<string>();
  let maxR = 1;
  let maxT = 1;

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
      for (const nb of graph.outNeighbors(n.id))
        if (colOf.has(nb)) {
          c = colOf.get(nb)! - 0.5;
          break;
        }
      if (c === undefined)
        for (const nb of graph.inNeighbors(n.id))
          if (colOf.has(nb)) {
            c = colOf.get(nb)! + 0.5;
            break;
          }
      colOf.set(n.id, c ?? -0.5);
    }
    const cols = new Map<number, string[]>();
    for (const [id, c] of colOf) {
      const l = cols.get(c) ?? [];
      l.push(id);
      cols.set(c, l);
    }
    const tallest = Math.max(...[...cols.values()].map((l) => Math.min(l.length, 36)));
    const colW = Math.max(1.2, (1.5 * tallest) / Math.max(1, exitCol));
    const ys = new Map<string, number>();
    for (const c of [...cols.keys()].sort((a, b) => a - b)) {
      const ids = cols.get(c)!;
      const bary = (id: string) => {
        let s = 0;
        let k = 0;
        for (const nb of graph.inNeighbors(id))
          if (ys.has(nb)) {
            s += ys.get(nb)!;
            k += 1;
          }
        return k ? s / k : 0;
      };
      const r = (id: string) => nodesById.get(id)!.t[p]?.r ?? 0;
      ids.sort((a, b) => bary(a) - bary(b) || r(b) - r(a) || (a < b ? -1 : 1));
      const per = 36;
      const sub = Math.ceil(ids.length / per);
      const rows = Math.ceil(ids.length / sub);
      ids.forEach((id, i) => {
        const row = Math.floor(i / sub);
        const sc = i % sub;
        // untainted context (half columns) sits below the tainted rows
        const gapY = Math.max(1, Math.min(3, (tallest * 0.8) / rows));
        const y = Number.isInteger(c) ? (row - (rows - 1) / 2) * gapY : tallest / 2 + 1 + row;
        ys.set(id, y);
        const x = (c === 0 ? -1.8 : c) * colW + (sub > 1 ? (sc / (sub - 1) - 0.5) * colW * 0.6 : 0);
        graph.mergeNodeAttributes(id, { x, y: -y });
      });
    }
    // Leave room on the right for the exits' labels (sigma frames nodes, not labels).
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    graph.forEachNode((_n: string, a: any) => {
      x0 = Math.min(x0, a.x);
      x1 = Math.max(x1, a.x);
      y0 = Math.min(y0, a.y);
      y1 = Math.max(y1, a.y);
    });
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
      graph.mergeEdgeAttributes(key, {
        size: x > 0 ? 0.8 + 5 * Math.sqrt(x / maxT) : 0.6,
        color: x > 0 ? 'rgba(217,119,6,0.7)' : 'rgba(148,163,184,0.35)',
        zIndex: x > 0 ? 1 : 0,
      });
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
      if (nbs.length > 0 && nbs.every((nb: string) => hidden.has(nb) || !(nodesById.get(nb)!.t[p] || nodesById.get(nb)!.seed)))
        hidden.add(n.id);
    }
    const sel = state.selected ? nodesById.get(state.selected) : undefined;
    const edgesOf = (steps: readonly [number, string][]) => {
      const out: string[] = [];
      for (const [i] of steps) {
        const step = data.graph.steps[i];
        if (graph.hasEdge(step.from, step.to)) out.push(graph.edge(step.from, step.to)!);
      }
      return out;
    };
    evidenceEdges = new Set(edgesOf(sel?.ev[p] ?? []));
    // the selected node's taint paths from the seeds: every one, or the one picked in the panel
    const paths = sel?.paths[p] ?? [];
    const picked = state.path !== null && state.path < paths.length ? [paths[state.path]] : paths;
    pathEdges = new Set(picked.flatMap(edgesOf));
    hook().pathEdges = [...pathEdges].map((e) => graph.extremities(e).join('>')).sort();
  }

  renderer.setSetting('nodeReducer', (node: string, attrs: any) => {
    if (hidden.has(node)) return { ...attrs, hidden: true };
    if (state.selected === node) return { ...attrs, highlighted: true, forceLabel: true, zIndex: 5 };
    return attrs;
  });
  renderer.setSetting('edgeReducer', (edge: string, attrs: any) => {
    const [s, t] = graph.extremities(edge);
    if (hidden.has(s) || hidden.has(t)) return { ...attrs, hidden: true };
    const path = pathEdges.has(edge) ? { ...attrs, color: '#7c3aed', size: Math.max(attrs.size, 3), zIndex: 4 } : null;
    if (path && state.path !== null) return path; // a path picked in the panel shows over the evidence
    if (evidenceEdges.has(edge)) return { ...attrs, color: '#dc2626', size: Math.max(attrs.size, 3), zIndex: 4 };
    if (path) return path;
    return attrs;
  });

  // Exit rings: a 2D layer under the nodes, redrawn after each render.
  const ring = renderer.createCanvas('exit-rings', { beforeLayer: 'nodes' });
  const ctx = ring.getContext('2d');
  renderer.on('afterRender', () => {
    const { width, height } = renderer.getDimensions();
    const dpr = window.devicePixelRatio || 1;
    if (ring.width !== Math.round(width * dpr)) {
      ring.width = Math.round(width * dpr);
      ring.height = Math.round(height * dpr);
      ring.style.width = `${width}px`;
      ring.style.height = `${height}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    for (const n of data.graph.nodes) {
      if (!n.exit || !n.t[state.policy] || hidden.has(n.id)) continue;
      const d = renderer.getNodeDisplayData(n.id);
      if (!d) continue;
      const pnt = renderer.framedGraphToViewport(d);
      const r = renderer.scaleSize(d.size);
      ctx.beginPath();
      ctx.arc(pnt.x, pnt.y, r + 4, 0, Math.PI * 2);
      ctx.fillStyle = 'rgba(245,158,11,0.18)';
      ctx.fill();
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#f59e0b';
      ctx.stroke();
    }
  });

  renderer.on('clickNode', ({ node }: { node: string }) => actions.select(node));
  renderer.on('clickStage', () => actions.select(null));
  renderer.on('enterNode', () => {
    container.style.cursor = 'pointer';
  });
  renderer.on('leaveNode', () => {
    container.style.cursor = '';
  });

  const view: GraphView = {
    graph,
    renderer: renderer as Sigma,
    update() {
      layout();
      style();
      filter();
      renderer.refresh();
      hook().drawnNodes = view.visible();
      container.dataset.drawnNodes = String(view.visible());
    },
    visible() {
      return data.graph.nodes.filter((n) => !hidden.has(n.id)).length;
    },
  };
  return view;
}
