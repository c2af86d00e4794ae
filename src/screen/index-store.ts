/**
 * Persist the taint index in a sublevel of the store (abstract-level), and read it back.
 *
 * Layout @3 (keys sort by bytes): `meta` → header, JSON (schema, manifest, policies, exit categories, asOf,
 * labels, counts, each packed array's type and byte length, the few amounts outside the safe-integer range);
 * `p:<array>:<NNNNNN>` → the packed arrays of packed.ts as raw bytes (little-endian, as the typed arrays hold
 * them), an array a record up to 256 MiB (not the lookup tables: they are rebuilt from the rows at load, so a stored one cannot
 * lie); `m:<NNNNNN>` → the transfer messages, JSON, 65,536 a record. Loading takes each record's bytes as its
 * array (or copies them into it): no decoding, no object per account, no intermediate text, so the
 * load is about the time LevelDB takes to hand the bytes over and the server's memory about the arrays'
 * (README "Taint index memory"). Read as well: @2 (the same records, the arrays' bytes as base64 JSON text)
 * and @1 (one JSON record per account `a:`, per transfer `t:`, coverage chunks `c:`). docs/contracts.md §7.
 *
 * `saveTaintIndex` writes one atomic batch that deletes every key of the previous index and puts
 * the new one, so a reader (or a crash) sees either the old index or the new one, never a mix.
 * `loadTaintIndex` throws TRACE_STORE_EMPTY when nothing was saved, TRACE_STORE_CORRUPT when a
 * record does not decode or the arrays do not fit together (checked before anything is served).
 */
import { TracerError } from '../errors.js';
import type { Manifest } from '../taint/index.js';
import { POLICIES, type Label, type Policy } from '../domain.js';
import {
  TAINT_INDEX_SCHEMA,
  TAINT_INDEX_SCHEMA_V1,
  TAINT_INDEX_SCHEMA_V2,
  type IndexedAccount,
  type IndexedTransfer,
  type PolicyTaintEntry,
  type TaintIndexAsOf,
} from './index-types.js';
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
  iterator(options?: { valueEncoding: 'buffer' }): AsyncIterable<[string, unknown]>;
  /** abstract-level's root database of the sublevel and the sublevel's key prefix (see `intoTables`). */
  readonly db?: object;
  readonly prefix?: string;
}

interface StoredMeta {
  schema: typeof TAINT_INDEX_SCHEMA | typeof TAINT_INDEX_SCHEMA_V2 | typeof TAINT_INDEX_SCHEMA_V1;
  manifest: Manifest;
  policies: Policy[];
  exitCategories: string[];
  asOf: TaintIndexAsOf;
  labels: Label[];
  accounts: number;
  transfers: number;
  /** @1: number of covered addresses; absent = no coverage saved. @2, @3: 1 = coverage known. */
  covered?: number;
  /** @2, @3: each array's element type and byte length. */
  arrays?: Record<string, [string, number]>;
  /** @2, @3: amounts outside the safe-integer range: [array:position, decimal]. */
  big?: [string, string][];
}

const META = 'meta';
/**
 * An array up to this size is one record, which loading takes as the array's memory as it is (no copy; see
 * loadTaintIndex); a larger one is split into records of this size and copied together. (Indexes saved before were
 * split at 4 MiB: they load by copying.)
 */
const CHUNK_BYTES = 256 * 1024 * 1024;
const MESSAGE_CHUNK = 65_536;
const seq = (i: number) => String(i).padStart(6, '0');
const SCHEMAS: readonly string[] = [TAINT_INDEX_SCHEMA, TAINT_INDEX_SCHEMA_V2, TAINT_INDEX_SCHEMA_V1];

const ARRAY_TYPES = { Int32Array, Uint8Array, Float64Array } as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;

export async function saveTaintIndex(sublevel: JsonSublevel, index: TaintIndex): Promise<void> {
  const ops: SublevelOp[] = [];
  for await (const key of sublevel.keys()) ops.push({ type: 'del', key });
  const arrays: Record<string, [string, number]> = {};
  for (const [name, arr] of Object.entries(index.a) as [string, PackedArrays[keyof PackedArrays]][]) {
    if (name === 'addrTable' || name === 'hashTable') continue; // rebuilt at load (packed.ts lookupTables)
    arrays[name] = [arr.constructor.name, arr.byteLength];
    const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength); // a view: the index is immutable
    for (let i = 0; i * CHUNK_BYTES < bytes.length; i++)
      ops.push({
        type: 'put',
        key: `p:${name}:${seq(i)}`,
        value: bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES),
        valueEncoding: 'view',
      });
  }
  const { messages, big } = index.extras();
  for (let i = 0; i * MESSAGE_CHUNK < messages.length; i++)
    ops.push({ type: 'put', key: `m:${seq(i)}`, value: messages.slice(i * MESSAGE_CHUNK, (i + 1) * MESSAGE_CHUNK) });
  const meta: StoredMeta = {
    schema: TAINT_INDEX_SCHEMA,
    manifest: index.manifest,
    policies: index.policies,
    exitCategories: index.exitCategories,
    asOf: index.asOf,
    labels: [...index.labels.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    accounts: index.accountCount,
    transfers: index.transferCount,
    ...(index.covered === null ? {} : { covered: 1 }),
    arrays,
    big: [...big].map(([k, v]) => [k, v.toString()]),
  };
  ops.push({ type: 'put', key: META, value: meta });
  await sublevel.batch(ops);
  await intoTables(sublevel);
}

/**
 * Moves the saved index from LevelDB's write-ahead log into its sorted tables (a compaction of the index's
 * key range). Left in the log, every later open replays it — and `serve` opens a snapshot of the store
 * (src/store/snapshot.ts), which copies the log and replays it on each start: measured 2.5 s of a 3.3 s
 * load at 100,000 accounts, and the replay holds the whole index in LevelDB's memory once more. On a
 * database without `compactRange` (not classic-level) this does nothing.
 */
async function intoTables(sublevel: JsonSublevel): Promise<void> {
  const { prefix } = sublevel;
  const db = sublevel.db as { compactRange?(start: string, end: string): Promise<void> } | undefined;
  if (typeof db?.compactRange === 'function' && typeof prefix === 'string') await db.compactRange(prefix, `${prefix}\xff`);
}

export async function loadTaintIndex(sublevel: JsonSublevel): Promise<TaintIndex> {
  let meta: StoredMeta | undefined;
  // An array stored whole in one record (@3) becomes a view of that record's bytes, which LevelDB's binding hands
  // over in memory of their own: no copy, no second allocation. Otherwise the array is allocated once from the
  // header (which sorts before the `p:` records) and every record copied straight into its place: no concatenation,
  // no decoding, so loading peaks near the index's own size.
  const arrays = new Map<string, ArrayPart>();
  const messages: (string | null)[] = [];
  const v1 = { accounts: [] as IndexedAccount[], transfers: [] as IndexedTransfer[], covered: [] as string[] };
  for await (const [key, raw] of sublevel.iterator({ valueEncoding: 'buffer' })) {
    try {
      if (!Buffer.isBuffer(raw)) throw new Error('the sublevel did not hand over bytes');
      if (key === META) {
        meta = decodeMeta(json(raw));
        for (const [name, [type, bytes]] of Object.entries(meta.arrays ?? {})) {
          const Type = ARRAY_TYPES[type as ArrayTypeName];
          if (!Type || !Number.isSafeInteger(bytes) || bytes < 0 || bytes % Type.BYTES_PER_ELEMENT !== 0)
            throw corrupt(`taint index array ${name}: ${bytes} bytes cannot be a ${type}`);
          arrays.set(name, { Type, bytes, view: null, typed: null, filled: 0 });
        }
      } else if (key.startsWith('p:')) {
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
  if (!meta) throw new TracerError('TRACE_STORE_EMPTY', 'the store holds no taint index (run `tainttrace trace` first)');
  const header = {
    manifest: meta.manifest,
    policies: meta.policies,
    exitCategories: meta.exitCategories,
    asOf: meta.asOf,
    labels: new Map(meta.labels.map((l) => [l.address, l] as const)),
  };
  if (meta.schema === TAINT_INDEX_SCHEMA_V1) return packV1(meta, header, v1);

  const typed: Record<string, unknown> = {};
  for (const [name, part] of arrays) {
    if (part.filled !== part.bytes) throw corrupt(`taint index array ${name} is incomplete: ${part.filled} of ${part.bytes} bytes`);
    typed[name] = part.typed ?? new part.Type(0);
  }
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
    { ...header, hasCoverage: meta.covered !== undefined },
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
