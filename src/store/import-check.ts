/**
 * The checks of import items — exactly what a crawled item gets (src/nem/verify.ts): normalisation
 * (types, keys, addresses, amounts within the supply, v2 mosaic rule), the NEM hash and a 4100's inner
 * hash recomputed from the transaction's fields (`checkImportItem`, one item as it is read, so the
 * parsed JSON is dropped at once), and every signature (a transfer's, a 4100's outer one and each
 * cosignature) verified on the worker pool, src/nem/verify-pool.ts (`verifyImportParts`, per chunk).
 * The first bad item throws TRACE_INVALID_IMPORT naming its place ("file:line").
 */
import { TracerError } from '../errors.js';
import { type Transfer, checkTransactionPair, sharedVerifier, type SignatureVerifier, type SignedPart } from '../nem/index.js';

/** What import needs of a signature verifier (src/nem/verify-pool.ts `SignatureVerifier`). */
export type ImportVerifier = Pick<SignatureVerifier, 'firstBad'>;

/** One checked item: its normalised transfer (null for another transaction type, counted, not stored) and its signatures. */
export interface CheckedItem {
  transfer: Transfer | null;
  parts: SignedPart[];
}

/** Normalise one parsed item and recompute its hashes; throws TRACE_INVALID_IMPORT naming `where`. */
export function checkImportItem(raw: unknown, where: string): CheckedItem {
  try {
    const checked = checkTransactionPair(raw, where);
    return { transfer: checked.normalized.kind === 'transfer' ? checked.normalized.transfer : null, parts: checked.parts };
  } catch (err) {
    if (err instanceof TracerError) throw new TracerError('TRACE_INVALID_IMPORT', err.message, { details: { ...err.details, where } });
    throw err;
  }
}

/** Verify the signatures of checked items (`parts[i]` of the item at `wheres[i]`); the first bad one throws. */
export async function verifyImportParts(
  parts: SignedPart[][],
  wheres: readonly string[],
  options: { verifySignatures?: boolean; verifier?: ImportVerifier },
): Promise<void> {
  if (options.verifySignatures === false || parts.length === 0) return;
  const bad = await (options.verifier ?? sharedVerifier()).firstBad(parts);
  if (bad !== null)
    throw new TracerError('TRACE_INVALID_IMPORT', `${wheres[bad.index]}: ${bad.reason}`, { details: { where: wheres[bad.index] } });
}
