/**
 * Exact XEM amounts. Everything is held in integer micro-XEM (1 XEM = 1,000,000 µXEM).
 *
 * The total supply, 8,999,999,999 XEM = 8,999,999,999,000,000 µXEM, is below 2^53, so a single
 * amount always fits a safe JavaScript integer; sums and products are done in bigint.
 * Parsing and printing go through strings only: no floating point anywhere.
 */
import { TracerError } from '../errors.js';

export const MICRO_PER_XEM = 1_000_000n;
/** Total XEM supply in µXEM (fixed at nemesis, never inflated). */
export const SUPPLY_MICRO = 8_999_999_999_000_000n;

const XEM_PATTERN = /^(\d{1,10})(?:\.(\d{1,6}))?$/;

/** "523000000.000000" | "1.5" | "100" → µXEM as bigint. Throws TRACE_INVALID_AMOUNT. */
export function parseXem(text: string): bigint {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  const match = XEM_PATTERN.exec(trimmed);
  if (!match) {
    throw new TracerError(
      'TRACE_INVALID_AMOUNT',
      `invalid XEM amount ${JSON.stringify(text)}: expected digits with at most six decimals, e.g. "100.5"`,
    );
  }
  const micro = BigInt(match[1]) * MICRO_PER_XEM + BigInt((match[2] ?? '').padEnd(6, '0'));
  if (micro > SUPPLY_MICRO) {
    throw new TracerError('TRACE_INVALID_AMOUNT', `invalid XEM amount ${JSON.stringify(text)}: above the total supply of 8999999999 XEM`);
  }
  return micro;
}

/** µXEM → "523000000.000000" (always six decimals, sign kept for negative deltas). */
export function formatXem(micro: bigint | number): string {
  let value = typeof micro === 'bigint' ? micro : toBigIntExact(micro);
  const negative = value < 0n;
  if (negative) value = -value;
  const whole = value / MICRO_PER_XEM;
  const frac = (value % MICRO_PER_XEM).toString().padStart(6, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** A µXEM number that must be a non-negative safe integer not above the supply. */
export function isMicroAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= Number(SUPPLY_MICRO);
}

function toBigIntExact(value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new TypeError(`µXEM amount must be a safe integer, got ${value}`);
  return BigInt(value);
}

/** floor(a · b / c) on non-negative integers, exact beyond 2^53. c must be > 0. */
export function mulDivFloorBigint(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) throw new RangeError('mulDivFloorBigint: divisor must be positive');
  return (a * b) / c;
}
