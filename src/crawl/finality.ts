/**
 * The chain check a crawl runs around its account passes (DESIGN §4 "Order", §5b "Finality"):
 *
 * - **re-check** every stored provisional transfer (height above tip − 360, src/nem/finality.ts)
 *   against its block: one that the block at its height no longer holds was removed by a fork and is
 *   deleted (with its index entries and position), and reported as retracted;
 * - **positions**: every height where two or more stored transfers meet gets its block fetched once,
 *   and the block position of each is recorded, so the sweep runs them in the block's order.
 *
 * Blocks are verified (./positions.ts). A *final* stored transfer missing from its block is a lie of
 * that node (TRACE_MALFORMED_RESPONSE, the crawler tries another node), never a deletion. Everything
 * the check learns is written in one atomic batch.
 */
import pLimit from 'p-limit';
import { TracerError } from '../errors.js';
import { isProvisional } from '../nem/index.js';
import type { BlockPosition, Store } from '../store/index.js';
import { heightsToPosition, positionsIn, type ChainPlaced, type VerifiedBlock } from './positions.js';

export type { ChainPlaced } from './positions.js';

export interface ChainCheck {
  /** Blocks fetched and verified. */
  blocks: number;
  /** Transfers whose block position was recorded. */
  positioned: number;
  /** Stored transfers still provisional (above tip − 360) after the check. */
  provisional: number;
  /** Provisional transfers that a fork removed from the chain: deleted from the store. */
  retracted: { hash: string; height: number }[];
}

export const NO_CHECK: ChainCheck = Object.freeze({ blocks: 0, positioned: 0, provisional: 0, retracted: [] });

export interface ChainCheckDeps {
  store: Store;
  /** The chain height the crawl saw. */
  tip: number;
  /** Fetch and verify the block at `height`; `check` runs on it inside the request, so a lie fails over. */
  fetchBlock(height: number, check: (block: VerifiedBlock) => void): Promise<VerifiedBlock>;
  /** Blocks in flight at once. */
  concurrency: number;
}

/**
 * Runs the check on `transfers` (the store's, in chain order): `recheck` re-checks the provisional
 * ones, `position` records positions where they are missing. Returns what changed.
 */
export async function checkChain(
  deps: ChainCheckDeps,
  transfers: readonly ChainPlaced[],
  what: { recheck: boolean; position: boolean },
): Promise<ChainCheck> {
  const byHeight = new Map<number, ChainPlaced[]>();
  for (const t of transfers) {
    const list = byHeight.get(t.height);
    if (list) list.push(t);
    else byHeight.set(t.height, [t]);
  }
  const heights = new Set<number>();
  if (what.recheck) for (const h of byHeight.keys()) if (isProvisional(h, deps.tip) && h <= deps.tip) heights.add(h);
  if (what.position) for (const h of heightsToPosition(transfers)) if (h <= deps.tip) heights.add(h);

  const positions: BlockPosition[] = [];
  const retracted: ChainPlaced[] = [];
  const limit = pLimit(Math.max(1, deps.concurrency));
  await Promise.all(
    [...heights]
      .sort((a, b) => a - b)
      .map((h) =>
        limit(async () => {
          const stored = byHeight.get(h)!;
          let absent: ChainPlaced[] = [];
          const block = await deps.fetchBlock(h, (b) => {
            absent = positionsIn(b, stored).absent;
            const final = absent.find((t) => !isProvisional(t.height, deps.tip));
            if (final)
              throw new TracerError(
                'TRACE_MALFORMED_RESPONSE',
                `block ${h} does not hold the final transfer ${final.hash} stored at that height`,
                { details: { hash: final.hash, height: h } },
              );
          });
          const found = positionsIn(block, stored);
          if (stored.length >= 2 || stored.some((t) => t.position !== undefined))
            positions.push(...found.positions.filter((p) => stored.find((t) => t.hash === p.hash)?.position !== p.position));
          retracted.push(...found.absent);
        }),
      ),
  );

  if (positions.length > 0 || retracted.length > 0) await deps.store.writeBatch({ positions, deletes: retracted.map((t) => t.hash) });
  const gone = new Set(retracted.map((t) => t.hash));
  return {
    blocks: heights.size,
    positioned: positions.length,
    provisional: transfers.filter((t) => !gone.has(t.hash) && isProvisional(t.height, deps.tip)).length,
    retracted: retracted.sort((a, b) => a.height - b.height || (a.hash < b.hash ? -1 : 1)).map((t) => ({ hash: t.hash, height: t.height })),
  };
}

/** Two checks of one crawl, added up. */
export function addChecks(a: ChainCheck, b: ChainCheck): ChainCheck {
  return {
    blocks: a.blocks + b.blocks,
    positioned: a.positioned + b.positioned,
    provisional: b.provisional,
    retracted: [...a.retracted, ...b.retracted],
  };
}
