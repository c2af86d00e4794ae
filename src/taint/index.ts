/**
 * The taint core's public face (re-exports only). Pure: no I/O.
 */
export * from './types.js';
export {
  runTrace,
  runTraceColumns,
  prepareTransfers,
  traceSeeded,
  accountFigures,
  type RunTraceInput,
  type RunTraceColumnsInput,
  type PreparedTransfers,
  type SeededTraceInput,
  type SeededTrace,
} from './trace.js';
export { IncrementalTrace, type IncrementalTraceOptions, type TraceChange, type TraceUpdateStats } from './incremental.js';
export { compareChainOrder, sortTransfers } from './order.js';
export { carriedOf, carriedAt, type CarriedTaint } from './carried.js';
export { tableOf, tableOfColumns, type TraceTable, type TransferList } from './table.js';
export { accountColumnsOf, historyColumnsOf, type AccountColumns, type HistoryColumns } from './account-columns.js';
export { buildColumns, type Columns, type IndexedColumns } from './columns.js';
export {
  sweep,
  Sweeper,
  NP,
  balanceOf,
  heldOf,
  hopsOf,
  receivedOf,
  receivedNumberOf,
  type SweepCheckpoint,
  type SweepOptions,
  type SweepResult,
} from './sweep.js';
export { traceColumnsOf, type TraceColumns } from './views.js';
export { mulDivFloor } from './muldiv.js';
export { withRoom } from './grow.js';
export { labelSetHash, buildManifest, MANIFEST_SCHEMA } from './manifest.js';
export { resolveSeeds } from './seeds.js';
