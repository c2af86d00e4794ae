/**
 * Blocks as evidence of chain order (DESIGN §4 "Order"): `/block/at/public` answers, verified, and the
 * block positions of stored transfers read from them.
 *
 * A block's `transactions` carry no hashes (NEM.md §1.10): each one's hash is recomputed from its
 * fields and its signature verified (for a 4100 the outer signature and every 4098 cosignature), so a
 * node cannot add, drop or alter a transaction of a block without the check failing. What the
 * transaction signatures do not cover is the order of the list itself: the harvester's block
 * signature does (src/nem/verify.ts `blockSignedPart`), and it is checked too, so a node cannot
 * permute a block it did not harvest. Not checked: that the harvester was entitled to harvest the
 * block, and the `prevBlockHash` link to a known block (the crawler fetches single heights).
 */
import { TracerError, isTracerError } from '../errors.js';
import { type NisTransaction, type Transfer, badSignature, blockSignedPart, signedParts, type SignedPart } from '../nem/index.js';
import type { BlockPosition } from '../store/index.js';

/** NIS accepts at most 120 transactions per block (NEM.md §1.10). */
export const MAX_BLOCK_TRANSACTIONS = 120;

/** What the chain check needs of a stored transfer: its chain key and recorded position. */
export type ChainPlaced = Pick<Transfer, 'hash' | 'height' | 'timeStamp' | 'position'>;

/** A block checked as above: its height and its transactions' hashes in block order. */
export interface VerifiedBlock {
  height: number;
  hashes: string[];
}

/** Checks a `/block/at/public` answer for `height`; TRACE_MALFORMED_RESPONSE naming `where` otherwise. */
export function verifyBlock(body: unknown, height: number, where: string): VerifiedBlock {
  const bad = (why: string) => new TracerError('TRACE_MALFORMED_RESPONSE', `${where}: ${why}`, { details: { request: where } });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('the block is not a JSON object');
  const b = body as { height?: unknown; transactions?: unknown };
  if (b.height !== height) throw bad(`asked for block ${height}, got ${JSON.stringify(b.height)}`);
  if (!Array.isArray(b.transactions)) throw bad('the block has no transactions array');
  if (b.transactions.length > MAX_BLOCK_TRANSACTIONS)
    throw bad(`${b.transactions.length} transactions in one block (NIS allows ${MAX_BLOCK_TRANSACTIONS})`);
  const hashes: string[] = [];
  const seen = new Set<string>();
  b.transactions.forEach((raw: unknown, i: number) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(`transactions[${i}] is not an object`);
    const path = `transactions[${i}]`;
    let parts: SignedPart[];
    try {
      // src/nem/verify.ts: the transaction's bytes (its hash) and every signature NIS checked, cosignatures included.
      parts = signedParts(raw as NisTransaction, where, path);
    } catch (err) {
      if (isTracerError(err, 'TRACE_MALFORMED_RESPONSE'))
        throw new TracerError('TRACE_MALFORMED_RESPONSE', err.message, { details: { request: where, ...err.details } });
      throw bad(`${path} does not serialise: ${err instanceof Error ? err.message : String(err)}`);
    }
    const hash = parts[0].hash;
    const reason = badSignature(parts);
    if (reason !== null) throw bad(`${path} (${hash}) does not carry a valid signature: ${reason}`);
    if (seen.has(hash)) throw bad(`transaction ${hash} is listed twice`);
    seen.add(hash);
    hashes.push(hash);
  });
  const signed = blockSignedPart(body as Record<string, unknown>, where);
  if (badSignature([signed]) !== null)
    throw bad(`the block's signature does not verify for its harvester ${signed.signer} (its transactions reordered or changed)`);
  return { height, hashes };
}

/** Heights holding at least two of `transfers` of which at least one has no recorded position, ascending. */
export function heightsToPosition(transfers: readonly ChainPlaced[]): number[] {
  const count = new Map<number, { n: number; missing: boolean }>();
  for (const t of transfers) {
    const c = count.get(t.height) ?? { n: 0, missing: false };
    c.n++;
    if (t.position === undefined) c.missing = true;
    count.set(t.height, c);
  }
  return [...count]
    .filter(([, c]) => c.n >= 2 && c.missing)
    .map(([h]) => h)
    .sort((a, b) => a - b);
}

/** The positions of `stored` (all at `block.height`) in the block, and those the block does not hold. */
export function positionsIn<T extends ChainPlaced>(
  block: VerifiedBlock,
  stored: readonly T[],
): { positions: BlockPosition[]; absent: T[] } {
  const index = new Map(block.hashes.map((h, i) => [h, i]));
  const positions: BlockPosition[] = [];
  const absent: T[] = [];
  for (const t of stored) {
    const p = index.get(t.hash);
    if (p === undefined) absent.push(t);
    else positions.push({ hash: t.hash, height: t.height, timeStamp: t.timeStamp, position: p });
  }
  return { positions, absent };
}
