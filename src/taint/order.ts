/**
 * Chain order (docs/taint-semantics.md): block height, then NEM timestamp, then hash (lexicographic, lower case).
 */
import type { Transfer } from '../nem/types.js';

export function compareChainOrder(a: Pick<Transfer, 'height' | 'timeStamp' | 'hash'>, b: Pick<Transfer, 'height' | 'timeStamp' | 'hash'>): number {
  if (a.height !== b.height) return a.height - b.height;
  if (a.timeStamp !== b.timeStamp) return a.timeStamp - b.timeStamp;
  const ha = a.hash.toLowerCase();
  const hb = b.hash.toLowerCase();
  return ha < hb ? -1 : ha > hb ? 1 : 0;
}

/** A new array in chain order, one transfer per hash (the first seen wins). */
export function sortTransfers(transfers: readonly Transfer[]): Transfer[] {
  const seen = new Set<string>();
  const unique: Transfer[] = [];
  for (const t of transfers) {
    const h = t.hash.toLowerCase();
    if (seen.has(h)) continue;
    seen.add(h);
    unique.push(t);
  }
  return unique.sort(compareChainOrder);
}
