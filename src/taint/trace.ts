/**
 * runTrace: Transfer records (any order) + a resolved case + labels → TraceResult (docs/taint-semantics.md, docs/contracts.md).
 * Sorts into chain order, cuts at the window end, projects onto columns, runs the one-pass sweep
 * over all six policies, and assembles the contract's per-policy maps (exact bigint amounts).
 */
import type { Transfer } from '../nem/types.js';
import { buildColumns, type IndexedColumns } from './columns.js';
import { buildManifest } from './manifest.js';
import { sortTransfers } from './order.js';
import { resolveSeeds } from './seeds.js';
import { FLAG_POISONED, NP, P_POISON, balanceOf, flagsOf, hopsOf, openingOf, receivedOf, sweep, taintOf, type SweepResult } from './sweep.js';
import {
  POLICIES,
  exitTest,
  type AccountTaint,
  type EvidenceStep,
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
  const { caseSpec } = input;
  const wanted = new Set<Policy>(input.policies ?? POLICIES);
  for (const p of wanted) if (!POLICIES.includes(p)) throw new TypeError(`unknown policy ${JSON.stringify(p)}`);
  const policies = POLICIES.filter((p) => wanted.has(p));

  const windowTo = caseSpec.windowTo;
  const sorted = sortTransfers(input.transfers).filter((t) => windowTo === null || t.timeStamp < windowTo);
  const cols = buildColumns(sorted);
  const exitOf = exitTest(input.labels, caseSpec.exitCategories);
  const isExit = new Uint8Array(cols.accounts);
  cols.addresses.forEach((a, i) => {
    if (exitOf(a)) isExit[i] = 1;
  });
  const seedIdx = resolveSeeds(sorted, caseSpec.seeds);
  const seed = new Uint8Array(cols.n);
  for (const k of seedIdx) seed[k] = 1;

  const res = sweep(cols, { isExit, seed, dust: Number(caseSpec.dust), log: true, history: true });

  const seedTransfers: SeedTransfer[] = seedIdx.map((k) => {
    const t = sorted[k];
    return { hash: t.hash, from: t.sender, to: t.recipient, timeStamp: t.timeStamp, height: t.height, amount: BigInt(t.amount), fee: BigInt(t.fee) };
  });
  const seedAmount = seedTransfers.reduce((s, t) => s + t.amount, 0n);

  const perPolicy: Partial<Record<Policy, PolicyResult>> = {};
  const assembler = new Assembler(sorted, cols, seed, isExit, res);
  for (const policy of policies) perPolicy[policy] = assembler.policy(policy);

  const openings = new Map<string, bigint>();
  for (let a = 0; a < cols.accounts; a++) {
    const o = openingOf(res, a);
    if (o > 0) openings.set(cols.addresses[a], BigInt(o));
  }

  return {
    manifest: buildManifest({ caseSpec, labels: input.labels, policies, storeDigest: input.storeDigest, tipHeight: input.tipHeight, engineVersion: input.engineVersion }),
    case: caseSpec,
    labels: new Map(input.labels),
    seed: { amount: seedAmount, transfers: seedTransfers },
    policies: perPolicy,
    dust: res.dust,
    transfers: sorted,
    openings,
  };
}

/** Turns the sweep's typed arrays and logs into the contract's per-policy maps. */
class Assembler {
  /** Per policy: transfer index → taint carried. */
  private readonly carried: Map<number, number>[] = [];
  /** Per policy: account → history rows (row indices into res.history). */
  private readonly historyRows: Map<number, number[]>[] = [];

  constructor(
    private readonly sorted: readonly Transfer[],
    private readonly cols: IndexedColumns,
    private readonly seed: Uint8Array,
    private readonly isExit: Uint8Array,
    private readonly res: SweepResult,
  ) {
    for (let p = 0; p < NP; p++) {
      this.carried.push(new Map());
      this.historyRows.push(new Map());
    }
    const log = res.log!;
    for (let i = 0; i < log.length; i++) {
      const code = log.code[i];
      this.carried[code & 7].set(code >>> 3, log.amount[i]);
    }
    const h = res.history!;
    for (let i = 0; i < h.length; i++) {
      const m = this.historyRows[h.code[i] & 7];
      const a = h.account[i];
      let rows = m.get(a);
      if (rows === undefined) m.set(a, (rows = []));
      rows.push(i);
    }
  }

  policy(policy: Policy): PolicyResult {
    const p = POLICIES.indexOf(policy);
    const { res, sorted } = this;
    const addresses = this.cols.addresses;
    const exitMemos = new Map<number, { memos: Map<string, { amount: bigint; count: number }>; count: number }>();
    for (const [k, c] of this.carried[p]) {
      const r = this.cols.recipient[k];
      if (this.isExit[r] !== 1) continue;
      let e = exitMemos.get(r);
      if (e === undefined) exitMemos.set(r, (e = { memos: new Map(), count: 0 }));
      const memo = sorted[k].message ?? '';
      const m = e.memos.get(memo) ?? { amount: 0n, count: 0 };
      m.amount += BigInt(c);
      m.count += 1;
      e.memos.set(memo, m);
      e.count += 1;
    }
    const accounts = new Map<string, AccountTaint>();
    let held = 0n;
    let exited = 0n;
    for (let a = 0; a < res.accounts; a++) {
      const k0 = res.firstK[a * NP + p];
      if (k0 < 0) continue;
      const exit = this.isExit[a] === 1;
      const balance = BigInt(balanceOf(res, a));
      const receivedAmount = receivedOf(res, a, p);
      let heldHere = 0n;
      if (!exit) {
        if (p === P_POISON) heldHere = (flagsOf(res, a) & FLAG_POISONED) !== 0 ? balance : 0n;
        else heldHere = BigInt(taintOf(res, a, p));
      }
      const at: AccountTaint = {
        address: addresses[a],
        isExit: exit,
        hops: hopsOf(res, a, p),
        received: receivedAmount,
        held: heldHere,
        balance,
        firstTaintedAt: sorted[k0].timeStamp,
        evidence: this.evidence(a, p),
        history: this.history(a, p),
      };
      if (exit) {
        exited += receivedAmount;
        const e = exitMemos.get(a);
        at.memos = e?.memos ?? new Map();
        at.taintedTransfers = e?.count ?? 0;
      } else held += heldHere;
      accounts.set(addresses[a], at);
    }
    const transferTaint = new Map<string, bigint>();
    for (const [k, c] of [...this.carried[p]].sort((x, y) => x[0] - y[0])) transferTaint.set(sorted[k].hash, BigInt(c));
    return {
      policy,
      totals: { seed: res.injected[p], held, exited, fees: res.fees[p] },
      accounts,
      transferTaint,
    };
  }

  /** Follow first-taint pointers back to a seed; seed transfer first. */
  private evidence(a: number, p: number): EvidenceStep[] {
    const steps: EvidenceStep[] = [];
    let k = this.res.firstK[a * NP + p];
    let guard = Infinity;
    while (k >= 0 && k < guard) {
      const t = this.sorted[k];
      steps.push({ hash: t.hash, from: t.sender, to: t.recipient, timeStamp: t.timeStamp, amount: BigInt(t.amount), taint: BigInt(this.carried[p].get(k) ?? 0) });
      if (this.seed[k] === 1) break;
      guard = k;
      k = this.res.firstK[this.cols.sender[k] * NP + p];
    }
    return steps.reverse();
  }

  private history(a: number, p: number): AccountTaint['history'] {
    const rows = this.historyRows[p].get(a) ?? [];
    const h = this.res.history!;
    return rows.map((i) => {
      const t = this.sorted[h.code[i] >>> 3];
      return { timeStamp: t.timeStamp, height: t.height, balance: BigInt(h.balance[i]), tainted: BigInt(h.tainted[i]) };
    });
  }
}
