/**
 * Rate limits: a token bucket per client (an API key's name, or the client address): `capacity`
 * tokens, refilled at `perSecond`; a request takes one. Buckets live in a bounded Map (oldest
 * evicted) so unknown clients cannot grow memory without bound.
 */
import { TracerError } from '../../errors.js';

export interface RateLimit {
  capacity: number;
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { capacity: 200, perSecond: 100 };

export function checkRate(rate: unknown, what: string): RateLimit {
  const r = rate as RateLimit;
  if (
    typeof r !== 'object' ||
    r === null ||
    !(Number.isFinite(r.capacity) && r.capacity >= 1) ||
    !(Number.isFinite(r.perSecond) && r.perSecond > 0)
  ) {
    throw new TracerError('TRACE_INVALID_OPTION', `${what} must be { capacity ≥ 1, perSecond > 0 }, got ${JSON.stringify(rate)}`);
  }
  return r;
}

/**
 * Per-client token buckets. `take` takes a token: 0 when there was one, else the seconds until
 * there is; `wait` tells the same without taking.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly maxClients = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(client: string, rate: RateLimit): number {
    const b = this.refill(client, rate);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / rate.perSecond;
  }

  wait(client: string, rate: RateLimit): number {
    const b = this.buckets.get(client);
    if (!b) return 0;
    const tokens = Math.min(rate.capacity, b.tokens + ((this.now() - b.at) / 1000) * rate.perSecond);
    return tokens >= 1 ? 0 : (1 - tokens) / rate.perSecond;
  }

  private refill(client: string, rate: RateLimit): { tokens: number; at: number } {
    const t = this.now();
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: rate.capacity, at: t };
      this.buckets.set(client, b);
    } else {
      b.tokens = Math.min(rate.capacity, b.tokens + ((t - b.at) / 1000) * rate.perSecond);
      b.at = t;
    }
    return b;
  }
}

/** The 429 for a client that must wait `wait` seconds (sets Retry-After). */
export function rateLimited(rep: { header(name: string, value: string): unknown }, wait: number, what: string): TracerError {
  rep.header('retry-after', String(Math.max(1, Math.ceil(wait))));
  return new TracerError('TRACE_RATE_LIMITED', `${what}; retry in ${wait.toFixed(2)} s`);
}
