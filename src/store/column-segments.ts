/**
 * Column segments: the typed columns the taint core sweeps (src/taint/columns.ts), stored packed so a
 * load is a copy of bytes, not a Transfer object per transfer (README "Benchmarks", store; issue 10 item 1). Segment i
 * of the cache (segment-cache.ts) has three column values beside its transfer segment (segments.ts):
 *
 *   c  u8 version (COLUMNS_V), 3 × u8 0, u32 n;  f64 × n amount, f64 × n fee, i32 × n height,
 *      i32 × n timeStamp, u32 × n sender, u32 × n recipient          (sender/recipient: address ids)
 *   h  u8 version, 3 × u8 0, u32 n;  32 B × n hash                   (raw bytes of the 64 hex)
 *   a  u8 version, 3 × u8 0, u32 count;  40 B × count address        (ASCII: the addresses first seen
 *                                                                      in segment i, ids in order)
 *
 * Address ids are dense and global to the store: the order of first appearance in chain order, so the
 * same transfer set always numbers its accounts the same way. All little-endian (SEGMENTS_SUPPORTED).
 * A value that does not decode is TRACE_STORE_CORRUPT naming its key.
 */
import { corrupt } from './records.js';

export const COLUMNS_V = 1;
const HEADER = 8;
/** Bytes per transfer of a `c` value. */
export const COLUMN_BYTES = 32;
const ADDRESS_BYTES = 40;
const ADDRESS_TEXT = /^[A-Z0-9]*$/;

/** The columns of one segment (or of a whole load). */
export interface ColumnSlice {
  amount: Float64Array;
  fee: Float64Array;
  height: Int32Array;
  timeStamp: Int32Array;
  sender: Int32Array | Uint32Array;
  recipient: Int32Array | Uint32Array;
}

function header(n: number, bytes: number): Buffer {
  const buf = Buffer.alloc(HEADER + bytes);
  buf[0] = COLUMNS_V;
  buf.writeUInt32LE(n, 4);
  return buf;
}

function bytesOf(a: ArrayBufferView, n: number, width: number): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, n * width);
}

/** A `c` value for the first n entries of `cols`. */
export function encodeColumns(cols: ColumnSlice, n: number): Buffer {
  const buf = header(n, COLUMN_BYTES * n);
  let o = HEADER;
  for (const [col, width] of [
    [cols.amount, 8],
    [cols.fee, 8],
    [cols.height, 4],
    [cols.timeStamp, 4],
    [cols.sender, 4],
    [cols.recipient, 4],
  ] as const) {
    buf.set(bytesOf(col, n, width), o);
    o += width * n;
  }
  return buf;
}

function checkHeader(buf: Buffer, key: string, per: number): number {
  if (buf.length < HEADER || buf[0] !== COLUMNS_V) throw corrupt(`segment ${key}: not a v${COLUMNS_V} column value`);
  const n = buf.readUInt32LE(4);
  if (buf.length !== HEADER + per * n) throw corrupt(`segment ${key}: ${buf.length} bytes for ${n} entries`);
  return n;
}

/** Entry count of a `c`, `h` or `a` value (after checking its size). */
export function columnsCount(buf: Buffer, key: string): number {
  return checkHeader(buf, key, COLUMN_BYTES);
}

/**
 * Copy a `c` value into `dest` at row `at`; every amount and fee must be a non-negative safe integer,
 * heights and timestamps non-negative, address ids below `accounts`. Returns its row count.
 */
export function decodeColumnsInto(buf: Buffer, key: string, dest: ColumnSlice, at: number, accounts: number): number {
  const n = checkHeader(buf, key, COLUMN_BYTES);
  if (at + n > dest.amount.length) throw corrupt(`segment ${key}: more rows than the stamp counts`);
  let o = HEADER;
  for (const [col, width] of [
    [dest.amount, 8],
    [dest.fee, 8],
    [dest.height, 4],
    [dest.timeStamp, 4],
    [dest.sender, 4],
    [dest.recipient, 4],
  ] as const) {
    new Uint8Array(col.buffer, col.byteOffset + at * width, n * width).set(buf.subarray(o, o + n * width));
    o += width * n;
  }
  const { amount, fee, height, timeStamp, sender, recipient } = dest;
  for (let k = at; k < at + n; k++) {
    const a = amount[k];
    const f = fee[k];
    if (
      !(a >= 0 && a <= Number.MAX_SAFE_INTEGER && Math.floor(a) === a) ||
      !(f >= 0 && f <= Number.MAX_SAFE_INTEGER && Math.floor(f) === f)
    ) {
      throw corrupt(`segment ${key}: row ${k - at} has an amount or fee that is not a non-negative safe integer`);
    }
    if (height[k] < 0 || timeStamp[k] < 0 || sender[k] >>> 0 >= accounts || recipient[k] >>> 0 >= accounts) {
      throw corrupt(`segment ${key}: row ${k - at} has a negative height or time, or an unknown address id`);
    }
  }
  return n;
}

/** An `h` value: the n hashes (64 lower-case hex each) as raw bytes. */
export function encodeHashes(hashes: readonly string[]): Buffer {
  const n = hashes.length;
  const buf = header(n, 32 * n);
  if (n > 0 && buf.write(hashes.join(''), HEADER, 32 * n, 'hex') !== 32 * n) throw new Error('a hash is not 64 hex digits');
  return buf;
}

/** Copy an `h` value into `dest` (32 bytes per row) at row `at`; returns its row count. */
export function decodeHashesInto(buf: Buffer, key: string, dest: Uint8Array, at: number): number {
  const n = checkHeader(buf, key, 32);
  if (32 * (at + n) > dest.length) throw corrupt(`segment ${key}: more rows than the stamp counts`);
  dest.set(buf.subarray(HEADER), 32 * at);
  return n;
}

/** An `a` value: addresses (40 ASCII characters each) in id order. */
export function encodeAddresses(addresses: readonly string[]): Buffer {
  const n = addresses.length;
  const buf = header(n, ADDRESS_BYTES * n);
  if (n > 0 && buf.write(addresses.join(''), HEADER, 'latin1') !== ADDRESS_BYTES * n) throw new Error('an address is not 40 characters');
  return buf;
}

/** Push the addresses of an `a` value onto `out`; returns how many. */
export function decodeAddressesInto(buf: Buffer, key: string, out: string[]): number {
  const n = checkHeader(buf, key, ADDRESS_BYTES);
  const text = buf.toString('latin1', HEADER);
  if (!ADDRESS_TEXT.test(text)) throw corrupt(`segment ${key}: an address is not upper-case base32`);
  for (let i = 0; i < n; i++) out.push(text.slice(ADDRESS_BYTES * i, ADDRESS_BYTES * i + ADDRESS_BYTES));
  return n;
}
