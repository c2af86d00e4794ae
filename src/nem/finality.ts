/**
 * Finality (DESIGN §5b "Finality", NEM.md §1.10): a NIS1 node may roll back up to 360 blocks
 * (`REWRITE_LIMIT` = ESTIMATED_BLOCKS_PER_DAY / 4 in NIS's BlockChainConstants), so a transfer above
 * `tip − 360` is provisional: stored and traced, flagged in every answer, re-checked by every crawl
 * until the chain has grown past it. The one home of that rule.
 */

export const REWRITE_LIMIT = 360;

/** True when a transfer at `height` can still be rolled back on a chain whose tip is `tip`. */
export function isProvisional(height: number, tip: number): boolean {
  return height > tip - REWRITE_LIMIT;
}

/** The lowest height that is still provisional at `tip` (1 while the chain is shorter than the limit). */
export function provisionalFrom(tip: number): number {
  return Math.max(1, tip - REWRITE_LIMIT + 1);
}
