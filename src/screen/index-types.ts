/**
 * The taint index: what screening and the HTTP lookup need from a TraceResult, compact and
 * immutable. One entry per account that received taint under at least one policy, one per transfer
 * that carried taint, the labels, and `asOf` (the data's tip).
 *
 * History is kept as parallel columns (time, height, balance, tainted), and
 * `historyTime` is the running maximum of the events' NEM timestamps, so it is non-decreasing even
 * when a later block holds an earlier-stamped transaction — that is what the binary search in
 * `share.ts` needs.
 */
import type { AccountTaint } from '../taint/index.js';
import type { Policy } from '../domain.js';

/**
 * The stored layout (index-store.ts): @5 is one file beside the store (index-file.ts) named by the store's record, the
 * messages packed as arrays like the rest (messages.ts); @4 (the same file with the messages as a JSON list at its end),
 * @3 (the packed arrays as raw-byte records in LevelDB), @2 (the same arrays as base64 JSON text) and @1 (one JSON
 * record per account) are still read.
 */
export const TAINT_INDEX_SCHEMA = 'tainttrace/taint-index@5' as const;
export const TAINT_INDEX_SCHEMA_V4 = 'tainttrace/taint-index@4' as const;
export const TAINT_INDEX_SCHEMA_V3 = 'tainttrace/taint-index@3' as const;
export const TAINT_INDEX_SCHEMA_V2 = 'tainttrace/taint-index@2' as const;
export const TAINT_INDEX_SCHEMA_V1 = 'tainttrace/taint-index@1' as const;

/** An account's taint under one policy: the trace's numbers (see AccountTaint), evidence as hashes, history as columns. */
export interface PolicyTaintEntry extends Pick<AccountTaint, 'isExit' | 'hops' | 'received' | 'held' | 'balance' | 'firstTaintedAt'> {
  /** Hashes of the transfers that first brought taint here, seed transfer first. */
  evidence: string[];
  /** Running max of event NEM timestamps (non-decreasing). */
  historyTime: Int32Array;
  historyHeight: Int32Array;
  historyBalance: BigInt64Array;
  historyTainted: BigInt64Array;
}

export interface IndexedAccount {
  address: string;
  policies: Partial<Record<Policy, PolicyTaintEntry>>;
  /** Exit accounts this account sent taint to (under any policy), sorted. */
  exits: string[];
}

export interface IndexedTransfer {
  hash: string;
  from: string;
  to: string;
  height: number;
  timeStamp: number;
  amount: bigint;
  fee: bigint;
  message: string | null;
  /** Taint carried to the recipient per policy (fee part excluded); only policies where > 0. */
  taint: Partial<Record<Policy, bigint>>;
}

export interface TaintIndexAsOf {
  /** Tip height of the store the trace ran on (manifest). */
  height: number;
  /** NEM timestamp of the newest transfer the trace saw, null when it saw none. */
  time: number | null;
}

// The index itself is packed into typed arrays (packed.ts, class TaintIndex); `IndexedAccount`,
// `PolicyTaintEntry` and `IndexedTransfer` are the objects its Map-like views build on demand, and
// what the packer (pack.ts) takes.
