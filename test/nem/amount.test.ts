import { describe, expect, it } from 'vitest';
import { formatXem, mulDivFloorBigint, parseXem, SUPPLY_MICRO } from '../../src/nem/amount.js';

describe('parseXem', () => {
  it('reads whole and fractional XEM exactly into µXEM', () => {
    expect(parseXem('523000000.000000')).toBe(523_000_000_000_000n);
    expect(parseXem('526300010')).toBe(526_300_010_000_000n);
    expect(parseXem('0.000001')).toBe(1n);
    expect(parseXem('1.5')).toBe(1_500_000n);
    expect(parseXem('8999999999')).toBe(SUPPLY_MICRO);
  });

  it.each(['', '1.0000001', '-1', '1e6', '0x10', '1,5', '9000000000', 'NaN', ' 1 2'])('throws TRACE_INVALID_AMOUNT for %j', (text) => {
    expect(() => parseXem(text)).toThrow(expect.objectContaining({ code: 'TRACE_INVALID_AMOUNT' }));
  });
});

describe('formatXem', () => {
  it('prints exactly six decimals', () => {
    expect(formatXem(523_000_000_000_000n)).toBe('523000000.000000');
    expect(formatXem(1)).toBe('0.000001');
    expect(formatXem(0n)).toBe('0.000000');
    expect(formatXem(-1_500_000n)).toBe('-1.500000');
  });

  it('round-trips with parseXem', () => {
    for (const s of ['0.000000', '100.000000', '4060.230000', '8999999999.000000', '1234567.891011']) {
      expect(formatXem(parseXem(s))).toBe(s);
    }
  });
});

describe('mulDivFloorBigint', () => {
  it('is exact for products beyond 2^53', () => {
    // 526,300,010 XEM × 8,999,999,999 XEM in µXEM: ~4.7e30, far past 2^53.
    const a = 526_300_010_000_000n;
    const b = 8_999_999_999_000_000n;
    expect(mulDivFloorBigint(a, b, b)).toBe(a);
    expect(mulDivFloorBigint(a, 1n, 3n)).toBe(175_433_336_666_666n);
    expect(mulDivFloorBigint(2n ** 60n + 1n, 3n, 2n)).toBe(((2n ** 60n + 1n) * 3n) / 2n);
  });
});
