/**
 * Exposure options (docs/contracts.md §6): defaults and validation, once, at the boundary. Every
 * problem is one TRACE_INVALID_OPTION (or _TIME / _AMOUNT) line naming the option.
 */
import { TracerError } from '../errors.js';
import { parseXem } from '../nem/index.js';
import { isoToNem } from '../nem/index.js';
import { POLICIES, type Policy } from '../taint/index.js';

/** Categories whose labelled accounts are sources of risky funds unless the caller names others. */
export const DEFAULT_RISKY_CATEGORIES = ['thief', 'darkweb', 'mixer', 'sanctioned', 'gambling', 'ransomware', 'scam'] as const;

export const EXPOSURE_DEFAULTS = {
  /** Upstream hops searched for sources. */
  hops: 4,
  /** Sources whose single contribution is computed and ranked (one sweep each). */
  topSources: 10,
} as const;

/** Upper bounds a request may ask for (each hop can multiply the cone). */
export const EXPOSURE_LIMITS = { hops: 12, topSources: 100 } as const;

export interface ExposureOptions {
  /** Upstream hops (default 4). */
  hops?: number;
  /** Only transfers before this time (NEM timestamp or ISO-8601); default: everything. */
  asOf?: number | string | null;
  /** Risky categories (default DEFAULT_RISKY_CATEGORIES). */
  categories?: readonly string[];
  /** Poison dust threshold: µXEM bigint or XEM decimal string (default 0: nothing pruned). */
  dust?: bigint | string;
  /** Policies to report (default: all six). */
  policies?: readonly Policy[];
  /** How many sources get an exact single-source share (default 10). */
  topSources?: number;
}

export interface ResolvedExposureOptions {
  hops: number;
  asOf: number | null;
  categories: string[];
  dust: bigint;
  policies: Policy[];
  topSources: number;
}

export function resolveExposureOptions(o: ExposureOptions = {}): ResolvedExposureOptions {
  const fail = (message: string): never => {
    throw new TracerError('TRACE_INVALID_OPTION', message);
  };
  const int = (v: unknown, name: string, fallback: number, min: number, max: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      fail(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const hops = int(o.hops, 'hops', EXPOSURE_DEFAULTS.hops, 1, EXPOSURE_LIMITS.hops);
  const topSources = int(o.topSources, 'topSources', EXPOSURE_DEFAULTS.topSources, 0, EXPOSURE_LIMITS.topSources);
  let asOf: number | null = null;
  if (o.asOf !== undefined && o.asOf !== null) {
    if (typeof o.asOf === 'number') {
      if (!Number.isInteger(o.asOf) || o.asOf < 0 || o.asOf >= 2 ** 31)
        throw new TracerError('TRACE_INVALID_TIME', `asOf must be a NEM timestamp, got ${o.asOf}`);
      asOf = o.asOf;
    } else asOf = isoToNem(o.asOf);
  }
  const categories = o.categories === undefined ? [...DEFAULT_RISKY_CATEGORIES] : [...new Set(o.categories)];
  if (categories.length === 0 || categories.some((c) => typeof c !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(c))) {
    fail(`categories must be a non-empty list of category names (lower case), got ${JSON.stringify(o.categories)}`);
  }
  const dust = typeof o.dust === 'bigint' ? o.dust : parseXem(o.dust ?? '0');
  if (dust < 0n) fail('dust must not be negative');
  const wanted = new Set(o.policies ?? POLICIES);
  for (const p of wanted) if (!POLICIES.includes(p)) fail(`unknown policy ${JSON.stringify(p)} (known: ${POLICIES.join(', ')})`);
  return { hops, asOf, categories, dust, policies: POLICIES.filter((p) => wanted.has(p)), topSources };
}
