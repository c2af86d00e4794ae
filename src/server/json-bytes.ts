/**
 * A growing UTF-8 buffer for large JSON answers (POST /v1/screen: ~1.5 MB for 1,000 deposits).
 * Appending each result's text to a Buffer, instead of concatenating one big string, avoids a
 * megabyte-sized string per request (flattened for the Content-Length, encoded again for the
 * socket, and big enough to be allocated in V8's old generation, where only a full collection
 * frees it); the Buffer's memory lives outside the JS heap and goes with its handle.
 */
export class JsonBytes {
  private buf: Buffer;
  private used = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialBytes));
  }

  append(text: string): this {
    // UTF-8 needs at most 3 bytes per UTF-16 unit
    if (this.used + text.length * 3 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + text.length * 3));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    this.used += this.buf.write(text, this.used);
    return this;
  }

  get length(): number {
    return this.used;
  }

  /** The bytes written (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}
