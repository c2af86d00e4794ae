/**
 * Made-up transfers for the store's tests (no vitest import: test/store/stats-child.ts runs outside the runner).
 * transfer(n) is at height 1,475,000 + n, one minute apart, with a distinct hash per n.
 */
import { nemToIso } from '../../src/nem/time.js';
import type { Transfer } from '../../src/nem/types.js';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function address(n: number): string {
  let s = 'N';
  let x = n + 1;
  for (let i = 0; i < 39; i++) {
    s += B32[x % 32];
    x = Math.floor(x / 32) + i * 7;
  }
  return s;
}
export function hashOf(n: number): string {
  return ((n * 2654435761) % 2 ** 32).toString(16).padStart(8, '0').repeat(8);
}
export function transfer(n: number, over: Partial<Transfer> = {}): Transfer {
  const timeStamp = over.timeStamp ?? 89_300_000 + n * 60;
  return {
    hash: hashOf(n),
    innerHash: null,
    height: 1_475_000 + n,
    timeStamp,
    time: nemToIso(timeStamp),
    sender: address(n % 7),
    recipient: address((n % 7) + 1),
    amount: 1_000_000 * (n + 1),
    fee: 50_000,
    message: n % 3 === 0 ? `memo ${n}` : null,
    messageType: n % 3 === 0 ? 1 : 0,
    mosaics: [],
    type: 257,
    signer: address(n % 7),
    ...over,
    ...(over.timeStamp !== undefined ? { time: nemToIso(over.timeStamp) } : {}),
  };
}
