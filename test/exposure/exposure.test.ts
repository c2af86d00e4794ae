/**
 * exposureOfGraph on hand-made chains, every figure worked by hand (XEM; µXEM in the code).
 *
 * Chain: CLEAN → A 300 (h1), THIEF → A 100 (h2), A → X 200 (h3), DARK → X 50 (h4), X → OUT 10 (h5).
 * A holds 400 of which 100 came from the thief when it pays X 200:
 *   haircut 200·100/400 = 50 · fifo: the oldest 300 clean go first → 0 · lifo: the newest 100 thief
 *   + 100 clean → 100 · taint-first min(100, 200) = 100 · clean-first max(0, 200 − 300) = 0 ·
 *   poison: A is poisoned → the whole 200.
 * DARK pays X 50 directly: a source's outflow carries its whole amount under every policy.
 * X received 250.
 */
import { MultiDirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { exposureOfGraph, resolveExposureOptions } from '../../src/exposure/index.js';
import { isTracerError } from '../../src/errors.js';
import type { Transfer } from '../../src/nem/types.js';
import type { Label } from '../../src/taint/types.js';
import { labelsOf, tx } from '../taint/helpers.js';

const X = 1_000_000;

function graphOf(transfers: Transfer[]): MultiDirectedGraph {
  const g = new MultiDirectedGraph({ allowSelfLoops: true });
  for (const t of transfers) {
    g.mergeNode(t.sender);
    g.mergeNode(t.recipient);
    g.addDirectedEdgeWithKey(t.hash, t.sender, t.recipient, { amount: t.amount, fee: t.fee, height: t.height, timeStamp: t.timeStamp });
  }
  return g;
}

const chain = [
  tx('CLEAN', 'A', 300 * X, { at: 1 }),
  tx('THIEF', 'A', 100 * X, { at: 2 }),
  tx('A', 'X', 200 * X, { at: 3 }),
  tx('DARK', 'X', 50 * X, { at: 4 }),
  tx('X', 'OUT', 10 * X, { at: 5 }),
];
const labels: Map<string, Label> = labelsOf({ THIEF: 'thief', DARK: 'darkweb', CLEAN: 'exchange' });
const xem = (n: number) => BigInt(Math.round(n * X));

describe('exposureOfGraph', () => {
  const r = exposureOfGraph(graphOf(chain), 'X', {}, labels);

  it('reports what the address received and the cone it searched', () => {
    expect(r.received).toBe(xem(250));
    expect(r.receivedTransfers).toBe(2);
    expect(r.balance).toBe(xem(240));
    expect(r.cone).toEqual({ accounts: 5, transfers: 5, byDepth: [1, 2, 2], sources: 2 });
  });

  it('gives each policy its hand-computed exposure, split direct / indirect', () => {
    const want = { haircut: 50, fifo: 0, lifo: 100, 'taint-first': 100, 'clean-first': 0, poison: 200 } as const;
    for (const [policy, viaA] of Object.entries(want) as [keyof typeof want, number][]) {
      const e = r.policies[policy]!;
      expect(e.exposed, policy).toBe(xem(viaA + 50));
      expect(e.direct, policy).toBe(xem(50));
      expect(e.indirect, policy).toBe(xem(viaA));
      expect(e.share, policy).toBe((viaA + 50) / 250);
      expect(e.hops, policy).toBe(1);
    }
  });

  it('splits by category: the dark-web site at hop 1, the thief at hop 2', () => {
    const h = r.policies.haircut!;
    expect(h.byCategory.darkweb).toMatchObject({ exposed: xem(50), direct: xem(50), indirect: 0n, hops: 1 });
    expect(h.byCategory.thief).toMatchObject({ exposed: xem(50), direct: 0n, indirect: xem(50), hops: 2 });
    expect(r.policies.fifo!.byCategory.thief).toBeUndefined(); // fifo carried nothing of the thief's
  });

  it('keeps the tainted balance after X pays out 10 (haircut 100/250 of it)', () => {
    // X: 200 (50 tainted) + 50 (50 tainted) = 250 with 100 tainted; pays 10 → 4 tainted leave
    expect(r.policies.haircut!.held).toBe(xem(96));
    expect(r.policies.poison!.held).toBe(xem(240));
  });

  it('cites the evidence path from the source, the source outflow first', () => {
    const ev = r.policies.haircut!.evidence;
    // the first risky funds arrived at h3 through A (the dark-web payment came later, at h4)
    expect(ev.map((s) => [s.from, s.to, s.amount, s.taint])).toEqual([
      ['THIEF', 'A', xem(100), xem(100)],
      ['A', 'X', xem(200), xem(50)],
    ]);
  });

  it('ranks sources by their single-source exposure, then by what they sent into the cone', () => {
    expect(r.sources.map((s) => [s.address, s.depth, s.sent, s.exposure?.haircut, s.exposure?.lifo])).toEqual([
      ['THIEF', 2, xem(100), xem(50), xem(100)],
      ['DARK', 1, xem(50), xem(50), xem(50)],
    ]);
  });

  it('does not look past the hop limit', () => {
    const one = exposureOfGraph(graphOf(chain), 'X', { hops: 1 }, labels);
    expect(one.cone.accounts).toBe(3);
    expect(one.policies.haircut!.exposed).toBe(xem(50));
    expect(Object.keys(one.policies.haircut!.byCategory)).toEqual(['darkweb']);
  });

  it('treats exchanges as clean sources unless their category is asked for', () => {
    const r2 = exposureOfGraph(graphOf(chain), 'X', { categories: ['exchange'] }, labels);
    // CLEAN's 300 at A; A pays 200 of 400: haircut 150
    expect(r2.policies.haircut!.exposed).toBe(xem(150));
    expect(r2.policies.haircut!.byCategory.exchange.hops).toBe(2);
  });

  it('sees only transfers before asOf', () => {
    const early = exposureOfGraph(graphOf(chain), 'X', { asOf: 4 * 60 }, labels);
    expect(early.received).toBe(xem(200));
    expect(early.policies.haircut!.exposed).toBe(xem(50));
    expect(early.policies.haircut!.byCategory.darkweb).toBeUndefined();
  });

  it('reads node category attributes when no label map is given', () => {
    const g = graphOf(chain);
    g.setNodeAttribute('THIEF', 'category', 'thief');
    const r3 = exposureOfGraph(g, 'X');
    expect(r3.policies.haircut!.exposed).toBe(xem(50));
    expect(r3.sources.map((s) => s.address)).toEqual(['THIEF']);
  });

  it('answers zero for an address nobody risky reaches', () => {
    const r4 = exposureOfGraph(graphOf(chain), 'CLEAN', {}, labels);
    for (const e of Object.values(r4.policies)) expect(e.exposed).toBe(0n);
  });
});

describe('resolveExposureOptions', () => {
  it.each([
    [{ hops: 0 }, 'TRACE_INVALID_OPTION'],
    [{ hops: 13 }, 'TRACE_INVALID_OPTION'],
    [{ hops: 2.5 }, 'TRACE_INVALID_OPTION'],
    [{ categories: [] }, 'TRACE_INVALID_OPTION'],
    [{ categories: ['Thief!'] }, 'TRACE_INVALID_OPTION'],
    [{ asOf: 'yesterday' }, 'TRACE_INVALID_TIME'],
    [{ dust: '1.0000001' }, 'TRACE_INVALID_AMOUNT'],
    [{ policies: ['fifo', 'magic'] }, 'TRACE_INVALID_OPTION'],
  ])('refuses %j with %s', (opts, code) => {
    let err: unknown;
    try {
      resolveExposureOptions(opts as never);
    } catch (e) {
      err = e;
    }
    expect(isTracerError(err, code as never)).toBe(true);
  });

  it('defaults to 4 hops and the risky categories', () => {
    expect(resolveExposureOptions()).toMatchObject({
      hops: 4,
      asOf: null,
      dust: 0n,
      topSources: 10,
      categories: expect.arrayContaining(['thief', 'darkweb', 'mixer', 'sanctioned', 'gambling']),
    });
  });
});
