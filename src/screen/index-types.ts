/**
 * The taint index: what screening and the HTTP lookup need from a TraceResult, compact and
 * immutable. One entry per account that received taint under at least one policy, one per transfer
 * that carried taint, the labels, and `asOf` (the data's tip).
 *
 * History is kept as parallel typed arrays (time, height, balance, tainted): 24 bytes per event, and
 * `historyTime` is the running maximum of the events' NEM timestamps, so it is non-decreasing even
 * when a later block holds an earlier-stamped transaction — that is what the binary search in
 * `share.ts` needs.
 */
import type { AccountTaint, Manifest } from '../taint/types.js';
import type { Label, Policy } from '../domain.js';

export const TAINT_INDEX_SCHEMA = 'tainttrace/taint-index@1' as const;

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

export interface TaintIndex {
  schema: typeof TAINT_INDEX_SCHEMA;
  manifest: Manifest;
  /** Policies the trace computed, canonical order. */
  policies: Policy[];
  exitCategories: string[];
  asOf: TaintIndexAsOf;
  accounts: Map<string, IndexedAccount>;
  transfers: Map<string, IndexedTransfer>;
  labels: Map<string, Label>;
  /**
   * Coverage: every address that appears in a transfer the trace considered (the crawl reached it,
   * or it traded with an account the crawl reached). Taint within the case's hops can only arrive
   * through such a transfer, so an address here that holds no taint is clean *for this case*; an
   * address outside it is unknown (src/screen/RISK.md). null: the index predates coverage, so no
   * untainted address is known to be clean.
   */
  covered: ReadonlySet<string> | null;
}
