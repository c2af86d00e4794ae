import { describe, expect, it } from 'vitest';
import { group, percent, valuate, xem } from '../../src/report/format.js';
import { formatXem } from '../../src/nem/index.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';
import { renderSummary } from '../../src/report/summary.js';
import { parseFormats } from '../../src/report/write.js';
import { isTracerError } from '../../src/errors.js';
import { coincheckMini } from './fixture.js';

describe('valuate', () => {
  it('multiplies exactly and rounds half-up to the currency unit', () => {
    expect(valuate(523_000_000_000_000n, '88.549', 'JPY')).toBe('46311127000');
    expect(valuate(526_300_010_000_000n, '88.549', 'JPY')).toBe('46603339585'); // 46,603,339,585.49
    expect(valuate(1n, '0.5', 'USD')).toBe('0.00');
    expect(valuate(10_000n, '0.5', 'USD')).toBe('0.01'); // 0.005 → half up
    expect(valuate(123_456_789n, '1.1', 'USD')).toBe('135.80');
  });
});

describe('xem', () => {
  it('writes a safe-integer number of µXEM as formatXem does from the bigint, without one', () => {
    const rng = mulberry32(3);
    const edges = [
      0,
      -0,
      1,
      99_999,
      100_000,
      999_999,
      1_000_000,
      1_000_001,
      8_999_999_999_999_999,
      Number.MAX_SAFE_INTEGER,
      -1,
      -1_000_001,
    ];
    const random = Array.from({ length: 20_000 }, (_, i) => Math.floor(rng() * 10 ** (1 + (i % 15))) * (i % 7 === 0 ? -1 : 1));
    for (const x of [...edges, ...random]) expect(xem(x), String(x)).toBe(formatXem(BigInt(x)));
    expect(xem(2n ** 70n)).toBe(formatXem(2n ** 70n));
    expect(() => xem(0.5)).toThrow(TypeError);
  });
});

describe('percent and group', () => {
  it('gives exact shares', () => {
    expect(percent(1n, 3n)).toBe('33.33');
    expect(percent(2n, 3n)).toBe('66.67');
    expect(percent(5n, 0n)).toBe('—');
    expect(group('46311127000')).toBe('46,311,127,000');
    expect(group('1234.500000')).toBe('1,234.500000');
  });
});

describe('renderSummary', () => {
  const result = coincheckMini();
  it('prints one totals row per policy and the top exits, plain by default', () => {
    const text = renderSummary(result, { width: 120 });
    expect(text).not.toMatch(/\x1b\[/);
    for (const p of ['poison', 'haircut', 'taint-first', 'clean-first'])
      expect(text).toMatch(new RegExp(`^${p}\\s+200,000,010\\.000000`, 'm'));
    expect(text).toContain('168,197,405.343966');
    expect(text).toContain('Dark-web XEM exchange');
    expect(text).toContain('17,709,800,885 JPY');
  });
  it('fits the width and colours on request', () => {
    const narrow = renderSummary(result, { width: 80 });
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(renderSummary(result, { color: true })).toMatch(/\x1b\[36mhaircut/);
  });
});

describe('parseFormats', () => {
  it('accepts a comma list and rejects unknown formats with TRACE_INVALID_OPTION', () => {
    expect(parseFormats('json, md,json,csv')).toEqual(['json', 'md', 'csv']);
    try {
      parseFormats('json,pdf');
      expect.unreachable();
    } catch (err) {
      expect(isTracerError(err, 'TRACE_INVALID_OPTION')).toBe(true);
    }
  });
});
