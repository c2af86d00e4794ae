/**
 * Small, pure formatting helpers shared by every report builder: XEM strings, ISO times,
 * exact shares and currency valuation (bigint / decimal strings only — no floating point),
 * thousands grouping, label look-ups, and chain order (re-exported from src/taint/order.ts).
 */
import { formatXem, nemToIso } from '../nem/index.js';
import type { TraceResult } from '../taint/index.js';
import { type Label } from '../domain.js';

/** µXEM as XEM with six decimals; a safe-integer number without bigint (`%` and the division are exact there). */
export const xem = (micro: bigint | number): string => {
  if (typeof micro !== 'number' || !Number.isSafeInteger(micro)) return formatXem(micro);
  const abs = Math.abs(micro);
  const frac = abs % 1_000_000;
  const whole = (abs - frac) / 1_000_000;
  return `${micro < 0 ? '-' : ''}${whole}.${frac < 100_000 ? String(frac).padStart(6, '0') : frac}`;
};
export const iso = (nemTimeStamp: number): string => nemToIso(nemTimeStamp);

/** "523000000.000000" → 523000000000000n (exact; accepts a leading minus). */
export function microOf(xemText: string): bigint {
  const m = /^(-?)(\d+)\.(\d{6})$/.exec(xemText);
  if (!m) throw new TypeError(`not a six-decimal XEM string: ${JSON.stringify(xemText)}`);
  const v = BigInt(m[2]) * 1_000_000n + BigInt(m[3]);
  return m[1] ? -v : v;
}

/** Round a non-negative ratio num/den half-up to an integer. */
function roundDiv(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** Share of `part` in `whole` as a percentage with `decimals` digits, e.g. "12.34". "—" when whole = 0. */
export function percent(part: bigint, whole: bigint, decimals = 2): string {
  if (whole <= 0n) return '—';
  const scale = 10n ** BigInt(decimals);
  const v = roundDiv(part * 100n * scale, whole);
  if (decimals === 0) return v.toString();
  return `${v / scale}.${(v % scale).toString().padStart(decimals, '0')}`;
}

/** Minor units per currency (ISO 4217 exponent); 2 when unknown. */
const CURRENCY_EXPONENT: Record<string, number> = { JPY: 0, KRW: 0, BTC: 8, XEM: 6 };

/**
 * µXEM × rate (decimal string, e.g. "88.549") → value in the currency, rounded half-up to the
 * currency's minor unit ("46311127000" for JPY, "12.34" for USD). Exact decimal arithmetic.
 */
export function valuate(micro: bigint, rate: string, currency: string): string {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!m) throw new TypeError(`valuation rate must be a non-negative decimal, got ${JSON.stringify(rate)}`);
  const frac = m[2] ?? '';
  const rateScaled = BigInt(m[1] + frac);
  const exp = CURRENCY_EXPONENT[currency.toUpperCase()] ?? 2;
  // value (in minor units) = micro / 1e6 × rateScaled / 10^len(frac) × 10^exp
  const negative = micro < 0n;
  const num = (negative ? -micro : micro) * rateScaled * 10n ** BigInt(exp);
  const den = 1_000_000n * 10n ** BigInt(frac.length);
  const minor = roundDiv(num, den);
  const scale = 10n ** BigInt(exp);
  const text = exp === 0 ? minor.toString() : `${minor / scale}.${(minor % scale).toString().padStart(exp, '0')}`;
  return negative && minor !== 0n ? `-${text}` : text;
}

/** "46311127000" → "46,311,127,000"; "1234.5" → "1,234.5"; keeps sign and fraction. */
export function group(decimal: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!m) return decimal;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] ?? '');
}

/** "523000000.000000" → "523,000,000.000000"; with `trim`, drop trailing zero decimals ("523,000,000"). */
export function groupXem(xemText: string, trim = false): string {
  let t = xemText;
  if (trim) t = t.replace(/\.?0+$/, '');
  return group(t);
}

/** Chain order (docs/taint-semantics.md): the taint core's one comparator (src/taint/order.ts). */
export { compareChainOrder as chainOrder } from '../taint/index.js';

export { cmpStr, cmpBigDesc } from '../domain.js';

export function labelOf(result: TraceResult, address: string): Label | undefined {
  return result.labels.get(address);
}
