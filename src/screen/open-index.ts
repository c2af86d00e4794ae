/**
 * Read the stored taint index from a store directory, then release the directory (LevelDB allows one
 * process): the server serves from memory and a later `tainttrace trace` can write a new index.
 *
 * The index lives in the sublevel `TAINT_INDEX_SUBLEVEL` with JSON values, the same place the
 * store's `store.sublevel(TAINT_INDEX_SUBLEVEL)` gives `tainttrace trace`.
 */
import { openStore, type Store } from '../store/index.js';
import { loadTaintIndex, saveTaintIndex, type JsonSublevel } from './index-store.js';
import type { TaintIndex } from './packed.js';

export const TAINT_INDEX_SUBLEVEL = 'taint-index';

async function withStore<T>(dir: string, untouched: boolean, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(dir, { untouched });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * TRACE_STORE_EMPTY when the directory holds no store or no index. Reads a snapshot (src/store/snapshot.ts):
 * the directory's files stay unchanged byte for byte, and a store another process is writing is read as of now.
 */
export function loadTaintIndexFromDir(dir: string): Promise<TaintIndex> {
  return withStore(dir, true, (store) => loadTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL) as JsonSublevel));
}

/** For tools and tests without the store module: write an index into a store directory. */
export function saveTaintIndexToDir(dir: string, index: TaintIndex): Promise<void> {
  return withStore(dir, false, (store) => saveTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL) as JsonSublevel, index));
}
