/**
 * Browser side of report.html, bundled by esbuild into the page (never imported by Node code; typed against
 * the DOM by its own tsconfig.json). Reads the embedded data and draws one module per part: the flow diagram
 * (sankey.ts, d3-sankey), tainted mass over time (timeline.ts), the sigma.js graph (graph.ts) and the side
 * panel (panel.ts); this module wires the policy selector, the filters and the selection.
 * Test hook: `window.__tainttrace`.
 */
import type { Policy } from '../../../domain.js';
import { actions, data, hook, state, type TestHook } from './context.js';
import { $, $$, el } from './dom.js';
import { buildGraphView, type GraphView } from './graph.js';
import { legend, renderPanel, showMore } from './panel.js';
import { drawFlow } from './sankey.js';
import { drawTimeline } from './timeline.js';

const POLICY_KEY = 'tainttrace.policy';
let graphView: GraphView | null = null;

function setPolicy(p: Policy): void {
  if (!data.policies.includes(p)) return;
  state.policy = p;
  state.path = null;
  try {
    window.sessionStorage?.setItem(POLICY_KEY, p);
  } catch {
    /* file:// may refuse storage */
  }
  for (const b of $$('.tab')) {
    const on = b.dataset.policy === p;
    b.classList.toggle('active', on);
    b.setAttribute('aria-pressed', String(on));
  }
  for (const n of $$('[data-policy]')) if (!n.classList.contains('tab')) n.hidden = n.dataset.policy !== p;
  $('#policy-hint').textContent =
    p === 'poison' ? 'binary: whole amounts out of poisoned accounts (upper bound)' : 'amount policy: seed = held + exited + fees';
  drawFlow();
  drawTimeline();
  graphView?.update();
  renderPanel();
}

function select(id: string | null): void {
  state.selected = id;
  state.path = null;
  graphView?.update();
  renderPanel();
}

/** Highlight one taint path of the selected node (null: all of them); the panel marks it. */
function pickPath(index: number | null): void {
  state.path = index;
  graphView?.update();
  for (const row of $$('#panel .path')) row.classList.toggle('picked', index !== null && row.dataset.path === String(index));
}

function init(): void {
  (window as unknown as { __tainttrace: TestHook }).__tainttrace = {
    ready: false,
    policies: data.policies,
    nodeCount: data.graph.nodes.length,
    edgeCount: data.graph.edges.length,
    cap: data.graph.cap,
    capped: data.graph.capped,
  };
  for (const b of $$('.tab')) b.addEventListener('click', () => setPolicy(b.dataset.policy as Policy));
  let saved: string | null = null;
  try {
    saved = window.sessionStorage?.getItem(POLICY_KEY) ?? null;
  } catch {
    /* ignore */
  }
  if (saved && data.policies.includes(saved as Policy)) state.policy = saved as Policy;
  const maxHop = Math.max(1, ...data.graph.nodes.flatMap((n) => Object.values(n.t).map((t) => t.h)));
  const range = $<HTMLInputElement>('#hop-filter');
  range.max = String(maxHop);
  range.value = String(maxHop);
  $('#hop-value').textContent = String(maxHop);
  range.addEventListener('input', () => {
    state.maxHop = Number(range.value);
    $('#hop-value').textContent = range.value;
    graphView?.update();
  });
  $<HTMLInputElement>('#untainted').addEventListener('change', (ev) => {
    state.context = (ev.target as HTMLInputElement).checked;
    graphView?.update();
  });
  $('#reset-view').addEventListener('click', () => void graphView?.renderer.getCamera().animatedReset());
  legend();
  showMore();
  try {
    graphView = buildGraphView();
  } catch (err) {
    $('#graph').append(
      el('p', {
        class: 'muted',
        style: 'padding:16px',
        text: `The interactive graph needs WebGL: ${String((err as Error)?.message ?? err)}`,
      }),
    );
  }
  setPolicy(state.policy);
  Object.assign(hook(), {
    ready: true,
    graph: graphView?.graph,
    renderer: graphView?.renderer,
    setPolicy,
    select,
    pickPath,
    /** Viewport (CSS px, relative to the graph container) of a node, for tests clicking it. */
    nodePosition(id: string) {
      const d = graphView!.renderer.getNodeDisplayData(id);
      return d ? graphView!.renderer.framedGraphToViewport(d) : null;
    },
  });
  Object.defineProperty(hook(), 'policy', { get: () => state.policy, enumerable: true });
  document.body.dataset.ready = 'true';
}

actions.select = select;
actions.pickPath = pickPath;
init();
