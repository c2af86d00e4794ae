/**
 * taintedPaths on a hand-made chain and on the Coincheck scenario: fewest hops first, every hop a
 * tainted transfer later than the one before, no account twice, each hop with the taint it carried.
 *
 * Chain (heights): V→T 100 seed (1), T→A 60 (2), T→B 40 (3), B→X 20 (4), A→X 10 (5), A→B 30 (6),
 * B→X 25 (7), C→X 5 (8, clean). To X under haircut: 3 hops via A (1,2,5), via B (1,3,4) and
 * (1,3,7); 4 hops via A then B (1,2,6,7) — but never (1,2,6,4): B→X at 4 came before A→B at 6.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTraceGraph, policyPathFinder, taintedPaths } from '../../src/graph/index.js';
import { runTrace } from '../../src/taint/trace.js';
import { parseCase } from '../../src/labels/index.js';
import { bundle, byLabel, labels, transfers as scenario } from '../exposure/fixture.js';
import { makeCase, trace, tx } from '../taint/helpers.js';
import { POLICIES, type Policy, type TraceResult } from '../../src/taint/types.js';

const t = {
  seed: tx('V', 'T', 100, { at: 1, hash: 'h1' }),
  ta: tx('T', 'A', 60, { at: 2, hash: 'h2' }),
  tb: tx('T', 'B', 40, { at: 3, hash: 'h3' }),
  bx1: tx('B', 'X', 20, { at: 4, hash: 'h4' }),
  ax: tx('A', 'X', 10, { at: 5, hash: 'h5' }),
  ab: tx('A', 'B', 30, { at: 6, hash: 'h6' }),
  bx2: tx('B', 'X', 25, { at: 7, hash: 'h7' }),
  cx: tx('C', 'X', 5, { at: 8, hash: 'h8' }),
};
const result = trace(Object.values(t), makeCase([{ hash: 'h1' }]));
const graph = buildTraceGraph(result);
const hashes = (paths: { hash: string }[][]) => paths.map((p) => p.map((h) => h.hash).join(' '));

describe('taintedPaths', () => {
  it('lists every tainted path to the address, fewest hops first, in time order', () => {
    const paths = taintedPaths(graph, result, 'X', { policy: 'haircut' });
    expect(hashes(paths)).toEqual(['h1 h2 h5', 'h1 h3 h4', 'h1 h3 h7', 'h1 h2 h6 h7']);
  });

  it('gives each hop its transfer and the taint it carried under the policy', () => {
    const [first] = taintedPaths(graph, result, 'X', { policy: 'haircut', max: 1 });
    expect(first).toEqual([
      { hash: 'h1', from: 'V', to: 'T', height: 1, timeStamp: 60, amount: 100n, taint: 100n },
      { hash: 'h2', from: 'T', to: 'A', height: 2, timeStamp: 120, amount: 60n, taint: 60n },
      { hash: 'h5', from: 'A', to: 'X', height: 5, timeStamp: 300, amount: 10n, taint: 10n },
    ]);
  });

  it('stops at --max and at the hop limit', () => {
    expect(taintedPaths(graph, result, 'X', { policy: 'haircut', max: 2 })).toHaveLength(2);
    expect(hashes(taintedPaths(graph, result, 'X', { policy: 'haircut', maxHops: 3 }))).toEqual(['h1 h2 h5', 'h1 h3 h4', 'h1 h3 h7']);
  });

  it('follows only what the policy tainted: under fifo the oldest, clean funds of A leave first', () => {
    const poor = trace(
      [tx('C', 'A', 100, { at: 1, hash: 'c1' }), tx('V', 'A', 50, { at: 2, hash: 's1' }), tx('A', 'X', 80, { at: 3, hash: 'a1' })],
      makeCase([{ hash: 's1' }]),
    );
    const g = buildTraceGraph(poor);
    expect(taintedPaths(g, poor, 'X', { policy: 'fifo' })).toEqual([]); // the oldest 100 are clean
    expect(hashes(taintedPaths(g, poor, 'X', { policy: 'lifo' }))).toEqual(['s1 a1']);
  });

  it('answers nothing for an address taint never reached', () => {
    expect(taintedPaths(graph, result, 'C', { policy: 'poison' })).toEqual([]);
    expect(taintedPaths(graph, result, 'NOWHERE', { policy: 'poison' })).toEqual([]);
  });

  it('on the Coincheck scenario: paths from the theft to Yobit start at a theft transfer and end at Yobit', () => {
    const caseSpec = parseCase(bundle.caseJson, 'case.json');
    const r = runTrace({
      transfers: scenario,
      caseSpec,
      labels,
      storeDigest: 'x',
      tipHeight: 0,
      engineVersion: 'test',
      policies: ['haircut'],
    });
    const yobit = byLabel('Yobit');
    const paths = taintedPaths(buildTraceGraph(r), r, yobit, { policy: 'haircut', max: 5 });
    expect(paths.length).toBe(5);
    const theft = new Set(bundle.truth.theftHashes);
    const min = r.policies.haircut!.accounts.get(yobit)!.hops;
    expect(paths[0].length).toBe(min);
    for (const p of paths) {
      expect(theft.has(p[0].hash)).toBe(true);
      expect(p.at(-1)!.to).toBe(yobit);
      for (let i = 1; i < p.length; i++) {
        expect(p[i].from).toBe(p[i - 1].to);
        expect(p[i].height >= p[i - 1].height).toBe(true);
        expect(p[i].taint > 0n).toBe(true);
      }
    }
    for (let i = 1; i < paths.length; i++) expect(paths[i].length).toBeGreaterThanOrEqual(paths[i - 1].length);
  });
});

/**
 * The enumeration without any pruning (every time-respecting simple path by iterative deepening, starts and
 * hops in chain order): what taintedPaths must return, only slower. Tiny chains only.
 */
function allPaths(result: TraceResult, to: string, policy: Policy, max: number, maxHops: number): string[] {
  const pr = result.policies[policy]!;
  const seeds = new Set(result.seed.transfers.map((s) => s.hash));
  const carried = (k: number) => seeds.has(result.transfers.at(k)!.hash) || (pr.transferTaint.get(result.transfers.at(k)!.hash) ?? 0n) > 0n;
  const found: string[] = [];
  const walk = (node: string, k: number, left: number, path: number[], seen: Set<string>): boolean => {
    if (left === 0) {
      if (node === to) found.push(path.map((i) => result.transfers.at(i)!.hash).join(' '));
      return found.length < max;
    }
    if (node === to) return true;
    for (let j = k + 1; j < result.transfers.length; j++) {
      const e = result.transfers.at(j)!;
      if (e.sender !== node || e.recipient === node || seen.has(e.recipient) || seeds.has(e.hash) || !carried(j)) continue;
      seen.add(e.recipient);
      const more = walk(e.recipient, j, left - 1, [...path, j], seen);
      seen.delete(e.recipient);
      if (!more) return false;
    }
    return true;
  };
  const starts = [...result.transfers].map((t, k) => k).filter((k) => seeds.has(result.transfers.at(k)!.hash));
  for (let length = 1; length <= maxHops && found.length < max; length++) {
    for (const k of starts) {
      const s = result.transfers.at(k)!;
      if (!walk(s.recipient, k, length - 1, [k], new Set([s.sender, s.recipient]))) break;
    }
  }
  return found;
}

describe('taintedPaths against the enumeration without pruning', () => {
  it('gives the same paths in the same order on random chains, every policy and account (one target or many)', () => {
    const names = ['V', 'A', 'B', 'C', 'D', 'E', 'X'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ from: fc.nat(6), to: fc.nat(6), amount: fc.integer({ min: 1, max: 100 }) }), { minLength: 3, maxLength: 28 }),
        fc.integer({ min: 1, max: 6 }),
        (rows, maxHops) => {
          const chain = [tx('V', 'A', 300, { at: 1, hash: 'seed' })];
          rows.forEach((r, i) => chain.push(tx(names[r.from], names[r.to], r.amount, { at: i + 2, hash: `t${i}` })));
          const r = trace(chain, makeCase([{ hash: 'seed' }], { maxHops }));
          const g = buildTraceGraph(r);
          for (const policy of POLICIES) {
            const expected = names.map((to) => allPaths(r, to, policy, 7, maxHops));
            expect(names.map((to) => hashes(taintedPaths(g, r, to, { policy, max: 7, maxHops })))).toEqual(expected);
            // the report page's finder: the policy's columns, the targets 32 to a sweep (here: 35, two sweeps)
            const five = [...names, ...names, ...names, ...names, ...names];
            expect(policyPathFinder(r, policy, maxHops).many(five, 7).map(hashes)).toEqual([
              ...expected,
              ...expected,
              ...expected,
              ...expected,
              ...expected,
            ]);
          }
        },
      ),
      { numRuns: 150, seed: 10 },
    );
  });
});
