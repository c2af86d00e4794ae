/**
 * The options of buildServer and their defaults; `resolveOptions` checks them once, at the
 * boundary, and hands a resolved, read-only ServerConfig inward.
 *
 * Limits, set deliberately: bodyLimit 512 KiB (1,000 deposits ≈ 110 KiB); requestTimeout 10 s (the
 * whole request, headers and body, must arrive: slow-loris; checked every 250 ms, 408 at the
 * deadline); headersTimeout 5 s (the headers alone); maxHeaderSize 16 KiB (431 above);
 * keepAliveTimeout 65 s (above common load balancers' 60 s idle timeout, so the proxy closes
 * first); connectionTimeout 70 s (socket inactivity, above the keep-alive); maxConnections 1,024
 * open sockets (503 TRACE_OVERLOADED above); at most 1,000 deposits per screen (413 above); exposure
 * cones of at most 200,000 transfers per request, all exposures of a screen together (413
 * TRACE_WORK_LIMIT above: the sweeps cost up to 18 passes over the cone).
 *
 * Abuse limits, on by default: a token bucket per API key — or per client address when no keys are
 * configured — of 200 requests, refilled at 100/s; failed API keys per client address: 10, refilled
 * one per 10 s (429 before the key is even looked at once they are used up). With keys, /metrics
 * needs a key too unless `openMetrics`.
 */
import { isIP } from 'node:net';
import { TracerError } from '../errors.js';
import type { EventSource } from '../events/index.js';
import type { ConeSource } from '../exposure/index.js';
import { type TaintIndex, resolveRiskRules, type RiskRules } from '../screen/index.js';
import { checkKey, digestKey, type ApiKey, type KeyInfo } from './keys.js';
import { checkRate, DEFAULT_RATE_LIMIT, type RateLimit } from './guards/rate-limit.js';

export interface ServerLimits {
  bodyLimit?: number;
  maxDeposits?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  keepAliveTimeout?: number;
  headersTimeout?: number;
  maxHeaderSize?: number;
  maxConnections?: number;
  /** Transfers one request's exposures may gather in all (GET /v1/exposure, POST /v1/screen with exposure). */
  exposureTransfers?: number;
}

export interface ServerOptions {
  index?: TaintIndex;
  /** The event sequence GET /v1/events serves (`tainttrace follow --serve`); without it the route is 404. */
  events?: EventSource | null;
  /** Transfers to answer GET /v1/exposure from (src/exposure loadConeSource); none = that route answers 404. */
  exposure?: ConeSource | null;
  loadIndex?: () => Promise<TaintIndex>;
  /** API keys; none (or an empty list) = open API. */
  apiKeys?: ApiKey[] | null;
  /** Per-key rate limit (per client address without keys); false = none. Default DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimit | false;
  /** Failed API keys allowed per client address; false = unlimited. Default DEFAULT_AUTH_FAILURE_LIMIT. */
  authFailureLimit?: RateLimit | false;
  /** Serve /metrics without a key even when API keys are configured (default false). */
  openMetrics?: boolean;
  /**
   * Behind a reverse proxy: take the client address for the per-client limits from X-Forwarded-For.
   * false (default): the socket's address, the header ignored (a client cannot pick its own bucket);
   * a list of the proxies' addresses or CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`): the
   * address before the last trusted one; true: the first address in the header (only when every
   * request passes a proxy that overwrites it). No hop counts: they cannot tell a proxy from a client
   * that sends the header itself (fastify refuses to trust them).
   */
  trustProxy?: boolean | string | readonly string[];
  limits?: ServerLimits;
  riskRules?: Partial<RiskRules>;
  logger?: boolean;
  /** Budget of the account answer cache in bytes (default 0: no caching; src/server/answers.ts). */
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
  headersTimeout: 5_000,
  maxHeaderSize: 16 * 1024,
  maxConnections: 1024,
  exposureTransfers: 200_000,
};

/** Failed API keys per client address: 10, then one more every 10 s. */
export const DEFAULT_AUTH_FAILURE_LIMIT: RateLimit = { capacity: 10, perSecond: 0.1 };

/** The options, checked and resolved. */
export interface ServerConfig {
  readonly limits: Readonly<Required<ServerLimits>>;
  readonly rules: RiskRules;
  /** SHA-256 digest of each API key → its name and rate; empty = open API. */
  readonly keys: ReadonlyMap<string, KeyInfo>;
  /** The rate limit of a client without its own (per key without one, per address without keys); null = none. */
  readonly defaultRate: RateLimit | null;
  /** Failed API keys allowed per client address; null = unlimited. */
  readonly authFailures: RateLimit | null;
  readonly openMetrics: boolean;
  readonly accountCacheBytes: number | undefined;
  readonly warmAccountCache: boolean;
  readonly logger: boolean;
  readonly now: (() => number) | undefined;
  readonly exposure: ConeSource | null;
  /** fastify's trustProxy (false: the socket address). */
  readonly trustProxy: boolean | string[];
}

export function resolveOptions(options: ServerOptions): ServerConfig {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!(Number.isSafeInteger(value) && value > 0))
      throw new TracerError('TRACE_INVALID_OPTION', `limits.${name} must be a whole number > 0, got ${value}`);
  }
  if (limits.headersTimeout > limits.requestTimeout) {
    throw new TracerError(
      'TRACE_INVALID_OPTION',
      `limits.headersTimeout (${limits.headersTimeout}) must not exceed limits.requestTimeout (${limits.requestTimeout})`,
    );
  }
  const rate = (value: RateLimit | false | undefined, fallback: RateLimit, what: string) =>
    value === false ? null : checkRate(value ?? fallback, what);
  const defaultRate = rate(options.rateLimit, DEFAULT_RATE_LIMIT, 'rateLimit');
  const keys = new Map<string, KeyInfo>();
  for (const [i, k] of (options.apiKeys ?? []).entries()) {
    checkKey(k.key, `apiKeys[${i}]`);
    keys.set(digestKey(k.key), { name: k.name ?? `key${i + 1}`, rate: k.rate ? checkRate(k.rate, `apiKeys[${i}].rate`) : defaultRate });
  }
  const cacheBytes = options.accountCacheBytes;
  if (cacheBytes !== undefined && !(Number.isSafeInteger(cacheBytes) && cacheBytes >= 0)) {
    throw new TracerError('TRACE_INVALID_OPTION', `accountCacheBytes must be a whole number ≥ 0, got ${cacheBytes}`);
  }
  return {
    limits,
    rules: resolveRiskRules(options.riskRules),
    keys,
    defaultRate,
    authFailures: rate(options.authFailureLimit, DEFAULT_AUTH_FAILURE_LIMIT, 'authFailureLimit'),
    openMetrics: options.openMetrics ?? false,
    accountCacheBytes: cacheBytes,
    warmAccountCache: options.warmAccountCache ?? true,
    exposure: options.exposure ?? null,
    trustProxy: resolveTrustProxy(options.trustProxy),
    logger: options.logger ?? false,
    now: options.now,
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `trustProxy` checked: false, true, or proxy addresses / CIDR ranges / range names. */
export function resolveTrustProxy(value: ServerOptions['trustProxy']): boolean | string[] {
  const fail = (): never => {
    throw new TracerError(
      'TRACE_INVALID_OPTION',
      `trustProxy must be false, true, or the proxies' addresses or CIDR ranges, got ${JSON.stringify(value)}`,
    );
  };
  if (value === undefined || typeof value === 'boolean') return value ?? false;
  const list = (typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : fail()).map((v) =>
    typeof v === 'string' ? v.trim() : fail(),
  );
  if (list.length === 0) fail();
  for (const entry of list) {
    const [ip, bits, more] = entry.split('/');
    const version = isIP(ip);
    const prefixOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32));
    if (!PROXY_NAMES.has(entry) && (version === 0 || !prefixOk || more !== undefined)) fail();
  }
  return list;
}
