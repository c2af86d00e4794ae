/**
 * Bench helpers for bench/taint.bench.ts: the baselines the six-policy sweep is compared with.
 *  - haircutOverGraphology: the straightforward way — a graphology MultiDirectedGraph whose node
 *    attributes hold balance and taint, edges (keyed, inserted in chain order) hold amounts; one
 *    haircut pass reads and writes attributes. Same exact arithmetic (mulDivFloor) as the core.
 *  - haircutTyped: the same single-policy haircut over the typed columns (no lots, no hops).
 */
import { MultiDirectedGraph } from 'graphology';
import type { SyntheticChain } from '../src/fixture/synthetic.js';
import { mulDivFloor } from '../src/taint/muldiv.js';

interface NodeAttrs {
  balance: number;
  taint: number;
}
interface EdgeAttrs {
  amount: number;
  fee: number;
  seed: boolean;
}

export function buildGraphologyGraph(chain: SyntheticChain, n: number): MultiDirectedGraph<NodeAttrs, EdgeAttrs> {
  const g = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>({ allowSelfLoops: true });
  for (let k = 0; k < n; k++) {
    const s = String(chain.sender[k]);
    const r = String(chain.recipient[k]);
    if (!g.hasNode(s)) g.addNode(s, { balance: 0, taint: 0 });
    if (!g.hasNode(r)) g.addNode(r, { balance: 0, taint: 0 });
    g.addDirectedEdgeWithKey(k.toString(16).padStart(64, '0'), s, r, {
      amount: chain.amount[k],
      fee: chain.fee[k],
      seed: chain.seed[k] === 1,
    });
  }
  return g;
}

/** Haircut over graphology attributes; returns the taint held + paid as fees (a checksum). */
export function haircutOverGraphology(g: MultiDirectedGraph<NodeAttrs, EdgeAttrs>): number {
  let fees = 0;
  g.forEachEdge((_key, e, _s, _t, sa, ta) => {
    const d = e.amount + e.fee;
    if (d === 0) return;
    if (sa.balance < d) sa.balance = d;
    let xa = 0;
    if (sa.taint > 0) {
      const x = sa.taint === sa.balance ? d : mulDivFloor(sa.taint, d, sa.balance);
      sa.taint -= x;
      const xf = e.fee === 0 || x === 0 ? 0 : mulDivFloor(x, e.fee, d);
      fees += xf;
      xa = x - xf;
    }
    sa.balance -= d;
    ta.balance += e.amount;
    ta.taint += e.seed ? e.amount : xa;
  });
  let held = 0;
  g.forEachNode((_n, a) => {
    held += a.taint;
  });
  return held + fees;
}

/** The same haircut over the typed columns, first n transfers. */
export function haircutTyped(chain: SyntheticChain, n: number): number {
  const bal = new Float64Array(chain.accounts);
  const taint = new Float64Array(chain.accounts);
  const { sender, recipient, amount, fee, seed } = chain;
  let fees = 0;
  for (let k = 0; k < n; k++) {
    const m = amount[k];
    const f = fee[k];
    const d = m + f;
    if (d === 0) continue;
    const s = sender[k];
    let b = bal[s];
    if (b < d) b = d;
    const t = taint[s];
    let xa = 0;
    if (t > 0) {
      const x = t === b ? d : mulDivFloor(t, d, b);
      taint[s] = t - x;
      const xf = f === 0 || x === 0 ? 0 : mulDivFloor(x, f, d);
      fees += xf;
      xa = x - xf;
    }
    bal[s] = b - d;
    const r = recipient[k];
    bal[r] += m;
    taint[r] += seed[k] === 1 ? m : xa;
  }
  let held = 0;
  for (let a = 0; a < chain.accounts; a++) held += taint[a];
  return held + fees;
}
