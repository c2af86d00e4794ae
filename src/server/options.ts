/**
 * The options of buildServer and their defaults; `resolveOptions` checks them once, at the
 * boundary, and hands a resolved, read-only ServerConfig inward.
 *
 * Limits, set deliberately: bodyLimit 512 KiB (1,000 deposits ≈ 110 KiB); requestTimeout 10 s (the
 * whole request must arrive: slow-loris); keepAliveTimeout 65 s (above common load balancers' 60 s
 * idle timeout, so the proxy closes first); connectionTimeout 70 s (socket inactivity, above the
 * keep-alive); at most 1,000 deposits per screen (413 above).
 */
import { TracerError } from '../errors.js';
import type { EventSource } from '../events/log.js';
import type { TaintIndex } from '../screen/index-types.js';
import { resolveRiskRules, type RiskRules } from '../screen/risk.js';
import { digestKey, type ApiKey, type KeyInfo } from './keys.js';
import { checkRate, DEFAULT_RATE_LIMIT, type RateLimit } from './guards/rate-limit.js';

export interface ServerLimits {
  bodyLimit?: number;
  maxDeposits?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  keepAliveTimeout?: number;
}

export interface ServerOptions {
  index?: TaintIndex;
  /** The event sequence GET /v1/events serves (`tainttrace follow --serve`); without it the route is 404. */
  events?: EventSource | null;
  loadIndex?: () => Promise<TaintIndex>;
  /** API keys; none (or an empty list) = open API. */
  apiKeys?: ApiKey[] | null;
  /** Default per-key (or per-IP) rate limit; false = none. Default { capacity: 200, perSecond: 100 } with keys, none without. */
  rateLimit?: RateLimit | false;
  limits?: ServerLimits;
  riskRules?: Partial<RiskRules>;
  logger?: boolean;
  /** Budget of the account answer cache in bytes (default 2 KiB per indexed account or label, at least 32 MiB; 0 = no caching). */
  accountCacheBytes?: number;
  /** Fill the account answer cache in the background once the index is there (default true). */
  warmAccountCache?: boolean;
  /** Clock for the rate limiter (ms), for tests. */
  now?: () => number;
}

export const DEFAULT_LIMITS: Required<ServerLimits> = {
  bodyLimit: 512 * 1024,
  maxDeposits: 1000,
  requestTimeout: 10_000,
  connectionTimeout: 70_000,
  keepAliveTimeout: 65_000,
};

/** The options, checked and resolved. */
export interface ServerConfig {
  readonly limits: Readonly<Required<ServerLimits>>;
  readonly rules: RiskRules;
  /** SHA-256 digest of each API key → its name and rate; empty = open API. */
  readonly keys: ReadonlyMap<string, KeyInfo>;
  /** The rate limit of a client without its own (per key without one, per address without keys); null = none. */
  readonly defaultRate: RateLimit | null;
  readonly accountCacheBytes: number | undefined;
  readonly warmAccountCache: boolean;
  readonly logger: boolean;
  readonly now: (() => number) | undefined;
}

export function resolveOptions(options: ServerOptions): ServerConfig {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const defaultRate =
    options.rateLimit === undefined ? (options.apiKeys?.length ? DEFAULT_RATE_LIMIT : null) : options.rateLimit === false ? null : checkRate(options.rateLimit, 'rateLimit');
  const keys = new Map<string, KeyInfo>();
  for (const [i, k] of (options.apiKeys ?? []).entries()) keys.set(digestKey(k.key), { name: k.name ?? `key${i + 1}`, rate: k.rate ?? defaultRate });
  const cacheBytes = options.accountCacheBytes;
  if (cacheBytes !== undefined && !(Number.isSafeInteger(cacheBytes) && cacheBytes >= 0)) {
    throw new TracerError('TRACE_INVALID_OPTION', `accountCacheBytes must be a whole number ≥ 0, got ${cacheBytes}`);
  }
  return {
    limits,
    rules: resolveRiskRules(options.riskRules),
    keys,
    defaultRate,
    accountCacheBytes: cacheBytes,
    warmAccountCache: options.warmAccountCache ?? true,
    logger: options.logger ?? false,
    now: options.now,
  };
}
