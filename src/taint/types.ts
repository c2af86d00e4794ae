/**
 * The contract between the taint core and its consumers (report/, screen/, server/, graph/).
 * Pure data: no I/O. The shared vocabulary (policies, labels, the case, the exit rule) lives in
 * src/domain.ts and is re-exported here. Amounts are bigint µXEM; times are NEM timestamps (seconds)
 * unless named *Iso.
 */

export {
  POLICIES,
  AMOUNT_POLICIES,
  DEFAULT_EXIT_CATEGORIES,
  isExitLabel,
  exitTest,
  type Policy,
  type Label,
  type SeedSpec,
  type ResolvedCase,
} from '../domain.js';
import type { Label, Policy, ResolvedCase } from '../domain.js';
import type { Transfer, TransferFields } from '../nem/index.js';
import type { IndexedColumns } from './columns.js';

export { rowFields, type TransferFields } from '../nem/index.js';

/**
 * The transfers a trace considered, in chain order (index k = row k of the trace's columns; see table.ts). An array
 * of Transfer is one. A reader of many rows reads what the columns lack (message, innerHash, type, messageType,
 * time, mosaics, signer) with `rowFields(list).messageAt(k)` etc. (nem/transfer-fields.ts): the store's list
 * implements those fields without a Transfer object, an array gives them from its objects.
 */
export interface TransferList extends Iterable<Transfer>, Partial<TransferFields> {
  readonly length: number;
  /** Transfer k as an object (undefined outside 0 ≤ k < length). */
  at(k: number): Transfer | undefined;
}

/** A trace's transfers as columns (chain order), with their hashes (see table.ts). */
export interface TraceTable extends IndexedColumns {
  /** Transfer k's hash: 64 lower-case hex. */
  hashAt(k: number): string;
  /** The hashes as 32 raw bytes per row, when the table was loaded so (the store's). */
  hashes?: Uint8Array;
}

/** One step of an evidence path: the transfer that carried taint one hop further. */
export interface EvidenceStep {
  hash: string;
  from: string;
  to: string;
  timeStamp: number;
  amount: bigint;
  /** Taint this transfer carried to `to` under the policy (for poison: the whole amount). */
  taint: bigint;
}

/** Per policy, per account that received taint (exits included: `isExit`). */
export interface AccountTaint {
  address: string;
  isExit: boolean;
  /** Minimum hop count (seed recipients are 1). */
  hops: number;
  /** Taint credited over the window. */
  received: bigint;
  /** Tainted balance at the end (poison: the whole balance of the poisoned account). */
  held: bigint;
  /** Whole balance at the end. */
  balance: bigint;
  firstTaintedAt: number;
  /** Chain of transfers that first brought taint here, seed transfer first. */
  evidence: EvidenceStep[];
  /** State after every balance event from first taint on, for "share at time t" queries. */
  history: { timeStamp: number; height: number; balance: bigint; tainted: bigint }[];
  /** Exits only: taint that arrived, per deposit memo ("" = no memo). */
  memos?: Map<string, { amount: bigint; count: number }>;
  /** Exits only: number of transfers that brought taint. */
  taintedTransfers?: number;
}

/**
 * Taint carried per transfer under one policy, columnar: one row per transfer that carried taint, rows sorted
 * by the transfer's index in `TraceResult.transfers` (chain order); µXEM in a Float64Array (exact below 2^53).
 * Read it with `carriedOf` (carried.ts).
 */
export interface CarriedTaint {
  readonly length: number;
  /** Transfer index (into TraceResult.transfers), ascending. */
  readonly k: Int32Array;
  readonly amount: Float64Array;
}

export interface PolicyResult {
  policy: Policy;
  totals: { seed: bigint; held: bigint; exited: bigint; fees: bigint };
  /**
   * Keyed by address; iteration order is not meaningful: sort before emitting. runTrace's maps are
   * views over the sweep's columns (views.ts): each get makes a fresh object, evidence and history on access.
   */
  accounts: ReadonlyMap<string, AccountTaint>;
  /** Taint carried per transfer hash (credited to the recipient, fee part excluded), > 0 only. */
  transferTaint: ReadonlyMap<string, bigint>;
  /** The same per transfer index into TraceResult.transfers, columnar (runTrace sets it; read it with `carriedOf`). */
  carried?: CarriedTaint;
}

export interface SeedTransfer {
  hash: string;
  from: string;
  to: string;
  timeStamp: number;
  height: number;
  amount: bigint;
  fee: bigint;
  position?: number;
}

export interface Manifest {
  schema: 'tainttrace/manifest@1';
  engineVersion: string;
  caseId: string;
  policies: Policy[];
  dust: string;
  maxHops: number;
  exitCategories: string[];
  labelSetHash: string;
  storeDigest: string;
  tipHeight: number;
  windowTo: string | null;
}

export interface TraceResult {
  manifest: Manifest;
  case: ResolvedCase;
  labels: Map<string, Label>;
  seed: { amount: bigint; transfers: SeedTransfer[] };
  policies: Partial<Record<Policy, PolicyResult>>;
  /** What the dust threshold pruned under poison: transfers out of poisoned accounts below dust. */
  dust: { transfers: number; amount: bigint };
  /** The transfers the trace considered, in chain order (for graph/report/exports; to read many, use `tableOf`). */
  transfers: TransferList;
  /** The same transfers as columns (runTrace sets it; read it with `tableOf`, which projects a hand-built result's). */
  table?: TraceTable;
  /**
   * Implied clean opening balances (docs/taint-semantics.md): per account whose debits exceeded its known
   * balance, the total shortfall added as its oldest funds. Optional for hand-built results.
   */
  openings?: Map<string, bigint>;
}
