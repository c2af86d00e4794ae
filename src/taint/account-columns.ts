/**
 * A policy's tainted accounts and their history as columns (issue 10): what a consumer that reads many accounts
 * (the report page's graph, flow diagram and series) reads instead of an AccountTaint object per account.
 *
 * `accountColumnsOf(result, policy)`: one row per account that received taint under the policy (the accounts of
 * `result.policies[policy].accounts`), ascending account index of `tableOf(result)`, with the account's figures as
 * the AccountTaint object would give them. `historyColumnsOf(result, policy)`: the accounts' history rows
 * (AccountTaint.history) in chain order. runTrace's results read the sweep's columns (views.ts); a hand-built
 * result (a Map of objects) is converted once.
 */
import { tableOf } from './table.js';
import type { AccountTaint, Policy, TraceResult } from './types.js';

export interface AccountColumns {
  readonly length: number;
  /** Account index (into `tableOf(result).addresses`) per row, ascending. */
  readonly account: Int32Array;
  /** Taint received, µXEM (the double nearest the exact value: exact below 2^53; `receivedAt` is always exact). */
  readonly received: Float64Array;
  /** Tainted balance at the end, µXEM (exact: a balance is below 2^53). */
  readonly held: Float64Array;
  /** Minimum hops (seed recipients 1). */
  readonly hops: Int32Array;
  /** 1 when the account is an exit. */
  readonly exit: Uint8Array;
  /** NEM timestamp of the transfer that first brought taint (AccountTaint.firstTaintedAt). */
  readonly firstTaintedAt: Int32Array;
  /** Exact taint received of row i. */
  receivedAt(i: number): bigint;
  /** Row of account index a, or −1 when it received no taint under the policy. */
  rowOf(a: number): number;
}

/** History rows (AccountTaint.history) of a policy's accounts, in chain order; each account's rows in their order. */
export interface HistoryColumns {
  readonly length: number;
  /** Account index (into `tableOf(result).addresses`). */
  readonly account: Int32Array;
  readonly height: Int32Array;
  readonly timeStamp: Int32Array;
  /** Tainted balance after the event, µXEM. */
  readonly tainted: Float64Array;
}

/** An accounts map that has its columns at hand (runTrace's: PolicyAccounts in views.ts). */
interface ColumnarAccounts {
  columns(): AccountColumns;
  historyColumns(): HistoryColumns;
}

function columnar(accounts: object): accounts is ColumnarAccounts {
  return typeof (accounts as Partial<ColumnarAccounts>).columns === 'function';
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Columns from rows given as (account index, figures) in ascending account order. */
export function accountColumns(
  accounts: number,
  rows: readonly { a: number; received: bigint; held: bigint; hops: number; exit: boolean; firstTaintedAt: number }[],
): AccountColumns {
  const c = blankColumns(rows.length);
  const big = new Map<number, bigint>();
  rows.forEach((r, i) => {
    c.account[i] = r.a;
    c.received[i] = Number(r.received);
    if (r.received > MAX_SAFE) big.set(i, r.received);
    c.held[i] = Number(r.held);
    c.hops[i] = r.hops;
    c.exit[i] = r.exit ? 1 : 0;
    c.firstTaintedAt[i] = r.firstTaintedAt;
  });
  return columnsOf(accounts, c, big);
}

/** Columns of n rows, zeroed, to be filled (then `columnsOf`). */
export function blankColumns(n: number): Omit<AccountColumns, 'receivedAt' | 'rowOf'> {
  return {
    length: n,
    account: new Int32Array(n),
    received: new Float64Array(n),
    held: new Float64Array(n),
    hops: new Int32Array(n),
    exit: new Uint8Array(n),
    firstTaintedAt: new Int32Array(n),
  };
}

/**
 * AccountColumns over filled columns (rows in ascending account order; `big`: row → exact received of the rows past
 * 2^53): adds `receivedAt` and `rowOf`.
 */
export function columnsOf(
  accounts: number,
  c: Omit<AccountColumns, 'receivedAt' | 'rowOf'>,
  big: ReadonlyMap<number, bigint>,
): AccountColumns {
  const rowIndex = new Int32Array(accounts).fill(-1);
  for (let i = 0; i < c.length; i++) rowIndex[c.account[i]] = i;
  return {
    ...c,
    receivedAt: (i) => big.get(i) ?? BigInt(c.received[i]),
    rowOf: (a) => (a >= 0 && a < accounts ? rowIndex[a] : -1),
  };
}

const accountCache = new WeakMap<object, AccountColumns>();
const historyCache = new WeakMap<object, HistoryColumns>();

/** The accounts that received taint under `policy` as columns (undefined when the result lacks the policy). */
export function accountColumnsOf(result: TraceResult, policy: Policy): AccountColumns | undefined {
  const pr = result.policies[policy];
  if (pr === undefined) return undefined;
  if (columnar(pr.accounts)) return pr.accounts.columns();
  let c = accountCache.get(pr);
  if (c === undefined) {
    const table = tableOf(result);
    const rows = [...pr.accounts.values()]
      .map((x) => ({
        a: indexOf(table.index, x),
        received: x.received,
        held: x.held,
        hops: x.hops,
        exit: x.isExit,
        firstTaintedAt: x.firstTaintedAt,
      }))
      .sort((x, y) => x.a - y.a);
    accountCache.set(pr, (c = accountColumns(table.accounts, rows)));
  }
  return c;
}

/** The history rows of the accounts of `policy` (undefined when the result lacks the policy). */
export function historyColumnsOf(result: TraceResult, policy: Policy): HistoryColumns | undefined {
  const pr = result.policies[policy];
  if (pr === undefined) return undefined;
  if (columnar(pr.accounts)) return pr.accounts.historyColumns();
  let h = historyCache.get(pr);
  if (h === undefined) {
    const table = tableOf(result);
    const rows: { a: number; row: AccountTaint['history'][number] }[] = [];
    for (const x of pr.accounts.values()) for (const row of x.history) rows.push({ a: indexOf(table.index, x), row });
    // a hand-built result's rows carry no chain position: by height and time (stable: each account's rows in order)
    rows.sort((x, y) => x.row.height - y.row.height || x.row.timeStamp - y.row.timeStamp);
    h = {
      length: rows.length,
      account: Int32Array.from(rows, (r) => r.a),
      height: Int32Array.from(rows, (r) => r.row.height),
      timeStamp: Int32Array.from(rows, (r) => r.row.timeStamp),
      tainted: Float64Array.from(rows, (r) => Number(r.row.tainted)),
    };
    historyCache.set(pr, h);
  }
  return h;
}

function indexOf(index: ReadonlyMap<string, number>, x: AccountTaint): number {
  const a = index.get(x.address);
  if (a === undefined) throw new RangeError(`account ${x.address} received taint but is in none of the result's transfers`);
  return a;
}
