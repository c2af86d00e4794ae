/**
 * parseCase: a case file (docs/contracts.md) as parsed JSON → ResolvedCase. Pure: the label paths are
 * kept as written (relative to the case file; `loadCase` in load.ts resolves them).
 * Every problem is one TRACE_INVALID_CASE line naming the source and the field.
 */
import { TracerError } from '../errors.js';
import { parseAddress, parseXem, isoToNem } from '../nem/index.js';
import { DEFAULT_EXIT_CATEGORIES, type ResolvedCase, type SeedSpec } from '../domain.js';

/** Hop limit when the case names none. */
export const DEFAULT_MAX_HOPS = 10;
/** Poison dust threshold when the case names none: nothing is pruned. */
export const DEFAULT_DUST = '0.000000';

const KNOWN_KEYS = new Set([
  'id',
  'title',
  'seeds',
  'window',
  'labels',
  'exitCategories',
  'dust',
  'maxHops',
  'valuation',
  'description',
  'notes',
  '$schema',
]);
const HASH = /^[0-9a-fA-F]{64}$/;

export function parseCase(json: unknown, source: string): ResolvedCase {
  const fail = (field: string, problem: string): never => {
    throw new TracerError('TRACE_INVALID_CASE', `${source}: ${field}: ${problem}`, { details: { source, field } });
  };
  const guard = <T>(field: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TracerError && err.code !== 'TRACE_INVALID_CASE') return fail(field, err.message);
      throw err;
    }
  };
  if (!isObject(json)) return fail('(root)', 'expected a JSON object');
  for (const key of Object.keys(json)) if (!KNOWN_KEYS.has(key)) fail(key, 'unknown field');

  const id = json.id;
  if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id))
    fail('id', 'expected a non-empty identifier (letters, digits, . _ -)');
  const title = json.title;
  if (typeof title !== 'string' || title.trim() === '') fail('title', 'expected a non-empty string');

  if (!Array.isArray(json.seeds) || json.seeds.length === 0) fail('seeds', 'expected a non-empty array');
  const seeds: SeedSpec[] = (json.seeds as unknown[]).map((raw, i): SeedSpec => {
    const f = `seeds[${i}]`;
    if (!isObject(raw)) return fail(f, 'expected { hash } or { account, from, to, exclude? }');
    if ('hash' in raw) {
      if (Object.keys(raw).length !== 1) fail(f, 'a hash seed has only the field "hash"');
      if (typeof raw.hash !== 'string' || !HASH.test(raw.hash)) fail(`${f}.hash`, 'expected 64 hex digits');
      return { hash: (raw.hash as string).toLowerCase() };
    }
    for (const key of Object.keys(raw)) if (!['account', 'from', 'to', 'exclude'].includes(key)) fail(`${f}.${key}`, 'unknown field');
    const account = guard(`${f}.account`, () => parseAddress(raw.account as string));
    const from = guard(`${f}.from`, () => time(raw.from));
    const to = guard(`${f}.to`, () => time(raw.to));
    if (to <= from) fail(`${f}.to`, 'must be after "from"');
    let exclude: string[] = [];
    if (raw.exclude !== undefined) {
      if (!Array.isArray(raw.exclude)) fail(`${f}.exclude`, 'expected an array of addresses');
      exclude = (raw.exclude as unknown[]).map((a, j) => guard(`${f}.exclude[${j}]`, () => parseAddress(a as string)));
    }
    return { account, from, to, exclude };
  });

  let windowTo: number | null = null;
  if (json.window !== undefined && json.window !== null) {
    if (!isObject(json.window)) fail('window', 'expected { to }');
    const w = json.window as Record<string, unknown>;
    for (const key of Object.keys(w)) if (key !== 'to') fail(`window.${key}`, 'unknown field');
    if (w.to !== undefined && w.to !== null) windowTo = guard('window.to', () => time(w.to));
  }

  let labelFiles: string[] = [];
  if (json.labels !== undefined) {
    if (!Array.isArray(json.labels) || json.labels.some((l) => typeof l !== 'string' || l.trim() === ''))
      fail('labels', 'expected an array of file paths');
    labelFiles = [...(json.labels as string[])];
  }

  let exitCategories: string[] = [...DEFAULT_EXIT_CATEGORIES];
  if (json.exitCategories !== undefined) {
    if (!Array.isArray(json.exitCategories) || json.exitCategories.some((c) => typeof c !== 'string' || c.trim() === '')) {
      fail('exitCategories', 'expected an array of category names');
    }
    exitCategories = [...new Set(json.exitCategories as string[])];
  }

  if (json.dust !== undefined && typeof json.dust !== 'string') fail('dust', 'expected an XEM amount as a string, e.g. "1.000000"');
  const dust = guard('dust', () => parseXem((json.dust as string | undefined) ?? DEFAULT_DUST));

  let maxHops = DEFAULT_MAX_HOPS;
  if (json.maxHops !== undefined) {
    if (typeof json.maxHops !== 'number' || !Number.isInteger(json.maxHops) || json.maxHops < 1 || json.maxHops > 1000)
      fail('maxHops', 'expected an integer from 1 to 1000');
    maxHops = json.maxHops as number;
  }

  let valuation: ResolvedCase['valuation'] = null;
  if (json.valuation !== undefined && json.valuation !== null) {
    const v = json.valuation;
    if (!isObject(v)) return fail('valuation', 'expected { currency, rate }');
    if (typeof v.currency !== 'string' || !/^[A-Z]{3,5}$/.test(v.currency))
      fail('valuation.currency', 'expected a currency code such as "JPY"');
    if (typeof v.rate !== 'string' || !/^\d+(\.\d+)?$/.test(v.rate)) fail('valuation.rate', 'expected a decimal string such as "88.549"');
    valuation = { currency: v.currency as string, rate: v.rate as string };
  }

  return { id: id as string, title: (title as string).trim(), seeds, windowTo, labelFiles, exitCategories, dust, maxHops, valuation };
}

function time(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 31) return value;
  return isoToNem(value as string);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
