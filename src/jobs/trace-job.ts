/**
 * A trace job (`tainttrace trace`, the demo, the library's `traceJob`): case file → stored transfers
 * → all policies in one pass → report files → taint index and manifest back into the store.
 *
 * The I/O edge around the pure core: reading the case and labels, reading the store, writing the
 * reports and the index. Everything it decides is in `runTrace` (src/taint) and `buildTaintIndex`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TracerError } from '../errors.js';
import { addMosaicLabels, loadCase } from '../labels/index.js';
import { writeReports, type ReportFormat, REPORT_FORMATS, type HtmlOptions } from '../report/index.js';
import { buildTaintIndex, saveTaintIndex, TAINT_INDEX_SUBLEVEL, type TaintIndex } from '../screen/index.js';
import { hashAt, openStore, type Store } from '../store/index.js';
import { runTraceColumns, tableOfColumns, type TraceResult } from '../taint/index.js';
import { POLICIES, type Policy } from '../domain.js';
import { ENGINE_VERSION } from '../version.js';

export interface TraceJobOptions {
  /** A store directory, or an open store (left open). */
  store: string | Store;
  /** Path of the case file (docs/contracts.md); label paths resolve against its folder. */
  caseFile: string;
  /** Policies to report (default: all six). */
  policies?: readonly Policy[];
  /** Where the report files go; omit to write none. */
  outDir?: string;
  /** Report formats (default: all). */
  formats?: readonly ReportFormat[];
  html?: HtmlOptions;
  /** Store the taint index and manifest for screening (default true). */
  saveIndex?: boolean;
}

export interface TraceJobResult {
  result: TraceResult;
  index: TaintIndex;
  /** Report file name → absolute path. */
  files: Record<string, string>;
  stats: { transfers: number; accounts: number; tipHeight: number; digest: string };
}

export async function traceJob(options: TraceJobOptions): Promise<TraceJobResult> {
  const policies = options.policies ?? POLICIES;
  const { caseSpec, labels } = await loadCase(options.caseFile);
  if (typeof options.store === 'string' && !existsSync(join(options.store, 'CURRENT'))) {
    // Do not create an empty store where the user mistyped a path.
    throw new TracerError(
      'TRACE_STORE_EMPTY',
      `no store at ${options.store}: crawl first (tainttrace crawl --db ${options.store} --case …)`,
    );
  }
  const store = typeof options.store === 'string' ? await openStore(options.store) : options.store;
  try {
    const stats = await store.stats();
    if (stats.transfers === 0)
      throw new TracerError('TRACE_STORE_EMPTY', 'the store holds no transfers: crawl first (tainttrace crawl --case …)');
    // the columns straight from the store's packed segments; a Transfer object only where one is read
    const { cols, transfers } = await store.loadTransferTable({ windowTo: caseSpec.windowTo });
    const result = runTraceColumns({
      table: tableOfColumns(cols, (k) => hashAt(cols, k)),
      transfers,
      caseSpec,
      labels,
      policies,
      storeDigest: stats.digest,
      tipHeight: stats.tipHeight,
      engineVersion: ENGINE_VERSION,
    });
    if (result.seed.transfers.length === 0) {
      throw new TracerError('TRACE_STORE_EMPTY', `the store holds none of case ${caseSpec.id}'s seed transfers: crawl this case first`);
    }
    addMosaicLabels(result); // taint mosaics as labels on their recipients (no taint number changes)
    const files =
      options.outDir === undefined
        ? {}
        : (await writeReports(result, { outDir: options.outDir, formats: options.formats ?? REPORT_FORMATS, html: options.html })).files;
    const index = (options.saveIndex ?? true) ? await storeTraceIndex(store, result) : buildTaintIndex(result);
    return { result, index, files, stats };
  } finally {
    if (typeof options.store === 'string') await store.close();
  }
}

/** The taint index of a trace, stored with its manifest for screening (what `trace` and `follow` both publish). */
export async function storeTraceIndex(store: Store, result: TraceResult): Promise<TaintIndex> {
  const index = buildTaintIndex(result);
  await saveTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL), index);
  await store.putManifest(result.manifest.caseId, result.manifest);
  return index;
}
