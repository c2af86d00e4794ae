/**
 * Tainted mass over time under the selected policy: what is held in accounts (bottom) and what has reached
 * exits (stacked on top) as step areas, with the first arrival at the largest exits marked.
 */
import type { Series } from '../data.js';
import { data, state } from './context.js';
import { $, el, svg } from './dom.js';
import { compact, dateOf, fmtXem } from './format.js';

export function drawTimeline(): void {
  const box = $('#timeline');
  box.textContent = '';
  const s0: Series | undefined = data.series[state.policy];
  if (!s0 || s0.t.length === 0) {
    box.append(el('p', { class: 'muted', text: 'No tainted balance events.' }));
    return;
  }
  const W = 720;
  const H = 360;
  const m = { l: 58, r: 16, t: 30, b: 34 };
  let t0 = s0.t[0];
  let t1 = s0.t[s0.t.length - 1];
  if (t1 - t0 < 86_400_000) {
    t1 = t0 + 86_400_000;
  }
  const pad = (t1 - t0) * 0.02;
  t0 -= pad;
  t1 += pad;
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
    if (count % Math.ceil(days / tick / 8) === 0)
      g.append(svg('text', { x: X(t), y: H - m.b + 16, 'text-anchor': 'middle' }, dateOf(t).slice(5)));
  }
  // step areas: held (bottom), exited (stacked on top)
  const n = s0.t.length;
  const pts = (f: (i: number) => number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const x = X(s0.t[i]);
      if (i > 0) out.push(`${x},${Y(f(i - 1))}`);
      out.push(`${x},${Y(f(i))}`);
    }
    out.push(`${X(t1)},${Y(f(n - 1))}`);
    return out;
  };
  const upper = pts((i) => s0.held[i] + s0.exited[i]);
  const mid = pts((i) => s0.held[i]);
  const base = [`${X(t1)},${Y(0)}`, `${X(s0.t[0])},${Y(0)}`];
  g.append(
    svg('polygon', { points: [...mid, ...base].join(' '), fill: '#64748b', 'fill-opacity': 0.35, stroke: '#475569', 'stroke-width': 1 }),
  );
  g.append(
    svg('polygon', {
      points: [...upper, ...mid.slice().reverse()].join(' '),
      fill: '#f59e0b',
      'fill-opacity': 0.55,
      stroke: '#d97706',
      'stroke-width': 1,
    }),
  );
  g.append(svg('line', { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b, stroke: '#94a3b8' }));
  // marks: first arrival at the largest exits
  const rowEnd = [-Infinity, -Infinity, -Infinity];
  s0.marks.forEach((mk) => {
    const x = X(mk.t);
    const right = x > W - m.r - 110;
    const text = mk.label.length > 16 ? `${mk.label.slice(0, 15)}…` : mk.label;
    const span = [right ? x - 6 * text.length : x, right ? x : x + 6 * text.length];
    const row = rowEnd.findIndex((end) => span[0] > end + 6);
    g.append(
      svg('line', {
        x1: x,
        x2: x,
        y1: row < 0 ? m.t : m.t - 4 + row * 10,
        y2: H - m.b,
        stroke: '#b45309',
        'stroke-dasharray': '3 3',
        'stroke-opacity': 0.6,
      }),
    );
    if (row < 0) return;
    rowEnd[row] = span[1];
    const t = svg(
      'text',
      { x: right ? x - 3 : x + 3, y: m.t - 6 + row * 10, class: 'lbl', 'font-size': 10, 'text-anchor': right ? 'end' : 'start' },
      text,
    );
    t.append(svg('title', {}, `${mk.label}: first taint ${new Date(mk.t).toISOString()} · total ${fmtXem(mk.amount)} XEM`));
    g.append(t);
  });
  // legend
  const lg = svg('g', { transform: `translate(${W - m.r - 220},${H - m.b - 44})` });
  lg.append(svg('rect', { x: 0, y: 0, width: 220, height: 38, rx: 6, fill: '#fff', 'fill-opacity': 0.85, stroke: '#e2e8f0' }));
  lg.append(svg('rect', { x: 8, y: 8, width: 10, height: 10, fill: '#f59e0b' }));
  lg.append(svg('text', { x: 24, y: 13, 'dominant-baseline': 'middle' }, `reached exits (${compact(s0.exited[n - 1])})`));
  lg.append(svg('rect', { x: 8, y: 22, width: 10, height: 10, fill: '#94a3b8' }));
  lg.append(svg('text', { x: 24, y: 27, 'dominant-baseline': 'middle' }, `held in accounts (${compact(s0.held[n - 1])})`));
  g.append(lg);
  g.append(svg('text', { x: m.l, y: 12, class: 'lbl' }, `XEM · ${dateOf(s0.t[0])} → ${dateOf(s0.t[n - 1])}`));
  box.append(g);
}
export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
