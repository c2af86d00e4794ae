/**
 * NEM time: seconds since the nemesis block, 2015-03-29T00:06:25Z (Unix 1427587585).
 */
import { TracerError } from '../errors.js';

export const NEM_EPOCH_UNIX = 1_427_587_585;

/**
 * NEM timestamp (seconds) → ISO-8601 UTC, e.g. 89304935 → "2018-01-25T15:02:00.000Z". Every transfer gets
 * one (normalised, decoded from the store): the date part of each day is made once and kept (at most 24,856
 * days fit the 31-bit range: readers in any order, e.g. accounts by address, hit it too) and the time of day
 * written from a table, ~10× `Date.toISOString` (same text; test/nem/time.test.ts compares them).
 */
export function nemToIso(timeStamp: number): string {
  if (!Number.isSafeInteger(timeStamp) || timeStamp < 0 || timeStamp > 0x7fffffff)
    return new Date((timeStamp + NEM_EPOCH_UNIX) * 1000).toISOString();
  const unix = timeStamp + NEM_EPOCH_UNIX;
  const day = Math.floor(unix / 86_400);
  let date = isoDates[day - EPOCH_DAY];
  if (date === undefined) isoDates[day - EPOCH_DAY] = date = new Date(day * 86_400_000).toISOString().slice(0, 11);
  let s = unix - day * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  return `${date}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s - m * 60]}.000Z`;
}

/** "YYYY-MM-DDT" by day since the nemesis block's day (filled on first use). */
const EPOCH_DAY = Math.floor(NEM_EPOCH_UNIX / 86_400);
const isoDates: (string | undefined)[] = new Array<string | undefined>(24_856).fill(undefined);
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

export function nemToUnix(timeStamp: number): number {
  return timeStamp + NEM_EPOCH_UNIX;
}

export function unixToNem(unixSeconds: number): number {
  return Math.floor(unixSeconds) - NEM_EPOCH_UNIX;
}

const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * ISO-8601 time with an explicit zone (or a bare date, read as UTC midnight) → NEM timestamp.
 * Sub-second parts are floored. Throws TRACE_INVALID_TIME for anything else, or a time before nemesis.
 */
export function isoToNem(iso: string): number {
  if (typeof iso !== 'string' || !ISO_PATTERN.test(iso.trim())) {
    throw new TracerError(
      'TRACE_INVALID_TIME',
      `invalid time ${JSON.stringify(iso)}: expected ISO-8601 with a zone, e.g. "2018-01-26T00:02:00+09:00"`,
    );
  }
  const ms = Date.parse(iso.trim());
  if (Number.isNaN(ms)) throw new TracerError('TRACE_INVALID_TIME', `invalid time ${JSON.stringify(iso)}: not a calendar time`);
  const ts = Math.floor(ms / 1000) - NEM_EPOCH_UNIX;
  if (ts < 0)
    throw new TracerError('TRACE_INVALID_TIME', `invalid time ${JSON.stringify(iso)}: before the NEM nemesis block (2015-03-29T00:06:25Z)`);
  return ts;
}

/** The NEM time of "now" (the fixture node stamps error bodies with it). */
export function nemNow(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000) - NEM_EPOCH_UNIX;
}
