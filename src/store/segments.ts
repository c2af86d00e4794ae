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
 * field, `time` = nemToIso(timeStamp)); a SegmentView reads one field of one row in place, without an
 * object (the store's transfer list, transfer-list.ts); a segment that does not decode is TRACE_STORE_CORRUPT, and
 * the store then falls back to the records. Which segments are current is the store's business
 * (store.ts: the stamp).
 */
import { isAscii } from 'node:buffer';
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
  return new SegmentView(buf, key).pushTransfers(out, windowTo);
}

/**
 * One segment read in place: its structure is checked whole when the view is made (the one home of the rules
 * that make a segment TRACE_STORE_CORRUPT), then row i's fields are read from the bytes without a Transfer object
 * (each equal to the field of the transfer `decodeSegment` makes of row i). Strings are read from the bytes when
 * the text is ASCII or UTF-16LE (fresh strings: nothing kept pins the view), else sliced from the text decoded
 * once. Holds the segment's bytes and a few small per-row tables (string starts, innerHash and mosaic indexes).
 */
export class SegmentView {
  /** Transfers in the segment. */
  readonly n: number;
  private readonly numAt: number;
  private readonly refAt: number;
  private readonly innerAt: number;
  private readonly hashAt: number;
  private readonly textAt: number;
  /** Row i's index among the innerHashes, −1 for none. */
  private readonly innerIndex: Int16Array;
  /** Row i's mosaics are mosaic rows mosaicStart[i] .. mosaicStart[i + 1] (null: the segment moves none). */
  private readonly mosaicStart: Int32Array | null;
  /** String j is code units stringStart[j] .. stringStart[j + 1] of the text. */
  private readonly stringStart: Uint32Array;
  /** Bytes per code unit when strings are read from the bytes (1 ASCII, 2 UTF-16LE); 0: sliced from `text`. */
  private readonly unit: 0 | 1 | 2;
  private readonly text: string | null;
  /** The ISO times of the rows, 24 characters each (made on first use; null when one is outside 0000–9999). */
  private times: string | null | undefined;

  constructor(
    readonly buf: Buffer,
    readonly key: string,
  ) {
    const bad = (why: string) => corrupt(`segment ${key}: ${why}`);
    if (buf.length < HEADER || buf[0] !== SEGMENT_V || buf[1] > 1) throw bad(`not a v${SEGMENT_V} segment`);
    const n = buf.readUInt32LE(2);
    const s = buf.readUInt32LE(6);
    const m = buf.readUInt32LE(10);
    if (n > SEGMENT_SIZE || m > 1e8 || s > 4 * n + 3 * m) throw bad('impossible counts');
    const fixed = HEADER + 8 * NUM_COLS * n + 4 * (5 * n + 3 * m) + n + 32 * n + 4 * s;
    if (buf.length < fixed) throw bad('truncated');
    this.n = n;
    this.numAt = HEADER;
    this.refAt = HEADER + 8 * NUM_COLS * n;
    const num = this.numbers();
    for (let i = 0; i < num.length; i++) {
      const x = num[i];
      if (!Number.isSafeInteger(x) || x < 0) throw bad('a numeric field is not a non-negative safe integer');
    }
    const refs = this.refs(m);
    let mosaicTotal = 0;
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i];
      if (i >= 4 * n && i < 5 * n) mosaicTotal += r;
      else if (r >= s && !(r === NULL_REF && i >= 3 * n && i < 4 * n)) throw bad('string index out of range');
    }
    if (mosaicTotal !== m) throw bad('mosaic counts disagree');
    this.mosaicStart = m === 0 ? null : new Int32Array(n + 1);
    if (this.mosaicStart !== null) for (let k = 0; k < n; k++) this.mosaicStart[k + 1] = this.mosaicStart[k] + refs[4 * n + k];
    const flagAt = this.refAt + 4 * refs.length;
    this.innerIndex = new Int16Array(n);
    let inner = 0;
    for (let k = 0; k < n; k++) {
      const f = buf[flagAt + k];
      if (f > 1) throw bad('bad innerHash flag');
      this.innerIndex[k] = f === 1 ? inner++ : -1;
    }
    if (buf.length < fixed + 32 * inner) throw bad('truncated');
    this.hashAt = flagAt + n;
    this.innerAt = this.hashAt + 32 * n;
    const lenAt = this.innerAt + 32 * inner;
    this.textAt = lenAt + 4 * s;
    const textBytes = buf.length - this.textAt;
    this.unit = buf[1] === 1 ? 2 : isAscii(buf.subarray(this.textAt)) ? 1 : 0;
    this.text = this.unit === 0 ? buf.toString('utf8', this.textAt) : null;
    const units = this.text !== null ? this.text.length : Math.floor(textBytes / this.unit);
    this.stringStart = new Uint32Array(s + 1);
    let p = 0;
    for (let i = 0; i < s; i++) {
      const len = buf.readUInt32LE(lenAt + 4 * i);
      if (p + len > units) throw bad('truncated string table');
      p += len;
      this.stringStart[i + 1] = p;
    }
    if (p !== units) throw bad('string table length disagrees');
  }

  /** Row i's `message`. */
  messageAt(i: number): string | null {
    const r = this.buf.readUInt32LE(this.refAt + 4 * (3 * this.n + i));
    return r === NULL_REF ? null : this.string(r);
  }

  messageTypeAt(i: number): number {
    return this.buf.readDoubleLE(this.numAt + 8 * (4 * this.n + i));
  }

  innerHashAt(i: number): string | null {
    const j = this.innerIndex[i];
    return j < 0 ? null : this.buf.toString('hex', this.innerAt + 32 * j, this.innerAt + 32 * j + 32);
  }

  typeAt(i: number): number {
    return this.buf.readDoubleLE(this.numAt + 8 * (5 * this.n + i));
  }

  timeAt(i: number): string {
    if (this.times === undefined) this.times = isoTimes(this.numbers().subarray(this.n, 2 * this.n));
    return this.times === null ? nemToIso(this.buf.readDoubleLE(this.numAt + 8 * (this.n + i))) : this.times.slice(24 * i, 24 * i + 24);
  }

  mosaicsAt(i: number): MovedMosaic[] {
    const out: MovedMosaic[] = [];
    if (this.mosaicStart === null) return out;
    const first = this.refAt + 4 * 5 * this.n;
    for (let j = this.mosaicStart[i]; j < this.mosaicStart[i + 1]; j++) {
      const q = first + 12 * j;
      const ref = (x: number) => this.string(this.buf.readUInt32LE(q + 4 * x));
      out.push({ namespaceId: ref(0), name: ref(1), quantity: ref(2) });
    }
    return out;
  }

  signerAt(i: number): string {
    return this.string(this.buf.readUInt32LE(this.refAt + 4 * (2 * this.n + i)));
  }

  /** Push the transfers with timeStamp < windowTo (all when null) onto `out`, as objects; returns n. */
  pushTransfers(out: Transfer[], windowTo: number | null = null): number {
    const { n, buf } = this;
    const num = this.numbers();
    const refs = this.refs(this.mosaicStart === null ? 0 : this.mosaicStart[n]);
    // Every string, sliced out of the text decoded once; hashes and times sliced out of one string per segment too
    // (V8 keeps slices of the flat parent): one native call per segment instead of one per transfer.
    const table = this.text ?? buf.toString(this.unit === 2 ? 'utf16le' : 'latin1', this.textAt);
    const strings = new Array<string>(this.stringStart.length - 1);
    for (let j = 0; j < strings.length; j++) strings[j] = table.slice(this.stringStart[j], this.stringStart[j + 1]);
    const hashes = buf.toString('hex', this.hashAt, this.hashAt + 32 * n);
    const times = isoTimes(num.subarray(n, 2 * n));
    let mosaic = 0;
    for (let k = 0; k < n; k++) {
      const mc = refs[4 * n + k];
      const timeStamp = num[n + k];
      if (windowTo !== null && !(timeStamp < windowTo)) {
        mosaic += mc;
        continue;
      }
      const mosaics: MovedMosaic[] = [];
      for (let j = 0; j < mc; j++, mosaic++) {
        const q = 5 * n + 3 * mosaic;
        mosaics.push({ namespaceId: strings[refs[q]], name: strings[refs[q + 1]], quantity: strings[refs[q + 2]] });
      }
      const msg = refs[3 * n + k];
      out.push({
        hash: hashes.slice(64 * k, 64 * k + 64),
        innerHash: this.innerHashAt(k),
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

  private string(j: number): string {
    const a = this.stringStart[j];
    const b = this.stringStart[j + 1];
    if (this.text !== null) return this.text.slice(a, b);
    const u = this.unit;
    return this.buf.toString(u === 1 ? 'latin1' : 'utf16le', this.textAt + u * a, this.textAt + u * b);
  }

  /** An aligned copy of the numeric columns (a Buffer from LevelDB need not be aligned). */
  private numbers(): Float64Array {
    const num = new Float64Array(NUM_COLS * this.n);
    new Uint8Array(num.buffer).set(this.buf.subarray(this.numAt, this.numAt + num.byteLength));
    return num;
  }

  /** An aligned copy of the index columns: sender, recipient, signer, message, mosaic count (n each), 3m mosaic refs. */
  private refs(m: number): Uint32Array {
    const refs = new Uint32Array(5 * this.n + 3 * m);
    new Uint8Array(refs.buffer).set(this.buf.subarray(this.refAt, this.refAt + refs.byteLength));
    return refs;
  }
}

const DIGITS = 0x30;
/** Last Unix second whose ISO form is `YYYY-MM-DDTHH:MM:SS.000Z` (year 9999). */
const MAX_4_DIGIT_YEAR = 253_402_300_799;

/**
 * `nemToIso` of the timeStamps, concatenated (24 characters each), built byte by byte with one Date per distinct
 * day; null when one falls outside years 0000–9999.
 */
function isoTimes(stamps: Float64Array): string | null {
  const n = stamps.length;
  const out = Buffer.allocUnsafe(24 * n);
  let lastDay = -1;
  const prefix = Buffer.alloc(11);
  for (let k = 0; k < n; k++) {
    const unix = stamps[k] + NEM_EPOCH_UNIX;
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
