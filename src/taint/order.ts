/**
 * Chain order for the core (docs/taint-semantics.md, "Order"): the comparator, whose one home is src/domain.ts
 * (the store orders its columns by it too), and the sort of Transfer records the core runs over.
 */
import { compareChainOrder } from '../domain.js';
import type { Transfer } from '../nem/index.js';

export { compareChainOrder, type ChainOrdered } from '../domain.js';

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
