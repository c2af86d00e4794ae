/**
 * traceGraph over a caller's graphology MultiDirectedGraph gives the store path's answers (runTrace
 * over the same transfers) to the µXEM — on the Coincheck scenario and on random chains — and writes
 * them back as node and edge attributes; a bad edge is refused whole, naming the edge.
 */
import fc from 'fast-check';
import { MultiDirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { traceGraph } from '../../src/graph/index.js';
import type { Transfer } from '../../src/nem/types.js';
import { POLICIES, type Label, type TraceResult } from '../../src/taint/types.js';
import { bundle, labels as scenarioLabels, transfers as scenarioTransfers } from '../exposure/fixture.js';
import { randomChain, trace, tx } from '../taint/helpers.js';
import { parseCase } from '../../src/labels/index.js';

function graphOf(transfers: readonly Transfer[], labels: ReadonlyMap<string, Label> = new Map()): MultiDirectedGraph {
  const g = new MultiDirectedGraph({ allowSelfLoops: true });
  for (const t of transfers) {
    g.mergeNode(t.sender);
    g.mergeNode(t.recipient);
    g.addDirectedEdgeWithKey(`e-${t.hash}`, t.sender, t.recipient, {
      amount: t.amount,
      fee: t.fee,
      height: t.height,
      timeStamp: t.timeStamp,
      hash: t.hash,
    });
  }
  for (const l of labels.values()) if (g.hasNode(l.address)) g.mergeNodeAttributes(l.address, { category: l.category, label: l.label });
  return g;
}

/** Every figure traceGraph wrote equals the TraceResult of the store path. */
function expectSameAnswers(g: MultiDirectedGraph, want: TraceResult): void {
  let tainted = 0;
  for (const policy of POLICIES) {
    const pr = want.policies[policy]!;
    g.forEachNode((node, attrs) => {
      const a = pr.accounts.get(node);
      expect(BigInt(attrs[`taint.${policy}`]), `${policy} ${node} received`).toBe(a?.received ?? 0n);
      expect(BigInt(attrs[`held.${policy}`]), `${policy} ${node} held`).toBe(a?.held ?? 0n);
      expect(attrs[`hops.${policy}`], `${policy} ${node} hops`).toBe(a?.hops ?? 0);
      if (a) tainted++;
    });
    g.forEachEdge((_key, attrs) => {
      expect(BigInt(attrs[`taint.${policy}`]), `${policy} ${attrs.hash}`).toBe(pr.transferTaint.get(attrs.hash) ?? 0n);
    });
  }
  expect(tainted).toBeGreaterThan(0);
}

describe('traceGraph', () => {
  it('equals the store path on the Coincheck scenario, under all six policies', () => {
    const caseSpec = parseCase(bundle.caseJson, 'case.json');
    const want = trace(scenarioTransfers, caseSpec, scenarioLabels);
    const g = graphOf(scenarioTransfers, scenarioLabels);
    const seed = caseSpec.seeds[0] as { account: string; from: number; to: number };
    const got = traceGraph(g, {
      seeds: [{ account: seed.account, from: seed.from, to: seed.to }],
      exitCategories: caseSpec.exitCategories,
      dust: caseSpec.dust,
      windowTo: caseSpec.windowTo,
    });
    expect(got.seed.amount).toBe(want.seed.amount);
    for (const p of POLICIES) expect(got.policies[p]!.totals, p).toEqual(want.policies[p]!.totals);
    expectSameAnswers(g, want);
  });

  it('equals the store path on random chains (seeds by edge key, labels as node attributes)', () => {
    fc.assert(
      fc.property(randomChain(), ({ transfers, caseSpec, labels }) => {
        const want = trace(transfers, caseSpec, labels);
        const g = graphOf(transfers, labels);
        const seeds = caseSpec.seeds.map((s) => ('hash' in s ? `e-${s.hash}` : s));
        traceGraph(g, { seeds, dust: caseSpec.dust });
        let checked = 0;
        for (const policy of POLICIES) {
          g.forEachNode((node, attrs) => {
            const a = want.policies[policy]!.accounts.get(node);
            expect(BigInt(attrs[`taint.${policy}`])).toBe(a?.received ?? 0n);
            expect(BigInt(attrs[`held.${policy}`])).toBe(a?.held ?? 0n);
            expect(attrs[`hops.${policy}`]).toBe(a?.hops ?? 0);
            checked++;
          });
          g.forEachEdge((_k, attrs) =>
            expect(BigInt(attrs[`taint.${policy}`])).toBe(want.policies[policy]!.transferTaint.get(attrs.hash) ?? 0n),
          );
        }
        expect(checked).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('writes a hand-worked haircut onto nodes and edges', () => {
    const g = graphOf([
      tx('V', 'T', 100, { at: 1 }),
      tx('C', 'A', 300, { at: 2 }),
      tx('T', 'A', 100, { at: 3 }),
      tx('A', 'B', 200, { at: 4 }),
    ]);
    const seed = g.findEdge((_k, a) => a.amount === 100 && a.height === 1)!;
    traceGraph(g, { seeds: [seed], policies: ['haircut', 'fifo'] });
    expect(g.getNodeAttributes('B')).toMatchObject({ 'taint.haircut': 50, 'hops.haircut': 3, 'taint.fifo': 0, 'hops.fifo': 0 });
    expect(g.getNodeAttributes('A')).toMatchObject({ 'taint.haircut': 100, 'held.haircut': 50, 'held.fifo': 100 });
    expect(
      g.getEdgeAttribute(
        g.findEdge('A', 'B', () => true)!,
        'taint.haircut',
      ),
    ).toBe(50);
    expect(g.getNodeAttribute('B', 'taint.poison')).toBeUndefined(); // only the policies asked for
  });

  it.each([
    [{ amount: -1 }, 'amount'],
    [{ amount: 1.5 }, 'amount'],
    [{ amount: '10' }, 'amount'],
    [{ fee: 2 ** 53 }, 'fee'],
    [{ height: -2 }, 'height'],
    [{ timeStamp: undefined }, 'timeStamp'],
    [{ hash: 'h1' }, 'hash'],
  ])('refuses an edge with %j, naming the edge and %s, and writes nothing', (bad, field) => {
    const g = graphOf([tx('V', 'T', 100, { at: 1, hash: 'h1' }), tx('T', 'A', 50, { at: 2, hash: 'h2' })]);
    g.mergeEdgeAttributes(
      g.findEdge('T', 'A', () => true)!,
      bad,
    );
    let err: unknown;
    try {
      traceGraph(g, { seeds: ['e-h1'] });
    } catch (e) {
      err = e;
    }
    expect(isTracerError(err, 'TRACE_INVALID_OPTION')).toBe(true);
    expect((err as Error).message).toContain(`${field} must be`);
    expect((err as Error).message).toContain('"e-h2"');
    expect(g.getNodeAttribute('T', 'taint.haircut')).toBeUndefined();
  });

  it('refuses seeds that name nothing', () => {
    const g = graphOf([tx('V', 'T', 100, { at: 1, hash: 'h1' })]);
    expect(() => traceGraph(g, { seeds: [] })).toThrow(/seeds must be a non-empty array/);
    expect(() => traceGraph(g, { seeds: ['nope'] })).toThrow(/not among the traced transfers/);
    expect(() => traceGraph(g, { seeds: [{ account: 'Q', from: 0, to: 10 }] })).toThrow(/naming a node/);
  });
});
