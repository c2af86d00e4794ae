/**
 * Persist the taint index in a JSON-valued sublevel (abstract-level), and read it back.
 *
 * Layout @2 (keys sort by bytes): `meta` → header (schema, manifest, policies, exit categories, asOf,
 * labels, counts, each packed array's type and byte length, the few amounts outside the safe-integer
 * range); `p:<array>:<NNNNNN>` → the packed arrays of packed.ts, 4 MiB of raw bytes a record, base64
 * (not the lookup tables: they are rebuilt from the rows at load, so a stored one cannot lie);
 * `m:<NNNNNN>` → the transfer messages, 65,536 a record. Loading is reading those bytes back into
 * typed arrays: no object per account (README "Taint index memory" for the time it takes).
 * Layout @1 (one JSON record per account `a:`, per transfer `t:`, coverage chunks `c:`) is still read.
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
  type IndexedAccount,
  type IndexedTransfer,
  type PolicyTaintEntry,
  type TaintIndexAsOf,
} from './index-types.js';
import { TaintIndexPacker } from './pack.js';
import { checkPacked, lookupTables, TaintIndex, type PackedArrays } from './packed.js';

/** The part of abstract-level's sublevel interface this module uses (JSON value encoding). */
export interface JsonSublevel {
  batch(operations: Array<{ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string }>): Promise<void>;
  keys(): AsyncIterable<string>;
  iterator(): AsyncIterable<[string, unknown]>;
}

interface StoredMeta {
  schema: typeof TAINT_INDEX_SCHEMA | typeof TAINT_INDEX_SCHEMA_V1;
  manifest: Manifest;
  policies: Policy[];
  exitCategories: string[];
  asOf: TaintIndexAsOf;
  labels: Label[];
  accounts: number;
  transfers: number;
  /** @1: number of covered addresses; absent = no coverage saved. @2: 1 = coverage known. */
  covered?: number;
  /** @2: each array's element type and byte length. */
  arrays?: Record<string, [string, number]>;
  /** @2: amounts outside the safe-integer range: [array:position, decimal]. */
  big?: [string, string][];
}

const META = 'meta';
const CHUNK_BYTES = 4 * 1024 * 1024;
const MESSAGE_CHUNK = 65_536;
const seq = (i: number) => String(i).padStart(6, '0');

const ARRAY_TYPES = { Int32Array, Uint8Array, Float64Array } as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;

export async function saveTaintIndex(sublevel: JsonSublevel, index: TaintIndex): Promise<void> {
  const ops: Array<{ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string }> = [];
  for await (const key of sublevel.keys()) ops.push({ type: 'del', key });
  const arrays: Record<string, [string, number]> = {};
  for (const [name, arr] of Object.entries(index.a) as [string, PackedArrays[keyof PackedArrays]][]) {
    if (name === 'addrTable' || name === 'hashTable') continue; // rebuilt at load (packed.ts lookupTables)
    arrays[name] = [arr.constructor.name, arr.byteLength];
    const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
    for (let i = 0; i * CHUNK_BYTES < bytes.length; i++)
      ops.push({
        type: 'put',
        key: `p:${name}:${seq(i)}`,
        value: bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES).toString('base64'),
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
}

export async function loadTaintIndex(sublevel: JsonSublevel): Promise<TaintIndex> {
  let meta: StoredMeta | undefined;
  // each array is allocated once from the header (which sorts before the `p:` records) and every record
  // decoded straight into its place: no concatenation, no copy, so loading peaks near the index's own size
  const arrays = new Map<string, { view: Buffer; typed: ArrayBufferView; filled: number }>();
  const messages: (string | null)[] = [];
  const v1 = { accounts: [] as IndexedAccount[], transfers: [] as IndexedTransfer[], covered: [] as string[] };
  for await (const [key, value] of sublevel.iterator()) {
    try {
      if (key === META) {
        meta = decodeMeta(value);
        for (const [name, [type, bytes]] of Object.entries(meta.arrays ?? {})) {
          const Type = ARRAY_TYPES[type as ArrayTypeName];
          if (!Type || !Number.isSafeInteger(bytes) || bytes < 0 || bytes % Type.BYTES_PER_ELEMENT !== 0)
            throw corrupt(`taint index array ${name}: ${bytes} bytes cannot be a ${type}`);
          const typed = new Type(bytes / Type.BYTES_PER_ELEMENT);
          arrays.set(name, { view: Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength), typed, filled: 0 });
        }
      } else if (key.startsWith('p:')) {
        const name = key.slice(2, key.lastIndexOf(':'));
        const part = arrays.get(name);
        if (!part) throw new Error(`no array ${name} in the header`);
        if (typeof value !== 'string' || value.length % 4 !== 0) throw new Error('not base64 text');
        const size = (value.length / 4) * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
        if (part.filled + size > part.view.length) throw new Error(`more bytes than the header's ${part.view.length}`);
        if (part.view.write(value, part.filled, size, 'base64') !== size) throw new Error('not base64 text');
        part.filled += size;
      } else if (key.startsWith('m:')) {
        if (!Array.isArray(value) || value.some((m) => m !== null && typeof m !== 'string')) throw new Error('not a list of messages');
        for (const m of value as (string | null)[]) messages.push(m);
      } else if (key.startsWith('c:')) for (const a of decodeCoverage(value)) v1.covered.push(a);
      else if (key.startsWith('a:')) v1.accounts.push(decodeAccount(key.slice(2), value as StoredAccount));
      else if (key.startsWith('t:')) v1.transfers.push(decodeTransfer(key.slice(2), value as StoredTransfer));
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
    if (part.filled !== part.view.length)
      throw corrupt(`taint index array ${name} is incomplete: ${part.filled} of ${part.view.length} bytes`);
    typed[name] = part.typed;
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
  if (typeof m !== 'object' || m === null || (m.schema !== TAINT_INDEX_SCHEMA && m.schema !== TAINT_INDEX_SCHEMA_V1)) {
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
