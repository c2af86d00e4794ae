/**
 * A watched account's balance for `watch.drained` (docs/contracts.md §6 "Follow mode", issue 11 item 3).
 *
 * The store holds only some of an account's history (the transfers of the follow window, none of its harvest
 * fees, mosaics or other transaction types), so a balance rebuilt from stored transfers alone is short of the
 * truth, and a drain share measured against it false-alarms (a debit above it looked like "all it held").
 * The follower reads the true balance from the node instead (`/account/get`, docs/nis1.md §1) and records it
 * as the account's **opening** at the height it read it; this module carries it forward with the stored
 * transfers above that height. Pure.
 *
 * A stored transfer is signed and verified; a debit the carried balance cannot cover means the opening
 * contradicts the chain (a node's lie, or credits no transfer shows, such as harvest fees earned since): a
 * **conflict**. The walk stops there — no drain is judged on a balance known to be wrong — and the follower
 * sets the opening aside and reads it again (src/jobs/follow-job.ts).
 */
import type { Transfer } from '../nem/index.js';

/** The true balance of a watched account, read from a node, at the height it was read. */
export interface WatchOpening {
  height: number;
  /** µXEM. */
  balance: bigint;
  /** The node that answered (for messages). */
  node: string;
}

export interface WatchDebit {
  transfer: Transfer;
  /** µXEM the account paid: amount (unless to itself) and fee. */
  debit: bigint;
  /** µXEM it held just before. */
  before: bigint;
}

export interface WatchConflict {
  address: string;
  opening: WatchOpening;
  /** The first stored debit the carried balance could not cover. */
  transfer: Transfer;
  debit: bigint;
  /** µXEM carried to just before it. */
  balance: bigint;
}

/** µXEM a transfer takes from `address` (amount unless sent to itself, and fee). */
export function debitOf(t: Transfer, address: string): bigint {
  if (t.sender !== address) return 0n;
  return (t.recipient === address ? 0n : BigInt(t.amount)) + BigInt(t.fee);
}

/** µXEM a transfer gives `address`. */
export function creditOf(t: Transfer, address: string): bigint {
  return t.recipient === address && t.sender !== address ? BigInt(t.amount) : 0n;
}

/**
 * The debits of `address` after its opening, each with the balance before it, in the order of `transfers`
 * (chain order, those touching the account); stops at the first conflict.
 */
export function carryBalance(
  address: string,
  transfers: readonly Transfer[],
  opening: WatchOpening,
): { debits: WatchDebit[]; conflict: WatchConflict | null } {
  const debits: WatchDebit[] = [];
  let balance = opening.balance;
  for (const t of transfers) {
    if (t.height <= opening.height) continue; // in the opening already
    balance += creditOf(t, address);
    const debit = debitOf(t, address);
    if (debit === 0n) continue;
    if (debit > balance) return { debits, conflict: { address, opening, transfer: t, debit, balance } };
    debits.push({ transfer: t, debit, before: balance });
    balance -= debit;
  }
  return { debits, conflict: null };
}

/** The stored transfers of each watched account, in chain order. */
export function watchedTransfers(
  transfers: readonly Transfer[],
  watched: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): Map<string, Transfer[]> {
  const out = new Map<string, Transfer[]>();
  for (const t of transfers) {
    for (const a of t.sender === t.recipient ? [t.sender] : [t.sender, t.recipient]) {
      if (!watched.has(a)) continue;
      let list = out.get(a);
      if (!list) out.set(a, (list = []));
      list.push(t);
    }
  }
  for (const list of out.values()) list.sort(chainOrder);
  return out;
}

/** The conflicts between the openings and the stored transfers (at most one per account: where its walk stops). */
export function watchConflicts(transfers: readonly Transfer[], openings: ReadonlyMap<string, WatchOpening>): WatchConflict[] {
  const out: WatchConflict[] = [];
  for (const [address, list] of watchedTransfers(transfers, openings)) {
    const { conflict } = carryBalance(address, list, openings.get(address)!);
    if (conflict) out.push(conflict);
  }
  return out;
}

function chainOrder(a: Transfer, b: Transfer): number {
  return a.height - b.height || a.timeStamp - b.timeStamp || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
}
