/**
 * mulDivFloor: floor(a·b/c) exact on safe integers, against bigint, across all three tiers
 * (product below 2^53; error-free transform; bigint fallback for divisors ≥ 2^52).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulDivFloor } from '../../src/taint/muldiv.js';

const MAX = Number.MAX_SAFE_INTEGER;
const big = (a: number, b: number, c: number): number => Number((BigInt(a) * BigInt(b)) / BigInt(c));

/** a ≤ c, as the engine guarantees (t ≤ b, x ≤ d). */
const triple = (maxC: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: maxC }), fc.integer({ min: 0, max: MAX }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([c, b, frac]) => [Math.min(c, Math.floor(c * frac)), b, c] as const);

describe('mulDivFloor', () => {
  it('computes small products directly: floor(100·200/400) = 50, floor(1000·950/2000) = 475', () => {
    expect(mulDivFloor(100, 200, 400)).toBe(50);
    expect(mulDivFloor(1000, 950, 2000)).toBe(475);
    expect(mulDivFloor(475, 150, 950)).toBe(75);
  });

  it('is exact when the product passes 2^53 (Coincheck-sized amounts)', () => {
    const t = 523_000_000_000_000;
    const d = 100_000_000_000_001;
    const b = 526_300_010_000_007;
    expect(mulDivFloor(t, d, b)).toBe(big(t, d, b));
  });

  it('equals bigint floor division on random safe integers (every divisor size)', () => {
    fc.assert(
      fc.property(triple(MAX), ([a, b, c]) => {
        expect(mulDivFloor(a, b, c)).toBe(big(a, b, c));
      }),
      { numRuns: 20000 },
    );
  });

  it('equals bigint floor division for divisors below 2^52 (the error-free tier)', () => {
    fc.assert(
      fc.property(triple(2 ** 52 - 1), ([a, b, c]) => {
        expect(mulDivFloor(a, b, c)).toBe(big(a, b, c));
      }),
      { numRuns: 20000 },
    );
  });

  it('equals bigint floor division near the edges (exact quotients, off-by-one neighbours, 2^52, 2^53)', () => {
    const edgeInt = fc.oneof(
      fc.constantFrom(1, 2, 3, 2 ** 26, 2 ** 27 + 1, 2 ** 52 - 1, 2 ** 52, 2 ** 52 + 1, MAX - 1, MAX),
      fc.integer({ min: 2 ** 50, max: MAX }),
    );
    fc.assert(
      fc.property(edgeInt, edgeInt, edgeInt, fc.integer({ min: -2, max: 2 }), (x, y, z, delta) => {
        const c = Math.max(x, z, 1);
        const a = Math.min(x, z);
        expect(mulDivFloor(a, y, c)).toBe(big(a, y, c));
        // products that are exact multiples of c, and their neighbours
        const q = Math.floor(a / 2);
        const aa = Math.min(c, Math.max(0, q + delta));
        expect(mulDivFloor(aa, c, c)).toBe(aa);
        expect(mulDivFloor(aa, y, c)).toBe(big(aa, y, c));
      }),
      { numRuns: 20000 },
    );
  });
});
