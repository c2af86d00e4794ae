/**
 * A text file written as bytes in large chunks (issue 10: the complete CSV lists of millions of rows): numbers, µXEM
 * amounts, hex and plain ASCII text go byte by byte into one buffer, no string per line or field; `take()` hands
 * the buffer over (about `size` bytes, at a line end the caller chooses) for writeChunks (stream.ts) to append.
 * Text that may need escaping is the caller's to make safe first (safe-text.ts); `plain` writes text as it is only
 * when it is plain ASCII of the caller's kind and reports otherwise, so the caller falls back to its rule.
 *
 * A writer of many short fields per line (transfers.csv) asks `reserve(n)` for the buffer with room for a line's
 * bytes, writes them with the `put…` functions below (each returns the position after what it wrote) and hands the
 * end back with `end(p)`: one bounds check per line, no call per byte.
 */
import { xem } from './format.js';

const ZERO = 48;
/** "00" … "99" as big-endian 16-bit words: the two digits of i. */
const DIGIT_PAIRS = Uint16Array.from({ length: 100 }, (_x, i) => ((ZERO + Math.floor(i / 10)) << 8) | (ZERO + (i % 10)));
/** Byte v's two lower-case hex digits as a big-endian 16-bit word. */
const HEX_PAIRS = Uint16Array.from(
  { length: 256 },
  (_x, v) => ('0123456789abcdef'.charCodeAt(v >>> 4) << 8) | '0123456789abcdef'.charCodeAt(v & 15),
);
/** 10^d for d = 0 … 15 (a safe integer has at most 16 digits). */
const POW10 = Float64Array.from({ length: 16 }, (_x, d) => 10 ** d);
const INT32 = 2 ** 31;

/** A DataView of all of `b` (the put… functions write and copy through views: several bytes a step, any alignment). */
export const viewOf = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Whether `x` is written by the put… functions: a non-negative safe integer (else the caller writes its text). */
export const isCount = (x: number | bigint): x is number =>
  typeof x === 'number' && x >= 0 && x <= Number.MAX_SAFE_INTEGER && Number.isInteger(x);

/** `n` (isCount) in decimal at p, as String(n) writes it; returns the end. */
export function putUint(v: DataView, p: number, n: number): number {
  let d = 1;
  while (d < 16 && n >= POW10[d]) d++;
  const end = p + d;
  let e = end;
  let x = n;
  while (x >= INT32) {
    const q = Math.floor(x / 100);
    e -= 2;
    v.setUint16(e, DIGIT_PAIRS[x - 100 * q]);
    x = q;
  }
  let i = x | 0;
  while (i >= 100) {
    const q = (i / 100) | 0;
    e -= 2;
    v.setUint16(e, DIGIT_PAIRS[i - 100 * q]);
    i = q;
  }
  if (i >= 10) v.setUint16(e - 2, DIGIT_PAIRS[i]);
  else v.setUint8(e - 1, ZERO + i);
  return end;
}

/** µXEM `micro` (isCount) as XEM with six decimals at p, as format.ts `xem` writes it; returns the end. */
export function putXem(v: DataView, p: number, micro: number): number {
  let whole: number;
  let frac: number;
  if (micro < INT32) {
    whole = (micro / 1_000_000) | 0;
    frac = micro - 1_000_000 * whole;
  } else {
    whole = Math.floor(micro / 1_000_000);
    frac = micro - 1_000_000 * whole; // exact below 2^53; the rounded quotient may be one too many
    if (frac < 0) {
      whole -= 1;
      frac += 1_000_000;
    }
  }
  const q = putUint(v, p, whole);
  const a = (frac / 10_000) | 0;
  const rest = frac - 10_000 * a;
  const b = (rest / 100) | 0;
  v.setUint8(q, 46); // '.'
  v.setUint16(q + 1, DIGIT_PAIRS[a]);
  v.setUint16(q + 3, DIGIT_PAIRS[b]);
  v.setUint16(q + 5, DIGIT_PAIRS[rest - 100 * b]);
  return q + 7;
}

/** `len` bytes of `src` from `from` as lower-case hex at p (two bytes, four digits, a step); returns the end. */
export function putHex(v: DataView, p: number, src: DataView, from: number, len: number): number {
  const to = from + len;
  let i = from;
  for (; i + 2 <= to; i += 2, p += 4) {
    const w = src.getUint16(i);
    v.setUint32(p, ((HEX_PAIRS[w >>> 8] << 16) | HEX_PAIRS[w & 255]) >>> 0);
  }
  if (i < to) {
    v.setUint16(p, HEX_PAIRS[src.getUint8(i)]);
    p += 2;
  }
  return p;
}

/** Bytes `from` … `to` − 1 of `src` as they are at p (four a step); returns the end. */
export function putBytes(v: DataView, p: number, src: DataView, from: number, to: number): number {
  let i = from;
  for (; i + 4 <= to; i += 4, p += 4) v.setUint32(p, src.getUint32(i));
  for (; i < to; i++, p++) v.setUint8(p, src.getUint8(i));
  return p;
}

/**
 * `s` as it is at p when each character passes `ok` (a test of ASCII codes: it must pass only characters that need
 * no escaping); returns the end, or −1 (the bytes after p undefined) when one does not. Room for s.length bytes.
 */
export function putPlain(v: DataView, p: number, s: string, ok: Uint8Array): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || ok[c] === 0) return -1;
    v.setUint8(p + i, c);
  }
  return p + n;
}

export class ByteChunks {
  private buf: Buffer;
  /** `buf` as a DataView, for the put… functions. */
  private view: DataView;
  private pos = 0;

  constructor(readonly size = 1 << 21) {
    this.buf = Buffer.allocUnsafe(size + 4096);
    this.view = viewOf(this.buf);
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
    this.view = viewOf(this.buf);
    this.pos = 0;
    return out;
  }

  /** The buffer, with room for n more bytes from `length` on, for the put… functions; `end` takes their end. */
  reserve(n: number): DataView {
    this.room(n);
    return this.view;
  }

  /** The written bytes end at p (what put… functions returned, within the room `reserve` gave). */
  end(p: number): void {
    this.pos = p;
  }

  /** Room for n more bytes (the buffer grows when a long row needs it). */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
    this.view = viewOf(bigger);
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** Bytes as they are. */
  bytes(b: Uint8Array, from = 0, to = b.length): void {
    this.room(to - from);
    this.buf.set(b.subarray(from, to), this.pos);
    this.pos += to - from;
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
    this.room(s.length);
    const p = putPlain(this.view, this.pos, s, ok);
    if (p < 0) return false;
    this.pos = p;
    return true;
  }

  /** A non-negative safe integer in decimal (String(n)); other numbers through String. */
  uint(n: number): void {
    if (!isCount(n)) {
      this.text(String(n));
      return;
    }
    this.room(16);
    this.pos = putUint(this.view, this.pos, n);
  }

  /** µXEM as XEM with six decimals, as format.ts `xem` writes it (a safe non-negative integer without a string). */
  xem(micro: number | bigint): void {
    if (!isCount(micro)) {
      this.text(xem(micro));
      return;
    }
    this.room(23);
    this.pos = putXem(this.view, this.pos, micro);
  }

  /** `len` bytes of `b` from `from` as lower-case hex. */
  hex(b: Uint8Array, from: number, len: number): void {
    this.room(2 * len);
    this.pos = putHex(this.view, this.pos, viewOf(b), from, len);
  }
}
