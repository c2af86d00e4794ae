/**
 * The transfers of a trace as columns (issue 10, "store → core without objects"): what the exports, the report
 * page, the CSV files and the taint index read instead of a `Transfer` object per transfer.
 *
 *  - `TransferList` is all a consumer may assume of `TraceResult.transfers`: a length, `at(k)` and iteration in
 *    chain order. An array is one; a store-backed list (the trace job's) makes each object on demand, so a
 *    consumer that reads every transfer reads the columns instead.
 *  - `TraceTable` is the sweep's columns (sender/recipient account ids, amount, fee, height, timeStamp; the
 *    address table) with each transfer's hash: index k is the same transfer as `transfers.at(k)`.
 *
 * `tableOf(result)` is the one way to get the table: runTrace's results carry it; a hand-built result (an array
 * of transfers) is projected once.
 */
import type { Columns } from '../domain.js';
import type { Transfer } from '../nem/index.js';
import { buildColumns, type IndexedColumns } from './columns.js';
import type { TraceResult, TraceTable } from './types.js';

export type { TraceTable, TransferList } from './types.js';

/** The table of transfers given as objects (already in chain order); `cols` (their columns) is not changed. */
export function tableOfTransfers(sorted: readonly Transfer[], cols: IndexedColumns = buildColumns(sorted)): TraceTable {
  return { ...cols, hashAt: (k: number): string => sorted[k].hash };
}

/**
 * The table of columns loaded as such (the store's, already in chain order) with the hash of each row. Accounts are
 * numbered again as `buildColumns` numbers them — by first appearance in these rows — so an address table that also
 * holds accounts of no row (the store's, cut at a window) leaves none behind; the address → index map is built on
 * first use (the trace itself never needs it).
 */
export function tableOfColumns(cols: Columns & { addresses: string[]; hashes?: Uint8Array }, hashAt: (k: number) => string): TraceTable {
  const { n, amount, fee, timeStamp, height, hashes } = cols;
  const renumber = new Int32Array(cols.addresses.length).fill(-1);
  const addresses: string[] = [];
  const sender = new Int32Array(n);
  const recipient = new Int32Array(n);
  const id = (a: number): number => {
    let i = renumber[a];
    if (i < 0) {
      i = renumber[a] = addresses.length;
      addresses.push(cols.addresses[a]);
    }
    return i;
  };
  for (let k = 0; k < n; k++) {
    sender[k] = id(cols.sender[k]);
    recipient[k] = id(cols.recipient[k]);
  }
  const accounts = addresses.length;
  let index: Map<string, number> | undefined;
  return {
    n,
    accounts,
    sender,
    recipient,
    amount,
    fee,
    timeStamp,
    height,
    addresses,
    get index() {
      if (index === undefined) {
        index = new Map();
        for (let i = 0; i < addresses.length; i++) index.set(addresses[i], i);
      }
      return index;
    },
    hashAt,
    ...(hashes === undefined ? {} : { hashes }),
  };
}

const projected = new WeakMap<object, TraceTable>();

/** The columns of `result.transfers` (the result's own, or projected once from a hand-built result's array). */
export function tableOf(result: TraceResult): TraceTable {
  if (result.table !== undefined) return result.table;
  let t = projected.get(result);
  if (t === undefined) {
    t = tableOfTransfers([...result.transfers]);
    projected.set(result, t);
  }
  return t;
}
