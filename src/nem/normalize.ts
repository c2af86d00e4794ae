/**
 * TransactionMetaDataPair (untrusted JSON from a node) → `Transfer` | `OtherTransaction`.
 *
 * Every field the engine uses is checked; anything wrong throws TRACE_MALFORMED_RESPONSE naming
 * the field, so a crawler can reject the whole page. Rules (docs/nis1.md §3–4):
 * - v1 or v2 without mosaics: XEM moved = amount;
 * - v2 with mosaics: moved = amount × quantity(nem:xem) / 1e6 (bigint, floored); 0 without nem:xem;
 * - 4100: sender = address of otherTrans.signer; fees = inner + outer + Σ cosignature fees;
 * - self-transfer (sender = recipient) moves nothing;
 * - other types (and 4100 wrapping a non-transfer) are returned as `other`.
 */
import { TracerError } from '../errors.js';
import { SUPPLY_MICRO } from './amount.js';
import { isValidAddress, publicKeyToAddress } from './address.js';
import { nemToIso } from './time.js';
import { TX_TYPE, type MovedMosaic, type NisTransaction, type NormalizedTransaction, type Transfer } from './types.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;
const SUPPLY = Number(SUPPLY_MICRO);

class Check {
  constructor(private readonly where: string) {}
  fail(path: string, expected: string, got: unknown): never {
    const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
    throw new TracerError('TRACE_MALFORMED_RESPONSE', `${this.where}: ${path} must be ${expected}, got ${shown}`, { details: { path } });
  }
  object(v: unknown, path: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'an object', v);
    return v as Record<string, unknown>;
  }
  int(v: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.fail(path, `an integer in [${min}, ${max}]`, v);
    return v;
  }
  hash(v: unknown, path: string): string {
    const data = this.object(v, path).data;
    if (typeof data !== 'string' || !HEX64.test(data)) this.fail(`${path}.data`, '64 hex digits', data);
    return data.toLowerCase();
  }
  publicKey(v: unknown, path: string): string {
    if (typeof v !== 'string' || !HEX64.test(v)) this.fail(path, 'a 64-hex public key', v);
    return publicKeyToAddress(v);
  }
  address(v: unknown, path: string): string {
    if (typeof v !== 'string' || !isValidAddress(v)) this.fail(path, 'a valid mainnet address', v);
    return v;
  }
}

/**
 * @param where names the source for error messages, e.g. "http://node:7890 /account/transfers/outgoing?address=…".
 */
export function normalizeTransaction(pair: unknown, where = 'transaction'): NormalizedTransaction {
  const c = new Check(where);
  const root = c.object(pair, 'item');
  const meta = c.object(root.meta, 'meta');
  const tx = c.object(root.transaction, 'transaction') as unknown as NisTransaction;
  const height = c.int(meta.height, 'meta.height', 1);
  c.int(meta.id, 'meta.id', 0);
  const hash = c.hash(meta.hash, 'meta.hash');
  const type = c.int(tx.type, 'transaction.type', 0, 0xffff);
  const fee = c.int(tx.fee, 'transaction.fee', 0, SUPPLY);
  const timeStamp = c.int(tx.timeStamp, 'transaction.timeStamp', 0, 0x7fffffff);
  c.int(tx.version, 'transaction.version', -0x80000000, 0x7fffffff);
  const signer = c.publicKey(tx.signer, 'transaction.signer');

  if (type === TX_TYPE.TRANSFER) {
    // A plain transfer's sender is its signer, derived just above.
    const outer = { hash, innerHash: null, height, signer, extraFee: 0 };
    return { kind: 'transfer', transfer: readTransfer(c, tx, 'transaction', outer, signer) };
  }
  if (type === TX_TYPE.MULTISIG) {
    const inner = c.object(tx.otherTrans, 'transaction.otherTrans') as unknown as NisTransaction;
    const innerType = c.int(inner.type, 'transaction.otherTrans.type', 0, 0xffff);
    const metaInner = c.object(meta.innerHash, 'meta.innerHash');
    const innerHash = c.hash(metaInner, 'meta.innerHash');
    const signatures: unknown = tx.signatures;
    if (!Array.isArray(signatures)) c.fail('transaction.signatures', 'an array', signatures);
    let cosignFees = 0;
    (signatures as unknown[]).forEach((sig, i) => {
      const s = c.object(sig, `transaction.signatures[${i}]`);
      cosignFees += c.int(s.fee, `transaction.signatures[${i}].fee`, 0, SUPPLY);
    });
    if (innerType !== TX_TYPE.TRANSFER) {
      const debtor = c.publicKey(inner.signer, 'transaction.otherTrans.signer');
      return {
        kind: 'other',
        other: {
          hash,
          height,
          timeStamp,
          type: innerType,
          signer: debtor,
          fee: fee + cosignFees + c.int(inner.fee, 'transaction.otherTrans.fee', 0, SUPPLY),
        },
      };
    }
    const transfer = readTransfer(c, inner, 'transaction.otherTrans', { hash, innerHash, height, signer, extraFee: fee + cosignFees });
    return { kind: 'transfer', transfer: { ...transfer, type: TX_TYPE.MULTISIG } };
  }
  return { kind: 'other', other: { hash, height, timeStamp, type, signer, fee } };
}

/** Convenience: the Transfer or null for other types. */
export function toTransfer(pair: unknown, where?: string): Transfer | null {
  const n = normalizeTransaction(pair, where);
  return n.kind === 'transfer' ? n.transfer : null;
}

function readTransfer(
  c: Check,
  tx: NisTransaction,
  path: string,
  outer: { hash: string; innerHash: string | null; height: number; signer: string; extraFee: number },
  sender = c.publicKey(tx.signer, `${path}.signer`),
): Transfer {
  const recipient = c.address(tx.recipient, `${path}.recipient`);
  const rawAmount = c.int(tx.amount, `${path}.amount`, 0, SUPPLY);
  const innerFee = c.int(tx.fee, `${path}.fee`, 0, SUPPLY);
  const timeStamp = c.int(tx.timeStamp, `${path}.timeStamp`, 0, 0x7fffffff);
  const version = c.int(tx.version, `${path}.version`, -0x80000000, 0x7fffffff) & 0xffffff;

  let moved = BigInt(rawAmount);
  const mosaics: MovedMosaic[] = [];
  if (tx.mosaics !== undefined) {
    if (!Array.isArray(tx.mosaics)) c.fail(`${path}.mosaics`, 'an array', tx.mosaics);
    if (tx.mosaics.length > 0) {
      if (version < 2) c.fail(`${path}.mosaics`, 'absent in a version-1 transfer', tx.mosaics);
      let xem = 0n;
      tx.mosaics.forEach((m, i) => {
        const mo = c.object(m, `${path}.mosaics[${i}]`);
        const id = c.object(mo.mosaicId, `${path}.mosaics[${i}].mosaicId`);
        if (typeof id.namespaceId !== 'string' || typeof id.name !== 'string')
          c.fail(`${path}.mosaics[${i}].mosaicId`, 'namespaceId and name strings', id);
        const quantity = c.int(mo.quantity, `${path}.mosaics[${i}].quantity`, 0);
        const units = (BigInt(rawAmount) * BigInt(quantity)) / 1_000_000n;
        if (id.namespaceId === 'nem' && id.name === 'xem') xem += units;
        else mosaics.push({ namespaceId: id.namespaceId, name: id.name, quantity: units.toString() });
      });
      moved = xem;
    }
  }
  if (moved > SUPPLY_MICRO) c.fail(`${path}.amount`, 'an XEM quantity within the supply', moved.toString());
  const self = sender === recipient;
  const { message, messageType } = readMessage(c, tx.message, `${path}.message`);
  return {
    hash: outer.hash,
    innerHash: outer.innerHash,
    height: outer.height,
    timeStamp,
    time: nemToIso(timeStamp),
    sender,
    recipient,
    amount: self ? 0 : Number(moved),
    fee: innerFee + outer.extraFee,
    message,
    messageType,
    mosaics: self ? [] : mosaics,
    type: TX_TYPE.TRANSFER,
    signer: outer.signer,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readMessage(c: Check, raw: unknown, path: string): { message: string | null; messageType: number } {
  if (raw === undefined || raw === null) return { message: null, messageType: 0 };
  const m = c.object(raw, path);
  if (m.payload === undefined && m.type === undefined) return { message: null, messageType: 0 };
  const type = c.int(m.type, `${path}.type`, 1, 2);
  if (typeof m.payload !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(m.payload) || m.payload.length > 2048) {
    c.fail(`${path}.payload`, 'hex of at most 1024 bytes', m.payload);
  }
  if (type === 2) return { message: null, messageType: 2 };
  const bytes = Buffer.from(m.payload, 'hex');
  try {
    return { message: utf8.decode(bytes), messageType: 1 };
  } catch {
    // Not UTF-8: keep the raw bytes visibly as hex, the way explorers show them.
    return { message: `hex:${m.payload.toLowerCase()}`, messageType: 1 };
  }
}
