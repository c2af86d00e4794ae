/**
 * The checks of one chunk of import items — the per-item checks a crawled page's items get today
 * (src/crawl/page.ts): normalisation (types, keys, addresses, amounts within the supply, v2 mosaic
 * rule) and the NEM hash and a 4100's inner hash recomputed from the transaction's fields, so no field
 * the store keeps can have been changed under a genuine hash. Signature verification joins here when
 * the verification pool (src/nem/verify*, docs/contracts.md §6) is on main: `checkTransactionPair` +
 * `SignatureVerifier.firstBad` replace `checkItem`.
 * The first bad item throws TRACE_INVALID_IMPORT naming its place (`wheres[i]`, "file:line").
 */
import { TracerError } from '../errors.js';
import { normalizeTransaction } from '../nem/normalize.js';
import { innerTransactionHash, transactionHash } from '../nem/serialize.js';
import { TX_TYPE, type NisTransaction, type Transfer } from '../nem/types.js';

/** Per item: its normalised transfer, or null for another transaction type (counted, not stored). */
export function checkImportItems(raws: readonly unknown[], wheres: readonly string[]): Array<Transfer | null> {
  return raws.map((raw, i) => {
    try {
      return checkItem(raw, wheres[i]);
    } catch (err) {
      if (err instanceof TracerError) throw new TracerError('TRACE_INVALID_IMPORT', err.message, { details: { ...err.details, where: wheres[i] } });
      throw err;
    }
  });
}

function checkItem(raw: unknown, where: string): Transfer | null {
  const n = normalizeTransaction(raw, where);
  if (n.kind !== 'transfer') return null;
  const t = n.transfer;
  const tx = (raw as { transaction: NisTransaction }).transaction;
  let computed: string;
  let computedInner: string | null = null;
  try {
    computed = transactionHash(tx);
    if (tx.type === TX_TYPE.MULTISIG) computedInner = innerTransactionHash(tx);
  } catch (err) {
    throw new TracerError('TRACE_INVALID_IMPORT', `${where}: the transaction does not serialise (${(err as Error).message})`);
  }
  if (computed !== t.hash) throw new TracerError('TRACE_INVALID_IMPORT', `${where}: meta.hash ${t.hash} is not the hash of its transaction (${computed})`);
  if (computedInner !== t.innerHash) {
    throw new TracerError('TRACE_INVALID_IMPORT', `${where}: meta.innerHash ${t.innerHash} is not the hash of its inner transaction (${computedInner})`);
  }
  return t;
}
