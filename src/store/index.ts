/**
 * The store: LevelDB via `level`, one sublevel per entity (docs/architecture.md §1). Re-exports only.
 */
export {
  openStore,
  Store,
  RESERVED_SUBLEVELS,
  BULK_WRITE_BUFFER,
  type LoadTransfersOptions,
  type OpenStoreOptions,
  type StoreBatch,
  type StoreStats,
  type StoreSublevel,
  type BlockPosition,
} from './store.js';
export { hashAt, type LoadColumnsOptions, type PackedTransfers, type StoreColumns } from './segment-cache.js';
export { StoredTransferList, DECODED_SEGMENTS_KEPT } from './transfer-list.js';
export type { AccountRecord, CursorRecord } from './records.js';
export { chainKey, decodeChainKey, indexKey, cursorKey, encodeNum, type ChainPosition, type CursorList } from './keys.js';
export {
  importTransactions,
  DEFAULT_IMPORT_BATCH,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  type ImportSource,
} from './import.js';
