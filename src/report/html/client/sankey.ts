/**
 * The flow diagram: tainted XEM from the seed through the hop levels to the exits (and what is still held),
 * under the selected policy. d3-sankey lays it out (node heights ∝ XEM, links stacked without crossing at the
 * nodes); columns are the hop levels the data names, not d3's longest-path depth.
 */
import { sankey, sankeyLinkHorizontal, type SankeyLink, type SankeyNode } from 'd3-sankey';
import type { FlowNode } from '../data.js';
import { colorOf, data, state } from './context.js';
import { $, el, svg } from './dom.js';
import { compact } from './format.js';

type Node = SankeyNode<FlowNode, object>;
type Link = SankeyLink<FlowNode, object>;

const W = 720;
const H = 360;
const NODE_W = 12;
const PAD_RIGHT = 150;
const GAP = 8;

const fill = (n: FlowNode): string =>
  n.kind === 'seed' ? '#dc2626' : n.kind === 'hop' ? '#6366f1' : n.kind === 'held' ? '#64748b' : colorOf(n.cat ?? '');

export function drawFlow(): void {
  const box = $('#flow');
  box.textContent = '';
  const f = data.flows[state.policy];
  if (!f || f.links.length === 0) {
    box.append(el('p', { class: 'muted', text: 'No tainted flow under this policy.' }));
    return;
  }
  const linked = new Set(f.links.flatMap((l) => [l.s, l.t]));
  const nodes = f.nodes.filter((n) => linked.has(n.id)).map((n) => ({ ...n }));
  const cols = Math.max(...nodes.map((n) => n.col)) + 1;
  const layout = sankey<FlowNode, object>()
    .nodeId((n) => n.id)
    .nodeWidth(NODE_W)
    .nodePadding(GAP)
    .nodeAlign((n, depth) => Math.min(n.col, depth - 1))
    // Exits by size, "still held" last; other columns keep the data's order.
    .nodeSort(
      (a, b) =>
        (a.kind === 'held' ? 1 : 0) - (b.kind === 'held' ? 1 : 0) ||
        (a.col === b.col && a.kind === 'exit' ? (b.value ?? 0) - (a.value ?? 0) : 0),
    )
    .extent([
      [0, 10],
      [W - PAD_RIGHT, H - 10],
    ]);
  const graph = layout({ nodes, links: f.links.map((l) => ({ source: l.s, target: l.t, value: l.v })) });
  // Place every node in the column the data gives it (d3 counts columns by path length).
  const colX = (c: number): number => (cols === 1 ? 0 : (c * (W - PAD_RIGHT - NODE_W)) / (cols - 1));
  for (const n of graph.nodes) {
    n.x0 = colX(n.col);
    n.x1 = n.x0 + NODE_W;
  }
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `flow of tainted XEM under ${state.policy}` });
  const path = sankeyLinkHorizontal<FlowNode, object>();
  for (const l of graph.links as Link[]) {
    const from = l.source as Node;
    const to = l.target as Node;
    const p = svg('path', {
      d: path(l),
      fill: 'none',
      stroke: fill(to),
      'stroke-opacity': 0.28,
      'stroke-width': Math.max(0.8, l.width ?? 0),
    });
    p.append(svg('title', {}, `${from.label} → ${to.label}: ${compact(l.value)} XEM`));
    s.append(p);
  }
  const lastLabelY = new Map<number, number>();
  for (const n of graph.nodes as Node[]) {
    const x = n.x0 ?? 0;
    const y = n.y0 ?? 0;
    const h = Math.max(2, (n.y1 ?? 0) - y);
    const r = svg('rect', { x, y, width: NODE_W, height: h, fill: fill(n), rx: 2 });
    r.append(svg('title', {}, `${n.label}: ${compact(n.value ?? 0)} XEM`));
    s.append(r);
    const last = n.col === cols - 1;
    const tx = x + NODE_W + (last ? 6 : 4);
    const ty = y + h / 2;
    const room = ty - (lastLabelY.get(n.col) ?? -Infinity) >= 24;
    if ((h >= 9 || last) && room) {
      lastLabelY.set(n.col, ty);
      const label = last && n.label.length > 18 ? `${n.label.slice(0, 17)}…` : n.label;
      s.append(svg('text', { x: tx, y: ty - (last ? 0 : 1), 'dominant-baseline': 'middle', class: 'lbl' }, label));
      s.append(svg('text', { x: tx, y: ty + 12, 'dominant-baseline': 'middle' }, `${compact(n.value ?? 0)} XEM`));
    }
  }
  box.append(s);
  $('#flow-sub').textContent = `${state.policy}: seed → hop levels → exits`;
  $('#flow-note').textContent =
    'Band width ∝ tainted XEM carried. Hop n = accounts first reached at n hops; the right column shows exits' +
    `${f.skipped ? `; ${f.skipped} transfer(s) flowing within or back across hop levels are not drawn` : ''}.`;
}
