/**
 * The compact, columnar edge list the sweep runs over (struct of arrays, chain order): 32 bytes
 * per transfer. Accounts are dense indices 0..accounts−1. Amounts are safe-integer µXEM in
 * Float64Array (exact: every integer below 2^53 is a double).
 */
import type { Columns } from '../domain.js';
import type { Transfer } from '../nem/index.js';

export type { Columns } from '../domain.js';

export interface IndexedColumns extends Columns {
  /** Account index → address. */
  addresses: string[];
  index: Map<string, number>;
}

/** Project transfers (already in chain order) onto columns, numbering accounts as first seen. */
export function buildColumns(sorted: readonly Transfer[]): IndexedColumns {
  const n = sorted.length;
  const index = new Map<string, number>();
  const addresses: string[] = [];
  const id = (a: string): number => {
    let i = index.get(a);
    if (i === undefined) {
      i = addresses.length;
      index.set(a, i);
      addresses.push(a);
    }
    return i;
  };
  const cols: IndexedColumns = {
    n,
    accounts: 0,
    sender: new Int32Array(n),
    recipient: new Int32Array(n),
    amount: new Float64Array(n),
    fee: new Float64Array(n),
    timeStamp: new Int32Array(n),
    height: new Int32Array(n),
    addresses,
    index,
  };
  for (let k = 0; k < n; k++) setColumnRow(cols, k, sorted[k], id);
  cols.accounts = addresses.length;
  return cols;
}

/** Writes transfer t into row k of the columns, its accounts numbered by `id`. */
export function setColumnRow(cols: Columns, k: number, t: Transfer, id: (address: string) => number): void {
  if (!Number.isSafeInteger(t.amount) || t.amount < 0 || !Number.isSafeInteger(t.fee) || t.fee < 0) {
    throw new RangeError(`transfer ${t.hash}: amount and fee must be non-negative safe integers (µXEM)`);
  }
  cols.sender[k] = id(t.sender);
  cols.recipient[k] = id(t.recipient);
  cols.amount[k] = t.amount;
  cols.fee[k] = t.fee;
  cols.timeStamp[k] = t.timeStamp;
  cols.height[k] = t.height;
}
