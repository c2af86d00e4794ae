/**
 * Persist the taint index beside the store and read it back (docs/contracts.md §5, "The stored taint index").
 *
 * Layout @5 (written): the packed arrays and messages in one file in the store's directory (index-file.ts), and in the
 * store's sublevel one record, `meta` → which file, its length and its CRC-32 (and the generation it is). Saving writes the
 * new file under a temporary name, flushes it, renames it into place, then switches `meta` to it in one LevelDB batch
 * (which deletes whatever else the sublevel held: an older layout's records), and only then removes the previous
 * file. A writer killed at any moment leaves the old index or the new one whole; what it left behind (a partial file,
 * a file no record names) is removed by the next save. Loading reads `meta`, then the file it names, checked whole:
 * a missing, short, long or damaged file, or arrays that do not fit together, is TRACE_STORE_CORRUPT, nothing served.
 *
 * Still read (never written): @4 — the same file and record, the messages as JSON at the file's end; @3 — `meta` →
 * header, JSON (schema, manifest, policies, exit categories, asOf, labels, counts, each packed array's type and byte
 * length, the few amounts outside the safe-integer range); `p:<array>:<NNNNNN>` → the arrays as raw bytes, one record
 * up to 256 MiB (4 MiB before); `m:<NNNNNN>` → the transfer messages, JSON, 65,536 a record — @2 (the same records,
 * the arrays' bytes as base64 JSON text) and @1 (one JSON record per account `a:`, per transfer `t:`, coverage chunks
 * `c:`). The lookup tables are never stored: they are rebuilt from the rows at load (packed.ts lookupTables), so a
 * stored one cannot lie.
 *
 * `loadTaintIndex` throws TRACE_STORE_EMPTY when nothing was saved, TRACE_STORE_CORRUPT when a record or the file
 * does not decode or the arrays do not fit together (checked before anything is served).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TracerError } from '../errors.js';
import type { Manifest } from '../taint/index.js';
import { POLICIES, type Label, type Policy } from '../domain.js';
import {
  TAINT_INDEX_SCHEMA,
  TAINT_INDEX_SCHEMA_V1,
  TAINT_INDEX_SCHEMA_V2,
  TAINT_INDEX_SCHEMA_V4,
  TAINT_INDEX_SCHEMA_V3,
  type IndexedAccount,
  type IndexedTransfer,
  type PolicyTaintEntry,
  type TaintIndexAsOf,
} from './index-types.js';
import {
  ARRAY_TYPES,
  IndexFileError,
  publishFile,
  readIndexFile,
  writeIndexFile,
  type ArrayTypeName,
  type FileFacts,
} from './index-file.js';
import { checkMessages, MESSAGE_ARRAYS, PackedMessages, type MessageArrays } from './messages.js';
import { TaintIndexPacker } from './pack.js';
import { checkPacked, lookupTables, TaintIndex, type PackedArrays } from './packed.js';

type SublevelOp = { type: 'put'; key: string; value: unknown; valueEncoding?: 'view' } | { type: 'del'; key: string };

/**
 * The part of abstract-level's sublevel interface this module uses: a sublevel with JSON values (what
 * `store.sublevel(name)` gives), written and read here also with the per-operation raw-bytes encodings.
 */
export interface JsonSublevel {
  batch(operations: SublevelOp[]): Promise<void>;
  keys(): AsyncIterable<string>;
  iterator(options?: { valueEncoding: 'buffer'; gte?: string; lte?: string }): AsyncIterable<[string, unknown]>;
  /** abstract-level's root database of the sublevel and the sublevel's key prefix (see `intoTables`). */
  readonly db?: object;
  readonly prefix?: string;
}

interface StoredMeta {
  schema:
    | typeof TAINT_INDEX_SCHEMA
    | typeof TAINT_INDEX_SCHEMA_V4
    | typeof TAINT_INDEX_SCHEMA_V3
    | typeof TAINT_INDEX_SCHEMA_V2
    | typeof TAINT_INDEX_SCHEMA_V1;
  manifest: Manifest;
  policies: Policy[];
  exitCategories: string[];
  asOf: TaintIndexAsOf;
  labels: Label[];
  accounts: number;
  transfers: number;
  /** @1: number of covered addresses; absent = no coverage saved. @2, @3: 1 = coverage known. */
  covered?: number;
  /** @2, @3: each array's element type and byte length (@4, @5: the file's header lists them, index-file.ts). */
  arrays?: Record<string, [string, number]>;
  /** @2, @3: amounts outside the safe-integer range: [array:position, decimal]. */
  big?: [string, string][];
}

const META = 'meta';
const seq = (i: number) => String(i).padStart(6, '0');
const SCHEMAS: readonly string[] = [
  TAINT_INDEX_SCHEMA,
  TAINT_INDEX_SCHEMA_V4,
  TAINT_INDEX_SCHEMA_V3,
  TAINT_INDEX_SCHEMA_V2,
  TAINT_INDEX_SCHEMA_V1,
];
/** The layouts kept in a file beside the store, whose `meta` record names the file (FilePointer). */
const FILE_SCHEMAS: readonly unknown[] = [TAINT_INDEX_SCHEMA, TAINT_INDEX_SCHEMA_V4];

export async function saveTaintIndex(sublevel: JsonSublevel, index: TaintIndex): Promise<void> {
  const { dir, name } = placeOf(sublevel);
  const keys: string[] = [];
  for await (const key of sublevel.keys()) keys.push(key);
  const previous = await previousPointer(sublevel, keys);
  const generation = (previous?.generation ?? 0) + 1;
  const file = `${name}.${seq(generation)}.tti`;
  const arrays: [string, ArrayBufferView][] = [
    ...(Object.entries(index.a) as [string, ArrayBufferView][]).filter(
      ([n]) => n !== 'addrTable' && n !== 'hashTable', // rebuilt at load (packed.ts lookupTables)
    ),
    ...(Object.entries(index.messageArrays()) as [string, ArrayBufferView][]),
  ];
  const header = storedHeader(index);
  const partial = join(dir, `${file}.partial`);
  const facts = writeIndexFile(partial, header, arrays);
  publishFile(partial, join(dir, file), dir);
  const pointer: FilePointer = { schema: TAINT_INDEX_SCHEMA, file, generation, ...facts };
  await sublevel.batch([
    ...keys.filter((k) => k !== META).map((key): SublevelOp => ({ type: 'del', key })),
    { type: 'put', key: META, value: pointer },
  ]);
  // The switch is made. The previous file stays until the next save, for a reader whose snapshot of the store was taken
  // before the switch (open-index.ts); older files, and what a killed save left, are nobody's now.
  for (const other of await readdir(dir))
    if (
      other !== file &&
      other !== previous?.file &&
      other.startsWith(`${name}.`) &&
      /^\d+\.tti(\.partial)?$/.test(other.slice(name.length + 1))
    )
      await rm(join(dir, other), { force: true });
  if (keys.length > 1) await intoTables(sublevel); // an older layout's records, now deleted: out of the log and the tables
}

/** What a stored index says besides its arrays and messages (the file's header; @3's `meta` record without `arrays`). */
export function storedHeader(index: TaintIndex): Omit<StoredMeta, 'arrays'> {
  return {
    schema: TAINT_INDEX_SCHEMA,
    manifest: index.manifest,
    policies: index.policies,
    exitCategories: index.exitCategories,
    asOf: index.asOf,
    labels: [...index.labels.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    accounts: index.accountCount,
    transfers: index.transferCount,
    ...(index.covered === null ? {} : { covered: 1 }),
    big: [...index.extras().big].map(([k, v]) => [k, v.toString()]),
  };
}

/** The record `meta` of layouts @5 and @4: the file holding the index, its length and CRC-32 (index-file.ts). */
interface FilePointer extends FileFacts {
  schema: typeof TAINT_INDEX_SCHEMA | typeof TAINT_INDEX_SCHEMA_V4;
  file: string;
  generation: number;
}

/** The record of the @5 or @4 index the sublevel holds now; null when none (nothing, or an older layout). */
async function previousPointer(sublevel: JsonSublevel, keys: string[]): Promise<FilePointer | null> {
  if (!keys.includes(META)) return null;
  for await (const [, raw] of sublevel.iterator({ valueEncoding: 'buffer', gte: META, lte: META })) {
    try {
      const value = json(raw as Buffer) as { schema?: unknown };
      return FILE_SCHEMAS.includes(value?.schema) ? decodePointer(value) : null;
    } catch {
      return null; // a damaged record is replaced like any other (its generation restarts at 1)
    }
  }
  return null;
}

/**
 * Where a sublevel's index file lives: the directory of the LevelDB database under it (classic-level's `location`;
 * a snapshot's directory links the store's index files, src/store/snapshot.ts), and a file name from the sublevel's
 * name (`!taint-index!` → `taint-index`).
 */
function placeOf(sublevel: JsonSublevel): { dir: string; name: string } {
  const dir = (sublevel.db as { location?: unknown } | undefined)?.location;
  if (typeof dir !== 'string' || typeof sublevel.prefix !== 'string')
    throw new TypeError('the taint index is kept beside a LevelDB directory: this sublevel has no database location');
  const name = sublevel.prefix
    .replace(/^!|!$/g, '')
    .replace(/!!/g, '.')
    .replace(/[^a-z0-9.-]/gi, '_');
  return { dir, name };
}

/**
 * Moves records written into LevelDB's write-ahead log (and deleted ones) into its sorted tables: a compaction of the
 * sublevel's key range. Left in the log, every later open replays them — and `serve` opens a snapshot of the store
 * (src/store/snapshot.ts), which copies the log and replays it on each start (measured 2.5 s of a 3.3 s load at
 * 100,000 accounts when the @3 arrays sat there). On a database without `compactRange` (not classic-level) this does
 * nothing.
 */
async function intoTables(sublevel: JsonSublevel): Promise<void> {
  const { prefix } = sublevel;
  const db = sublevel.db as { compactRange?(start: string, end: string): Promise<void> } | undefined;
  if (typeof db?.compactRange === 'function' && typeof prefix === 'string') await db.compactRange(prefix, `${prefix}\xff`);
}

export async function loadTaintIndex(sublevel: JsonSublevel): Promise<TaintIndex> {
  let meta: StoredMeta | undefined;
  let pointer: FilePointer | undefined;
  const others: string[] = [];
  // @3: an array stored whole in one record becomes a view of that record's bytes, which LevelDB's binding hands
  // over in memory of their own: no copy, no second allocation. Otherwise the array is allocated once from the
  // header (which sorts before the `p:` records) and every record copied straight into its place: no concatenation,
  // no decoding, so loading peaks near the index's own size.
  const arrays = new Map<string, ArrayPart>();
  const messages: (string | null)[] = [];
  const v1 = { accounts: [] as IndexedAccount[], transfers: [] as IndexedTransfer[], covered: [] as string[] };
  for await (const [key, raw] of sublevel.iterator({ valueEncoding: 'buffer' })) {
    try {
      if (!Buffer.isBuffer(raw)) throw new Error('the sublevel did not hand over bytes');
      if (key !== META) others.push(key);
      if (key === META) {
        const value = json(raw);
        if (FILE_SCHEMAS.includes((value as { schema?: unknown } | null)?.schema)) pointer = decodePointer(value);
        else meta = decodeMeta(value);
        for (const [name, [type, bytes]] of Object.entries(meta?.arrays ?? {})) {
          const Type = ARRAY_TYPES[type as ArrayTypeName];
          if (!Type || !Number.isSafeInteger(bytes) || bytes < 0 || bytes % Type.BYTES_PER_ELEMENT !== 0)
            throw corrupt(`taint index array ${name}: ${bytes} bytes cannot be a ${type}`);
          arrays.set(name, { Type, bytes, view: null, typed: null, filled: 0 });
        }
      } else if (pointer !== undefined)
        continue; // refused below
      else if (key.startsWith('p:')) {
        const name = key.slice(2, key.lastIndexOf(':'));
        const part = arrays.get(name);
        if (!part) throw new Error(`no array ${name} in the header`);
        part.filled += meta?.schema === TAINT_INDEX_SCHEMA_V2 ? copyBase64(raw, part) : takeBytes(raw, part);
      } else if (key.startsWith('m:')) {
        const value = json(raw);
        if (!Array.isArray(value)) throw new Error('not a list of messages');
        for (const m of value as unknown[]) {
          if (m !== null && typeof m !== 'string') throw new Error('not a list of messages');
          messages.push(m);
        }
      } else if (key.startsWith('c:')) for (const a of decodeCoverage(json(raw))) v1.covered.push(a);
      else if (key.startsWith('a:')) v1.accounts.push(decodeAccount(key.slice(2), json(raw) as StoredAccount));
      else if (key.startsWith('t:')) v1.transfers.push(decodeTransfer(key.slice(2), json(raw) as StoredTransfer));
    } catch (err) {
      if (err instanceof TracerError) throw err;
      throw corrupt(`taint index record ${JSON.stringify(key)} does not decode: ${(err as Error).message}`, err);
    }
  }
  if (pointer !== undefined) {
    // a save switches `meta` and deletes every other record in one batch: one beside it was not written so
    if (others.length > 0) throw corrupt(`taint index record ${JSON.stringify(others[0])} beside an index file`);
    return loadFile(placeOf(sublevel).dir, pointer);
  }
  if (!meta) throw new TracerError('TRACE_STORE_EMPTY', 'the store holds no taint index (run `tainttrace trace` first)');
  if (meta.schema === TAINT_INDEX_SCHEMA_V1) return packV1(meta, header(meta), v1);

  const typed: Record<string, unknown> = {};
  for (const [name, part] of arrays) {
    if (part.filled !== part.bytes) throw corrupt(`taint index array ${name} is incomplete: ${part.filled} of ${part.bytes} bytes`);
    typed[name] = part.typed ?? new part.Type(0);
  }
  return assemble(meta, typed, messages);
}

/** @5 (and @4): the index file `pointer` names, read and checked whole (index-file.ts), as the index. */
async function loadFile(dir: string, pointer: FilePointer): Promise<TaintIndex> {
  const path = join(dir, pointer.file);
  let read: Awaited<ReturnType<typeof readIndexFile>>;
  try {
    read = await readIndexFile(path, pointer);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (err instanceof IndexFileError || code === 'ENOENT' || code === 'EISDIR')
      throw corrupt(`taint index file ${pointer.file}: ${code === 'ENOENT' ? 'missing' : (err as Error).message}`, err);
    throw err;
  }
  const { layout, header: head, arrays } = read;
  let meta: StoredMeta;
  try {
    meta = decodeMeta(head);
  } catch (err) {
    if (err instanceof TracerError) throw err;
    throw corrupt(`taint index file ${pointer.file}: header does not decode: ${(err as Error).message}`, err);
  }
  if (meta.schema !== (layout === 5 ? TAINT_INDEX_SCHEMA : TAINT_INDEX_SCHEMA_V4))
    throw corrupt(`taint index file ${pointer.file} (layout @${layout}) holds schema ${meta.schema}`);
  const typed: Record<string, unknown> = Object.fromEntries(arrays);
  if (layout === 4) {
    const { messages } = read;
    if (!Array.isArray(messages) || messages.some((m) => m !== null && typeof m !== 'string'))
      throw corrupt(`taint index file ${pointer.file}: messages are not a list of texts`);
    return assemble(meta, typed, messages as (string | null)[]);
  }
  // @5: the messages packed (messages.ts), checked before anything reads them
  const packed: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(MESSAGE_ARRAYS)) {
    packed[name] = typed[name];
    delete typed[name];
    if ((packed[name] as object | undefined)?.constructor?.name !== type)
      throw corrupt(`taint index does not fit together: array ${name} missing or not a ${type}`);
  }
  const problem = checkMessages(packed as unknown as MessageArrays, meta.transfers);
  if (problem) throw corrupt(`taint index does not fit together: ${problem}`);
  return assemble(meta, typed, new PackedMessages(packed as unknown as MessageArrays, meta.transfers));
}

/** The header's labels and figures as the packed index's header. */
function header(meta: StoredMeta): Omit<ConstructorParameters<typeof TaintIndexPacker>[0], 'hasCoverage'> {
  return {
    manifest: meta.manifest,
    policies: meta.policies,
    exitCategories: meta.exitCategories,
    asOf: meta.asOf,
    labels: new Map(meta.labels.map((l) => [l.address, l] as const)),
  };
}

/** Stored arrays (@2, @3, @4) as the index, once their lookup tables are built and the whole fits together. */
function assemble(meta: StoredMeta, typed: Record<string, unknown>, messages: (string | null)[] | PackedMessages): TaintIndex {
  const tables =
    typed.addrBytes instanceof Uint8Array && typed.hashBytes instanceof Uint8Array
      ? lookupTables(typed.addrBytes, typed.hashBytes)
      : 'address or hash rows missing';
  if (typeof tables === 'string') throw corrupt(`taint index does not fit together: ${tables}`);
  Object.assign(typed, tables);
  const big = new Map<string, bigint>();
  try {
    for (const [k, v] of meta.big ?? []) big.set(k, BigInt(v));
  } catch (err) {
    throw corrupt('taint index amounts outside the safe range do not decode', err);
  }
  const problem = checkPacked(typed, { accounts: meta.accounts, transfers: meta.transfers, messages: messages.length, big });
  if (problem) throw corrupt(`taint index does not fit together: ${problem}`);
  return new TaintIndex(
    { ...header(meta), hasCoverage: meta.covered !== undefined },
    { arrays: typed as unknown as PackedArrays, messages, big, accounts: meta.accounts, transfers: meta.transfers },
  );
}

/** One stored array as it is read: its type and byte length from the header, its memory once the first record came. */
interface ArrayPart {
  Type: (typeof ARRAY_TYPES)[ArrayTypeName];
  bytes: number;
  /** The array's bytes (to copy records into); null until the first record, or when the array is that record's view. */
  view: Buffer | null;
  typed: InstanceType<(typeof ARRAY_TYPES)[ArrayTypeName]> | null;
  filled: number;
}

/** The array's own memory, allocated on its first record (when that record is not the whole array). */
function allocated(part: ArrayPart): Buffer {
  if (part.view === null) {
    if (part.typed !== null) throw new Error('more records than the array has bytes');
    part.typed = new part.Type(part.bytes / part.Type.BYTES_PER_ELEMENT);
    part.view = Buffer.from(part.typed.buffer, part.typed.byteOffset, part.typed.byteLength);
  }
  return part.view;
}

/**
 * @3: a record's raw bytes as the array — the whole array in one record, at an offset its type can be viewed at: a view
 * of the record's memory — or copied into its place; the number of bytes.
 */
function takeBytes(raw: Buffer, part: ArrayPart): number {
  if (part.filled === 0 && part.typed === null && raw.length === part.bytes && raw.byteOffset % part.Type.BYTES_PER_ELEMENT === 0) {
    part.typed = new part.Type(raw.buffer as ArrayBuffer, raw.byteOffset, raw.length / part.Type.BYTES_PER_ELEMENT);
    return raw.length;
  }
  const view = allocated(part);
  if (part.filled + raw.length > view.length) throw new Error(`more bytes than the header's ${view.length}`);
  return raw.copy(view, part.filled);
}

/** @2: a record's JSON text `"<base64>"` decoded into the array; the number of bytes. */
function copyBase64(raw: Buffer, part: ArrayPart): number {
  const text = json(raw);
  if (typeof text !== 'string' || text.length % 4 !== 0) throw new Error('not base64 text');
  const size = (text.length / 4) * 3 - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
  const view = allocated(part);
  if (part.filled + size > view.length) throw new Error(`more bytes than the header's ${view.length}`);
  if (view.write(text, part.filled, size, 'base64') !== size) throw new Error('not base64 text');
  return size;
}

/** A JSON record's value (UTF-8 JSON text, as the store's JSON encoding writes it). */
function json(raw: Buffer): unknown {
  return JSON.parse(raw.toString('utf8'));
}

function packV1(
  meta: StoredMeta,
  header: Omit<ConstructorParameters<typeof TaintIndexPacker>[0], 'hasCoverage'>,
  v1: { accounts: IndexedAccount[]; transfers: IndexedTransfer[]; covered: string[] },
): TaintIndex {
  if (v1.accounts.length !== meta.accounts || v1.transfers.length !== meta.transfers)
    throw corrupt(
      `taint index is incomplete: ${v1.accounts.length}/${meta.accounts} accounts, ${v1.transfers.length}/${meta.transfers} transfers`,
    );
  if (v1.covered.length !== (meta.covered ?? 0))
    throw corrupt(`taint index coverage is incomplete: ${v1.covered.length}/${meta.covered ?? 0} addresses`);
  const packer = new TaintIndexPacker({ ...header, hasCoverage: meta.covered !== undefined });
  for (const t of v1.transfers) packer.addTransfer(t);
  for (const a of v1.accounts) packer.addAccount(a);
  for (const a of v1.covered) packer.addCovered(a);
  return packer.finish();
}

function corrupt(message: string, cause?: unknown): TracerError {
  return new TracerError('TRACE_STORE_CORRUPT', message, cause === undefined ? undefined : { cause });
}

interface StoredPolicy {
  x: boolean;
  h: number;
  r: string;
  held: string;
  b: string;
  f: number;
  e: string[];
  ht: number[];
  hh: number[];
  hb: string[];
  hx: string[];
}
interface StoredAccount {
  p: Partial<Record<Policy, StoredPolicy>>;
  exits: string[];
}
interface StoredTransfer {
  from: string;
  to: string;
  height: number;
  ts: number;
  amount: string;
  fee: string;
  message: string | null;
  taint: Partial<Record<Policy, string>>;
}

// ── layout @1, read only ──────────────────────────────────────────────────────────────────────

function decodeCoverage(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((a) => typeof a !== 'string')) throw new Error('not a list of addresses');
  return v as string[];
}

function decodeAccount(address: string, v: StoredAccount): IndexedAccount {
  if (typeof v !== 'object' || v === null || typeof v.p !== 'object' || !Array.isArray(v.exits)) throw new Error('not an account record');
  const policies: Partial<Record<Policy, PolicyTaintEntry>> = {};
  for (const policy of POLICIES) {
    const s = v.p[policy];
    if (!s) continue;
    const n = s.ht.length;
    if (s.hh.length !== n || s.hb.length !== n || s.hx.length !== n) throw new Error('history arrays differ in length');
    policies[policy] = {
      isExit: s.x === true,
      hops: int(s.h),
      received: BigInt(s.r),
      held: BigInt(s.held),
      balance: BigInt(s.b),
      firstTaintedAt: int(s.f),
      evidence: s.e.map(String),
      historyTime: Int32Array.from(s.ht, int),
      historyHeight: Int32Array.from(s.hh, int),
      historyBalance: BigInt64Array.from(s.hb, (x) => BigInt(x)),
      historyTainted: BigInt64Array.from(s.hx, (x) => BigInt(x)),
    };
  }
  return { address, policies, exits: v.exits.map(String) };
}

function decodeTransfer(hash: string, v: StoredTransfer): IndexedTransfer {
  if (typeof v !== 'object' || v === null || typeof v.from !== 'string' || typeof v.to !== 'string' || typeof v.taint !== 'object')
    throw new Error('not a transfer record');
  const taint: Partial<Record<Policy, bigint>> = {};
  for (const policy of POLICIES) if (v.taint[policy] !== undefined) taint[policy] = BigInt(v.taint[policy]);
  return {
    hash,
    from: v.from,
    to: v.to,
    height: int(v.height),
    timeStamp: int(v.ts),
    amount: BigInt(v.amount),
    fee: BigInt(v.fee),
    message: v.message ?? null,
    taint,
  };
}

/** The record naming an index file (@4): a plain file name of this module's making, a length and a CRC-32. */
function decodePointer(v: unknown): FilePointer {
  const p = v as FilePointer;
  if (typeof p.file !== 'string' || !/^[a-z0-9._-]+\.\d+\.tti$/i.test(p.file)) throw new Error(`file ${JSON.stringify(p.file)}`);
  if (!Number.isSafeInteger(p.bytes) || p.bytes < 0 || !Number.isSafeInteger(p.crc32) || p.crc32 < 0 || p.crc32 > 0xffffffff)
    throw new Error('file length or CRC-32 missing');
  int(p.generation);
  return p;
}

function decodeMeta(v: unknown): StoredMeta {
  const m = v as StoredMeta;
  if (typeof m !== 'object' || m === null || !SCHEMAS.includes(m.schema)) {
    throw new TracerError(
      'TRACE_STORE_CORRUPT',
      `taint index header has schema ${JSON.stringify((m as { schema?: unknown } | null)?.schema)}, expected ${TAINT_INDEX_SCHEMA}`,
    );
  }
  if (!Array.isArray(m.policies) || !Array.isArray(m.labels) || typeof m.asOf !== 'object') throw new Error('header fields missing');
  if (m.covered !== undefined) int(m.covered);
  return m;
}

function int(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Error(`expected an integer, got ${JSON.stringify(v)}`);
  return v;
}
