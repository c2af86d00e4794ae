/**
 * parseWatchList: a watch-list YAML file (docs/contracts.md §6 "Follow mode") → the watched accounts.
 *
 *   watch:
 *     - { address: NA6VYW…, label: "Coincheck hot wallet", drainPercent: 10, drainWindow: 1h }
 *
 * `drainPercent` (0 < p ≤ 100) and `drainWindow` (seconds, or a number with s/m/h/d) come together:
 * `watch.drained` fires when the account sends more than p % of what it held within the window.
 * Without them only `watch.moved` fires. Like the labels, the file is rejected whole on the first
 * problem: one TRACE_INVALID_WATCHLIST line naming the file and the entry.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { TracerError } from '../errors.js';
import { parseAddress } from '../nem/index.js';

export interface WatchEntry {
  address: string;
  label: string | null;
  /** Percent (0 < p ≤ 100) of the balance; null = no drain alarm. */
  drainPercent: number | null;
  /** Seconds; null = no drain alarm. */
  drainWindow: number | null;
}

export type WatchList = ReadonlyMap<string, WatchEntry>;

const KNOWN = new Set(['address', 'label', 'drainPercent', 'drainWindow']);
const DURATION = /^(\d+)\s*(s|m|h|d)?$/;
const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** At most a year: a window is about minutes to days. */
const MAX_WINDOW = 366 * 86_400;
const MAX_ENTRIES = 100_000;

export function parseWatchList(text: string, source: string): Map<string, WatchEntry> {
  const fail = (where: string, problem: string): never => {
    throw new TracerError('TRACE_INVALID_WATCHLIST', `${source}: ${where}: ${problem}`, { details: { source, field: where } });
  };
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false, maxAliasCount: 100 });
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    return fail(line === undefined ? 'YAML' : `line ${line}`, `not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('(root)', 'expected a mapping with a watch list');
  const list = (doc as Record<string, unknown>).watch;
  if (!Array.isArray(list)) return fail('watch', 'expected a list of { address, label?, drainPercent?, drainWindow? }');
  if (list.length > MAX_ENTRIES) fail('watch', `at most ${MAX_ENTRIES} entries, got ${list.length}`);
  const out = new Map<string, WatchEntry>();
  list.forEach((raw: unknown, i) => {
    const at = `watch[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return fail(at, 'expected a mapping { address, label?, drainPercent?, drainWindow? }');
    const r = raw as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!KNOWN.has(key)) fail(`${at}.${key}`, `unknown field (expected ${[...KNOWN].join(', ')})`);
    if (typeof r.address !== 'string') return fail(`${at}.address`, 'missing');
    let address: string;
    try {
      address = parseAddress(r.address);
    } catch (err) {
      return fail(`${at}.address`, (err as Error).message);
    }
    if (out.has(address)) fail(`${at}.address`, `${address} is listed twice`);
    if (r.label !== undefined && (typeof r.label !== 'string' || r.label.length > 200))
      fail(`${at}.label`, 'expected a string of at most 200 characters');
    const percent = r.drainPercent === undefined ? null : r.drainPercent;
    if (percent !== null && (typeof percent !== 'number' || !(percent > 0 && percent <= 100)))
      fail(`${at}.drainPercent`, `expected a number above 0 and at most 100, got ${JSON.stringify(percent)}`);
    const window = r.drainWindow === undefined ? null : readDuration(r.drainWindow, `${at}.drainWindow`, fail);
    if ((percent === null) !== (window === null)) fail(at, 'drainPercent and drainWindow come together');
    out.set(address, {
      address,
      label: (r.label as string | undefined) ?? null,
      drainPercent: percent as number | null,
      drainWindow: window,
    });
  });
  return out;
}

export function loadWatchList(path: string): Map<string, WatchEntry> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TracerError('TRACE_INVALID_WATCHLIST', `cannot read the watch list ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseWatchList(text, path);
}

function readDuration(v: unknown, where: string, fail: (where: string, problem: string) => never): number {
  let seconds: number;
  if (typeof v === 'number') seconds = v;
  else if (typeof v === 'string' && DURATION.test(v.trim())) {
    const [, n, unit] = DURATION.exec(v.trim())!;
    seconds = Number(n) * UNIT[unit ?? 's'];
  } else return fail(where, `expected seconds or a duration like 30m, 1h, 2d, got ${JSON.stringify(v)}`);
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > MAX_WINDOW)
    fail(where, `expected a duration above 0 and at most 366 days, got ${JSON.stringify(v)}`);
  return seconds;
}
