/**
 * buildTaintIndex(result) — project a TraceResult onto the compact, query-ready TaintIndex (packed
 * into typed arrays by pack.ts). Pure and deterministic: the same result gives the same index (and
 * the same stored bytes). runTrace's results are read from the sweep's columns (index-from-columns.ts); any
 * other result from its objects, here.
 */
import { traceColumnsOf, type AccountTaint, type TraceResult } from '../taint/index.js';
import { policyOf, POLICIES, type Policy } from '../domain.js';
import type { Transfer } from '../nem/index.js';
import type { IndexedAccount, IndexedTransfer, PolicyTaintEntry } from './index-types.js';
import { buildFromColumns } from './index-from-columns.js';
import { TaintIndexPacker } from './pack.js';
import type { TaintIndex } from './packed.js';

export function buildTaintIndex(result: TraceResult): TaintIndex {
  const trace = traceColumnsOf(result);
  return trace === undefined ? buildTaintIndexFromObjects(result) : buildFromColumns(result, trace);
}

/**
 * The build from the result's objects (each account's AccountTaint, each transfer by hash): for results that are not
 * runTrace's whole result (hand-built, incremental). Packs the same bytes as the build from the sweep's columns.
 */
export function buildTaintIndexFromObjects(result: TraceResult): TaintIndex {
  const policies = POLICIES.filter((p) => result.policies[p] !== undefined);
  const accounts = new Map<string, IndexedAccount>();
  const exitAccounts = new Set<string>();

  // every policy's accounts in address order: the addresses sorted once, each policy's picked from them
  const addresses = new Set<string>();
  for (const policy of policies) for (const address of policyOf(result, policy).accounts.keys()) addresses.add(address);
  const sorted = [...addresses].sort();
  for (const policy of policies) {
    const pr = policyOf(result, policy);
    for (const address of sorted) {
      const at = pr.accounts.get(address);
      if (at === undefined) continue;
      let entry = accounts.get(address);
      if (!entry) {
        entry = { address, policies: {}, exits: [] };
        accounts.set(address, entry);
      }
      entry.policies[policy] = policyEntry(at);
      if (at.isExit) exitAccounts.add(address);
    }
  }

  // Transfers that carried taint under some policy, with what the trace knows of them.
  const seedByHash = new Map(result.seed.transfers.map((t) => [t.hash, t] as const));
  const transfers = new Map<string, IndexedTransfer>();
  for (const policy of policies) {
    for (const [hash, t, taint] of taintedTransfers(result, policy)) {
      if (taint <= 0n) continue;
      let entry = transfers.get(hash);
      if (!entry) {
        const s = seedByHash.get(hash);
        if (t)
          entry = {
            hash,
            from: t.sender,
            to: t.recipient,
            height: t.height,
            timeStamp: t.timeStamp,
            amount: BigInt(t.amount),
            fee: BigInt(t.fee),
            message: t.message,
            taint: {},
          };
        else if (s) entry = seedEntry(hash, s);
        else continue; // the trace reports taint for a transfer it does not describe: nothing to serve
        transfers.set(hash, entry);
      }
      entry.taint[policy] = taint;
    }
  }
  for (const [hash, s] of seedByHash) if (!transfers.has(hash)) transfers.set(hash, seedEntry(hash, s));

  // Exits each tainted account sent taint to.
  const exitSets = new Map<string, Set<string>>();
  for (const t of transfers.values()) {
    if (!exitAccounts.has(t.to)) continue;
    if (!accounts.has(t.from)) continue;
    let set = exitSets.get(t.from);
    if (!set) exitSets.set(t.from, (set = new Set()));
    set.add(t.to);
  }
  for (const [address, set] of exitSets) accounts.get(address)!.exits = [...set].sort();

  let time: number | null = null;
  for (const t of result.transfers) if (t.height <= result.manifest.tipHeight && (time === null || t.timeStamp > time)) time = t.timeStamp;

  const packer = new TaintIndexPacker({
    manifest: result.manifest,
    policies,
    exitCategories: [...result.case.exitCategories],
    asOf: { height: result.manifest.tipHeight, time },
    labels: new Map(result.labels),
    hasCoverage: true,
  });
  for (const t of transfers.values()) packer.addTransfer(t);
  for (const account of accounts.values()) packer.addAccount(account);
  for (const t of result.transfers) {
    packer.addCovered(t.sender);
    packer.addCovered(t.recipient);
  }
  return packer.finish();
}

function policyEntry(at: AccountTaint): PolicyTaintEntry {
  const n = at.history.length;
  const historyTime = new Int32Array(n);
  const historyHeight = new Int32Array(n);
  const historyBalance = new BigInt64Array(n);
  const historyTainted = new BigInt64Array(n);
  let max = -1;
  for (let i = 0; i < n; i++) {
    const h = at.history[i];
    if (h.timeStamp > max) max = h.timeStamp;
    historyTime[i] = max;
    historyHeight[i] = h.height;
    historyBalance[i] = h.balance;
    historyTainted[i] = h.tainted;
  }
  return {
    isExit: at.isExit,
    hops: at.hops,
    received: at.received,
    held: at.held,
    balance: at.balance,
    firstTaintedAt: at.firstTaintedAt,
    evidence: at.evidence.map((e) => e.hash),
    historyTime,
    historyHeight,
    historyBalance,
    historyTainted,
  };
}

/**
 * (hash, the transfer when the trace describes it, taint) of every transfer that carried taint under `policy`, in
 * chain order. runTrace's results give the rows by transfer index (`carried`), so no lookup by hash is needed;
 * a hand-built result only has `transferTaint`, looked up in a map of its transfers.
 */
function* taintedTransfers(result: TraceResult, policy: Policy): Generator<[string, Transfer | undefined, bigint]> {
  const pr = policyOf(result, policy);
  const c = pr.carried;
  if (c !== undefined) {
    for (let i = 0; i < c.length; i++) {
      const t = result.transfers.at(c.k[i])!;
      yield [t.hash, t, BigInt(c.amount[i])];
    }
    return;
  }
  const byHash = new Map(Array.from(result.transfers, (t) => [t.hash, t] as const));
  for (const [hash, taint] of pr.transferTaint) yield [hash, byHash.get(hash), taint];
}

/** Policies under which `account` is an exit (labelled with a stopping category). */
export function isExitAccount(account: IndexedAccount | undefined): boolean {
  return account !== undefined && Object.values(account.policies).some((p: PolicyTaintEntry) => p.isExit);
}

/** The index entry of a seed transfer the trace's transfer list does not describe (no message known). */
function seedEntry(hash: string, s: TraceResult['seed']['transfers'][number]): IndexedTransfer {
  return { hash, from: s.from, to: s.to, height: s.height, timeStamp: s.timeStamp, amount: s.amount, fee: s.fee, message: null, taint: {} };
}
