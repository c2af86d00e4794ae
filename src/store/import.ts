/**
 * Bulk ingest — `tainttrace import --db DIR FILE…|-` and `importTransactions` (docs/contracts.md §6): NDJSON of
 * NIS1 `TransactionMetaDataPair` items (the shape of `/account/transfers/*` and `/transaction/get`),
 * validated exactly like crawled pages, written in large atomic batches.
 *
 * Two passes, so a bad line leaves the store untouched:
 *  1. validate: every line is parsed (bounded length, ndjson.ts), normalised, its hashes recomputed and
 *     its signatures verified (import-check.ts: src/nem/verify*, on worker threads, per chunk of lines while
 *     the next chunks are read; a bad signature is still reported before any later line's problem);
 *     a transfer already stored, or seen
 *     earlier in the import, must come at the same height with the same record. The first problem
 *     throws TRACE_INVALID_IMPORT naming the file and line. The new transfers go to a spool file
 *     (canonical records, one a line) in a temporary directory.
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
import type { SignedPart, Transfer } from '../nem/index.js';
import { MAX_LINE_BYTES, ndjsonLines } from './ndjson.js';
import { decodeTransfer, encodeTransfer } from './records.js';
import { SeenHashes } from './seen-hashes.js';
import { openStore, type Store } from './store.js';
import { checkImportItem, verifyImportParts, type ImportVerifier } from './import-check.js';

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
  /** Signature verifier (default: the shared worker pool, src/nem/verify-pool.ts). */
  verifier?: ImportVerifier;
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
/** Lines validated together (one conflict read against the store per chunk). */
const CHUNK = 4096;
/** Chunks whose signatures may be in verification while later lines are read. */
const VERIFYING = 2;

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
    result.validateMs = Math.round(t1 - t0);
    result.writeMs = Math.round(performance.now() - t1);
    return result;
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
    if (dir !== null) await store?.close();
  }
}

/** Pass 1: check every line; spool the new transfers. */
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
  const verify = options.verifySignatures !== false;
  // Signatures of earlier chunks being verified on the worker pool while the next lines are read (in file order).
  const verifying: Array<Promise<void>> = [];
  const settleVerifying = async () => {
    while (verifying.length > 0) await verifying.shift();
  };
  /** Errors of the verification itself (the earliest chunk's, as they are awaited in order). */
  const badSignatures = new WeakSet<object>();
  const spool = createWriteStream(spoolPath);
  const spoolError = once(spool, 'error').then(([err]) => {
    throw err;
  });
  spoolError.catch(() => undefined);
  const fail = (name: string, line: number, problem: string): never => {
    throw new TracerError('TRACE_INVALID_IMPORT', `${name}:${line}: ${problem}`, { details: { file: name, line } });
  };
  try {
    for (const input of options.inputs) {
      const source: ImportSource = typeof input === 'string' ? { name: input, stream: createReadStream(input) } : input;
      // The chunk in hand: checked items (the parsed JSON is dropped as each line passes), their signatures and lines.
      let transfers: Transfer[] = [];
      let at: number[] = [];
      let parts: SignedPart[][] = [];
      let wheres: string[] = [];
      const flush = async () => {
        if (transfers.length === 0 && parts.length === 0) return;
        if (parts.length > 0) {
          if (verifying.length >= VERIFYING) await verifying.shift();
          const checking = verifyImportParts(parts, wheres, options).catch((err: unknown) => {
            if (typeof err === 'object' && err !== null) badSignatures.add(err);
            throw err;
          });
          checking.catch(() => undefined); // awaited in file order (settleVerifying)
          verifying.push(checking);
        }
        const { stored, conflict } = store === null ? { stored: [], conflict: null } : await store.classify(transfers);
        if (conflict !== null) fail(source.name, at[conflict.index], conflict.message);
        let text = '';
        transfers.forEach((t, i) => {
          const first = seen.add(t.hash, t.height);
          if (first !== 0 && first !== t.height)
            fail(source.name, at[i], `transfer ${t.hash} at height ${t.height} was imported before at height ${first}`);
          if (first !== 0 || stored[i] === true) {
            result.repeated++;
            return;
          }
          result.added++;
          text += `${encodeTransfer(t)}\n`;
        });
        if (text !== '' && !spool.write(text)) await Promise.race([once(spool, 'drain'), spoolError]);
        transfers = [];
        at = [];
        parts = [];
        wheres = [];
        options.onProgress?.({ phase: 'validate', lines: result.lines, transfers: result.transfers, written: 0 });
      };
      try {
        for await (const { line, text } of ndjsonLines(source.stream, source.name, maxLineBytes)) {
          result.lines++;
          if (text.trim() === '') continue;
          result.items++;
          let raw: unknown;
          try {
            raw = JSON.parse(text);
          } catch (err) {
            fail(source.name, line, `not JSON (${(err as Error).message})`);
          }
          const where = `${source.name}:${line}`;
          const item = checkImportItem(raw, where);
          if (verify && item.parts.length > 0) {
            parts.push(item.parts);
            wheres.push(where);
          }
          if (item.transfer === null) result.others++;
          else {
            result.transfers++;
            transfers.push(item.transfer);
            at.push(line);
          }
          if (transfers.length >= CHUNK || parts.length >= CHUNK) await flush();
        }
        await flush();
        await settleVerifying();
      } catch (err) {
        // A bad signature on an earlier line is the first problem: it is reported rather than this one.
        if (typeof err === 'object' && err !== null && badSignatures.has(err)) verifying.length = 0;
        else await settleVerifying();
        if (err instanceof TracerError || typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
        throw new TracerError('TRACE_INVALID_IMPORT', `${source.name}: cannot be read (${(err as Error).message})`, {
          cause: err,
          details: { file: source.name },
        });
      }
    }
  } finally {
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
