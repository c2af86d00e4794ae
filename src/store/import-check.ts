/**
 * The checks of one chunk of import items — exactly what a crawled item gets (src/nem/verify.ts):
 * normalisation (types, keys, addresses, amounts within the supply, v2 mosaic rule), the NEM hash and
 * a 4100's inner hash recomputed from the transaction's fields, and every signature (a transfer's, a
 * 4100's outer one and each cosignature) verified on the worker pool (src/nem/verify-pool.ts).
 * The first bad item throws TRACE_INVALID_IMPORT naming its place (`wheres[i]`, "file:line").
 */
import { TracerError } from '../errors.js';
import { type Transfer, checkTransactionPair, sharedVerifier, type SignatureVerifier, type SignedPart } from '../nem/index.js';

/** What import needs of a signature verifier (src/nem/verify-pool.ts `SignatureVerifier`). */
export type ImportVerifier = Pick<SignatureVerifier, 'firstBad'>;

/** Per item: its normalised transfer, or null for another transaction type (counted, not stored). */
export async function checkImportItems(
  raws: readonly unknown[],
  wheres: readonly string[],
  options: { verifySignatures?: boolean; verifier?: ImportVerifier },
): Promise<Array<Transfer | null>> {
  const parts: SignedPart[][] = [];
  const out = raws.map((raw, i) => {
    try {
      const checked = checkTransactionPair(raw, wheres[i]);
      parts.push(checked.parts);
      return checked.normalized.kind === 'transfer' ? checked.normalized.transfer : null;
    } catch (err) {
      if (err instanceof TracerError)
        throw new TracerError('TRACE_INVALID_IMPORT', err.message, { details: { ...err.details, where: wheres[i] } });
      throw err;
    }
  });
  if (options.verifySignatures !== false) {
    const bad = await (options.verifier ?? sharedVerifier()).firstBad(parts);
    if (bad !== null)
      throw new TracerError('TRACE_INVALID_IMPORT', `${wheres[bad.index]}: ${bad.reason}`, { details: { where: wheres[bad.index] } });
  }
  return out;
}
