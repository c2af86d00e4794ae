/**
 * A text file written as bytes in large chunks (issue 10: the complete CSV lists of millions of rows): numbers, µXEM
 * amounts, hex and plain ASCII text go byte by byte into one buffer, no string per line or field; `take()` hands
 * the buffer over (about `size` bytes, at a line end the caller chooses) for writeChunks (stream.ts) to append.
 * Text that may need escaping is the caller's to make safe first (safe-text.ts); `plain` writes text as it is only
 * when it is plain ASCII of the caller's kind and reports otherwise, so the caller falls back to its rule.
 */
import { xem } from './format.js';

const ZERO = 48;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

export class ByteChunks {
  private buf: Buffer;
  private pos = 0;

  constructor(readonly size = 1 << 21) {
    this.buf = Buffer.allocUnsafe(size + 4096);
  }

  /** Whether the chunk holds `size` bytes or more (time to `take` it). */
  get full(): boolean {
    return this.pos >= this.size;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written since the last take; the writer starts a fresh buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.size + 4096);
    this.pos = 0;
    return out;
  }

  /** Room for n more bytes (the buffer grows when a long row needs it). */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** Bytes as they are. */
  bytes(b: Uint8Array, from = 0, to = b.length): void {
    this.room(to - from);
    const buf = this.buf;
    let p = this.pos;
    for (let i = from; i < to; i++) buf[p++] = b[i];
    this.pos = p;
  }

  /** Text as UTF-8. */
  text(s: string): void {
    this.room(3 * s.length);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /**
   * `s` written as it is when each character passes `ok` (a test of ASCII codes: it must pass only characters that
   * need no escaping); false, and nothing written, when one does not.
   */
  plain(s: string, ok: Uint8Array): boolean {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    const p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127 || ok[c] === 0) return false;
      buf[p + i] = c;
    }
    this.pos = p + n;
    return true;
  }

  /** A non-negative safe integer in decimal (String(n)); other numbers through String. */
  uint(n: number): void {
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) {
      this.text(String(n));
      return;
    }
    this.room(16);
    const buf = this.buf;
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    let x = n;
    do {
      const q = Math.floor(x / 10);
      buf[--p] = ZERO + (x - q * 10);
      x = q;
    } while (x > 0);
  }

  /** µXEM as XEM with six decimals, as format.ts `xem` writes it (a safe non-negative integer without a string). */
  xem(micro: number | bigint): void {
    if (typeof micro !== 'number' || !(micro >= 0 && micro <= Number.MAX_SAFE_INTEGER && Number.isInteger(micro))) {
      this.text(xem(micro));
      return;
    }
    const frac = micro % 1_000_000;
    this.uint((micro - frac) / 1_000_000);
    this.room(7);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = 46; // '.'
    let x = frac;
    for (let i = 6; i >= 1; i--) {
      const q = Math.floor(x / 10);
      buf[p + i] = ZERO + (x - q * 10);
      x = q;
    }
    this.pos = p + 7;
  }

  /** `len` bytes of `b` from `from` as lower-case hex. */
  hex(b: Uint8Array, from: number, len: number): void {
    this.room(2 * len);
    const buf = this.buf;
    let p = this.pos;
    for (let i = from; i < from + len; i++) {
      const v = b[i];
      buf[p++] = HEX[v >>> 4];
      buf[p++] = HEX[v & 15];
    }
    this.pos = p;
  }
}
