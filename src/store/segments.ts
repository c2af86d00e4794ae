/**
 * Packed transfer segments (one stored value per 4,096 transfers loads ~50–100× faster — README "Benchmarks", store —
 * than one record per transfer). A segment is a derived copy of up to SEGMENT_SIZE consecutive
 * transfers in chain order, in a compact little-endian binary layout:
 *
 *   u8  version (SEGMENT_V)        u8 table encoding (0 UTF-8, 1 UTF-16LE)          u32 n (transfers)   u32 s (strings)   u32 m (mosaics)
 *   f64 × n  height, timeStamp, amount, fee, messageType, type        (one column each)
 *   u32 × n  sender, recipient, signer                                 (string-table indexes)
 *   u32 × n  message                                                   (string index, NULL_REF = null)
 *   u32 × n  mosaic count;  u32 × 3m  namespaceId, name, quantity      (string indexes, in order)
 *   u8  × n  1 = has innerHash
 *   32 B × n hash;  32 B × (number of innerHashes)  innerHash          (raw bytes of the 64 hex)
 *   u32 × s  string lengths (UTF-16 code units)
 *   text     the strings, concatenated: UTF-8, or UTF-16LE when one is not well-formed (byte 1 = 1)
 *
 * Decoding yields exactly the Transfer objects `decodeTransfer` yields from the records (field for
 * field, `time` = nemToIso(timeStamp)); a segment that does not decode is TRACE_STORE_CORRUPT, and
 * the store then falls back to the records. Which segments are current is the store's business
 * (store.ts: the stamp).
 */
import { NEM_EPOCH_UNIX, nemToIso, type MovedMosaic, type Transfer } from '../nem/index.js';
import { corrupt } from './records.js';

/** Transfers per segment. */
export const SEGMENT_SIZE = 4096;
/** Layout version (first byte of a segment). */
export const SEGMENT_V = 1;

/** Columns are copied to and from typed arrays, which use the host's byte order: segments need a little-endian host. */
export const SEGMENTS_SUPPORTED = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const NULL_REF = 0xffffffff;
const HEADER = 14;
const NUM_COLS = 6;
/** A string UTF-8 cannot carry unchanged (String.prototype.isWellFormed is not in lib ES2022). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Encode `transfers` (at most SEGMENT_SIZE, already validated records) as one segment. */
export function encodeSegment(transfers: readonly Transfer[]): Buffer {
  const n = transfers.length;
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  let m = 0;
  let inner = 0;
  for (const t of transfers) {
    m += t.mosaics.length;
    if (t.innerHash !== null) inner++;
  }
  const num = new Float64Array(NUM_COLS * n);
  const refs = new Uint32Array(5 * n + 3 * m); // sender, recipient, signer, message, mosaic count (n each), mosaic refs
  const flags = new Uint8Array(n);
  let mi = 5 * n;
  const hashes: string[] = [];
  const innerHashes: string[] = [];
  transfers.forEach((t, k) => {
    num[k] = t.height;
    num[n + k] = t.timeStamp;
    num[2 * n + k] = t.amount;
    num[3 * n + k] = t.fee;
    num[4 * n + k] = t.messageType;
    num[5 * n + k] = t.type;
    refs[k] = ref(t.sender);
    refs[n + k] = ref(t.recipient);
    refs[2 * n + k] = ref(t.signer);
    refs[3 * n + k] = t.message === null ? NULL_REF : ref(t.message);
    refs[4 * n + k] = t.mosaics.length;
    for (const x of t.mosaics) {
      refs[mi++] = ref(x.namespaceId);
      refs[mi++] = ref(x.name);
      refs[mi++] = ref(x.quantity);
    }
    hashes.push(t.hash);
    if (t.innerHash !== null) {
      flags[k] = 1;
      innerHashes.push(t.innerHash);
    }
  });
  // One text for the whole table (lengths in UTF-16 code units): UTF-8 unless a string is not
  // well-formed (a lone surrogate would not survive UTF-8), then UTF-16LE.
  const table = strings.join('');
  const encoding = LONE_SURROGATE.test(table) ? 'utf16le' : 'utf8';
  const lens = new Uint32Array(strings.length);
  strings.forEach((s, i) => {
    lens[i] = s.length;
  });
  const stringBytes = Buffer.byteLength(table, encoding);
  const size = HEADER + 8 * NUM_COLS * n + 4 * refs.length + n + 32 * (n + inner) + 4 * strings.length + stringBytes;
  const buf = Buffer.alloc(size);
  let o = 0;
  o = buf.writeUInt8(SEGMENT_V, o);
  o = buf.writeUInt8(encoding === 'utf8' ? 0 : 1, o);
  o = buf.writeUInt32LE(n, o);
  o = buf.writeUInt32LE(strings.length, o);
  o = buf.writeUInt32LE(m, o);
  for (const col of [num, refs, flags]) {
    buf.set(new Uint8Array(col.buffer, col.byteOffset, col.byteLength), o);
    o += col.byteLength;
  }
  o += writeHashes(buf, hashes, o);
  o += writeHashes(buf, innerHashes, o);
  buf.set(new Uint8Array(lens.buffer), o);
  o += lens.byteLength;
  o += buf.write(table, o, encoding);
  if (o !== size) throw new Error(`segment encoder wrote ${o} of ${size} bytes`);
  return buf;
}

/** The 64-hex hashes as raw bytes at `o`, in one native call. */
function writeHashes(buf: Buffer, hashes: readonly string[], o: number): number {
  const bytes = 32 * hashes.length;
  if (bytes > 0 && buf.write(hashes.join(''), o, bytes, 'hex') !== bytes) throw new Error('a hash is not 64 hex digits');
  return bytes;
}

/** The number of transfers a segment says it holds (its header only; TRACE_STORE_CORRUPT when that is not one). */
export function packedCount(buf: Buffer, key: string): number {
  if (buf.length < HEADER || buf[0] !== SEGMENT_V || buf[1] > 1) throw corrupt(`segment ${key}: not a v${SEGMENT_V} segment`);
  return buf.readUInt32LE(2);
}

/**
 * Decode one segment, pushing its transfers with timeStamp < windowTo (all when null) onto `out`.
 * Returns the number of transfers in the segment. TRACE_STORE_CORRUPT (naming `key`) when the bytes
 * are not a well-formed segment.
 */
export function decodeSegment(buf: Buffer, key: string, out: Transfer[], windowTo: number | null = null): number {
  const bad = (why: string) => corrupt(`segment ${key}: ${why}`);
  if (buf.length < HEADER || buf[0] !== SEGMENT_V || buf[1] > 1) throw bad(`not a v${SEGMENT_V} segment`);
  const n = buf.readUInt32LE(2);
  const s = buf.readUInt32LE(6);
  const m = buf.readUInt32LE(10);
  if (n > SEGMENT_SIZE || m > 1e8 || s > 4 * n + 3 * m) throw bad('impossible counts');
  const fixed = HEADER + 8 * NUM_COLS * n + 4 * (5 * n + 3 * m) + n + 32 * n + 4 * s;
  if (buf.length < fixed) throw bad('truncated');
  // Aligned copies of the numeric and index columns (a Buffer from LevelDB need not be aligned).
  const num = new Float64Array(NUM_COLS * n);
  let o = HEADER;
  new Uint8Array(num.buffer).set(buf.subarray(o, o + 8 * NUM_COLS * n));
  o += 8 * NUM_COLS * n;
  const refs = new Uint32Array(5 * n + 3 * m); // sender, recipient, signer, message, mosaic count (n each), mosaic refs
  new Uint8Array(refs.buffer).set(buf.subarray(o, o + 4 * refs.length));
  o += 4 * refs.length;
  for (let i = 0; i < num.length; i++) {
    const x = num[i];
    if (!Number.isSafeInteger(x) || x < 0) throw bad('a numeric field is not a non-negative safe integer');
  }
  let mosaicTotal = 0;
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    if (i >= 4 * n && i < 5 * n) mosaicTotal += r;
    else if (r >= s && !(r === NULL_REF && i >= 3 * n && i < 4 * n)) throw bad('string index out of range');
  }
  if (mosaicTotal !== m) throw bad('mosaic counts disagree');
  const innerCol = o;
  o += n;
  let inner = 0;
  for (let k = 0; k < n; k++) {
    const f = buf[innerCol + k];
    if (f > 1) throw bad('bad innerHash flag');
    inner += f;
  }
  if (buf.length < fixed + 32 * inner) throw bad('truncated');
  const hashCol = o;
  o += 32 * n;
  const innerHashCol = o;
  o += 32 * inner;
  const lenCol = o;
  o += 4 * s;
  const table = buf.toString(buf[1] === 0 ? 'utf8' : 'utf16le', o);
  const strings = new Array<string>(s);
  let p = 0;
  for (let i = 0; i < s; i++) {
    const len = buf.readUInt32LE(lenCol + 4 * i);
    if (p + len > table.length) throw bad('truncated string table');
    strings[i] = table.slice(p, p + len);
    p += len;
  }
  if (p !== table.length) throw bad('string table length disagrees');
  // Hashes and times are sliced out of one string per segment (V8 keeps slices of the flat parent):
  // one native call per segment instead of one per transfer.
  const hashes = buf.toString('hex', hashCol, hashCol + 32 * n);
  const innerHashes = buf.toString('hex', innerHashCol, innerHashCol + 32 * inner);
  const times = isoTimes(num, n);
  let mosaic = 0;
  let innerAt = 0;
  for (let k = 0; k < n; k++) {
    const mc = refs[4 * n + k];
    const hasInner = buf[innerCol + k] === 1;
    const timeStamp = num[n + k];
    if (windowTo !== null && !(timeStamp < windowTo)) {
      mosaic += mc;
      if (hasInner) innerAt++;
      continue;
    }
    const mosaics: MovedMosaic[] = [];
    for (let j = 0; j < mc; j++, mosaic++) {
      const q = 5 * n + 3 * mosaic;
      mosaics.push({ namespaceId: strings[refs[q]], name: strings[refs[q + 1]], quantity: strings[refs[q + 2]] });
    }
    let innerHash: string | null = null;
    if (hasInner) {
      innerHash = innerHashes.slice(64 * innerAt, 64 * innerAt + 64);
      innerAt++;
    }
    const msg = refs[3 * n + k];
    out.push({
      hash: hashes.slice(64 * k, 64 * k + 64),
      innerHash,
      height: num[k],
      timeStamp,
      time: times === null ? nemToIso(timeStamp) : times.slice(24 * k, 24 * k + 24),
      sender: strings[refs[k]],
      recipient: strings[refs[n + k]],
      amount: num[2 * n + k],
      fee: num[3 * n + k],
      message: msg === NULL_REF ? null : strings[msg],
      messageType: num[4 * n + k],
      mosaics,
      type: num[5 * n + k],
      signer: strings[refs[2 * n + k]],
    });
  }
  return n;
}

const DIGITS = 0x30;
/** Last Unix second whose ISO form is `YYYY-MM-DDTHH:MM:SS.000Z` (year 9999). */
const MAX_4_DIGIT_YEAR = 253_402_300_799;

/**
 * `nemToIso` of the n timeStamps (the second column of `num`), concatenated (24 characters each), built
 * byte by byte with one Date per distinct day; null when one falls outside years 0000–9999.
 */
function isoTimes(num: Float64Array, n: number): string | null {
  const out = Buffer.allocUnsafe(24 * n);
  let lastDay = -1;
  const prefix = Buffer.alloc(11);
  for (let k = 0; k < n; k++) {
    const unix = num[n + k] + NEM_EPOCH_UNIX;
    if (unix > MAX_4_DIGIT_YEAR) return null;
    const day = Math.floor(unix / 86_400);
    if (day !== lastDay) {
      lastDay = day;
      prefix.write(new Date(day * 86_400_000).toISOString().slice(0, 11), 'latin1'); // YYYY-MM-DDT
    }
    const o = 24 * k;
    for (let i = 0; i < 11; i++) out[o + i] = prefix[i];
    let sec = unix - day * 86_400;
    const h = Math.floor(sec / 3600);
    sec -= h * 3600;
    const m = Math.floor(sec / 60);
    sec -= m * 60;
    out[o + 11] = DIGITS + Math.floor(h / 10);
    out[o + 12] = DIGITS + (h % 10);
    out[o + 13] = 0x3a;
    out[o + 14] = DIGITS + Math.floor(m / 10);
    out[o + 15] = DIGITS + (m % 10);
    out[o + 16] = 0x3a;
    out[o + 17] = DIGITS + Math.floor(sec / 10);
    out[o + 18] = DIGITS + (sec % 10);
    out[o + 19] = 0x2e; // .000Z
    out[o + 20] = DIGITS;
    out[o + 21] = DIGITS;
    out[o + 22] = DIGITS;
    out[o + 23] = 0x5a;
  }
  return out.toString('latin1');
}
