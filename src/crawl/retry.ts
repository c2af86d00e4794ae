/**
 * Retry policy of the crawler: which failures are worth another attempt, how long
 * to wait (exponential backoff with full jitter, AWS-style: delay = rng() · min(cap, base · 2^n)),
 * and `Retry-After` (seconds or an HTTP date), which is honoured as a lower bound.
 */
import { isTracerError } from '../errors.js';

export interface RetryOptions {
  /** Attempts per request on one node before failing over (≥ 1). */
  attempts: number;
  /** Backoff base, ms. */
  baseMs: number;
  /** Backoff cap, ms. */
  maxMs: number;
  /** A `Retry-After` longer than this makes the crawler fail over instead of waiting, ms. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({ attempts: 5, baseMs: 250, maxMs: 15_000, maxRetryAfterMs: 60_000 });

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
