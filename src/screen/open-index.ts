/**
 * Read the stored taint index from a store directory, then release the directory (LevelDB allows one
 * process): the server serves from memory and a later `tainttrace trace` can write a new index.
 *
 * The index lives in the sublevel `TAINT_INDEX_SUBLEVEL` with JSON values, the same place the
 * store's `store.sublevel(TAINT_INDEX_SUBLEVEL)` gives `tainttrace trace`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import { TracerError } from '../errors.js';
import { loadTaintIndex, saveTaintIndex } from './index-store.js';
import type { TaintIndex } from './index-types.js';

export const TAINT_INDEX_SUBLEVEL = 'taint-index';

async function withDb<T>(dir: string, createIfMissing: boolean, fn: (db: Level<string, unknown>) => Promise<T>): Promise<T> {
  // classic-level creates the directory even with createIfMissing: false; look before opening.
  if (!createIfMissing && !existsSync(join(dir, 'CURRENT'))) throw new TracerError('TRACE_STORE_EMPTY', `no store at ${dir} (crawl and trace first)`);
  const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
  try {
    await db.open({ createIfMissing });
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
    if (code === 'LEVEL_LOCKED') throw new TracerError('TRACE_STORE_LOCKED', `the store ${dir} is in use by another process`, { cause: err });
    throw new TracerError('TRACE_STORE_EMPTY', `no store at ${dir} (crawl and trace first)`, { cause: err });
  }
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** TRACE_STORE_EMPTY when the directory holds no store or no index; TRACE_STORE_LOCKED when in use. */
export function loadTaintIndexFromDir(dir: string): Promise<TaintIndex> {
  return withDb(dir, false, (db) => loadTaintIndex(db.sublevel<string, unknown>(TAINT_INDEX_SUBLEVEL, { valueEncoding: 'json' })));
}

/** For tools and tests without the store module: write an index into a store directory. */
export function saveTaintIndexToDir(dir: string, index: TaintIndex): Promise<void> {
  return withDb(dir, true, (db) => saveTaintIndex(db.sublevel<string, unknown>(TAINT_INDEX_SUBLEVEL, { valueEncoding: 'json' }), index));
}
