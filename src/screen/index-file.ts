/**
 * The taint index as one file beside the store's LevelDB files (layout @5, issue 10 item 3): the packed arrays of
 * packed.ts and the packed messages (messages.ts) written once, sequentially, and read back into one piece of memory
 * — no LevelDB write-ahead log, no compaction, no record per array, nothing to decode.
 *
 * The file (`<name>.<generation>.tti` in the store's directory; LevelDB ignores names it does not own):
 *
 *     "tt-idx@5"                     8 bytes
 *     header length                  4 bytes, little-endian; then 4 zero bytes
 *     header                         JSON (UTF-8): schema, manifest, policies, exit categories, asOf, labels,
 *                                    counts, covered, amounts outside the safe range, and `arrays`: each packed
 *                                    array's [name, element type, byte length] in file order
 *     zero bytes to a multiple of 8
 *     each array's raw bytes (little-endian, as the typed arrays hold them), each followed by zero bytes to a
 *     multiple of 8 — the last ones the messages' (msgRows, msgEnd, msgBytes)
 *
 * Layout @4, still read, is the same file starting "tt-idx@4", with the transfer messages after the arrays as JSON (an
 * array of strings and nulls, one per transfer) instead of the message arrays.
 *
 * Every byte belongs to one of these, in this order, so the file's length follows from its header. The store's
 * record for the index (index-store.ts, the sublevel's `meta`) names the file and holds its length and CRC-32, and is
 * written only after the file is complete, flushed to disk and renamed into place: a reader finds the old index or
 * the new one, never a mix (see saveTaintIndex). Reading checks the length, then the CRC-32 of every byte, then the
 * header, then that the arrays fit together (packed.ts checkPacked) — any difference is TRACE_STORE_CORRUPT and
 * nothing of the file is used.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync, type PathLike } from 'node:fs';
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

const MAGIC = Buffer.from('tt-idx@5', 'latin1');
/** Layout @4's first bytes: its messages follow the arrays as JSON. */
const MAGIC_V4 = Buffer.from('tt-idx@4', 'latin1');
const PREFIX = 16;
/** Writes go in pieces of this size (a single read or write is limited to 2 GiB). */
const PIECE = 64 << 20;
/** Reads go in pieces of this size: small enough that checksumming one overlaps reading the next over most of a file. */
const READ_PIECE = 8 << 20;
/** A header longer than this is not one this module wrote (labels and manifest are small; 64 MiB is generous). */
const MAX_HEADER = 64 << 20;

export const ARRAY_TYPES = { Int32Array, Uint8Array, Float64Array } as const;
export type ArrayTypeName = keyof typeof ARRAY_TYPES;
type Typed = InstanceType<(typeof ARRAY_TYPES)[ArrayTypeName]>;

/** What a file's header says besides its arrays (index-store.ts fills and checks it). */
export type FileHeader = Record<string, unknown> & { arrays: [string, string, number][] };

/** What the store's record says of the file. */
export interface FileFacts {
  bytes: number;
  crc32: number;
}

const pad8 = (n: number): number => (8 - (n % 8)) % 8;
const ZEROS = Buffer.alloc(8);

/**
 * Writes the index file at `path` (created or replaced) and flushes it to disk before returning its facts. The caller
 * writes to a temporary name and renames (`publishFile`): a file at its final name is always whole.
 */
export function writeIndexFile(path: string, header: Omit<FileHeader, 'arrays'>, arrays: [string, ArrayBufferView][]): FileFacts {
  const list: [string, string, number][] = arrays.map(([name, a]) => [name, a.constructor.name, a.byteLength]);
  const head = Buffer.from(JSON.stringify({ ...header, arrays: list }), 'utf8');
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(head.length, 8);
  const fd = openSync(path, 'w');
  let crc = 0;
  let bytes = 0;
  const put = (b: Uint8Array): void => {
    for (let at = 0; at < b.length; at += PIECE) {
      const piece = b.subarray(at, Math.min(b.length, at + PIECE));
      let done = 0;
      while (done < piece.length) done += writeSync(fd, piece, done, piece.length - done);
      crc = crc32(piece, crc);
    }
    bytes += b.length;
  };
  try {
    put(prefix);
    put(head);
    put(ZEROS.subarray(0, pad8(bytes)));
    for (const [, a] of arrays) {
      put(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      put(ZEROS.subarray(0, pad8(bytes)));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { bytes, crc32: crc >>> 0 };
}

/** Renames a written file into place and flushes the directory entry, so the rename survives a crash too. */
export function publishFile(from: string, to: string, dir: PathLike): void {
  renameSync(from, to);
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A file that is not what its record says: the reason (index-store.ts makes it TRACE_STORE_CORRUPT). */
export class IndexFileError extends Error {}

/**
 * Reads an index file the store's record describes: its layout (5, or 4), its header, the arrays, and with layout @4
 * the messages' JSON — after checking the length and the CRC-32 of every byte. Structural checks are the caller's.
 *
 * The arrays are views of one piece of memory, allocated once for all of them and read into in file order (each array
 * starts at a multiple of 8 in the file, so at one in that memory): one allocation of external memory rather than one
 * per array — V8 answers each large one with garbage collections (at 1M accounts, more CPU than the reading) — and no
 * copy. While one part of the file is being read (by libuv's threads), the part before it is CRC-checked.
 */
export async function readIndexFile(
  path: string,
  facts: FileFacts,
): Promise<{ layout: 4 | 5; header: FileHeader; arrays: Map<string, Typed>; messages?: unknown }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size !== facts.bytes) throw new IndexFileError(`is ${size} bytes, its record says ${facts.bytes}`);
    let at = 0;
    let crc = 0;
    const piece = async (into: Uint8Array, done: number): Promise<number> => {
      const { bytesRead } = await file.read(into, done, Math.min(READ_PIECE, into.length - done), at + done);
      if (bytesRead === 0) throw new IndexFileError(`ends at byte ${at + done}`);
      return bytesRead;
    };
    /** Fills `into` from the file at `at` (then past it), checksumming each piece while the next one is read. */
    const read = async (into: Uint8Array): Promise<void> => {
      let next = into.length > 0 ? piece(into, 0) : null;
      for (let done = 0; next !== null;) {
        const end = done + (await next);
        next = end < into.length ? piece(into, end) : null;
        crc = crc32(into.subarray(done, end), crc);
        done = end;
      }
      at += into.length;
    };
    const bounded = (n: number, what: string): number => {
      if (!Number.isSafeInteger(n) || n < 0 || at + n > size) throw new IndexFileError(`${what} runs past the end (${n} bytes at ${at})`);
      return n;
    };
    const prefix = Buffer.alloc(PREFIX);
    await read(prefix.subarray(0, bounded(PREFIX, 'the prefix')));
    const layout = prefix.subarray(0, 8).equals(MAGIC) ? 5 : prefix.subarray(0, 8).equals(MAGIC_V4) ? 4 : null;
    if (layout === null) throw new IndexFileError('does not start with "tt-idx@5" (or "tt-idx@4")');
    const headLength = prefix.readUInt32LE(8);
    if (headLength > MAX_HEADER || prefix.readUInt32LE(12) !== 0) throw new IndexFileError(`header length ${headLength}`);
    const head = Buffer.alloc(bounded(headLength, 'the header'));
    await read(head);
    await read(Buffer.alloc(pad8(at)));
    let header: FileHeader;
    try {
      header = JSON.parse(head.toString('utf8')) as FileHeader;
    } catch (err) {
      throw new IndexFileError(`header is not JSON: ${(err as Error).message}`);
    }
    if (typeof header !== 'object' || header === null || !Array.isArray(header.arrays)) throw new IndexFileError('header lists no arrays');
    // where each array lies in the arrays' memory, all checked before that memory is allocated
    const places: [name: string, Type: (typeof ARRAY_TYPES)[ArrayTypeName], offset: number, bytes: number][] = [];
    let span = 0;
    for (const entry of header.arrays as unknown[]) {
      const [name, type, bytes] = Array.isArray(entry) ? (entry as unknown[]) : [];
      const Type = typeof type === 'string' && Object.hasOwn(ARRAY_TYPES, type) ? ARRAY_TYPES[type as ArrayTypeName] : undefined;
      if (typeof name !== 'string' || Type === undefined || typeof bytes !== 'number' || bytes % Type.BYTES_PER_ELEMENT !== 0)
        throw new IndexFileError(`array ${JSON.stringify(entry)} in the header`);
      if (places.some(([other]) => other === name)) throw new IndexFileError(`array ${name} twice`);
      places.push([name, Type, span, bounded(span + bytes, `array ${name}`) - span]);
      span += bytes + pad8(bytes);
    }
    const memory = new Uint8Array(bounded(span, 'the arrays'));
    await read(memory);
    const arrays = new Map<string, Typed>();
    for (const [name, Type, offset, bytes] of places) arrays.set(name, new Type(memory.buffer, offset, bytes / Type.BYTES_PER_ELEMENT));
    if (layout === 5 && at !== size) throw new IndexFileError(`${size - at} bytes after the arrays`);
    const text = Buffer.alloc(size - at);
    await read(text);
    if (crc >>> 0 !== facts.crc32) throw new IndexFileError(`CRC-32 ${crc >>> 0} differs from its record's ${facts.crc32}`);
    if (layout === 5) return { layout, header, arrays };
    let messages: unknown;
    try {
      messages = JSON.parse(text.toString('utf8'));
    } catch (err) {
      throw new IndexFileError(`messages are not JSON: ${(err as Error).message}`);
    }
    return { layout, header, arrays, messages };
  } finally {
    await file.close();
  }
}
