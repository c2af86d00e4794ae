/**
 * The hashes an import has seen, with the height each came at, in bounded memory (16 bytes a slot,
 * open addressing, load ≤ 3/4: ~20 bytes per transfer instead of ~150 for a Map of hex strings).
 * A hash is keyed by its first 96 bits: two different transactions sharing them (2^48 work to forge,
 * and both must verify) would be reported as a conflict, never silently merged.
 */
const WORDS = 4;

export class SeenHashes {
  private table = new Uint32Array(WORDS * 1024);
  private mask = 1023;
  size = 0;

  /**
   * Remember `hash` (64 lower-case hex) at `height` (≥ 1). Returns 0 when it is new, else the height
   * it was first seen at (equal to `height` for a plain repeat).
   */
  add(hash: string, height: number): number {
    return this.put(
      parseInt(hash.slice(0, 8), 16) >>> 0,
      parseInt(hash.slice(8, 16), 16) >>> 0,
      parseInt(hash.slice(16, 24), 16) >>> 0,
      height,
    );
  }

  private put(a: number, b: number, c: number, height: number): number {
    const t = this.table;
    let i = (Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) ^ c) & this.mask;
    for (;;) {
      const o = WORDS * i;
      const h = t[o + 3];
      if (h === 0) break;
      if (t[o] === a && t[o + 1] === b && t[o + 2] === c) return h;
      i = (i + 1) & this.mask;
    }
    const o = WORDS * i;
    t[o] = a;
    t[o + 1] = b;
    t[o + 2] = c;
    t[o + 3] = height;
    if (++this.size * 4 > (this.mask + 1) * 3) this.grow();
    return 0;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.size = 0;
    for (let o = 0; o < old.length; o += WORDS) if (old[o + 3] !== 0) this.put(old[o], old[o + 1], old[o + 2], old[o + 3]);
  }
}
