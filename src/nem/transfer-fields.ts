/**
 * A transfer's fields by row, without a Transfer object (issue 10): what a reader of many rows asks of a list of
 * transfers for the fields a trace's columns (taint/table.ts: sender, recipient, amount, fee, height, timeStamp,
 * hash) lack. The store's list (store/transfer-list.ts) reads them from its packed segments; `rowFields` gives them
 * for any other list (an array of Transfer objects) from its objects — one API for every reader.
 *
 * It lives beside `Transfer` because the store (which implements it), labels/ and the core (which use it) may all
 * import nem/ but not each other.
 */
import type { MovedMosaic, Transfer } from './types.js';

/** Row k's fields, each equal to the same field of the list's `at(k)`; RangeError outside 0 ≤ k < length. */
export interface TransferFields {
  /** `Transfer.message`: the plain message, null when absent or encrypted. */
  messageAt(k: number): string | null;
  /** `Transfer.messageType`. */
  messageTypeAt(k: number): number;
  /** `Transfer.innerHash`: 64 lower-case hex, or null. */
  innerHashAt(k: number): string | null;
  /** `Transfer.type`: 257, or 4100 for a multisig-wrapped transfer. */
  typeAt(k: number): number;
  /** `Transfer.time`: the ISO-8601 text of its timeStamp. */
  timeAt(k: number): string;
  /** `Transfer.mosaics`: a fresh array each call. */
  mosaicsAt(k: number): MovedMosaic[];
  /** `Transfer.signer`. */
  signerAt(k: number): string;
}

/** A list of transfers by row (the core's TransferList is one; so is an array). */
export interface RowList {
  readonly length: number;
  at(k: number): Transfer | undefined;
}

const FIELDS = ['messageAt', 'messageTypeAt', 'innerHashAt', 'typeAt', 'timeAt', 'mosaicsAt', 'signerAt'] as const;
const made = new WeakMap<object, TransferFields>();

/** The fields of `list`'s rows: its own when it reads them without objects (the store's list), else from its objects. */
export function rowFields(list: RowList & Partial<TransferFields>): TransferFields {
  if (FIELDS.every((f) => typeof list[f] === 'function')) return list as TransferFields;
  let fields = made.get(list);
  if (fields === undefined) {
    fields = objectFields(list);
    made.set(list, fields);
  }
  return fields;
}

function objectFields(list: RowList): TransferFields {
  const at = (k: number): Transfer => {
    const t = Number.isInteger(k) && k >= 0 && k < list.length ? list.at(k) : undefined; // an array's at(-1) is its last
    if (t === undefined) throw new RangeError(`no transfer at row ${k} (of ${list.length})`);
    return t;
  };
  return {
    messageAt: (k) => at(k).message,
    messageTypeAt: (k) => at(k).messageType,
    innerHashAt: (k) => at(k).innerHash,
    typeAt: (k) => at(k).type,
    timeAt: (k) => at(k).time,
    mosaicsAt: (k) => at(k).mosaics.map((m) => ({ ...m })),
    signerAt: (k) => at(k).signer,
  };
}
