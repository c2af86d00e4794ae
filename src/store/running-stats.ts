/**
 * RunningStats — `Store.stats()` without reading every transfer again (follow mode stores a block's transfers and
 * asks for the stats each round: issue 11). The digest is sha256 over the transfer records in key (chain) order,
 * so while new records only come after the last stored key — a new block's — the hash state after the last
 * record is carried on: the new records are hashed onto it, and a stats call finishes a copy of it. Anything
 * else — a record below the last key (a backfill), a deletion (a fork) — makes it stale, and the next `stats()`
 * reads everything once and starts it again. The value is the one a full read gives (a test checks it after
 * appends, backfills and forks). The account count is kept likewise until a batch writes accounts.
 *
 * Changes are counted (`generation`): a full read installs its state only when no write committed while it ran.
 */
import { createHash, type Hash } from 'node:crypto';

interface TransferState {
  /** sha256 state after every record up to `lastKey`, "\n" after each. */
  hash: Hash;
  lastKey: string;
  transfers: number;
  tip: number;
}

export class RunningStats {
  private state: TransferState | null = null;
  private accountCount: number | null = null;
  /** Incremented by every committed change of the transfer records or the accounts. */
  generation = 0;

  /** Whether the transfer part is carried on (a write must then hand its new records to `committed`). */
  get carrying(): boolean {
    return this.state !== null;
  }

  /** The transfer part, or null when it must be read again. The hash is a copy (finish it freely). */
  transfers(): { hash: Hash; transfers: number; tip: number } | null {
    const s = this.state;
    return s === null ? null : { hash: s.hash.copy(), transfers: s.transfers, tip: s.tip };
  }

  accounts(): number | null {
    return this.accountCount;
  }

  /** After a full read (of the records, the accounts or both) that started at `generation`; ignored when something was written since. */
  install(
    generation: number,
    read: { records?: { hash: Hash; lastKey: string; transfers: number; tip: number }; accounts?: number },
  ): void {
    if (generation !== this.generation) return;
    const r = read.records;
    if (r !== undefined) this.state = { hash: r.hash.copy(), lastKey: r.lastKey, transfers: r.transfers, tip: r.tip };
    if (read.accounts !== undefined) this.accountCount = read.accounts;
  }

  /**
   * A committed batch stored these new transfer records (key, record, height) and wrote `accounts` account records.
   * `records` null: not collected (nothing was carried when the batch began) — whatever a full read installed
   * meanwhile may lack them.
   */
  committed(records: readonly { key: string; record: string; height: number }[] | null, accounts: number): void {
    this.generation++;
    if (accounts > 0) this.accountCount = null;
    const s = this.state;
    if (s !== null && records === null) this.state = null;
    if (s === null || records === null || records.length === 0) return;
    const sorted = [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (sorted[0].key <= s.lastKey) {
      this.state = null; // below the end: read again
      return;
    }
    for (const r of sorted) {
      s.hash.update(r.record);
      s.hash.update('\n');
      if (r.height > s.tip) s.tip = r.height;
    }
    s.transfers += sorted.length;
    s.lastKey = sorted[sorted.length - 1].key;
  }

  /** Transfer records deleted or rewritten, or accounts deleted: read everything again. */
  stale(): void {
    this.generation++;
    this.state = null;
    this.accountCount = null;
  }
}

/** A fresh sha256 (the digest's hash). */
export function digestHash(): Hash {
  return createHash('sha256');
}
