/**
 * deriveEvents: what a (re-)trace says happened, as events that fire once each (docs/contracts.md §6).
 * Pure: the index, the stored transfers, the watch list and the chain tip in; events out, each with
 * its fire-once key. The event log drops the keys that already fired, so deriving again after every
 * new block raises each event exactly once, and a batch trace of the final chain raises the same set.
 *
 * - `account.tainted` (key account.tainted:<address>): an account (not an exit) holds taint under some
 *   policy; `at`/`height`/`transfer` from the transfer that first brought it, `amounts` the taint received.
 * - `exit.reached` (key exit.reached:<hash>): a transfer carried taint into an exit; the exit's label,
 *   category and the deposit memo; `amounts` the taint carried per policy, `amount` the haircut's.
 * - `watch.moved` (key watch.moved:<hash>): a watched account sent XEM (or paid a fee).
 * - `watch.drained` (key watch.drained:<address>:<hash>): a watched account with a drain alarm sent,
 *   within its window, more than drainPercent of what it held when the window began — its true balance
 *   read from a node (its opening) carried forward with the stored transfers (./watch-balance.ts); only
 *   debits after the opening are judged, none past a conflict, and none without an opening.
 *   After it fires, it fires again only for a debit past the end of that window.
 * - `index.updated` (no key): one per call, the index's asOf and counts.
 */
import { formatXem, nemToIso, type Transfer } from '../nem/index.js';
import type { IndexedAccount, IndexedTransfer, TaintIndex } from '../screen/index.js';
import { POLICIES, type Policy } from '../taint/index.js';
import type { EventType, NewEvent, TaintEvent } from './types.js';
import type { WatchList } from './watch-list.js';
import { carryBalance, debitOf, watchedTransfers, type WatchDebit, type WatchOpening } from './watch-balance.js';

/** NIS1 rewrite limit: a height is final at or below tip − 360 (docs/nis1.md §5). */
export const FINALITY_DEPTH = 360;

export interface DeriveInput {
  index: TaintIndex;
  /** The stored transfers (any order); needed for the watch events. */
  transfers: readonly Transfer[];
  watch: WatchList;
  /** Chain tip the follower has read up to. */
  tip: number;
  /**
   * What changed since the last derivation (follow's incremental re-trace, src/taint/incremental.ts): only these
   * accounts can have become tainted and only these transfers can have carried taint into an exit or moved a
   * watched account's funds, so only they are looked at; every other event derived before has fired already
   * (the event log drops it), so what the log appends is what a derivation over everything gives.
   * Absent: derive from everything (a restart, a full trace).
   */
  changed?: { accounts: Iterable<string>; transfers: readonly Transfer[] };
  /** The watched accounts' true balances read from a node (./watch-balance.ts); without one, no drain alarm. */
  openings?: ReadonlyMap<string, WatchOpening>;
}

export const isFinal = (height: number, tip: number): boolean => height <= tip - FINALITY_DEPTH;

export function deriveEvents(input: DeriveInput): NewEvent[] {
  const { index, tip } = input;
  const caseId = index.manifest.caseId;
  const out: NewEvent[] = [];
  const base = (type: EventType, height: number, ts: number): Omit<TaintEvent, 'seq'> => ({
    type,
    at: nemToIso(ts),
    height,
    final: isFinal(height, tip),
    caseId,
  });
  const isExit = (address: string): boolean => {
    const a = index.accounts.get(address);
    if (a) return Object.values(a.policies).some((p) => p.isExit);
    const l = index.labels.get(address);
    return l !== undefined && index.exitCategories.includes(l.category);
  };

  const { changed } = input;
  for (const [address, account] of changed ? changedAccounts(index, changed.accounts) : index.accounts) {
    if (isExit(address)) continue;
    let first: { policy: Policy; ts: number; hash: string | undefined } | null = null;
    const amounts: Partial<Record<Policy, string>> = {};
    for (const policy of POLICIES) {
      const e = account.policies[policy];
      if (!e) continue;
      amounts[policy] = formatXem(e.received);
      if (first === null || e.firstTaintedAt < first.ts) first = { policy, ts: e.firstTaintedAt, hash: e.evidence[e.evidence.length - 1] };
    }
    if (first === null) continue;
    const t = first.hash === undefined ? undefined : index.transfers.get(first.hash);
    out.push({
      key: `account.tainted:${address}`,
      event: {
        ...base('account.tainted', t?.height ?? index.asOf.height, first.ts),
        policy: first.policy,
        account: address,
        amounts,
        ...(first.hash ? { transfer: first.hash } : {}),
      },
    });
  }

  for (const t of changed ? changedTransfers(index, changed.transfers) : index.transfers.values()) {
    if (!isExit(t.to)) continue;
    const amounts: Partial<Record<Policy, string>> = {};
    for (const policy of POLICIES) if ((t.taint[policy] ?? 0n) > 0n) amounts[policy] = formatXem(t.taint[policy]!);
    if (Object.keys(amounts).length === 0) continue;
    const l = index.labels.get(t.to);
    const policy: Policy | undefined = amounts.haircut !== undefined ? 'haircut' : (Object.keys(amounts)[0] as Policy);
    out.push({
      key: `exit.reached:${t.hash}`,
      event: {
        ...base('exit.reached', t.height, t.timeStamp),
        policy,
        account: t.to,
        amount: amounts[policy],
        amounts,
        transfer: t.hash,
        exit: { label: l?.label ?? t.to, category: l?.category ?? 'exit', ...(t.message ? { memo: t.message } : {}) },
      },
    });
  }

  // a watched account's events move only with its own transfers
  if (input.watch.size > 0 && (!changed || changed.transfers.some((t) => input.watch.has(t.sender) || input.watch.has(t.recipient))))
    out.push(...watchEvents(input, base));

  out.sort(compareNew);
  const provisional = input.transfers.reduce((n, t) => n + (isFinal(t.height, tip) ? 0 : 1), 0);
  out.push({
    key: null,
    event: {
      ...base('index.updated', index.asOf.height, index.asOf.time ?? 0),
      index: { accounts: index.accounts.size, transfers: index.transfers.size, provisional },
    },
  });
  return out;
}

function* changedAccounts(index: TaintIndex, addresses: Iterable<string>): Generator<[string, IndexedAccount]> {
  for (const address of addresses) {
    const account = index.accounts.get(address);
    if (account) yield [address, account];
  }
}

function* changedTransfers(index: TaintIndex, transfers: readonly Transfer[]): Generator<IndexedTransfer> {
  for (const t of transfers) {
    const indexed = index.transfers.get(t.hash);
    if (indexed) yield indexed;
  }
}

type Base = (type: EventType, height: number, ts: number) => Omit<TaintEvent, 'seq'>;

function watchEvents(input: DeriveInput, base: Base): NewEvent[] {
  const out: NewEvent[] = [];
  for (const [address, list] of watchedTransfers(input.transfers, input.watch)) {
    const w = input.watch.get(address)!;
    for (const t of list) {
      const debit = debitOf(t, address);
      if (debit === 0n) continue;
      out.push({
        key: `watch.moved:${t.hash}`,
        event: {
          ...base('watch.moved', t.height, t.timeStamp),
          account: address,
          amount: formatXem(debit),
          transfer: t.hash,
          watch: { label: w.label },
        },
      });
    }
    const opening = input.openings?.get(address);
    if (w.drainPercent === null || w.drainWindow === null || opening === undefined) continue;
    // Debits after the opening, with the true balance carried forward; the debits in the window as a queue.
    const window: WatchDebit[] = [];
    let quietUntil = -1;
    for (const d of carryBalance(address, list, opening).debits) {
      const t = d.transfer;
      window.push(d);
      while (window.length > 0 && window[0].transfer.timeStamp <= t.timeStamp - w.drainWindow) window.shift();
      const sent = window.reduce((s, x) => s + x.debit, 0n);
      const held = window[0].before;
      // sent / held > p %, exact: sent × 10^6 > held × round(p × 10^4)
      if (t.timeStamp >= quietUntil && held > 0n && sent * 1_000_000n > held * BigInt(Math.round(w.drainPercent * 10_000))) {
        quietUntil = t.timeStamp + w.drainWindow;
        out.push({
          key: `watch.drained:${address}:${t.hash}`,
          event: {
            ...base('watch.drained', t.height, t.timeStamp),
            account: address,
            amount: formatXem(sent),
            transfer: t.hash,
            watch: { label: w.label },
          },
        });
      }
    }
  }
  return out;
}

const TYPE_ORDER: Record<EventType, number> = {
  'watch.moved': 0,
  'watch.drained': 1,
  'account.tainted': 2,
  'exit.reached': 3,
  'transfer.retracted': 4,
  'index.updated': 5,
};

function compareNew(x: NewEvent, y: NewEvent): number {
  const a = x.event;
  const b = y.event;
  return (
    a.height - b.height ||
    (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) ||
    TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
    ((x.key ?? '') < (y.key ?? '') ? -1 : 1)
  );
}
