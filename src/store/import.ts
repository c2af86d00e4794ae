/**
 * Bulk ingest — `tainttrace import --db DIR FILE…|-` and `importTransactions` (docs/contracts.md §6): NDJSON of
 * NIS1 `TransactionMetaDataPair` items (the shape of `/account/transfers/*` and `/transaction/get`),
 * validated exactly like crawled pages, written in large atomic batches.
 *
 * Two passes, so a bad line leaves the store untouched:
 *  1. validate: the lines are read in blocks (bounded length, ndjson.ts) and each block is checked on a worker
 *     thread (import-pool.ts; import-check.ts `checkBlock`: every line parsed, normalised, its hashes recomputed,
 *     its signatures verified, its record encoded — src/nem/verify.ts), several blocks at once, their results
 *     taken in file order; a transfer already stored, or seen earlier in the import, must come at the same height
 *     with the same record. The first problem in file order throws TRACE_INVALID_IMPORT naming the file and
 *     line. The new transfers go to a spool file (canonical records, one a line) in a temporary directory.
 *  2. write: the spooled transfers in batches of `batchSize` (cut at a block boundary), one synced
 *     atomic batch each through `Store.writeNewTransfers`, one at a time, the next read from the spool
 *     while LevelDB writes the last; in chain order they extend the segment cache in the same batch, so
 *     the store loads at once after an import in chain order.
 * Other transaction types are counted and skipped, as the crawler does. Imported accounts get no
 * crawl records or cursors (a crawl later pages their lists itself); tracing needs only transfers.
 */
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TracerError } from '../errors.js';
import type { Transfer } from '../nem/index.js';
import { MAX_LINE_BYTES, ndjsonBlocks, ndjsonLines } from './ndjson.js';
import { decodeTransfer } from './records.js';
import { SeenHashes } from './seen-hashes.js';
import { openStore, type Store } from './store.js';
import { CHAIN_KEY_LENGTH, verifyImportParts, type BlockResult, type ImportVerifier } from './import-check.js';
import { ImportPool, sharedImportPool } from './import-pool.js';

/** One input: a name for messages and its bytes. */
export interface ImportSource {
  name: string;
  stream: AsyncIterable<Buffer | string>;
}

export interface ImportOptions {
  /** A store directory (created if missing, once the input has passed; opened with `bulk`), or an open store (left open). */
  store: string | Store;
  /** File paths, or named streams (the CLI passes stdin for `-`). */
  inputs: ReadonlyArray<string | ImportSource>;
  /** Transfers per atomic batch (default 65,536; a batch ends at a block boundary past it). */
  batchSize?: number;
  /** Longest accepted line in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** Verify signatures (default true). Off only for benchmarks that measure them apart. */
  verifySignatures?: boolean;
  /** Signature verifier (default: each signature verified on the thread that checks its line, import-pool.ts). */
  verifier?: ImportVerifier;
  /** Threads checking the lines (default: the shared pool, one per core up to 4; 0 = this thread). */
  workers?: number;
  /** Where the spool file goes (default: the OS temp directory). */
  spoolDir?: string;
  /** Progress after every validated chunk and written batch. */
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'validate' | 'write';
  lines: number;
  transfers: number;
  written: number;
}

export interface ImportResult {
  /** Lines read (blank lines included). */
  lines: number;
  /** Transaction items (non-blank lines). */
  items: number;
  /** Items that are transfers (257, or 4100 wrapping one). */
  transfers: number;
  /** Transfers new to the store (written). */
  added: number;
  /** Transfers already stored or repeated in the input (identical, skipped). */
  repeated: number;
  /** Items of other transaction types (skipped). */
  others: number;
  /** Atomic batches written. */
  batches: number;
  /** Time spent validating (pass 1) and writing (pass 2), ms. */
  validateMs: number;
  writeMs: number;
}

export const DEFAULT_IMPORT_BATCH = 65_536;

export async function importTransactions(options: ImportOptions): Promise<ImportResult> {
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new TracerError('TRACE_INVALID_OPTION', `batchSize must be a whole number ≥ 1, got ${batchSize}`);
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  if (options.inputs.length === 0)
    throw new TracerError('TRACE_INVALID_OPTION', 'nothing to import: give at least one file (or - for stdin)');
  // A store directory that does not exist yet is created only once every line has passed.
  const dir = typeof options.store === 'string' ? options.store : null;
  const open = (d: string) => openStore(d, { bulk: true });
  let store = dir === null ? (options.store as Store) : existsSync(join(dir, 'CURRENT')) ? await open(dir) : null;
  const spoolDir = mkdtempSync(join(options.spoolDir ?? tmpdir(), 'tainttrace-import-'));
  try {
    const spoolPath = join(spoolDir, 'transfers.ndjson');
    const t0 = performance.now();
    const result = await validate(store, options, maxLineBytes, spoolPath);
    const t1 = performance.now();
    store ??= await open(dir!);
    result.batches = await write(store, spoolPath, batchSize, result, options.onProgress);
    if (result.batches > 0) await store.flushWrites(); // the next open replays no log (store.ts)
    result.validateMs = Math.round(t1 - t0);
    result.writeMs = Math.round(performance.now() - t1);
    return result;
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
    if (dir !== null) await store?.close();
  }
}

/** Pass 1: check every line (in blocks, on the pool's threads, taken in file order); spool the new transfers. */
async function validate(store: Store | null, options: ImportOptions, maxLineBytes: number, spoolPath: string): Promise<ImportResult> {
  const result: ImportResult = {
    lines: 0,
    items: 0,
    transfers: 0,
    added: 0,
    repeated: 0,
    others: 0,
    batches: 0,
    validateMs: 0,
    writeMs: 0,
  };
  const seen = new SeenHashes();
  const signatures = options.verifySignatures === false ? 'no' : options.verifier !== undefined ? 'parts' : 'here';
  const pool = options.workers === undefined ? sharedImportPool() : new ImportPool(options.workers);
  // Blocks being checked, in file order; the oldest is taken (its result accepted) before more are sent.
  const checking: Array<Promise<BlockResult>> = [];
  const depth = Math.max(2, 2 * pool.workers);
  const spool = createWriteStream(spoolPath);
  const spoolError = once(spool, 'error').then(([err]) => {
    throw err;
  });
  spoolError.catch(() => undefined);
  const fail = (name: string, line: number, problem: string): never => {
    throw new TracerError('TRACE_INVALID_IMPORT', `${name}:${line}: ${problem}`, { details: { file: name, line } });
  };
  /** The checked block's transfers against the store and the rest of the import; the new ones spooled. */
  const accept = async (r: BlockResult, name: string) => {
    result.lines += r.lines;
    result.items += r.items;
    result.others += r.others;
    if (r.error !== null) throw new TracerError('TRACE_INVALID_IMPORT', r.error.message, { details: r.error.details });
    if (r.parts.length > 0) await verifyImportParts(r.parts, r.wheres, options);
    const n = r.transfers;
    result.transfers += n;
    if (n === 0) return;
    const keys = new Array<string>(n);
    for (let i = 0; i < n; i++) keys[i] = r.keys.slice(CHAIN_KEY_LENGTH * i, CHAIN_KEY_LENGTH * (i + 1));
    const records = r.records.split('\n', n);
    const stored = store === null ? null : await store.classifyRecords(keys, records);
    if (stored?.conflict) fail(name, r.at[stored.conflict.index], stored.conflict.message);
    let text = '';
    let added = 0;
    for (let i = 0; i < n; i++) {
      const first = seen.add(keys[i].slice(22), r.heights[i]);
      if (first !== 0 && first !== r.heights[i])
        fail(name, r.at[i], `transfer ${keys[i].slice(22)} at height ${r.heights[i]} was imported before at height ${first}`);
      if (first !== 0 || stored?.stored[i] === true) continue;
      added++;
      text += `${records[i]}\n`;
    }
    result.added += added;
    result.repeated += n - added;
    if (text !== '' && !spool.write(text)) await Promise.race([once(spool, 'drain'), spoolError]);
    options.onProgress?.({ phase: 'validate', lines: result.lines, transfers: result.transfers, written: 0 });
  };
  let blockError: unknown = null;
  const take = async (name: string) => {
    const r = await checking.shift()!;
    try {
      await accept(r, name);
    } catch (err) {
      blockError = err;
      throw err;
    }
  };
  try {
    for (const input of options.inputs) {
      const source: ImportSource = typeof input === 'string' ? { name: input, stream: createReadStream(input) } : input;
      try {
        for await (const block of ndjsonBlocks(source.stream, source.name, maxLineBytes)) {
          if (checking.length >= depth) await take(source.name);
          const job = pool.check({ name: source.name, firstLine: block.firstLine, lines: block.lines, bytes: block.bytes, signatures });
          job.catch(() => undefined); // taken in file order
          checking.push(job);
        }
        while (checking.length > 0) await take(source.name);
      } catch (err) {
        // A problem of a block before the one being read is the first problem: it is reported rather than this one.
        if (err !== blockError) while (checking.length > 0) await take(source.name);
        checking.length = 0;
        if (err instanceof TracerError || typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
        throw new TracerError('TRACE_INVALID_IMPORT', `${source.name}: cannot be read (${(err as Error).message})`, {
          cause: err,
          details: { file: source.name },
        });
      }
    }
  } finally {
    if (pool !== sharedImportPool()) await pool.close();
    spool.end();
    await Promise.race([once(spool, 'close'), spoolError]).catch(() => undefined);
  }
  return result;
}

/**
 * Pass 2: the spooled transfers in atomic batches cut at block boundaries, one at a time and in order; the next
 * batch is read from the spool while the last one is written. Returns the batch count.
 */
async function write(
  store: Store,
  spoolPath: string,
  batchSize: number,
  result: ImportResult,
  onProgress?: (p: ImportProgress) => void,
): Promise<number> {
  let batches = 0;
  let written = 0;
  let batch: Transfer[] = [];
  let records: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const [rows, texts] = [batch, records];
    batch = [];
    records = [];
    await writing; // a failed batch stops the import here: nothing after it is written
    writing = store.writeNewTransfers(rows, texts).then(() => {
      written += rows.length;
      batches++;
      onProgress?.({ phase: 'write', lines: result.lines, transfers: result.transfers, written });
    });
    writing.catch(() => undefined); // awaited by the next flush or at the end
  };
  try {
    for await (const { text } of ndjsonLines(createReadStream(spoolPath), 'spool', Number.MAX_SAFE_INTEGER)) {
      if (text === '') continue;
      const t = decodeTransfer(text, 'spool');
      if (batch.length >= batchSize && t.height !== batch[batch.length - 1].height) await flush();
      batch.push(t);
      records.push(text);
    }
    if (batch.length > 0) await flush();
  } finally {
    await writing.catch(() => undefined); // never leave a write running behind an error
  }
  await writing;
  if (written !== result.added) throw new Error(`import wrote ${written} of ${result.added} spooled transfers`);
  return batches;
}
