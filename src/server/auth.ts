/**
 * API keys and per-key rate limits.
 *
 * Keys come from a file (`--api-keys FILE`): JSON — `["k1", …]`, `{ "keys": [...] }`, or entries
 * `{ "key", "name"?, "rate"?: { "capacity", "perSecond" } }` — or plain text, one key per line
 * (blank lines and `#` comments ignored). Keys are held as SHA-256 digests, never logged.
 * A request presents `Authorization: Bearer <key>`.
 *
 * Rate limit: a token bucket per key (per client IP when no keys are configured): `capacity`
 * tokens, refilled at `perSecond`; a request takes one. Buckets live in a bounded Map (oldest
 * evicted) so unknown clients cannot grow memory without bound.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TracerError } from '../errors.js';

export interface RateLimit { capacity: number; perSecond: number }
export interface ApiKey { key: string; name?: string; rate?: RateLimit }
export interface KeyInfo { name: string; rate: RateLimit | null }

export const DEFAULT_RATE_LIMIT: RateLimit = { capacity: 200, perSecond: 100 };

export function digestKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Parses the API key file's text (see module header). Throws TRACE_INVALID_OPTION. */
export function parseApiKeys(text: string, source = 'api key file'): ApiKey[] {
  const trimmed = text.trim();
  let keys: ApiKey[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new TracerError('TRACE_INVALID_OPTION', `${source}: not valid JSON (${(err as Error).message})`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys;
    if (!Array.isArray(list)) throw new TracerError('TRACE_INVALID_OPTION', `${source}: expected an array of keys or { "keys": [...] }`);
    keys = list.map((item, i) => {
      if (typeof item === 'string') return { key: item };
      const o = item as ApiKey;
      if (typeof o !== 'object' || o === null || typeof o.key !== 'string') throw new TracerError('TRACE_INVALID_OPTION', `${source}: entry ${i} has no "key" string`);
      if (o.rate !== undefined) checkRate(o.rate, `${source}: entry ${i} rate`);
      return { key: o.key, name: typeof o.name === 'string' ? o.name : undefined, rate: o.rate };
    });
  } else {
    keys = trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((key) => ({ key }));
  }
  keys.forEach((k, i) => {
    if (k.key.length < 8 || /\s/.test(k.key)) throw new TracerError('TRACE_INVALID_OPTION', `${source}: key ${i + 1} must be at least 8 characters without spaces`);
  });
  if (keys.length === 0) throw new TracerError('TRACE_INVALID_OPTION', `${source}: holds no keys`);
  return keys;
}

export function readApiKeysFile(path: string): ApiKey[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TracerError('TRACE_INVALID_OPTION', `cannot read --api-keys ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseApiKeys(text, path);
}

export function checkRate(rate: unknown, what: string): RateLimit {
  const r = rate as RateLimit;
  if (typeof r !== 'object' || r === null || !(Number.isFinite(r.capacity) && r.capacity >= 1) || !(Number.isFinite(r.perSecond) && r.perSecond > 0)) {
    throw new TracerError('TRACE_INVALID_OPTION', `${what} must be { capacity ≥ 1, perSecond > 0 }, got ${JSON.stringify(rate)}`);
  }
  return r;
}

/** Per-client token buckets. `take` returns 0 when allowed, else the seconds to wait. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly maxClients = 10_000, private readonly now: () => number = () => performance.now()) {}

  take(client: string, rate: RateLimit): number {
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
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / rate.perSecond;
  }
}

/** Reads `Authorization: Bearer <key>`; null when absent or not of that form. */
export function bearerToken(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}
