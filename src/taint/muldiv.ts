/**
 * Exact floor(a · b / c) on non-negative safe integers held as JavaScript numbers.
 *
 * The haircut (x = floor(t·d/b)) and the fee split (xf = floor(x·fee/d)) need a 106-bit product
 * divided by a 53-bit divisor, exactly, millions of times per pass. Three tiers:
 *  1. the product is below 2^53, so it is exact in a double and so is floor(p / c) (the quotient is
 *     correctly rounded and no integer lies within half an ulp of a non-integer p/c when p < 2^53);
 *  2. otherwise an error-free transform (Dekker's TwoProduct) gives the exact remainder of an
 *     approximate quotient, which is then corrected by ±1 steps — all in doubles, no allocation;
 *  3. when the divisor or remainder is too large for tier 2's guarantees: bigint.
 * Preconditions (callers guarantee, tests prove): a, b, c safe integers ≥ 0, c > 0, a ≤ c,
 * so the result is at most b.
 */

const TWO53 = 9007199254740992;
const TWO52 = 4503599627370496;
const SPLIT = 134217729; // 2^27 + 1

export function mulDivFloor(a: number, b: number, c: number): number {
  const p = a * b;
  if (p < TWO53) return Math.floor(p / c);
  if (c >= TWO52) return mulDivFloorBig(a, b, c);
  let q = Math.floor(p / c);
  // p_exact = p + pl (TwoProduct of a and b)
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = ah * bh - p + ah * bl + al * bh + al * bl;
  // q·c exact = qc + ql
  const qc = q * c;
  t = SPLIT * q;
  const qh = t - (t - q);
  const qlo = q - qh;
  t = SPLIT * c;
  const ch = t - (t - c);
  const cl = c - ch;
  const ql = qh * ch - qc + qh * cl + qlo * ch + qlo * cl;
  // r = p_exact − q·c = (p − qc) + (pl − ql); p − qc is exact (Sterbenz: qc within a factor 2 of p)
  const hi = p - qc;
  const lo = pl - ql;
  if (hi > TWO52 || hi < -TWO52 || lo > TWO52 || lo < -TWO52) return mulDivFloorBig(a, b, c);
  let r = hi + lo; // |r| < 2^53: exact
  if (r > TWO52 || r < -TWO52) return mulDivFloorBig(a, b, c);
  while (r < 0) {
    q -= 1;
    r += c;
  }
  while (r >= c) {
    q += 1;
    r -= c;
  }
  return q;
}

export function mulDivFloorBig(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}
