/** Helpers for the HTML page builders (re-exports of the shared formatters plus time in ms). */
import { nemToUnix } from '../../nem/index.js';
export { chainOrder, cmpStr, iso, xem } from '../format.js';

/** NEM timestamp → Unix milliseconds (for the page's time axis). */
export const nemMs = (ts: number): number => nemToUnix(ts) * 1000;

/**
 * µXEM (a safe integer) → XEM as a JS number, for drawing: the same number as `xemNumber` (report/graph.ts) — both
 * are the double nearest micro/10^6 (IEEE division and decimal parsing both round correctly) — without a string.
 */
export const xemNum = (micro: number): number => micro / 1e6;
