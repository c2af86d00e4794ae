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
 *     the store loads at once after an import in chain order. At the end LevelDB's memory table is written
 *     out (`Store.flushWrites`), so the next open replays no log.
 * Into a directory that does not exist yet there is no store to leave untouched: the two passes overlap (no spool) —
 * each block's new transfers are batched as it passes, written while later blocks are checked, into a new store
 * beside the directory that is renamed to it once every line has passed (and removed on any problem).
 * Other transaction types are counted and skipped, as the crawler does. Imported accounts get no
 * crawl records or cursors (a crawl later pages their lists itself); tracing needs only transfers.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { TracerError } from '../errors.js';
import type { Transfer } from '../nem/index.js';
import { MAX_LINE_BYTES, ndjsonBlocks, ndjsonLines } from './ndjson.js';
import { decodeOwnRecord } from './records.js';
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
  /**
   * Transfers per atomic batch (default 16,384; a batch ends at a block boundary past it). Two batches are held at a
   * time (one written while the next gathers): this bounds the import's memory, not its speed (README, Ingest).
   */
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
  /**
   * Time spent validating (pass 1) and writing (pass 2), ms. Into a new directory the writes overlap the checks:
   * `validateMs` runs until the last line has passed, `writeMs` after it.
   */
  validateMs: number;
  writeMs: number;
}

export const DEFAULT_IMPORT_BATCH = 16_384;

export async function importTransactions(options: ImportOptions): Promise<ImportResult> {
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new TracerError('TRACE_INVALID_OPTION', `batchSize must be a whole number ≥ 1, got ${batchSize}`);
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  if (options.inputs.length === 0)
    throw new TracerError('TRACE_INVALID_OPTION', 'nothing to import: give at least one file (or - for stdin)');
  const dir = typeof options.store === 'string' ? options.store : null;
  if (dir !== null && (!existsSync(dir) || isEmptyDir(dir))) return importNew(dir, options, batchSize, maxLineBytes);
  // An existing store is written only once every line has passed: the new transfers wait in a spool file. (A directory
  // that holds other files but no store is made one only then.)
  const open = (d: string) => openStore(d, { bulk: true });
  let store = dir === null ? (options.store as Store) : existsSync(join(dir, 'CURRENT')) ? await open(dir) : null;
  const spoolDir = mkdtempSync(join(options.spoolDir ?? tmpdir(), 'tainttrace-import-'));
  try {
    const spoolPath = join(spoolDir, 'transfers.ndjson');
    const t0 = performance.now();
    const spool = new Spool(spoolPath);
    let result: ImportResult;
    try {
      result = await validate(store, options, maxLineBytes, (fresh) => spool.add(fresh.records));
    } finally {
      await spool.end();
    }
    const t1 = performance.now();
    store ??= await open(dir!);
    const writer = new BatchWriter(store, batchSize, result, options.onProgress);
    try {
      for await (const { text } of ndjsonLines(createReadStream(spoolPath), 'spool', Number.MAX_SAFE_INTEGER))
        if (text !== '') await writer.add(text);
      result.batches = await writer.finish();
    } finally {
      await writer.settled();
    }
    result.validateMs = Math.round(t1 - t0);
    result.writeMs = Math.round(performance.now() - t1);
    return result;
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
    if (dir !== null) await store?.close();
  }
}

function isEmptyDir(dir: string): boolean {
  return statSync(dir).isDirectory() && readdirSync(dir).length === 0;
}

/** Both passes at once, into a new store beside `dir` that becomes `dir` once every line has passed (see the header). */
async function importNew(dir: string, options: ImportOptions, batchSize: number, maxLineBytes: number): Promise<ImportResult> {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const building = mkdtempSync(join(dirname(target), `.${basename(target)}.import-`));
  let done = false;
  let store: Store | null = null;
  try {
    store = await openStore(building, { bulk: true });
    const t0 = performance.now();
    const writer = new BatchWriter(store, batchSize, null, options.onProgress);
    let result: ImportResult;
    let t1: number;
    try {
      result = await validate(null, options, maxLineBytes, async ({ records, keys }) => {
        for (let i = 0; i < records.length; i++) await writer.add(records[i], keys[i]);
      });
      t1 = performance.now();
      writer.result = result;
      result.batches = await writer.finish();
    } finally {
      await writer.settled();
    }
    await store.close();
    renameSync(building, target);
    done = true;
    result.validateMs = Math.round(t1 - t0);
    result.writeMs = Math.round(performance.now() - t1);
    return result;
  } finally {
    if (!done) {
      await store?.close();
      rmSync(building, { recursive: true, force: true });
    }
  }
}

/** The spool file of the new transfers' records, one a line. */
class Spool {
  private readonly out: WriteStream;
  private readonly failed: Promise<never>;

  constructor(path: string) {
    this.out = createWriteStream(path);
    this.failed = once(this.out, 'error').then(([err]) => {
      throw err;
    });
    this.failed.catch(() => undefined);
  }

  async add(records: readonly string[]): Promise<void> {
    if (records.length > 0 && !this.out.write(`${records.join('\n')}\n`)) await Promise.race([once(this.out, 'drain'), this.failed]);
  }

  async end(): Promise<void> {
    this.out.end();
    await Promise.race([once(this.out, 'close'), this.failed]).catch(() => undefined);
  }
}

/**
 * Records into the store in atomic batches cut at block boundaries (at least `batchSize` transfers, ending where the
 * height changes), one write at a time and in order; the next batch gathers while the last one is written, and a
 * failed batch stops everything after it.
 */
class BatchWriter {
  /** The import's counts, for progress (null until known). */
  result: ImportResult | null;
  private batches = 0;
  private written = 0;
  private batch: Transfer[] = [];
  private records: string[] = [];
  /** The batch's chain keys, as the checks made them (none from the spool: the store makes them). */
  private keys: string[] | null = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly batchSize: number,
    result: ImportResult | null,
    private readonly onProgress?: (p: ImportProgress) => void,
  ) {
    this.result = result;
  }

  /** One record (records.ts, as the checks encoded it) and its chain key (keys.ts) when the checks gave it. */
  async add(record: string, key?: string): Promise<void> {
    const t = decodeOwnRecord(record);
    if (this.batch.length >= this.batchSize && t.height !== this.batch[this.batch.length - 1].height) await this.flush();
    this.batch.push(t);
    this.records.push(record);
    if (key === undefined) this.keys = null;
    else this.keys?.push(key);
  }

  /** Write what is left; then LevelDB's memory table is written out (the next open replays no log). Returns the batch count. */
  async finish(): Promise<number> {
    if (this.batch.length > 0) await this.flush();
    await this.writing;
    const added = this.result?.added ?? 0;
    if (this.written !== added) throw new Error(`import wrote ${this.written} of ${added} new transfers`);
    if (this.batches > 0) await this.store.flushWrites();
    return this.batches;
  }

  /** Never leave a write running behind an error. */
  async settled(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const [rows, texts, keys] = [this.batch, this.records, this.keys ?? undefined];
    this.batch = [];
    this.records = [];
    this.keys = [];
    await this.writing; // a failed batch stops the import here: nothing after it is written
    this.writing = this.store.writeNewTransfers(rows, texts, keys).then(() => {
      this.written += rows.length;
      this.batches++;
      const r = this.result;
      this.onProgress?.({ phase: 'write', lines: r?.lines ?? 0, transfers: r?.transfers ?? 0, written: this.written });
    });
    this.writing.catch(() => undefined); // awaited by the next flush or at the end
  }
}

/**
 * Pass 1: check every line (in blocks, on the pool's threads, taken in file order) against the store (when there is
 * one) and the rest of the import; each block's new transfers go to `sink` (their records and chain keys, in order).
 */
async function validate(
  store: Store | null,
  options: ImportOptions,
  maxLineBytes: number,
  sink: (fresh: { records: readonly string[]; keys: readonly string[] }) => Promise<void>,
): Promise<ImportResult> {
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
    const fresh = { records: [] as string[], keys: [] as string[] };
    for (let i = 0; i < n; i++) {
      const first = seen.add(keys[i].slice(22), r.heights[i]);
      if (first !== 0 && first !== r.heights[i])
        fail(name, r.at[i], `transfer ${keys[i].slice(22)} at height ${r.heights[i]} was imported before at height ${first}`);
      if (first === 0 && stored?.stored[i] !== true) {
        fresh.records.push(records[i]);
        fresh.keys.push(keys[i]);
      }
    }
    result.added += fresh.records.length;
    result.repeated += n - fresh.records.length;
    await sink(fresh);
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
  }
  return result;
}
