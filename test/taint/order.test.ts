/**
 * Chain order (src/taint/order.ts, docs/taint-semantics.md §2): height, position in the block where known,
 * then timestamp and hash — one comparator, total whatever is known.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareChainOrder, sortTransfers } from '../../src/taint/order.js';
import { chainOrder } from '../../src/report/format.js';
import type { ChainOrdered } from '../../src/taint/order.js';

const t = (height: number, timeStamp: number, hash: string, position?: number): ChainOrdered => ({
  height,
  timeStamp,
  hash,
  ...(position === undefined ? {} : { position }),
});

describe('compareChainOrder', () => {
  it('orders by height first, whatever the position or time', () => {
    expect(compareChainOrder(t(1, 99, 'ff', 9), t(2, 0, '00', 0))).toBeLessThan(0);
  });

  it('within a block, follows the block position, not the timestamp or the hash', () => {
    const credit = t(5, 100, 'ee', 0);
    const payment = t(5, 100, '11', 1);
    expect([payment, credit].sort(compareChainOrder)).toEqual([credit, payment]);
    expect(compareChainOrder(t(5, 200, '00', 0), t(5, 100, '00', 1))).toBeLessThan(0);
  });

  it('without positions, falls back to timestamp then lower-case hash', () => {
    expect(compareChainOrder(t(5, 100, 'ee'), t(5, 101, '11'))).toBeLessThan(0);
    expect(compareChainOrder(t(5, 100, '1A'), t(5, 100, '1b'))).toBeLessThan(0);
    expect(compareChainOrder(t(5, 100, 'ab'), t(5, 100, 'AB'))).toBe(0);
  });

  it('puts a transfer with a known position before one without at the same height', () => {
    expect(compareChainOrder(t(5, 300, 'ff', 7), t(5, 1, '00'))).toBeLessThan(0);
    expect(compareChainOrder(t(5, 1, '00'), t(5, 300, 'ff', 7))).toBeGreaterThan(0);
  });

  it('is a total order (antisymmetric and transitive) on any mix of known and unknown positions', () => {
    const arb = fc
      .record({
        height: fc.integer({ min: 1, max: 3 }),
        timeStamp: fc.integer({ min: 0, max: 3 }),
        hash: fc.constantFrom('00', '0a', 'ff'),
        position: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      })
      .map((r) => t(r.height, r.timeStamp, r.hash, r.position));
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        expect(Math.sign(compareChainOrder(a, b))).toBe(-Math.sign(compareChainOrder(b, a)) || 0);
        if (compareChainOrder(a, b) <= 0 && compareChainOrder(b, c) <= 0) expect(compareChainOrder(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('is the comparator the reports use', () => {
    expect(chainOrder).toBe(compareChainOrder);
  });
});

describe('sortTransfers', () => {
  it('keeps one transfer per hash and sorts in chain order', () => {
    const a = { ...t(5, 100, 'ee', 0) } as never;
    const b = { ...t(5, 100, '11', 1) } as never;
    expect(sortTransfers([b, a, b])).toEqual([a, b]);
  });
});
