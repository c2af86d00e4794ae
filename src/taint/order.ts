/**
 * Chain order (docs/taint-semantics.md, "Order") — the one comparator every stage uses: block height, then the
 * transaction's position in its block (NIS executes a block in the order `/block/at/public` lists
 * it), then NEM timestamp, then hash (lexicographic, lower case) where the position is not known.
 * Within one height a transfer with a known position comes before one without (a store holds both
 * only until the crawl has verified that block), so the order is total whatever is known.
 */
import type { Transfer } from '../nem/types.js';

/** What chain order reads of a transfer. */
export type ChainOrdered = Pick<Transfer, 'height' | 'timeStamp' | 'hash' | 'position'>;

export function compareChainOrder(a: ChainOrdered, b: ChainOrdered): number {
  if (a.height !== b.height) return a.height - b.height;
  const pa = a.position;
  const pb = b.position;
  if (pa !== undefined && pb !== undefined) {
    if (pa !== pb) return pa - pb;
  } else if (pa !== undefined || pb !== undefined) {
    return pa !== undefined ? -1 : 1;
  }
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
