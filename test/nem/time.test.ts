import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/fixture/synthetic.js';
import { NEM_EPOCH_UNIX, nemToIso } from '../../src/nem/time.js';

const viaDate = (ts: number) => new Date((ts + NEM_EPOCH_UNIX) * 1000).toISOString();

describe('nemToIso', () => {
  it('is the nemesis block at 0 and the documented example', () => {
    expect(nemToIso(0)).toBe('2015-03-29T00:06:25.000Z');
    expect(nemToIso(89_304_935)).toBe('2018-01-25T15:02:00.000Z');
  });

  it('writes the same text as Date.toISOString across day, month, leap-day and year ends, in any order of calls', () => {
    const edges: number[] = [];
    for (const iso of [
      '2016-02-29T00:00:00Z',
      '2016-03-01T00:00:00Z',
      '2017-01-01T00:00:00Z',
      '2020-12-31T23:59:59Z',
      '2038-01-19T03:14:08Z',
    ]) {
      const ts = Date.parse(iso) / 1000 - NEM_EPOCH_UNIX;
      edges.push(ts - 1, ts, ts + 1);
    }
    const rng = mulberry32(9);
    for (let i = 0; i < 20_000; i++) edges.push(Math.floor(rng() * 0x7fffffff));
    edges.push(0x7fffffff, 1, 59, 60, 3599, 3600, 86_399, 86_400);
    for (const ts of edges) expect(nemToIso(ts)).toBe(viaDate(ts));
  });

  it('falls back to Date for values outside NEM timestamps (negative, beyond 2^31 − 1, fractional)', () => {
    for (const ts of [-1, -86_401, 0x80000000, 1.5]) expect(nemToIso(ts)).toBe(viaDate(ts));
  });
});
