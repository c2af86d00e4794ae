/**
 * The side panel (the selected account: taint per policy, evidence path, taint paths from the seeds, transfers; or, with nothing
 * selected, the policy's exits as shortcuts), the graph legend, and the "show more" buttons of the tables.
 */
import { policyOf, type Policy } from '../../../domain.js';
import type { EvidenceRow } from '../data.js';
import { actions, colorOf, data, hook, nameOf, nodesById, state } from './context.js';
import { $, $$, el } from './dom.js';
import { compact, fmtXem, groupInt, short } from './format.js';

function evidenceHtml(steps: EvidenceRow[]): HTMLElement {
  const box = el('div', { class: 'evidence' });
  steps.forEach((s, i) =>
    box.append(
      el(
        'div',
        { class: 'step', 'data-hash': s.hash },
        el('div', {}, el('b', { text: `${i + 1}. ${nameOf(s.from)} → ${nameOf(s.to)}` })),
        el('div', { text: `${s.time.replace('T', ' ').slice(0, 19)} UTC · ${fmtXem(s.amount)} XEM, taint ${fmtXem(s.taint)}` }),
        el('div', { class: 'hash', text: s.hash }),
      ),
    ),
  );
  return box;
}

/** The selected node's taint paths: one row per path (its hops), a click picks it in the graph (again: all). */
function pathsHtml(paths: readonly (readonly [number, string][])[]): HTMLElement {
  const box = el('div', { class: 'paths' });
  paths.forEach((path, k) => {
    const steps = path.map(([i, taint]) => ({ ...data.graph.steps[i], taint }));
    const row = el(
      'div',
      { class: 'path', 'data-path': String(k), title: 'show this path alone in the graph' },
      el('b', { text: `${k + 1}. ${steps.length} hop${steps.length === 1 ? '' : 's'}: ` }),
      [nameOf(steps[0].from), ...steps.map((s) => nameOf(s.to))].join(' → '),
    );
    for (const s of steps)
      row.append(
        el('div', {
          class: 'hop',
          'data-hash': s.hash,
          text: `${s.time.replace('T', ' ').slice(0, 19)} UTC · ${fmtXem(s.amount)} XEM, taint ${fmtXem(s.taint)} · ${short(s.hash)}`,
        }),
      );
    row.addEventListener('click', () => actions.pickPath(row.classList.contains('picked') ? null : k));
    box.append(row);
  });
  return box;
}

export function renderPanel(): void {
  const panel = $('#panel');
  panel.textContent = '';
  const n = state.selected ? nodesById.get(state.selected) : undefined;
  hook().selected = n?.id ?? null;
  if (!n) {
    overviewPanel(panel);
    return;
  }
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
    panel.append(
      el(
        'dl',
        {},
        el('dt', { text: n.exit ? 'taint arrived' : 'taint received' }),
        el('dd', { 'data-xem': t.rs, text: `${fmtXem(t.rs)} XEM` }),
        ...(n.exit ? [] : [el('dt', { text: 'tainted, held' }), el('dd', { 'data-xem': t.hs, text: `${fmtXem(t.hs)} XEM` })]),
        el('dt', { text: 'min hops' }),
        el('dd', { text: String(t.h) }),
        el('dt', { text: 'first tainted' }),
        el('dd', { text: `${t.f.replace('T', ' ').slice(0, 19)} UTC` }),
      ),
    );
  } else panel.append(el('p', { class: 'muted', text: `Not tainted under ${p}.` }));
  const others = data.policies.filter((q) => n.t[q]);
  if (others.length > 0) {
    const tb = el('table', { class: 'txl' });
    for (const q of others)
      tb.append(
        el(
          'tr',
          {},
          el('td', { text: q }),
          el('td', { style: 'text-align:right', text: `${fmtXem(n.t[q]!.rs)}` }),
          el('td', { text: `hop ${n.t[q]!.h}` }),
        ),
      );
    panel.append(el('h4', { text: 'taint received, every policy (XEM)' }), tb);
  }
  const ev: EvidenceRow[] = (n.ev[p] ?? []).map(([i, taint]) => ({ ...data.graph.steps[i], taint }));
  if (ev.length > 0) panel.append(el('h4', { text: `evidence path (${p}) — how taint first arrived` }), evidenceHtml(ev));
  const paths = n.paths[p] ?? [];
  if (paths.length > 0) {
    panel.append(
      el('h4', { text: `taint paths from the theft (${p}, fewest hops first) — violet in the graph; click one to show it alone` }),
    );
    panel.append(pathsHtml(paths));
  }
  if (n.tx.length > 0) {
    const tb = el('table', { class: 'txl' });
    for (const x of n.tx) {
      const taint = x.taint[p];
      tb.append(
        el(
          'tr',
          { 'data-hash': x.hash },
          el('td', { text: x.time.slice(0, 10) }),
          el('td', { class: x.dir, text: x.dir === 'in' ? '← ' + nameOf(x.peer) : '→ ' + nameOf(x.peer), title: x.peer }),
          el('td', { style: 'text-align:right', text: compact(Number(x.amount)) }),
          el('td', { class: 't', style: 'text-align:right', text: taint ? compact(Number(taint)) : '' }),
          el('td', { text: x.memo ? `“${x.memo.length > 14 ? `${x.memo.slice(0, 13)}…` : x.memo}”` : '', title: x.memo ?? '' }),
        ),
      );
    }
    panel.append(
      el('h4', {
        text: `transfers (${n.tx.length < n.txTotal ? `${n.tx.length} of ${n.txTotal}, tainted first` : n.txTotal}) · XEM · taint`,
      }),
      tb,
    );
  }
}

/** Panel with nothing selected: how to use it, and the policy's exits as shortcuts. */
function overviewPanel(panel: HTMLElement): void {
  delete panel.dataset.node;
  const p = state.policy;
  panel.append(
    el('p', {
      class: 'muted',
      text:
        'Click a node (or an exit below) to see its taint, evidence path and transfers. Exits are ringed in amber; drag to pan, ' +
        'scroll to zoom.',
    }),
  );
  const exits = data.report.policies[p]?.exits ?? [];
  if (exits.length === 0) return;
  panel.append(el('h4', { text: `exits reached under ${p}` }));
  const tb = el('table', { class: 'txl' });
  for (const x of exits.slice(0, 30)) {
    const row = el(
      'tr',
      { 'data-exit': x.address, style: 'cursor:pointer' },
      el(
        'td',
        {},
        el('i', {
          style: `display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:6px;background:${colorOf(x.category ?? '')}`,
        }),
        x.label ?? short(x.address),
      ),
      el('td', { style: 'text-align:right', text: `${compact(Number(x.amount))} XEM` }),
      el('td', { class: 'muted', text: `hop ${x.minHops}` }),
    );
    if (nodesById.has(x.address)) row.addEventListener('click', () => actions.select(x.address));
    tb.append(row);
  }
  panel.append(tb);
}

export function legend(): void {
  const lg = $('#legend');
  const cats = new Set(data.graph.nodes.map((n) => n.cat).filter((c) => c));
  for (const c of Object.keys(data.colors))
    if (c && cats.has(c)) lg.append(el('span', {}, el('i', { style: `background:${data.colors[c]}` }), c));
  lg.append(el('span', {}, el('i', { style: 'background:#818cf8' }), 'unlabelled (tainted)'));
  lg.append(el('span', {}, el('i', { style: 'background:#cbd5e1' }), 'untainted'));
  lg.append(el('span', {}, el('i', { class: 'ring' }), 'exit'));
  lg.append(el('span', {}, el('i', { style: 'background:#d97706;border-radius:2px;height:4px' }), 'tainted transfer'));
  lg.append(el('span', {}, el('i', { style: 'background:#dc2626;border-radius:2px;height:4px' }), 'evidence path'));
  const g = data.graph;
  $('#graph-note').textContent = g.capped
    ? `Showing ${g.nodes.length} of ${g.totalNodes} accounts (cap ${g.cap}: seed senders, every tainted exit, then the most tainted ` +
      `accounts) and ${g.edges.length} aggregated links; tables and exports are complete.`
    : `All ${g.totalNodes} accounts and ${g.totalEdges} transfers (${g.edges.length} aggregated links). Node size ∝ taint received; x ` +
      `= hop.`;
}

export function showMore(): void {
  for (const b of $$<HTMLButtonElement>('button.more'))
    b.addEventListener('click', () => {
      const p = b.dataset.more as Policy;
      const tbody = $(`table[data-policy-table="${p}"] tbody`);
      const rows = policyOf(data.report, p).accounts.slice(Number(b.dataset.shown));
      for (const a of rows) {
        const td = (x: string) => {
          const [w, d] = x.split('.');
          const c = el('td', { class: 'num', 'data-xem': x }, groupInt(w));
          c.append(el('span', { class: 'dec', text: `.${d}` }));
          return c;
        };
        const name = el('span', { class: 'addr', title: a.address });
        if (a.label) name.append(el('b', { text: a.label }), ' ');
        name.append(el('code', { text: a.address }));
        tbody.append(
          el(
            'tr',
            { 'data-address': a.address },
            el('td', {}, name),
            el('td', { class: 'num', text: String(a.hops) }),
            td(a.received),
            td(a.held),
            el('td', { text: a.firstTaintedAt }),
          ),
        );
      }
      b.remove();
    });
}
