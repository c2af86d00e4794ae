/**
 * Addresses in cmpStr's order (UTF-16 code units) fast (issue 10: accounts.csv lists every account of a trace, a
 * million at 8M transfers, and a comparator sort of 40-character strings spends most of its time in the calls): a
 * radix sort of the indices on 12 characters — the first 12 after the prefix all the addresses share (the network
 * letter; a synthetic chain's fixed bytes) — when those are base32 characters (NEM addresses are), each its rank in
 * code-unit order (5 bits); then any run whose 12 characters agree is sorted by the whole string. Any other list is
 * sorted by comparator.
 */
import { cmpStr } from '../domain.js';

/** Rank of a base32 character among them in code-unit order ('2' < … < '7' < 'A' < … < 'Z'); −1 for any other code. */
const RANK = new Int8Array(128).fill(-1);
for (const [i, c] of [...'234567ABCDEFGHIJKLMNOPQRSTUVWXYZ'].entries()) RANK[c.charCodeAt(0)] = i;

const DIGIT = 15; // bits per radix pass
const PREFIX = 12; // characters in the keys: 6 × 5 bits per key word

/** The indices 0..n−1 of `xs` ordered by `xs[i]` (cmpStr's order; equal strings in any order). */
export function addressOrder(xs: readonly string[]): Int32Array {
  const n = xs.length;
  const order = Int32Array.from({ length: n }, (_x, i) => i);
  const byString = (x: number, y: number): number => cmpStr(xs[x], xs[y]);
  if (n === 0) return order;
  // the prefix every string shares: the keys start after it
  let shared = xs[0].length;
  for (let i = 1; i < n && shared > 0; i++) {
    const s = xs[i];
    let j = 0;
    while (j < shared && j < s.length && s.charCodeAt(j) === xs[0].charCodeAt(j)) j++;
    shared = j;
  }
  const hi = new Int32Array(n);
  const lo = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = xs[i];
    if (s.length < shared + PREFIX) return order.sort(byString);
    let h = 0;
    let l = 0;
    for (let j = 0; j < PREFIX; j++) {
      const c = s.charCodeAt(shared + j);
      const r = c < 128 ? RANK[c] : -1;
      if (r < 0) return order.sort(byString);
      if (j < PREFIX / 2) h = (h << 5) | r;
      else l = (l << 5) | r;
    }
    hi[i] = h;
    lo[i] = l;
  }
  // least significant digit first: lo's two 15-bit digits, then hi's (each pass stable)
  let from = order;
  let to = new Int32Array(n);
  const count = new Int32Array((1 << DIGIT) + 1);
  for (const [key, shift] of [
    [lo, 0],
    [lo, DIGIT],
    [hi, 0],
    [hi, DIGIT],
  ] as const) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((key[from[i]] >>> shift) & 0x7fff) + 1]++;
    for (let d = 1; d <= 1 << DIGIT; d++) count[d] += count[d - 1];
    for (let i = 0; i < n; i++) {
      const x = from[i];
      to[count[(key[x] >>> shift) & 0x7fff]++] = x;
    }
    [from, to] = [to, from];
  }
  // addresses whose 12 key characters agree: by the whole string
  for (let s = 0; s < n;) {
    let e = s + 1;
    while (e < n && hi[from[e]] === hi[from[s]] && lo[from[e]] === lo[from[s]]) e++;
    if (e - s > 1) from.subarray(s, e).sort(byString);
    s = e;
  }
  return from;
}
