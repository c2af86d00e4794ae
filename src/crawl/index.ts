/**
 * The crawler: NIS1 account lists → the store (docs/nis1.md §7). Re-exports only.
 */
export { crawl, SEED_LOOKBACK_S, transferPrint, type CrawlSummary } from './crawl.js';
export { WRITE_QUEUE_PAGES, WriteQueue } from './write-queue.js';
export { BREAKER_BASE_MS, LIES_IN_A_ROW, LIES_PER_REQUEST, NodePool, type NodePoolOptions } from './node-pool.js';
export {
  CRAWL_DEFAULTS,
  parseNodeUrl,
  resolveCrawlOptions,
  type PageVerifier,
  type CrawlOptions,
  type CrawlProgress,
  type CrawlTimings,
  type ResolvedCrawlOptions,
} from './options.js';
export { Reach, type ReachOptions, type ReachState } from './reach.js';
export { ValidatedItems, validatePage, type PageContext, type PageItem, type ListName } from './page.js';
export { DEFAULT_RETRY, backoffDelay, parseRetryAfter, shouldRetry, type RetryOptions } from './retry.js';
export { RateLimiter, defaultSleep } from './rate.js';
export { NodeClient, parseAccountBalance, type ClientOptions } from './client.js';
export { checkChain, addChecks, NO_CHECK, type ChainCheck, type ChainCheckDeps } from './finality.js';
export { verifyBlock, heightsToPosition, positionsIn, MAX_BLOCK_TRANSACTIONS, type VerifiedBlock, type ChainPlaced } from './positions.js';
