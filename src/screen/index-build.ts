/**
 * buildTaintIndex(result) — project a TraceResult onto the compact, query-ready TaintIndex (packed
 * into typed arrays by pack.ts). Pure and deterministic: the same result gives the same index (and
 * the same stored bytes).
 */
import type { AccountTaint, TraceResult } from '../taint/index.js';
import { policyOf, POLICIES } from '../domain.js';
import type { IndexedAccount, IndexedTransfer, PolicyTaintEntry } from './index-types.js';
import { TaintIndexPacker } from './pack.js';
import type { TaintIndex } from './packed.js';

export function buildTaintIndex(result: TraceResult): TaintIndex {
  const policies = POLICIES.filter((p) => result.policies[p] !== undefined);
  const accounts = new Map<string, IndexedAccount>();

  for (const policy of policies) {
    const pr = policyOf(result, policy);
    for (const address of [...pr.accounts.keys()].sort()) {
      const at = pr.accounts.get(address)!;
      let entry = accounts.get(address);
      if (!entry) {
        entry = { address, policies: {}, exits: [] };
        accounts.set(address, entry);
      }
      entry.policies[policy] = policyEntry(at);
    }
  }

  // Transfers that carried taint under some policy, with what the trace knows of them.
  const byHash = new Map(result.transfers.map((t) => [t.hash, t] as const));
  const seedByHash = new Map(result.seed.transfers.map((t) => [t.hash, t] as const));
  const transfers = new Map<string, IndexedTransfer>();
  for (const policy of policies) {
    for (const [hash, taint] of policyOf(result, policy).transferTaint) {
      if (taint <= 0n) continue;
      let entry = transfers.get(hash);
      if (!entry) {
        const t = byHash.get(hash);
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
    const to = accounts.get(t.to);
    if (!isExitAccount(to)) continue;
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

/** Policies under which `account` is an exit (labelled with a stopping category). */
export function isExitAccount(account: IndexedAccount | undefined): boolean {
  return account !== undefined && Object.values(account.policies).some((p: PolicyTaintEntry) => p.isExit);
}

/** The index entry of a seed transfer the trace's transfer list does not describe (no message known). */
function seedEntry(hash: string, s: TraceResult['seed']['transfers'][number]): IndexedTransfer {
  return { hash, from: s.from, to: s.to, height: s.height, timeStamp: s.timeStamp, amount: s.amount, fee: s.fee, message: null, taint: {} };
}
