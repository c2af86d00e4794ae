/** shareOf (numbers, the answers' fast path) is shareNumber (bigints, the definition) for every pair of amounts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shareNumber, shareOf } from '../../src/screen/share.js';

const SUPPLY = 9_000_000_000_000_000;
const same = (t: number, b: number) => shareOf(t, b) === shareNumber(BigInt(t), BigInt(b));

describe('shareOf', () => {
  it('is shareNumber at the edges of each path (one division, long division, bigints)', () => {
    const edges = [0, 1, 2, 999, 1000, 4_503_599, 4_503_600, 9_007_199_254_740, 9_007_199_254_741, 10 ** 12, SUPPLY - 1, SUPPLY];
    for (const b of edges) for (const t of edges) expect(same(t, b), `${t} / ${b}`).toBe(true);
    for (const b of edges)
      for (const t of [b - 1, b - 2, Math.floor(b / 3), Math.floor(b / 7) * 3]) if (t >= 0) expect(same(t, b)).toBe(true);
  });
  it('is shareNumber for any amounts up to the supply (property)', () => {
    const amount = fc.oneof(
      fc.integer({ min: 0, max: 10_000_000 }),
      fc.integer({ min: 0, max: 10 ** 13 }),
      fc.integer({ min: 0, max: SUPPLY }),
    );
    fc.assert(
      fc.property(amount, amount, (x, y) => same(Math.min(x, y), Math.max(x, y)) && same(x, y)),
      { numRuns: 50_000 },
    );
  });
});
