import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, RateLimiter, shouldRetry } from '../../src/crawl/index.js';
import { TracerError } from '../../src/errors.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling with a cap', () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, opts, () => 0.999)).toBe(99);
    expect(backoffDelay(2, opts, () => 0.5)).toBe(200);
    expect(backoffDelay(10, opts, () => 0.999)).toBe(999);
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
    const rng = mulberry32(5);
    for (let n = 0; n < 50; n++) expect(backoffDelay(n, DEFAULT_RETRY, rng)).toBeLessThan(DEFAULT_RETRY.maxMs);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and null for nothing', () => {
    expect(parseRetryAfter('1', 0)).toBe(1000);
    expect(parseRetryAfter(['3'], 0)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter(undefined, 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});

describe('shouldRetry', () => {
  it('retries retryable node errors, never a malformed answer or a 4xx', () => {
    expect(shouldRetry(new TracerError('TRACE_NODE_HTTP', '503', { retryable: true }))).toBe(true);
    expect(shouldRetry(new TracerError('TRACE_NODE_UNAVAILABLE', 'reset'))).toBe(true);
    expect(shouldRetry(new TracerError('TRACE_NODE_HTTP', '400', { retryable: false }))).toBe(false);
    expect(shouldRetry(new TracerError('TRACE_MALFORMED_RESPONSE', 'lie'))).toBe(false);
    expect(shouldRetry(new Error('bug'))).toBe(false);
  });
});

describe('RateLimiter', () => {
  it('spaces request starts 1/rate apart', async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter(
      10,
      () => now,
      (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    );
    for (let i = 0; i < 4; i++) await limiter.acquire();
    expect(waits).toEqual([100, 200, 300]);
    now = 1000;
    await limiter.acquire();
    expect(waits.length).toBe(3);
  });
});
