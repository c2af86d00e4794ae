/**
 * Seed resolution (docs/taint-semantics.md): a seed is a transfer named by hash, or every outflow of an account
 * with time in [from, to) to a recipient not in `exclude` (moving more than 0 XEM, to another
 * account). `resolveSeeds` returns the indices (into the chain-ordered transfers) of the seed transfers (`resolveSeedRows`:
 * the rows of a trace's columns);
 * `seedTest` is the same rule for one transfer at a time (follow mode's incremental trace), and
 * `checkSeedsFound` the same check that every seed of the case is among them.
 */
import { TracerError } from '../errors.js';
import type { Columns } from '../domain.js';
import type { Transfer } from '../nem/index.js';
import type { SeedSpec, SeedTransfer } from './types.js';

/** What the seed rule reads of a transfer. */
export type SeedRow = Pick<Transfer, 'hash' | 'sender' | 'recipient' | 'timeStamp' | 'amount'>;

/** The indices (ascending) of the seed transfers among transfers in chain order. */
export function resolveSeeds(sorted: readonly Transfer[], seeds: readonly SeedSpec[]): number[] {
  const isSeed = seedTest(seeds);
  const chosen: number[] = [];
  sorted.forEach((t, k) => {
    if (isSeed(t)) chosen.push(k);
  });
  checkSeedsFound(
    chosen.map((k) => sorted[k]),
    seeds,
  );
  return chosen;
}

/**
 * The same over a trace's columns: the rows (ascending) of the seed transfers. Only the rows a seed can name are
 * tested by `seedTest` (one home of the rule): those whose hash is a seed's (compared as raw bytes when the
 * table holds them) and the outflows of a seed account.
 */
export function resolveSeedRows(table: SeedTable, seeds: readonly SeedSpec[]): number[] {
  const isSeed = seedTest(seeds);
  const candidates = new Set<number>();
  const hashes = seeds.flatMap((s) => ('hash' in s ? [s.hash.toLowerCase()] : []));
  if (hashes.length > 0) for (const k of rowsWithHash(table, hashes)) candidates.add(k);
  const accounts = new Set(seeds.flatMap((s) => ('account' in s ? [s.account] : [])));
  if (accounts.size > 0) {
    const ids = new Set<number>();
    table.addresses.forEach((a, i) => accounts.has(a) && ids.add(i));
    for (let k = 0; k < table.n; k++) if (ids.has(table.sender[k])) candidates.add(k);
  }
  const rows: SeedRow[] = [];
  const chosen: number[] = [];
  for (const k of [...candidates].sort((x, y) => x - y)) {
    const row = seedRow(table, k);
    if (!isSeed(row)) continue;
    chosen.push(k);
    rows.push(row);
  }
  checkSeedsFound(rows, seeds);
  return chosen;
}

/** The columns `resolveSeedRows` reads (a TraceTable is one; `hashes`: 32 raw bytes per row, when loaded so). */
export interface SeedTable extends Pick<Columns, 'n' | 'sender' | 'recipient' | 'timeStamp' | 'amount'> {
  addresses: readonly string[];
  hashAt(k: number): string;
  hashes?: Uint8Array;
}

function seedRow(table: SeedTable, k: number): SeedRow {
  const { addresses } = table;
  return {
    hash: table.hashAt(k),
    sender: addresses[table.sender[k]],
    recipient: addresses[table.recipient[k]],
    timeStamp: table.timeStamp[k],
    amount: table.amount[k],
  };
}

/**
 * Rows whose hash is one of `hashes` (lower-case hex). With the table's raw hash column (the store's) the seeds' 32
 * bytes are compared with each row's bytes — a mix of the row's bytes first, the bytes themselves only where it
 * is a seed's — with no string or object per row; a table without it (hand-built) compares its hex.
 */
function rowsWithHash(table: SeedTable, hashes: readonly string[]): number[] {
  const out: number[] = [];
  const raw = table.hashes;
  if (raw === undefined || raw.length < 32 * table.n) {
    const wanted = new Set(hashes);
    for (let k = 0; k < table.n; k++) if (wanted.has(table.hashAt(k).toLowerCase())) out.push(k);
    return out;
  }
  // a hash that is not 64 hex digits names no row (as no row's hex equals it)
  const wanted = hashes.filter((h) => /^[0-9a-f]{64}$/.test(h)).map(hexBytes);
  const mixed = new Uint8Array(1 << 16); // 1 at the top 16 bits of a seed's mix
  for (const b of wanted) mixed[mix32(b, 0) >>> 16] = 1;
  for (let k = 0; k < table.n; k++) {
    if (mixed[mix32(raw, 32 * k) >>> 16] === 1 && wanted.some((b) => equal32(b, raw, 32 * k))) out.push(k);
  }
  return out;
}

/** The 32 bytes of 64 hex digits. */
function hexBytes(hex: string): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 0; i < 32; i++) b[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/** A 32-bit FNV-1a-style mix of the 32 bytes at `o` (word by word). */
function mix32(b: Uint8Array, o: number): number {
  let h = 0x811c9dc5;
  for (let i = o; i < o + 32; i += 4) h = Math.imul(h ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)), 0x01000193);
  return h >>> 0;
}

/** Whether the 32 bytes `a` equal those of `b` at `o`. */
function equal32(a: Uint8Array, b: Uint8Array, o: number): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[o + i]) return false;
  return true;
}

/** Whether a transfer is a seed of the case. */
export function seedTest(seeds: readonly SeedSpec[]): (t: SeedRow) => boolean {
  const hashes = new Set<string>();
  const windows: { account: string; from: number; to: number; exclude: Set<string> }[] = [];
  for (const spec of seeds) {
    if ('hash' in spec) hashes.add(spec.hash.toLowerCase());
    else windows.push({ account: spec.account, from: spec.from, to: spec.to, exclude: new Set(spec.exclude) });
  }
  return (t) => {
    if (hashes.size > 0 && hashes.has(t.hash.toLowerCase())) return true;
    for (const w of windows) {
      if (
        t.sender === w.account &&
        t.timeStamp >= w.from &&
        t.timeStamp < w.to &&
        t.amount > 0 &&
        t.recipient !== t.sender &&
        !w.exclude.has(t.recipient)
      )
        return true;
    }
    return false;
  };
}

/** Throws TRACE_STORE_EMPTY naming the first seed of the case that none of `found` (the seed transfers) matches. */
export function checkSeedsFound(found: readonly SeedRow[], seeds: readonly SeedSpec[]): void {
  seeds.forEach((spec, i) => {
    const test = seedTest([spec]);
    if (found.some(test)) return;
    if ('hash' in spec) {
      throw new TracerError(
        'TRACE_STORE_EMPTY',
        `seeds[${i}]: transfer ${spec.hash} is not among the traced transfers (crawl it first, or check the window)`,
      );
    }
    throw new TracerError(
      'TRACE_STORE_EMPTY',
      `seeds[${i}]: no outflow of ${spec.account} in the given time range among the traced transfers (crawl it first)`,
    );
  });
}

/** A seed transfer as the trace result lists it. */
export function seedTransfer(t: Transfer): SeedTransfer {
  return {
    hash: t.hash,
    from: t.sender,
    to: t.recipient,
    timeStamp: t.timeStamp,
    height: t.height,
    amount: BigInt(t.amount),
    fee: BigInt(t.fee),
    ...(t.position === undefined ? {} : { position: t.position }),
  };
}
