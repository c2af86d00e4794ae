/**
 * RunningStats — `Store.stats()` without reading every transfer again, also after the store is opened again.
 * The digest is sha256 over the transfer records in key (chain) order, "\n" after each, so while new records only
 * come after the last stored key — a new block's, an import in chain order — the hash state after the last record
 * is carried on: the new records are hashed onto it, and a stats call finishes it (with the positions).
 *
 * The state is kept in the store's meta (`stats.running`: sha256 state, last key, count, tip) and written IN THE
 * SAME atomic batch as the records it covers, so on disk it never disagrees with them: an append puts the state
 * after its records, anything else — a record below the last key (a backfill), a deletion (a fork) — deletes it
 * in its batch, and the next `stats()` reads every record once and starts it again. A state whose last key is not
 * the last stored record's (a program wrote `tx` without the Store) or that hash-wasm cannot load (another
 * version) is not believed. The hash is hash-wasm's sha256 (same digest as node:crypto's), whose state can be
 * saved and loaded; one hasher serves every store of the process, used synchronously from load to save.
 * The account count is kept in memory until a batch writes accounts.
 *
 * Changes are counted, of the transfer records (`generation`) and of the accounts (`accountGeneration`) apart: a read
 * (of the state, of every record, of the account keys) installs what it found only when no write of what it read
 * committed while it ran. Transfer batches go one at a time (the store's lock), so the lookup a transfer batch makes
 * first is always installed, whatever batches without transfers commit meanwhile.
 */
import { createSHA256 } from 'hash-wasm';

/** The meta entry holding the persisted state (`Store.writeBatch` refuses it as a caller's meta name). */
export const RUNNING_STATS_META = 'stats.running';
const V = 1;

const sha = await createSHA256();
sha.init();
const INITIAL = sha.save();

/** The digest's state after every record up to `lastKey` ('' = none). */
export interface TransferState {
  /** hash-wasm sha256 state (`save()`). */
  sha: Uint8Array;
  lastKey: string;
  transfers: number;
  tip: number;
}

/** A record the running state hashes: its key, its text and its height. */
export interface StatsRecord {
  key: string;
  record: string;
  height: number;
}

/** What a transfer batch does to the persisted state: the meta value to put (null = delete it) and the state after. */
export interface StatsStep {
  put: string | null;
  next: TransferState | null;
}

export class RunningStats {
  /** null = not carried (a full read is due); undefined = not looked up since open (or since a failed write). */
  private state: TransferState | null | undefined = undefined;
  private accountCount: number | null = null;
  /** Incremented by every committed batch of transfer records (and by a failed batch). */
  generation = 0;
  /** Incremented by every committed batch that writes or deletes accounts (and by a failed batch). */
  accountGeneration = 0;

  /** Whether the persisted state was looked up (`install`ed) since open or since a failed write. */
  get known(): boolean {
    return this.state !== undefined;
  }

  /** The transfer part, or null when it must be read again (or looked up first: see `known`). */
  transfers(): TransferState | null {
    return this.state ?? null;
  }

  accounts(): number | null {
    return this.accountCount;
  }

  /**
   * After a read that started at `generation` — the persisted state (`persisted`: the meta value or undefined,
   * `lastStoredKey`: the last tx key, '' when none) or every record (`records`). Ignored when a transfer batch
   * committed since. True when installed.
   */
  install(
    generation: number,
    read: { persisted?: { value: string | undefined; lastStoredKey: string }; records?: TransferState },
  ): boolean {
    if (generation !== this.generation) return false;
    if (read.persisted !== undefined) this.state = believe(read.persisted.value, read.persisted.lastStoredKey);
    if (read.records !== undefined) this.state = read.records;
    return true;
  }

  /** After counting the account records, begun at `accountGeneration`; ignored when accounts were written since. */
  installAccounts(accountGeneration: number, count: number): void {
    if (accountGeneration === this.accountGeneration) this.accountCount = count;
  }

  /**
   * The step for a transfer batch storing these new records (any order), looked up first (`known`). Carried on
   * when they all come after the last stored key; else the persisted state is deleted.
   */
  append(records: readonly StatsRecord[]): StatsStep {
    const s = this.state;
    if (s === undefined || s === null) return { put: null, next: null }; // not carried (or not known): read in full later
    if (records.length === 0) return { put: persistedValue(s), next: s };
    let sorted = records;
    for (let i = 1; i < records.length; i++) {
      if (records[i - 1].key >= records[i].key) {
        sorted = [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        break;
      }
    }
    if (sorted[0].key <= s.lastKey) return { put: null, next: null }; // below the end: read again
    let tip = s.tip;
    let text = '';
    sha.load(s.sha);
    for (const r of sorted) {
      text += `${r.record}\n`;
      if (text.length > 1 << 20) {
        sha.update(text);
        text = '';
      }
      if (r.height > tip) tip = r.height;
    }
    sha.update(text);
    const next: TransferState = { sha: sha.save(), lastKey: sorted[sorted.length - 1].key, transfers: s.transfers + sorted.length, tip };
    return { put: persistedValue(next), next };
  }

  /** A batch was written: with `step` (its transfers' change; 'none': it stored no transfer), and account records or not. */
  committed(step: StatsStep | 'none', accounts: boolean): void {
    if (accounts) {
      this.accountGeneration++;
      this.accountCount = null;
    }
    if (step !== 'none') {
      this.generation++;
      this.state = step.next;
    }
  }

  /** A batch failed: what is on disk is unknown here, look the persisted state up again. */
  failed(): void {
    this.generation++;
    this.accountGeneration++;
    this.state = undefined;
    this.accountCount = null;
  }
}

/** Hashes records in key order onto a state (the full read), one chunk at a time. */
export class DigestReader {
  state: TransferState = { sha: INITIAL, lastKey: '', transfers: 0, tip: 0 };

  /** Records after the state's last key, in key order. */
  add(chunk: ReadonlyArray<{ key: string; record: string; height: number }>): void {
    if (chunk.length === 0) return;
    let text = '';
    let tip = this.state.tip;
    for (const r of chunk) {
      text += `${r.record}\n`;
      if (r.height > tip) tip = r.height;
    }
    sha.load(this.state.sha);
    sha.update(text);
    this.state = { sha: sha.save(), lastKey: chunk[chunk.length - 1].key, transfers: this.state.transfers + chunk.length, tip };
  }
}

/** The digest (hex) of a state with `tail` hashed after it (the positions part, '' when none). */
export function finishDigest(state: TransferState, tail: string): string {
  sha.load(state.sha);
  if (tail !== '') sha.update(tail);
  return sha.digest('hex');
}

/** The meta value that persists `s`. */
export function persistedValue(s: TransferState): string {
  return JSON.stringify({ v: V, sha: Buffer.from(s.sha).toString('base64'), lastKey: s.lastKey, transfers: s.transfers, tip: s.tip });
}

/** The persisted state if it is whole, loadable and names the last stored key; the empty state for an empty store. */
function believe(value: string | undefined, lastStoredKey: string): TransferState | null {
  if (value === undefined) return lastStoredKey === '' ? { sha: INITIAL, lastKey: '', transfers: 0, tip: 0 } : null;
  let p: { v?: unknown; sha?: unknown; lastKey?: unknown; transfers?: unknown; tip?: unknown };
  try {
    p = JSON.parse(value) as typeof p;
  } catch {
    return null;
  }
  const whole = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (typeof p !== 'object' || p === null || p.v !== V || typeof p.sha !== 'string' || typeof p.lastKey !== 'string') return null;
  if (!whole(p.transfers) || !whole(p.tip) || p.lastKey !== lastStoredKey || (p.transfers === 0) !== (p.lastKey === '')) return null;
  const state = new Uint8Array(Buffer.from(p.sha, 'base64'));
  try {
    sha.load(state); // throws for a state of another hash or hash-wasm version
  } catch {
    return null;
  }
  return { sha: state, lastKey: p.lastKey, transfers: p.transfers, tip: p.tip };
}
