/**
 * NEM time: seconds since the nemesis block, 2015-03-29T00:06:25Z (Unix 1427587585).
 */
import { TracerError } from '../errors.js';

export const NEM_EPOCH_UNIX = 1_427_587_585;

/** NEM timestamp (seconds) → ISO-8601 UTC, e.g. 89304935 → "2018-01-25T15:02:00.000Z". */
export function nemToIso(timeStamp: number): string {
  return new Date((timeStamp + NEM_EPOCH_UNIX) * 1000).toISOString();
}

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
