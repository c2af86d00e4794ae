/**
 * Append-only growable typed arrays for the sweep's sparse logs (tainted transfers, history), and the one growth rule
 * they and the taint index's packer (src/screen/pack.ts) share: `withRoom`.
 */

/**
 * `data` with room for `n` values past its first `length`: itself when they fit, else a copy of those `length` values
 * in an array of the same kind twice as long (or more, until they fit).
 */
export function withRoom<T extends Int32Array | Float64Array>(data: T, length: number, n: number): T {
  if (length + n <= data.length) return data;
  let size = Math.max(1, data.length * 2);
  while (size < length + n) size *= 2;
  const next = (data instanceof Int32Array ? new Int32Array(size) : new Float64Array(size)) as T;
  next.set(data.subarray(0, length));
  return next;
}

export class GrowI32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
  /** Room for `n` more values (a writer may then fill `data` from `length` on and move `length` itself). */
  reserve(n: number): void {
    this.data = withRoom(this.data, this.length, n);
  }
  get byteLength(): number {
    return this.data.byteLength;
  }
}

export class GrowF64 {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
  /** Room for `n` more values (a writer may then fill `data` from `length` on and move `length` itself). */
  reserve(n: number): void {
    this.data = withRoom(this.data, this.length, n);
  }
  get byteLength(): number {
    return this.data.byteLength;
  }
}
