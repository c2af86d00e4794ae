/**
 * Read the stored taint index from a store directory, then release the directory (LevelDB allows one
 * process): the server serves from memory and a later `tainttrace trace` can write a new index.
 *
 * The index lives in the sublevel `TAINT_INDEX_SUBLEVEL` with JSON values, the same place the
 * store's `store.sublevel(TAINT_INDEX_SUBLEVEL)` gives `tainttrace trace`.
 */
import { isTracerError } from '../errors.js';
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
 * A save keeps the file before its own until the next one (index-store.ts); when that process saved twice between
 * the snapshot and the file's opening (the snapshot's record names a file a save has removed since), a new snapshot
 * reads the newer index — up to three times, then the file is missing (TRACE_STORE_CORRUPT).
 */
export async function loadTaintIndexFromDir(dir: string): Promise<TaintIndex> {
  const load = () => withStore(dir, true, (store) => loadTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL) as JsonSublevel));
  for (let attempt = 1; ; attempt++) {
    try {
      return await load();
    } catch (err) {
      const gone = isTracerError(err, 'TRACE_STORE_CORRUPT') && (err.cause as { code?: unknown } | undefined)?.code === 'ENOENT';
      if (!gone || attempt === 3) throw err;
    }
  }
}

/** For tools and tests without the store module: write an index into a store directory. */
export function saveTaintIndexToDir(dir: string, index: TaintIndex): Promise<void> {
  return withStore(dir, false, (store) => saveTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL) as JsonSublevel, index));
}
