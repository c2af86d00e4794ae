/**
 * exposureOfGraph(graph, address, options, labels): where did an address's money come from? (docs/contracts.md
 * §6). Pure: no I/O; the store path (load.ts) only gathers the graph.
 *
 *  1. The cone: the accounts within `hops` hops upstream of the address (cone.ts, graphology BFS).
 *  2. Sources: accounts of the cone, the address itself excepted, labelled with a risky category.
 *     Exits are not special here: an exchange is a source of clean funds unless labelled otherwise.
 *  3. The transfers: every transfer of the graph that touches a cone account (their histories, for
 *     the balances). Accounts outside the cone absorb what reaches them (taint that leaves the cone
 *     is not followed back in: that would be a path of more than `hops` hops).
 *  4. The exact time-ordered sweep of the taint core (taint/trace.ts `traceSeeded`), seeded with the
 *     sources' outflows to cone accounts: once for all risky categories together, once per category
 *     present, and once per top source (by what it sent into the cone) for its single share.
 *  5. For the address, per policy: taint received (`exposed`) against everything it received
 *     (`share`), `direct` (straight from a source: its outflows carry their whole amount) and
 *     `indirect`, the minimum hops, the tainted balance held at the end, and the evidence path (the
 *     chain of transfers that first brought risky funds, the source's outflow first).
 * Policies are not additive in general (taint-first, clean-first, poison), so the all-categories
 * figures come from their own sweep, not from summing the categories.
 */
import { MultiDirectedGraph } from 'graphology';
import type { Attributes } from 'graphology-types';
import { graphTransfers, type TransferGraph } from '../graph/index.js';
import type { Transfer } from '../nem/index.js';
import { shareNumber } from '../screen/index.js';
import { accountFigures, POLICIES, prepareTransfers, sweep, traceSeeded, type PreparedTransfers } from '../taint/index.js';
import type { EvidenceStep, Label, Policy } from '../taint/index.js';
import { upstreamCone } from './cone.js';
import { resolveExposureOptions, type ExposureOptions, type ResolvedExposureOptions } from './options.js';

export interface ExposureFigures {
  /** Risky funds the address received (poison: whole transfers from sources or poisoned senders). */
  exposed: bigint;
  /** exposed / received, in [0, 1], floored to 9 decimals. */
  share: number;
  /** Received straight from a source. */
  direct: bigint;
  /** exposed − direct: received through at least one intermediary. */
  indirect: bigint;
  /** Fewest hops from a source (1 = direct), null when not exposed. */
  hops: number | null;
  /** Risky part of the address's balance at the end (poison: all of it once poisoned). */
  held: bigint;
}

export interface PolicyExposure extends ExposureFigures {
  byCategory: Record<string, ExposureFigures>;
  /** Transfers that first brought risky funds, the source's outflow first. */
  evidence: EvidenceStep[];
}

export interface ExposureSource {
  address: string;
  label: string;
  category: string;
  /** Hops upstream of the address (1 = sent to it directly). */
  depth: number;
  /** What it sent to cone accounts (the seed mass it stands for), and in how many transfers. */
  sent: bigint;
  transfers: number;
  /** Its single-source exposure per policy (computed for the top sources only; else null). */
  exposure: Partial<Record<Policy, bigint>> | null;
}

export interface ExposureResult {
  address: string;
  label: Label | null;
  options: ResolvedExposureOptions;
  /** Everything the address received (within asOf), in how many transfers, and its balance at the end. */
  received: bigint;
  receivedTransfers: number;
  balance: bigint;
  cone: {
    accounts: number;
    /** Transfers traced (every transfer touching a cone account). */
    transfers: number;
    /** Accounts per hop distance, index = hops (0 = the address). */
    byDepth: number[];
    sources: number;
  };
  policies: Partial<Record<Policy, PolicyExposure>>;
  /** Ranked sources first (by single-source exposure under the first amount policy asked), then by `sent`. */
  sources: ExposureSource[];
}

type AnyGraph = TransferGraph<Attributes, Attributes>;

export function exposureOfGraph(
  graph: AnyGraph,
  address: string,
  options: ExposureOptions = {},
  labels: ReadonlyMap<string, Label> = new Map(),
): ExposureResult {
  const o = resolveExposureOptions(options);
  const all = graphTransfers(graph);
  const view = o.asOf === null ? graph : before(graph, all, o.asOf);
  const depth = upstreamCone(view, address, o.hops);
  if (depth.size === 0) depth.set(address, 0);
  const transfers = all.filter((t) => (o.asOf === null || t.timeStamp < o.asOf) && (depth.has(t.sender) || depth.has(t.recipient)));
  const label = labelOf(graph, labels, address);
  return exposureOfCone({ address, label, depth, transfers, labels: (a) => labelOf(graph, labels, a), options: o });
}

export interface ConeInput {
  address: string;
  label: Label | null;
  /** Cone account → hops upstream (the address at 0). */
  depth: ReadonlyMap<string, number>;
  /** Every transfer touching a cone account (any order), within asOf. */
  transfers: readonly Transfer[];
  labels: (address: string) => Label | null;
  options: ResolvedExposureOptions;
}

/** Steps 2–5 of the header over a cone already found. */
export function exposureOfCone(input: ConeInput): ExposureResult {
  const { address, depth, options: o } = input;
  const prepared = prepareTransfers(input.transfers, o.asOf);
  const { sorted, cols } = prepared;
  const risky = new Set(o.categories);

  const isExit = new Uint8Array(cols.accounts);
  cols.addresses.forEach((a, i) => {
    if (!depth.has(a)) isExit[i] = 1;
  });
  const sources = new Map<string, ExposureSource>();
  for (const [a, d] of depth) {
    if (a === address) continue;
    const l = input.labels(a);
    if (l !== null && risky.has(l.category))
      sources.set(a, { address: a, label: l.label, category: l.category, depth: d, sent: 0n, transfers: 0, exposure: null });
  }
  // a source's outflows to cone accounts: the seeds
  const outflows = new Map<string, number[]>();
  let received = 0n;
  let receivedTransfers = 0;
  for (let k = 0; k < cols.n; k++) {
    const t = sorted[k];
    if (t.recipient === address && t.sender !== address && t.amount > 0) {
      received += BigInt(t.amount);
      receivedTransfers++;
    }
    const s = sources.get(t.sender);
    if (s === undefined || !depth.has(t.recipient) || t.recipient === t.sender || t.amount <= 0) continue;
    s.sent += BigInt(t.amount);
    s.transfers++;
    let ks = outflows.get(t.sender);
    if (ks === undefined) outflows.set(t.sender, (ks = []));
    ks.push(k);
  }

  const run = (from: Iterable<ExposureSource>, evidence = false) =>
    seededRun(prepared, address, from, outflows, isExit, o, received, evidence);
  const total = run(sources.values(), true);
  const categories = [...new Set([...sources.values()].map((s) => s.category))].sort();
  const perCategory = new Map(categories.map((c) => [c, run([...sources.values()].filter((s) => s.category === c))]));

  const policies: Partial<Record<Policy, PolicyExposure>> = {};
  for (const p of o.policies) {
    const byCategory: Record<string, ExposureFigures> = {};
    for (const c of categories) {
      const f = perCategory.get(c)!.figures[p]!;
      if (f.exposed > 0n || f.held > 0n) byCategory[c] = f;
    }
    policies[p] = { ...total.figures[p]!, byCategory, evidence: total.evidence[p] ?? [] };
  }

  // top sources: the ones that sent the most into the cone, each with its own sweep
  const bySent = [...sources.values()].sort((a, b) => (a.sent !== b.sent ? (b.sent > a.sent ? 1 : -1) : a.address < b.address ? -1 : 1));
  const ranked = bySent.filter((s) => s.sent > 0n).slice(0, o.topSources);
  for (const s of ranked) {
    const r = run([s]);
    s.exposure = Object.fromEntries(o.policies.map((p) => [p, r.figures[p]!.exposed]));
  }
  const key = o.policies.find((p) => p !== 'poison') ?? o.policies[0];
  const rank = (s: ExposureSource) => s.exposure?.[key] ?? -1n;
  const ordered = [
    ...ranked.sort((a, b) => (rank(a) !== rank(b) ? (rank(b) > rank(a) ? 1 : -1) : 0)),
    ...bySent.filter((s) => !ranked.includes(s)),
  ];

  const byDepth: number[] = [];
  for (const d of depth.values()) byDepth[d] = (byDepth[d] ?? 0) + 1;
  return {
    address,
    label: input.label,
    options: o,
    received,
    receivedTransfers,
    balance: total.balance,
    cone: { accounts: depth.size, transfers: cols.n, byDepth: Array.from(byDepth, (v) => v ?? 0), sources: sources.size },
    policies,
    sources: ordered,
  };
}

interface SeededRun {
  figures: Partial<Record<Policy, ExposureFigures>>;
  evidence: Partial<Record<Policy, EvidenceStep[]>>;
  balance: bigint;
}

/**
 * One sweep seeded with the outflows of `from`; the address's figures per policy. With `evidence`
 * the sweep's result is assembled for the address (its evidence paths); else only its figures are
 * read off the sweep (the per-category and per-source runs).
 */
function seededRun(
  prepared: PreparedTransfers,
  address: string,
  from: Iterable<ExposureSource>,
  outflows: ReadonlyMap<string, number[]>,
  isExit: Uint8Array,
  o: ResolvedExposureOptions,
  received: bigint,
  evidence: boolean,
): SeededRun {
  const seed = new Uint8Array(prepared.cols.n);
  let direct = 0n;
  for (const s of from) {
    for (const k of outflows.get(s.address) ?? []) {
      seed[k] = 1;
      const t = prepared.sorted[k];
      if (t.recipient === address) direct += BigInt(t.amount);
    }
  }
  const run: SeededRun = { figures: {}, evidence: {}, balance: 0n };
  const figures = (p: Policy, exposed: bigint, hops: number, held: bigint): ExposureFigures => ({
    exposed,
    share: shareNumber(exposed, received),
    direct: exposed > 0n ? direct : 0n,
    indirect: exposed > direct ? exposed - direct : 0n,
    hops: hops > 0 ? hops : null,
    held,
  });
  if (evidence) {
    const traced = traceSeeded(prepared, { isExit, seed, dust: o.dust, policies: o.policies, accounts: new Set([address]) });
    for (const p of o.policies) {
      const a = traced.policies[p]!.accounts.get(address);
      run.figures[p] = figures(p, a?.received ?? 0n, a?.hops ?? 0, a?.held ?? 0n);
      run.evidence[p] = a?.evidence ?? [];
    }
    run.balance = traced.balances.get(address) ?? 0n;
    return run;
  }
  const res = sweep(prepared.cols, { isExit, seed, dust: Number(o.dust) });
  const x = prepared.cols.index.get(address);
  for (const p of o.policies) {
    const f = x === undefined ? null : accountFigures(res, x, POLICIES.indexOf(p), false);
    run.figures[p] = figures(p, f?.received ?? 0n, f?.hops ?? 0, f?.held ?? 0n);
  }
  return run;
}

function labelOf(graph: AnyGraph, labels: ReadonlyMap<string, Label>, address: string): Label | null {
  const l = labels.get(address);
  if (l !== undefined) return l;
  if (!graph.hasNode(address)) return null;
  const attrs = graph.getNodeAttributes(address);
  if (typeof attrs.category !== 'string') return null;
  return { address, label: typeof attrs.label === 'string' ? attrs.label : address, category: attrs.category };
}

/** The graph's transfers before `asOf`, as a graph of their own (the cone must not see later ones). */
function before(graph: AnyGraph, transfers: readonly Transfer[], asOf: number): AnyGraph {
  const g = new MultiDirectedGraph({ allowSelfLoops: true });
  graph.forEachNode((n) => g.addNode(n));
  for (const t of transfers) if (t.timeStamp < asOf) g.addDirectedEdge(t.sender, t.recipient);
  return g;
}
