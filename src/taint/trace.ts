/**
 * runTrace: Transfer records (any order) + a resolved case + labels → TraceResult (docs/taint-semantics.md, docs/contracts.md).
 * Sorts into chain order, cuts at the window end, projects onto columns, runs the one-pass sweep
 * over all six policies, and assembles the contract's per-policy maps (exact bigint amounts).
 * `prepareTransfers` + `traceSeeded` are the same steps with the seeds and exits given per index,
 * for callers that choose them otherwise (exposure: a risky source's outflows are the seeds).
 */
import type { Transfer } from '../nem/index.js';
import { buildManifest } from './manifest.js';
import { compareChainOrder, sortTransfers } from './order.js';
import { resolveSeedRows, seedTransfer } from './seeds.js';
import { NP, Sums, balanceOf, heldOf, hopsOf, openingOf, receivedNumberOf, receivedOf, sweep, type SweepResult } from './sweep.js';
import { tableOfTransfers, type TraceTable, type TransferList } from './table.js';
import { PolicyAccounts, TraceColumns, TransferTaintMap } from './views.js';
import {
  POLICIES,
  exitTest,
  type Label,
  type Policy,
  type PolicyResult,
  type ResolvedCase,
  type SeedTransfer,
  type TraceResult,
} from './types.js';

export interface RunTraceInput {
  transfers: readonly Transfer[];
  caseSpec: ResolvedCase;
  labels: ReadonlyMap<string, Label>;
  /** Policies to report (all six are computed in the same pass anyway); default: all. */
  policies?: readonly Policy[];
  storeDigest: string;
  tipHeight: number;
  engineVersion: string;
}

export function runTrace(input: RunTraceInput): TraceResult {
  return traceCase(input, prepareTransfers(input.transfers, input.caseSpec.windowTo));
}

/** A trace over transfers already as columns (the store's: chain order, cut at the window end), with their hashes. */
export interface RunTraceColumnsInput extends Omit<RunTraceInput, 'transfers'> {
  /** The columns in chain order, each row's hash, the address table (row k = `transfers.at(k)`). */
  table: TraceTable;
  /** The same transfers as objects, made when asked for (the trace reads only the seeds and exits' memos). */
  transfers: TransferList;
}

/** runTrace over columns: the same sweep and result, no Transfer object per transfer. */
export function runTraceColumns(input: RunTraceColumnsInput): TraceResult {
  const { table, transfers } = input;
  if (transfers.length !== table.n) throw new TypeError(`runTraceColumns: ${transfers.length} transfers for ${table.n} rows`);
  for (let k = 1; k < table.n; k++) {
    if (table.height[k] < table.height[k - 1]) throw new TypeError(`runTraceColumns: row ${k} is not in chain order`);
  }
  const windowTo = input.caseSpec.windowTo;
  if (windowTo !== null)
    for (let k = 0; k < table.n; k++) if (!(table.timeStamp[k] < windowTo)) throw new TypeError(`row ${k} is past the window`);
  return traceCase(input, { sorted: transfers, cols: table });
}

/** The case's exits and seeds over prepared transfers, swept and assembled. */
function traceCase(input: Omit<RunTraceInput, 'transfers'>, prepared: PreparedTransfers<TransferList>): TraceResult {
  const { caseSpec } = input;
  const policies = checkPolicies(input.policies);
  const { cols } = prepared;
  const exitOf = exitTest(input.labels, caseSpec.exitCategories);
  const isExit = new Uint8Array(cols.accounts);
  cols.addresses.forEach((a, i) => {
    if (exitOf(a)) isExit[i] = 1;
  });
  const seed = new Uint8Array(cols.n);
  for (const k of resolveSeedRows(cols, caseSpec.seeds)) seed[k] = 1;
  const traced = traceSeeded(prepared, { isExit, seed, dust: caseSpec.dust, policies, history: true });
  return traceResultOf(input, policies, prepared.sorted, traced);
}

/** A case's TraceResult: the manifest, the case, the labels and the assembled sweep. */
export function traceResultOf<L extends TransferList>(
  input: Omit<RunTraceInput, 'transfers' | 'policies'>,
  policies: Policy[],
  sorted: L,
  traced: SeededTrace,
): TraceResult & { transfers: L } {
  const { caseSpec } = input;
  return {
    manifest: buildManifest({
      caseSpec,
      labels: input.labels,
      policies,
      storeDigest: input.storeDigest,
      tipHeight: input.tipHeight,
      engineVersion: input.engineVersion,
    }),
    case: caseSpec,
    labels: new Map(input.labels),
    seed: traced.seed,
    policies: traced.policies,
    dust: traced.dust,
    transfers: sorted,
    ...(traced.table === undefined ? {} : { table: traced.table }),
    openings: traced.openings,
  };
}

/** The policies asked for, in POLICIES order (default: all); an unknown name is a TypeError. */
export function checkPolicies(asked: readonly Policy[] | undefined): Policy[] {
  const wanted = new Set<Policy>(asked ?? POLICIES);
  for (const p of wanted) if (!POLICIES.includes(p)) throw new TypeError(`unknown policy ${JSON.stringify(p)}`);
  return POLICIES.filter((p) => wanted.has(p));
}

/** Transfers in chain order, cut at the window end, and their columns with their hashes (row k = `sorted.at(k)`). */
export interface PreparedTransfers<L extends TransferList = Transfer[]> {
  sorted: L;
  cols: TraceTable;
}

/** Transfers in chain order, cut at the window end, projected onto columns (account indices as first seen). */
export function prepareTransfers(transfers: readonly Transfer[], windowTo: number | null): PreparedTransfers {
  // the store hands transfers over in chain order, but for heights with block positions: one check instead of a sort
  const ordered = inChainOrder(transfers) ? transfers : sortTransfers(transfers);
  const sorted = ordered.filter((t) => windowTo === null || t.timeStamp < windowTo);
  return { sorted, cols: tableOfTransfers(sorted) };
}

/** Strictly in chain order (so also one transfer per hash). */
function inChainOrder(transfers: readonly Transfer[]): boolean {
  for (let i = 1; i < transfers.length; i++) if (compareChainOrder(transfers[i - 1], transfers[i]) >= 0) return false;
  return true;
}

export interface SeededTraceInput {
  /** Per account index: 1 = exit (absorbs taint). */
  isExit: Uint8Array;
  /** Per transfer index: 1 = seed. */
  seed: Uint8Array;
  /** Poison dust threshold, µXEM. */
  dust: bigint;
  /** Policies to assemble (all six are computed in the one pass anyway); default: all. */
  policies?: readonly Policy[];
  /** Per-account history rows (for "share at time t"); default false. */
  history?: boolean;
  /** Assemble only these accounts (default: every account that received taint); totals cover all. */
  accounts?: ReadonlySet<string>;
}

export interface SeededTrace {
  seed: TraceResult['seed'];
  policies: Partial<Record<Policy, PolicyResult>>;
  dust: TraceResult['dust'];
  openings: Map<string, bigint>;
  /** Whole balance at the end of each account of `accounts` (empty without `accounts`). */
  balances: Map<string, bigint>;
  /** The prepared transfers as columns with their hashes (TraceResult.table; absent: `tableOf` projects them). */
  table?: TraceTable;
}

/**
 * The one exact sweep over prepared transfers with the seeds and exits given per index (a case's
 * seeds resolved by `runTrace`, or an exposure's sources' outflows), assembled per policy.
 */
export function traceSeeded(prepared: PreparedTransfers<TransferList>, input: SeededTraceInput): SeededTrace {
  const { isExit, seed } = input;
  const res = sweep(prepared.cols, { isExit, seed, dust: Number(input.dust), log: true, history: input.history === true });
  return assembleSeeded(prepared, input, res);
}

/** The contract's per-policy maps from a finished sweep (with its log) over the prepared transfers. */
export function assembleSeeded(prepared: PreparedTransfers<TransferList>, input: SeededTraceInput, res: SweepResult): SeededTrace {
  const { sorted, cols } = prepared;
  const { seed, isExit } = input;
  const policies = checkPolicies(input.policies);

  const seedTransfers: SeedTransfer[] = [];
  for (let k = 0; k < cols.n; k++) if (seed[k] === 1) seedTransfers.push(seedTransfer(sorted.at(k)!));
  const seedAmount = seedTransfers.reduce((s, t) => s + t.amount, 0n);

  let only: number[] | null = null;
  const balances = new Map<string, bigint>();
  if (input.accounts !== undefined) {
    only = [];
    for (const a of input.accounts) {
      const i = cols.index.get(a);
      if (i !== undefined) only.push(i);
      balances.set(a, i === undefined ? 0n : BigInt(balanceOf(res, i)));
    }
  }
  const perPolicy: Partial<Record<Policy, PolicyResult>> = {};
  const trace = new TraceColumns(sorted, cols, seed, isExit, res, accountFigures, accountFigureNumbers);
  const sums = policySums(res, isExit);
  for (const policy of policies) perPolicy[policy] = policyResult(trace, policy, only, sums);

  const openings = new Map<string, bigint>();
  for (let a = 0; a < cols.accounts; a++) {
    const o = openingOf(res, a);
    if (o > 0) openings.set(cols.addresses[a], BigInt(o));
  }
  return { seed: { amount: seedAmount, transfers: seedTransfers }, policies: perPolicy, dust: res.dust, openings, balances, table: cols };
}

/**
 * One account's figures under policy index p after a sweep: taint received, tainted balance held at
 * the end (poison: the whole balance once poisoned; an exit holds none), minimum hops (0 = never
 * tainted) and whole balance.
 */
export function accountFigures(
  res: SweepResult,
  a: number,
  p: number,
  exit: boolean,
): { received: bigint; held: bigint; hops: number; balance: bigint } {
  return {
    received: receivedOf(res, a, p),
    held: BigInt(heldOf(res, a, p, exit)),
    hops: hopsOf(res, a, p),
    balance: BigInt(balanceOf(res, a)),
  };
}

/** accountFigures' received, held and hops as numbers (no bigint): received is NaN once past 2^53 (accountFigures has it). */
export function accountFigureNumbers(
  res: SweepResult,
  a: number,
  p: number,
  exit: boolean,
): { received: number; held: number; hops: number } {
  return { received: receivedNumberOf(res, a, p), held: heldOf(res, a, p, exit), hops: hopsOf(res, a, p) };
}

/**
 * Per policy index, summed over every account that received taint: the taint held at the end (accounts that are not
 * exits) and the taint exits received — `accountFigures`' held and received, summed exactly without a bigint per
 * account (a received past 2^53 is added as its exact bigint).
 */
function policySums(res: SweepResult, isExit: Uint8Array): { held: bigint[]; exited: bigint[] } {
  const held = new Sums();
  const exited = new Sums();
  const firstK = res.firstK;
  for (let a = 0; a < res.accounts; a++) {
    const exit = isExit[a] === 1;
    for (let p = 0; p < NP; p++) {
      if (firstK[a * NP + p] < 0) continue;
      if (!exit) held.add(p, heldOf(res, a, p, false));
      else {
        const received = receivedNumberOf(res, a, p);
        if (received === received) exited.add(p, received);
        else exited.big[p] += receivedOf(res, a, p);
      }
    }
  }
  return { held: held.values(), exited: exited.values() };
}

/**
 * One policy's result: totals summed over every account that received taint (also outside `only`: `sums`), the
 * accounts and per-transfer taint as views over the sweep's columns (views.ts).
 */
function policyResult(
  trace: TraceColumns,
  policy: Policy,
  only: readonly number[] | null,
  sums: { held: bigint[]; exited: bigint[] },
): PolicyResult {
  const p = POLICIES.indexOf(policy);
  const { res } = trace;
  const carried = trace.carried[p];
  return {
    policy,
    totals: { seed: res.injected[p], held: sums.held[p], exited: sums.exited[p], fees: res.fees[p] },
    accounts: new PolicyAccounts(trace, p, only),
    transferTaint: new TransferTaintMap(trace, carried),
    carried,
  };
}
