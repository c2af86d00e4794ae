/**
 * Retry policy of the crawler (docs/contracts.md §6): which failures are worth another attempt,
 * how long to wait (exponential backoff with full jitter, AWS-style: delay = rng() · min(cap, base ·
 * 2^n)), `Retry-After` (seconds or an HTTP date) honoured as a lower bound, all within a time budget
 * per request rather than a fixed number of attempts, and a circuit breaker per node.
 */
import { isTracerError } from '../errors.js';

export interface RetryOptions {
  /**
   * Time one request may take over all its attempts on one node — their durations plus the waits
   * between them — before the crawler fails over (or, with no other node, gives up), ms.
   */
  budgetMs: number;
  /** Backoff base, ms. */
  baseMs: number;
  /** Backoff cap, ms. */
  maxMs: number;
  /** A `Retry-After` longer than this makes the crawler fail over instead of waiting, ms. */
  maxRetryAfterMs: number;
  /** Consecutive transient failures of a node that open its circuit breaker (≥ 1). */
  breakerFailures: number;
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  budgetMs: 300_000,
  baseMs: 250,
  maxMs: 15_000,
  maxRetryAfterMs: 60_000,
  breakerFailures: 5,
});

/** Full-jitter exponential backoff for retry number `attempt` (0 = first retry). */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseMs' | 'maxMs'>, rng: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(rng() * ceiling);
}

/** `Retry-After` header → ms (null when absent or unreadable). */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** One failure: retry on the same node? (429, 5xx, resets, timeouts, truncated bodies.) */
export function shouldRetry(err: unknown): boolean {
  if (isTracerError(err)) return err.code !== 'TRACE_MALFORMED_RESPONSE' && err.retryable;
  return false;
}
