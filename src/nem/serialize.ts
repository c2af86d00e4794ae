/**
 * NIS1 binary serialisation of transactions and the NEM transaction hash.
 *
 * The bytes are what NIS signs and hashes: the entity "without signature" (NIS `asNonVerifiable`).
 * Hash = Keccak-256 (original Keccak) of those bytes; for a multisig (4100) the outer hash covers
 * the outer header plus the inner transaction's bytes (cosignatures are not part of it) and the
 * inner hash (`meta.innerHash`, the `otherHash` of every 4098) is the hash of the inner bytes alone.
 *
 * Layout (all integers little-endian; "bytes" = u32 length + data; a null string is u32 0xFFFFFFFF;
 * an absent object is u32 0):
 *   header   type u32 · version u32 · timeStamp u32 · signer bytes(32) · fee u64 · deadline u32
 *   257      recipient bytes(40 ASCII) · amount u64 · message (u32 0 | u32 len · type u32 · payload bytes)
 *            · v2 only: mosaic count u32 · each: u32 len · (u32 len · namespaceId bytes · name bytes) · quantity u64
 *   4100     inner transaction: u32 len · inner bytes
 *   4098     u32 36 · otherHash bytes(32) · otherAccount bytes(40)
 *   4097     count u32 · each: u32 40 · modificationType u32 · cosignatoryAccount bytes(32)
 *            · v2 only: u32 0 | u32 4 · relativeChange i32
 *   2049     mode u32 · remoteAccount bytes(32)
 *   8193     rentalFeeSink bytes(40) · rentalFee u64 · newPart bytes · parent bytes-or-null
 *   16385    u32 len · (creator bytes(32) · mosaic id · description bytes · property count u32
 *            · each: u32 len · name bytes · value bytes · levy (u32 0 | u32 len · type u32 · recipient
 *            bytes(40) · mosaic id · fee u64)) · creationFeeSink bytes(40) · creationFee u64
 *   16386    mosaic id · supplyType u32 · delta u64
 * Checked against the real mainnet transactions of docs/nis1.md §3 (test/nem/serialize.test.ts).
 *
 * A block (NIS `Block`, docs/nis1.md §5) is signed by its harvester over its bytes without the block
 * signature, which hold every transaction WITH its signature (NIS `VerifiableEntity.serialize`):
 *   block    type u32 · version u32 · timeStamp u32 · signer bytes(32) · u32 36 · prevBlockHash bytes(32)
 *            · height u64 · transaction count u32 · each: u32 len · signed transaction
 *   signed   the transaction's header with `signature bytes(64)` after the signer, its fields as above,
 *            and for a 4100 the cosignatures: count u32 · each: u32 len · signed 4098
 * The block hash (the next block's `prevBlockHash`) is Keccak-256 of the same bytes.
 */
import { TracerError } from '../errors.js';
import { keccak256Hex } from './keccak.js';
import { TX_TYPE, type NisTransaction } from './types.js';

const HEX = /^([0-9a-fA-F]{2})*$/;
const ADDRESS = /^[A-Z2-7]{40}$/;

/**
 * Bytes written in place: one growable buffer per top-level call (a module scratch buffer, reused while no other
 * call holds it), nested structures length-patched in place, hex and ASCII written straight in (no intermediate
 * arrays). `finish` copies the bytes out.
 */
class Writer {
  private buf: Buffer;
  length = 0;
  private readonly scratch: boolean;

  constructor() {
    this.scratch = !scratchBusy;
    if (this.scratch) scratchBusy = true;
    this.buf = this.scratch ? scratch : Buffer.allocUnsafe(256);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
    if (this.scratch) scratch = next;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  /** A whole number in [0, 2^53) (every caller's Fields.int bounds it) as u64: two u32 halves, no BigInt. */
  u64(v: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(v % 0x1_0000_0000, this.length);
    this.buf.writeUInt32LE(Math.floor(v / 0x1_0000_0000), this.length + 4);
    this.length += 8;
  }
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }
  bytes(bytes: Uint8Array): void {
    this.u32(bytes.length);
    this.raw(bytes);
  }
  /** `bytes` of a hex string (checked by the caller: an even number of hex digits). */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.u32(n);
    this.ensure(n);
    this.buf.write(hex, this.length, n, 'hex');
    this.length += n;
  }
  /** `bytes` of an ASCII string (checked by the caller). */
  asciiBytes(text: string): void {
    this.u32(text.length);
    this.ensure(text.length);
    this.buf.write(text, this.length, text.length, 'latin1');
    this.length += text.length;
  }
  /** `bytes` of a string as UTF-8 (a lone surrogate as U+FFFD, as TextEncoder does). */
  utf8Bytes(text: string): void {
    const n = Buffer.byteLength(text, 'utf8');
    this.u32(n);
    this.ensure(n);
    this.buf.write(text, this.length, n, 'utf8');
    this.length += n;
  }
  /** A nested structure: u32 length prefix, then what `fill` writes (into this writer; the length patched after). */
  nested(fill: (w: Writer) => void): void {
    this.u32(0);
    const start = this.length;
    fill(this);
    this.buf.writeUInt32LE(this.length - start, start - 4);
  }
  /** The bytes written (a copy). */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    out.set(this.buf.subarray(0, this.length));
    return out;
  }
  /** Done: the scratch buffer is free for the next writer. */
  release(): void {
    if (this.scratch) scratchBusy = false;
  }
}

let scratch = Buffer.allocUnsafe(4096);
let scratchBusy = false;

class Fields {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly path: string,
  ) {}
  private fail(key: string, expected: string): never {
    const got = this.obj[key];
    throw new TracerError(
      'TRACE_MALFORMED_RESPONSE',
      `cannot serialise ${this.path}.${key}: expected ${expected}, ` +
        `got ${got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80)}`,
      {
        details: { path: `${this.path}.${key}` },
      },
    );
  }
  int(key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.fail(key, `an integer in [${min}, ${max}]`);
    return v;
  }
  str(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string') this.fail(key, 'a string');
    return v;
  }
  /** The field as checked hex (`bytes` long when given), for `Writer.hexBytes`. */
  hex(key: string, bytes?: number): string {
    const v = this.obj[key];
    if (typeof v !== 'string' || !HEX.test(v) || (bytes !== undefined && v.length !== bytes * 2))
      this.fail(key, bytes === undefined ? 'hex' : `${bytes * 2} hex digits`);
    return v;
  }
  /** The field as a checked address (40 ASCII characters), for `Writer.asciiBytes`. */
  address(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string' || !ADDRESS.test(v)) this.fail(key, 'a 40-character address');
    return v;
  }
  object(key: string): Fields {
    const v = this.obj[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'an object');
    return new Fields(v as Record<string, unknown>, `${this.path}.${key}`);
  }
  array(key: string): Fields[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) this.fail(key, 'an array');
    return (v as unknown[]).map((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) this.fail(`${key}[${i}]`, 'an object');
      return new Fields(item as Record<string, unknown>, `${this.path}.${key}[${i}]`);
    });
  }
  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }
  isEmptyObject(key: string): boolean {
    const v = this.obj[key];
    return v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
  }
}

/** The bytes NIS signs and hashes (the transaction without its signature). */
export function serializeTransaction(tx: NisTransaction, path = 'transaction'): Uint8Array {
  return written((w) => writeTransaction(w, new Fields(tx, path)));
}

/** What `fill` writes, copied out of a writer (whose scratch buffer is given back even when `fill` throws). */
function written(fill: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  try {
    fill(w);
    return w.finish();
  } finally {
    w.release();
  }
}

/** NEM transaction hash: Keccak-256 of `serializeTransaction(tx)`, 64 lower-case hex. */
export function transactionHash(tx: NisTransaction): string {
  return keccak256Hex(serializeTransaction(tx));
}

/** The inner hash of a 4100 (= `meta.innerHash.data`, = every cosignature's `otherHash`). */
export function innerTransactionHash(multisig: NisTransaction): string {
  if (multisig.type !== TX_TYPE.MULTISIG || typeof multisig.otherTrans !== 'object' || multisig.otherTrans === null) {
    throw new TypeError('innerTransactionHash: not a multisig (4100) transaction with otherTrans');
  }
  return keccak256Hex(serializeTransaction(multisig.otherTrans, 'transaction.otherTrans'));
}

/** A transaction as a block holds it: with its signature and, for a 4100, its signed cosignatures. */
export function serializeSignedTransaction(tx: NisTransaction, path = 'transaction'): Uint8Array {
  return written((w) => writeTransaction(w, new Fields(tx, path), true));
}

/** The bytes a harvester signs: the block (a `/block/at/public` answer) without its own signature. */
export function serializeBlock(block: Record<string, unknown>, path = 'block'): Uint8Array {
  const f = new Fields(block, path);
  return written((w) => writeBlock(w, f));
}

function writeBlock(w: Writer, f: Fields): void {
  w.u32(f.int('type', -0x80000000, 0x7fffffff));
  w.u32(f.int('version', -0x80000000, 0xffffffff));
  w.u32(f.int('timeStamp', 0, 0xffffffff));
  w.hexBytes(f.hex('signer', 32));
  w.nested((h) => h.hexBytes(f.object('prevBlockHash').hex('data', 32)));
  w.u64(f.int('height', 1));
  const txs = f.array('transactions');
  w.u32(txs.length);
  for (const tx of txs) w.nested((tw) => writeTransaction(tw, tx, true));
}

/** NEM block hash: Keccak-256 of `serializeBlock(block)`, 64 lower-case hex. */
export function blockHash(block: Record<string, unknown>): string {
  return keccak256Hex(serializeBlock(block));
}

function writeTransaction(w: Writer, f: Fields, signed = false): void {
  const type = f.int('type', 0, 0xffff);
  const version = f.int('version', -0x80000000, 0xffffffff);
  w.u32(type);
  w.u32(version);
  w.u32(f.int('timeStamp', 0, 0xffffffff));
  w.hexBytes(f.hex('signer', 32));
  if (signed) w.hexBytes(f.hex('signature', 64));
  w.u64(f.int('fee'));
  w.u32(f.int('deadline', 0, 0xffffffff));
  const entityVersion = version & 0xffffff;
  switch (type) {
    case TX_TYPE.TRANSFER:
      return writeTransfer(w, f, entityVersion);
    case TX_TYPE.MULTISIG: {
      w.nested((inner) => writeTransaction(inner, f.object('otherTrans')));
      if (!signed) return;
      const cosignatures = f.array('signatures');
      w.u32(cosignatures.length);
      for (const c of cosignatures) w.nested((cw) => writeTransaction(cw, c, true));
      return;
    }
    case TX_TYPE.MULTISIG_SIGNATURE:
      w.nested((h) => h.hexBytes(f.object('otherHash').hex('data', 32)));
      return w.asciiBytes(f.address('otherAccount'));
    case TX_TYPE.MULTISIG_MODIFICATION:
      return writeAggregateModification(w, f, entityVersion);
    case TX_TYPE.IMPORTANCE_TRANSFER:
      w.u32(f.int('mode', 1, 2));
      return w.hexBytes(f.hex('remoteAccount', 32));
    case TX_TYPE.PROVISION_NAMESPACE:
      w.asciiBytes(f.address('rentalFeeSink'));
      w.u64(f.int('rentalFee'));
      w.utf8Bytes(f.str('newPart'));
      if (f.has('parent')) w.utf8Bytes(f.str('parent'));
      else w.u32(0xffffffff);
      return;
    case TX_TYPE.MOSAIC_DEFINITION:
      w.nested((d) => writeMosaicDefinition(d, f.object('mosaicDefinition')));
      w.asciiBytes(f.address('creationFeeSink'));
      return w.u64(f.int('creationFee'));
    case TX_TYPE.MOSAIC_SUPPLY:
      writeMosaicId(w, f.object('mosaicId'));
      w.u32(f.int('supplyType', 1, 2));
      return w.u64(f.int('delta'));
    default:
      throw new TracerError('TRACE_MALFORMED_RESPONSE', `cannot serialise transaction type ${type}: unknown NIS1 type`, {
        details: { type },
      });
  }
}

function writeTransfer(w: Writer, f: Fields, entityVersion: number): void {
  w.asciiBytes(f.address('recipient'));
  w.u64(f.int('amount'));
  if (f.isEmptyObject('message')) {
    w.u32(0);
  } else {
    const m = f.object('message');
    w.nested((mw) => {
      mw.u32(m.int('type', 1, 2));
      mw.hexBytes(m.hex('payload'));
    });
  }
  if (entityVersion >= 2) {
    const mosaics = f.has('mosaics') ? f.array('mosaics') : [];
    w.u32(mosaics.length);
    for (const mosaic of mosaics) {
      w.nested((mw) => {
        writeMosaicId(mw, mosaic.object('mosaicId'));
        mw.u64(mosaic.int('quantity'));
      });
    }
  }
}

function writeMosaicId(w: Writer, id: Fields): void {
  w.nested((iw) => {
    iw.utf8Bytes(id.str('namespaceId'));
    iw.utf8Bytes(id.str('name'));
  });
}

function writeAggregateModification(w: Writer, f: Fields, entityVersion: number): void {
  const modifications = f.array('modifications');
  w.u32(modifications.length);
  for (const m of modifications) {
    w.nested((mw) => {
      mw.u32(m.int('modificationType', 1, 2));
      mw.hexBytes(m.hex('cosignatoryAccount', 32));
    });
  }
  if (entityVersion >= 2) {
    if (f.isEmptyObject('minCosignatories')) w.u32(0);
    else w.nested((cw) => cw.i32(f.object('minCosignatories').int('relativeChange', -32, 32)));
  }
}

function writeMosaicDefinition(w: Writer, d: Fields): void {
  w.hexBytes(d.hex('creator', 32));
  writeMosaicId(w, d.object('id'));
  w.utf8Bytes(d.str('description'));
  const properties = d.array('properties');
  w.u32(properties.length);
  for (const p of properties) {
    w.nested((pw) => {
      pw.utf8Bytes(p.str('name'));
      pw.utf8Bytes(p.str('value'));
    });
  }
  if (d.isEmptyObject('levy')) {
    w.u32(0);
  } else {
    const levy = d.object('levy');
    w.nested((lw) => {
      lw.u32(levy.int('type', 1, 2));
      lw.asciiBytes(levy.address('recipient'));
      writeMosaicId(lw, levy.object('mosaicId'));
      lw.u64(levy.int('fee'));
    });
  }
}
