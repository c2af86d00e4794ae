/**
 * Evidence integrity of one NIS1 `TransactionMetaDataPair` (docs/contracts.md §6 "Evidence integrity"): pure
 * and synchronous. An item from a node is accepted only when
 *
 * - it normalises (normalize.ts: types, keys, addresses, amounts within the supply);
 * - for a transfer (257, or a 4100 wrapping one), its NEM hash recomputed from the transaction's
 *   fields equals `meta.hash`, and a 4100's inner hash equals `meta.innerHash`: no field the store
 *   keeps can have been changed under a genuine hash;
 * - every signature in it verifies (NEM Ed25519 with Keccak-512, keys.ts): a plain transfer's by its
 *   signer; a 4100's outer signature by the initiating cosignatory (over the outer bytes, which hold
 *   the inner transaction) and each 4098 cosignature by its signer, each cosignature naming the inner
 *   hash (`otherHash`) and the multisig account (`otherAccount`). The inner transaction of a 4100
 *   carries no signature of its own.
 *
 * `checkTransactionPair` does the first two and returns the signatures still to check
 * (`SignedPart`s) so a caller can verify them elsewhere (verify-pool.ts: worker threads, each
 * signature once); `verifyTransactionPair` does everything here, in this thread.
 * Other transaction types are normalised (they are counted, not stored) and not verified.
 */
import { TracerError } from '../errors.js';
import { publicKeyToAddress } from './address.js';
import { keccak256Hex } from './keccak.js';
import { verifyNem } from './keys.js';
import { normalizeTransaction } from './normalize.js';
import { innerTransactionHash, serializeBlock, serializeTransaction } from './serialize.js';
import { TX_TYPE, type NisTransaction, type NormalizedTransaction } from './types.js';

/** One signature to verify: `signature` by `signer` over `data`, whose Keccak-256 is `hash`. */
export interface SignedPart {
  /** Where in the item, e.g. "transaction" or "transaction.signatures[0]". */
  path: string;
  /** The signed bytes (NIS serialisation without the signature). */
  data: Uint8Array;
  /** Keccak-256 of `data` (for a transaction: its NEM hash), 64 lower-case hex. */
  hash: string;
  /** 128 lower-case hex. */
  signature: string;
  /** 64 lower-case hex. */
  signer: string;
}

export interface CheckedPair {
  normalized: NormalizedTransaction;
  /** `transaction.type` of the item. */
  type: number;
  /** The signatures still to verify (empty for a type that is not stored). */
  parts: SignedPart[];
}

const SIG_HEX = /^[0-9a-fA-F]{128}$/;

function malformed(where: string, problem: string, details: Record<string, unknown> = {}): never {
  throw new TracerError('TRACE_MALFORMED_RESPONSE', `${where}: ${problem}`, { details });
}

function signatureOf(tx: NisTransaction, where: string, path: string): string {
  const sig = tx.signature;
  if (typeof sig !== 'string' || !SIG_HEX.test(sig))
    malformed(where, `${path}.signature must be 128 hex digits, got ${JSON.stringify(sig)?.slice(0, 40) ?? 'nothing'}`, {
      path: `${path}.signature`,
    });
  return sig.toLowerCase();
}

/**
 * The signatures of a transaction that NIS checked: its own, and for a 4100 each 4098 cosignature
 * (which must name `innerHash` and the multisig account). Throws TRACE_MALFORMED_RESPONSE for a
 * missing or malformed signature or a cosignature of something else. Works on block transactions too.
 */
export function signedParts(tx: NisTransaction, where = 'transaction', path = 'transaction'): SignedPart[] {
  let data: Uint8Array;
  try {
    data = serializeTransaction(tx, path);
  } catch (err) {
    return malformed(where, `${path} does not serialise (${(err as Error).message})`, { path });
  }
  const parts: SignedPart[] = [
    { path, data, hash: keccak256Hex(data), signature: signatureOf(tx, where, path), signer: tx.signer.toLowerCase() },
  ];
  if (tx.type === TX_TYPE.MULTISIG) {
    const inner = tx.otherTrans!;
    const innerHash = innerTransactionHash(tx);
    const multisigAccount = publicKeyToAddress(inner.signer);
    const cosignatures: unknown = tx.signatures;
    if (!Array.isArray(cosignatures)) malformed(where, `${path}.signatures must be an array`, { path: `${path}.signatures` });
    (cosignatures as NisTransaction[]).forEach((c, i) => {
      const p = `${path}.signatures[${i}]`;
      if (typeof c !== 'object' || c === null || c.type !== TX_TYPE.MULTISIG_SIGNATURE)
        malformed(where, `${p} must be a cosignature (type 4098)`, { path: p });
      if ((c.otherHash as { data?: unknown } | undefined)?.data !== innerHash)
        malformed(where, `${p}.otherHash is not the inner transaction's hash ${innerHash}`, { path: p });
      if (c.otherAccount !== multisigAccount)
        malformed(where, `${p}.otherAccount is not the multisig account ${multisigAccount}`, { path: p });
      parts.push(...signedParts(c, where, p));
    });
  }
  return parts;
}

/**
 * Normalises one item and recomputes its hash(es); returns what is left to verify (its signatures).
 * Throws TRACE_MALFORMED_RESPONSE naming `where` and the problem.
 */
export function checkTransactionPair(raw: unknown, where = 'transaction'): CheckedPair {
  const normalized = normalizeTransaction(raw, where);
  const tx = (raw as { transaction: NisTransaction }).transaction;
  const type = tx.type;
  if (normalized.kind !== 'transfer') return { normalized, type, parts: [] };
  const t = normalized.transfer;
  let computedInner: string | null = null;
  try {
    if (type === TX_TYPE.MULTISIG) computedInner = innerTransactionHash(tx);
  } catch (err) {
    return malformed(where, `transaction.otherTrans does not serialise (${(err as Error).message})`);
  }
  if (computedInner !== t.innerHash)
    malformed(where, `meta.innerHash ${t.innerHash} is not the hash of its inner transaction (${computedInner})`, {
      path: 'meta.innerHash',
    });
  const parts = signedParts(tx, where);
  if (parts[0].hash !== t.hash)
    malformed(where, `meta.hash ${t.hash} is not the hash of its transaction (${parts[0].hash})`, { path: 'meta.hash' });
  return { normalized, type, parts };
}

/**
 * The harvester's signature of a block (a `/block/at/public` answer): over the block's bytes, which
 * hold every transaction with its signature in block order (serialize.ts), so it is what fixes the
 * order of the list. Throws TRACE_MALFORMED_RESPONSE when the block does not serialise or carries no
 * well-formed signature. The part's `hash` is the block hash.
 */
export function blockSignedPart(block: Record<string, unknown>, where = 'block'): SignedPart {
  let data: Uint8Array;
  try {
    data = serializeBlock(block);
  } catch (err) {
    return malformed(where, `the block does not serialise (${(err as Error).message})`, { path: 'block' });
  }
  const signer = block.signer as string; // checked by serializeBlock: 64 hex digits
  return {
    path: 'block',
    data,
    hash: keccak256Hex(data),
    signature: signatureOf(block as unknown as NisTransaction, where, 'block'),
    signer: signer.toLowerCase(),
  };
}

/** The first part whose signature does not verify, as a one-line reason; null when all do. */
export function badSignature(parts: readonly SignedPart[], verify: (p: SignedPart) => boolean = verifySignedPart): string | null {
  for (const p of parts) if (!verify(p)) return `${p.path}.signature does not verify for signer ${p.signer}`;
  return null;
}

export function verifySignedPart(p: SignedPart): boolean {
  return verifyNem(p.signature, p.data, p.signer);
}

/** Everything of this module on one item, in this thread. Throws TRACE_MALFORMED_RESPONSE. */
export function verifyTransactionPair(raw: unknown, where = 'transaction'): NormalizedTransaction {
  const checked = checkTransactionPair(raw, where);
  const bad = badSignature(checked.parts);
  if (bad !== null) malformed(where, bad, { path: 'signature' });
  return checked.normalized;
}
