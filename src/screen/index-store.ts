/**
 * Persist the taint index in a JSON-valued sublevel (abstract-level), and read it back.
 *
 * Layout (keys sort by bytes): `meta` → header (schema, manifest, policies, exit categories, asOf,
 * labels, counts); `a:<address>` → one account; `t:<hash>` → one transfer; `c:<NNNNNN>` → up to
 * 4,096 covered addresses, sorted (absent in an index saved before coverage: `covered` null).
 * Bigints are decimal strings, typed-array histories plain number/string arrays.
 *
 * `saveTaintIndex` writes one atomic batch that deletes every key of the previous index and puts
 * the new one, so a reader (or a crash) sees either the old index or the new one, never a mix.
 * `loadTaintIndex` throws TRACE_STORE_EMPTY when nothing was saved, TRACE_STORE_CORRUPT when a
 * record does not decode.
 */
import { TracerError } from '../errors.js';
import { type Manifest } from '../taint/types.js';
import { POLICIES, type Label, type Policy } from '../domain.js';
import {
  TAINT_INDEX_SCHEMA,
  type IndexedAccount,
  type IndexedTransfer,
  type PolicyTaintEntry,
  type TaintIndex,
  type TaintIndexAsOf,
} from './index-types.js';

/** The part of abstract-level's sublevel interface this module uses (JSON value encoding). */
export interface JsonSublevel {
  batch(operations: Array<{ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string }>): Promise<void>;
  keys(): AsyncIterable<string>;
  iterator(): AsyncIterable<[string, unknown]>;
}

interface StoredMeta {
  schema: typeof TAINT_INDEX_SCHEMA;
  manifest: Manifest;
  policies: Policy[];
  exitCategories: string[];
  asOf: TaintIndexAsOf;
  labels: Label[];
  accounts: number;
  transfers: number;
  /** Number of covered addresses; absent = no coverage saved. */
  covered?: number;
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

const META = 'meta';
const COVERAGE_CHUNK = 4096;
const coverageKey = (i: number) => `c:${String(i).padStart(6, '0')}`;

export async function saveTaintIndex(sublevel: JsonSublevel, index: TaintIndex): Promise<void> {
  const ops: Array<{ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string }> = [];
  for await (const key of sublevel.keys()) ops.push({ type: 'del', key });
  const meta: StoredMeta = {
    schema: TAINT_INDEX_SCHEMA,
    manifest: index.manifest,
    policies: index.policies,
    exitCategories: index.exitCategories,
    asOf: index.asOf,
    labels: [...index.labels.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)),
    accounts: index.accounts.size,
    transfers: index.transfers.size,
    ...(index.covered === null ? {} : { covered: index.covered.size }),
  };
  for (const account of index.accounts.values()) ops.push({ type: 'put', key: `a:${account.address}`, value: encodeAccount(account) });
  for (const t of index.transfers.values()) ops.push({ type: 'put', key: `t:${t.hash}`, value: encodeTransfer(t) });
  if (index.covered !== null) {
    const covered = [...index.covered].sort();
    for (let i = 0; i * COVERAGE_CHUNK < covered.length; i++)
      ops.push({ type: 'put', key: coverageKey(i), value: covered.slice(i * COVERAGE_CHUNK, (i + 1) * COVERAGE_CHUNK) });
  }
  ops.push({ type: 'put', key: META, value: meta });
  await sublevel.batch(ops);
}

export async function loadTaintIndex(sublevel: JsonSublevel): Promise<TaintIndex> {
  let meta: StoredMeta | undefined;
  const accounts = new Map<string, IndexedAccount>();
  const transfers = new Map<string, IndexedTransfer>();
  const covered = new Set<string>();
  for await (const [key, value] of sublevel.iterator()) {
    try {
      if (key === META) meta = decodeMeta(value);
      else if (key.startsWith('c:')) for (const a of decodeCoverage(value)) covered.add(a);
      else if (key.startsWith('a:')) accounts.set(key.slice(2), decodeAccount(key.slice(2), value as StoredAccount));
      else if (key.startsWith('t:')) transfers.set(key.slice(2), decodeTransfer(key.slice(2), value as StoredTransfer));
    } catch (err) {
      if (err instanceof TracerError) throw err;
      throw new TracerError('TRACE_STORE_CORRUPT', `taint index record ${JSON.stringify(key)} does not decode: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  if (!meta) throw new TracerError('TRACE_STORE_EMPTY', 'the store holds no taint index (run `tainttrace trace` first)');
  if (accounts.size !== meta.accounts || transfers.size !== meta.transfers) {
    throw new TracerError(
      'TRACE_STORE_CORRUPT',
      `taint index is incomplete: ${accounts.size}/${meta.accounts} accounts, ${transfers.size}/${meta.transfers} transfers`,
    );
  }
  if (covered.size !== (meta.covered ?? 0))
    throw new TracerError('TRACE_STORE_CORRUPT', `taint index coverage is incomplete: ${covered.size}/${meta.covered ?? 0} addresses`);
  return {
    schema: TAINT_INDEX_SCHEMA,
    manifest: meta.manifest,
    policies: meta.policies,
    exitCategories: meta.exitCategories,
    asOf: meta.asOf,
    accounts,
    transfers,
    labels: new Map(meta.labels.map((l) => [l.address, l] as const)),
    covered: meta.covered === undefined ? null : covered,
  };
}

function decodeCoverage(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((a) => typeof a !== 'string')) throw new Error('not a list of addresses');
  return v as string[];
}

function encodeAccount(a: IndexedAccount): StoredAccount {
  const p: Partial<Record<Policy, StoredPolicy>> = {};
  for (const policy of POLICIES) {
    const e = a.policies[policy];
    if (!e) continue;
    p[policy] = {
      x: e.isExit,
      h: e.hops,
      r: e.received.toString(),
      held: e.held.toString(),
      b: e.balance.toString(),
      f: e.firstTaintedAt,
      e: e.evidence,
      ht: Array.from(e.historyTime),
      hh: Array.from(e.historyHeight),
      hb: Array.from(e.historyBalance, String),
      hx: Array.from(e.historyTainted, String),
    };
  }
  return { p, exits: a.exits };
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

function encodeTransfer(t: IndexedTransfer): StoredTransfer {
  const taint: Partial<Record<Policy, string>> = {};
  for (const policy of POLICIES) if (t.taint[policy] !== undefined) taint[policy] = t.taint[policy].toString();
  return {
    from: t.from,
    to: t.to,
    height: t.height,
    ts: t.timeStamp,
    amount: t.amount.toString(),
    fee: t.fee.toString(),
    message: t.message,
    taint,
  };
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
  if (typeof m !== 'object' || m === null || m.schema !== TAINT_INDEX_SCHEMA) {
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
