/**
 * Crawl options: one DEFAULTS object, validated once at the boundary into a
 * read-only ResolvedCrawlOptions. Bad values are TRACE_INVALID_OPTION naming the option, what was
 * expected and what was given; unknown keys are rejected.
 */
import type { Dispatcher } from 'undici';
import { TracerError } from '../errors.js';
import { parseAddress, sharedVerifier, type SignedPart } from '../nem/index.js';
import type { Store } from '../store/index.js';
import { DEFAULT_MAX_HOPS } from '../labels/index.js';
import type { Label, ResolvedCase, SeedSpec } from '../domain.js';
import { ENGINE_VERSION } from '../version.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { defaultSleep } from './rate.js';
import { DEFAULT_EXIT_CATEGORIES } from '../domain.js';

export interface CrawlProgress {
  /** Accounts whose history (or seed window) is complete in this run. */
  accountsDone: number;
  /** Accounts still to do (queued or in progress). */
  accountsQueued: number;
  /** Transfers stored by this run (new hashes). */
  transfers: number;
  requests: number;
  retries: number;
  failovers: number;
  /** Node of the last request. */
  node: string;
  requestsPerSecond: number;
  elapsedMs: number;
  /** The last retried or failed-over error (one line), if any. */
  lastError: string | null;
}

/** Where a crawl's time went (CrawlOptions.onTimings): sums over all requests / batches; fetches and writes overlap. */
export interface CrawlTimings {
  /** Sum over requests of the time from sending to the parsed JSON body (concurrent requests overlap). */
  fetchMs: number;
  /** Time validating pages (normalisation, hash recomputation, paging checks, waiting for signatures). */
  validateMs: number;
  /** Of `validateMs`, the time waiting for signature verification (worker threads). */
  verifyMs: number;
  /** Time the writer was busy with synced batches (runs alongside fetching). */
  writeMs: number;
  /** Synced batches written, and the pages they held (group commit: pages ≥ batches). */
  batches: number;
  pages: number;
  /** Items validated, and how many of them were repeats verified against an earlier identical item. */
  items: number;
  itemsReused: number;
}

/** What the crawler needs of a signature verifier (src/nem/verify-pool.ts SignatureVerifier). */
export interface PageVerifier {
  firstBad(items: readonly (readonly SignedPart[])[]): Promise<{ index: number; reason: string } | null>;
}

export interface CrawlOptions {
  /** NIS1 node base URLs (http/https); more than one for failover. */
  nodes: string[];
  store: Store;
  /** Seeds, window end, exit categories and hop limit come from the case. */
  caseSpec?: ResolvedCase;
  /** Labels (exits = labelled with one of the case's exit categories). */
  labels?: Map<string, Label>;
  /** Plain seed accounts: reached at hop 0, expanded in full. */
  seedAccounts?: string[];
  /** Overrides the case's hop limit (default: the case's, else 10). */
  maxHops?: number;
  /** Instead of reaching forward from seeds: the upstream cone of `address` within `hops` (src/crawl/upstream.ts). */
  upstream?: { address: string; hops: number };
  /** Requests in flight (default 4). */
  concurrency?: number;
  /** Requests per second, all nodes together (default 10). */
  rate?: number;
  signal?: AbortSignal;
  onProgress?: (p: CrawlProgress) => void;
  /** Called once when the crawl returns, with where its time went (benchmarks, diagnostics). */
  onTimings?: (t: CrawlTimings) => void;
  retry?: Partial<RetryOptions>;
  /** Jitter source (default Math.random); tests inject a seeded one. */
  rng?: () => number;
  /** Backoff sleep (default setTimeout); tests inject a fast one (the retry budget counts the time asked for). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Items per page, 5..100 (default 100). */
  pageSize?: number;
  /** Connect and headers timeouts, and the overall deadline of one request (headers and body), ms. */
  timeouts?: { connectMs?: number; headersMs?: number; requestMs?: number };
  /** Largest answer accepted, bytes, counted as it streams (default 8 MiB; a 100-item page is ~150 KB). */
  maxBodyBytes?: number;
  /** Longest time a node's open circuit breaker keeps it out of rotation, ms (default 30 000). */
  nodeCooldownMs?: number;
  /** undici dispatcher for every node instead of one Pool each (tests: MockAgent). */
  dispatcher?: Dispatcher;
  /** Signature verifier (default: the process-wide worker pool, sharedVerifier()); benchmarks and tests inject their own. */
  verifier?: PageVerifier;
}

export interface ResolvedCrawlOptions {
  nodes: string[];
  store: Store;
  seeds: SeedSpec[];
  seedAccounts: string[];
  upstream: { address: string; hops: number } | null;
  labels: Map<string, Label>;
  exitCategories: Set<string>;
  windowTo: number | null;
  maxHops: number;
  concurrency: number;
  rate: number;
  signal: AbortSignal | undefined;
  onProgress: ((p: CrawlProgress) => void) | undefined;
  onTimings: ((t: CrawlTimings) => void) | undefined;
  retry: RetryOptions;
  rng: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  pageSize: number;
  timeouts: { connectMs: number; headersMs: number; requestMs: number };
  maxBodyBytes: number;
  nodeCooldownMs: number;
  dispatcher: Dispatcher | undefined;
  verifier: PageVerifier;
  userAgent: string;
}

export const CRAWL_DEFAULTS = Object.freeze({
  concurrency: 4,
  rate: 10,
  pageSize: 100,
  timeouts: Object.freeze({ connectMs: 10_000, headersMs: 30_000, requestMs: 60_000 }),
  maxBodyBytes: 8 * 1024 * 1024,
  nodeCooldownMs: 30_000,
});

const KNOWN = new Set([
  'nodes',
  'store',
  'caseSpec',
  'labels',
  'seedAccounts',
  'maxHops',
  'upstream',
  'concurrency',
  'rate',
  'signal',
  'onProgress',
  'onTimings',
  'retry',
  'rng',
  'sleep',
  'pageSize',
  'timeouts',
  'maxBodyBytes',
  'nodeCooldownMs',
  'dispatcher',
  'verifier',
]);

function bad(option: string, expected: string, got: unknown): never {
  const shown =
    typeof got === 'string'
      ? JSON.stringify(got)
      : got === null
        ? 'null'
        : typeof got === 'number' || typeof got === 'bigint' || typeof got === 'boolean'
          ? String(got)
          : typeof got === 'object'
            ? 'an object'
            : typeof got;
  throw new TracerError('TRACE_INVALID_OPTION', `crawl option ${option} must be ${expected}, got ${shown}`, { details: { option } });
}

function int(v: unknown, option: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(option, `an integer from ${min} to ${max}`, v);
  return v;
}

/** A node URL: http(s), no query or fragment. */
export function parseNodeUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return bad('nodes', 'http(s) URLs such as http://127.0.0.1:7890', text);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search !== '' || u.hash !== '' || u.username !== '')
    bad('nodes', 'http(s) URLs without query, fragment or credentials', text);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export function resolveCrawlOptions(o: CrawlOptions): ResolvedCrawlOptions {
  if (typeof o !== 'object' || o === null) throw new TypeError('crawl(options): options must be an object');
  for (const key of Object.keys(o)) if (!KNOWN.has(key)) bad(key, 'a known option (no such option)', key);
  if (!Array.isArray(o.nodes) || o.nodes.length === 0) bad('nodes', 'a non-empty array of node URLs', o.nodes);
  const nodes = [...new Set(o.nodes.map(parseNodeUrl))];
  if (!o.store || typeof o.store.writeBatch !== 'function') bad('store', 'a Store from openStore()', o.store);
  if (o.store.readOnly) bad('store', 'a writable store', 'a read-only store');
  const seedAccounts = [...new Set((o.seedAccounts ?? []).map((a) => parseAddress(a)))].sort();
  const seeds = o.caseSpec?.seeds ?? [];
  let upstream: ResolvedCrawlOptions['upstream'] = null;
  if (o.upstream !== undefined) {
    if (typeof o.upstream !== 'object' || o.upstream === null) bad('upstream', '{ address, hops }', o.upstream);
    if (seeds.length > 0 || seedAccounts.length > 0) bad('upstream', 'given without seeds (a cone has none)', 'both');
    upstream = { address: parseAddress(o.upstream.address), hops: int(o.upstream.hops ?? null, 'upstream.hops', 0, 1, 100) };
  } else if (seeds.length === 0 && seedAccounts.length === 0)
    bad('caseSpec/seedAccounts', 'a case with seeds, at least one seed account, or upstream', 'neither');
  const maxHops = int(o.maxHops, 'maxHops', o.caseSpec?.maxHops ?? DEFAULT_MAX_HOPS, 1, 1000);
  const concurrency = int(o.concurrency, 'concurrency', CRAWL_DEFAULTS.concurrency, 1, 256);
  if (o.rate !== undefined && (typeof o.rate !== 'number' || !(o.rate > 0) || o.rate > 1e6))
    bad('rate', 'a number of requests per second above 0', o.rate);
  const pageSize = int(o.pageSize, 'pageSize', CRAWL_DEFAULTS.pageSize, 5, 100);
  for (const k of Object.keys(o.retry ?? {}))
    if (!(k in DEFAULT_RETRY)) bad(`retry.${k}`, `a known retry option (${Object.keys(DEFAULT_RETRY).join(', ')})`, k);
  const r = { ...DEFAULT_RETRY, ...(o.retry ?? {}) };
  for (const k of ['budgetMs', 'baseMs', 'maxMs', 'maxRetryAfterMs'] as const)
    if (typeof r[k] !== 'number' || !(r[k] >= 0)) bad(`retry.${k}`, 'a number of ms ≥ 0', r[k]);
  int(r.breakerFailures, 'retry.breakerFailures', 1, 1, 1000);
  for (const k of Object.keys(o.timeouts ?? {}))
    if (!(k in CRAWL_DEFAULTS.timeouts)) bad(`timeouts.${k}`, 'connectMs, headersMs or requestMs', k);
  const t = { ...CRAWL_DEFAULTS.timeouts, ...(o.timeouts ?? {}) };
  for (const k of ['connectMs', 'headersMs', 'requestMs'] as const) int(t[k], `timeouts.${k}`, 0, 1, 3_600_000);
  if (o.rng !== undefined && typeof o.rng !== 'function') bad('rng', 'a function returning [0, 1)', o.rng);
  if (o.sleep !== undefined && typeof o.sleep !== 'function') bad('sleep', 'a function (ms) => Promise', o.sleep);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') bad('onProgress', 'a function', o.onProgress);
  if (o.onTimings !== undefined && typeof o.onTimings !== 'function') bad('onTimings', 'a function', o.onTimings);
  if (o.verifier !== undefined && typeof o.verifier?.firstBad !== 'function') bad('verifier', 'a SignatureVerifier', o.verifier);
  return {
    nodes,
    store: o.store,
    seeds: [...seeds],
    seedAccounts,
    upstream,
    labels: o.labels ?? new Map<string, Label>(),
    exitCategories: new Set(o.caseSpec?.exitCategories ?? DEFAULT_EXIT_CATEGORIES),
    windowTo: o.caseSpec?.windowTo ?? null,
    maxHops,
    concurrency,
    rate: o.rate ?? CRAWL_DEFAULTS.rate,
    signal: o.signal,
    onProgress: o.onProgress,
    onTimings: o.onTimings,
    retry: r,
    rng: o.rng ?? Math.random,
    sleep: o.sleep ?? defaultSleep,
    pageSize,
    timeouts: t,
    maxBodyBytes: int(o.maxBodyBytes, 'maxBodyBytes', CRAWL_DEFAULTS.maxBodyBytes, 1024, 1 << 30),
    nodeCooldownMs: int(o.nodeCooldownMs, 'nodeCooldownMs', CRAWL_DEFAULTS.nodeCooldownMs, 0, 86_400_000),
    dispatcher: o.dispatcher,
    verifier: o.verifier ?? sharedVerifier(),
    userAgent: `tainttrace/${ENGINE_VERSION}`,
  };
}
