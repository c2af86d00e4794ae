/** Helpers for the HTML page builders (re-exports of the shared formatters plus time in ms). */
import { nemToUnix } from '../../nem/index.js';
export { chainOrder, cmpStr, iso, xem } from '../format.js';

/** NEM timestamp → Unix milliseconds (for the page's time axis). */
export const nemMs = (ts: number): number => nemToUnix(ts) * 1000;
