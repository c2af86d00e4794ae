/** Test helper: every row field of a list (nem/transfer-fields.ts) equals that field of the row's Transfer object. */
import { expect } from 'vitest';
import { rowFields, type RowList, type Transfer, type TransferFields } from '../../src/nem/index.js';

/** Row k's fields as `rowFields(list)` reads them, in the shape of the Transfer fields they stand for. */
export function fieldsOf(fields: TransferFields, k: number): Partial<Transfer> {
  return {
    message: fields.messageAt(k),
    messageType: fields.messageTypeAt(k),
    innerHash: fields.innerHashAt(k),
    type: fields.typeAt(k),
    time: fields.timeAt(k),
    mosaics: fields.mosaicsAt(k),
    signer: fields.signerAt(k),
  };
}

/** For every row k of `list`: each of its fields equals the same field of `objects[k]` (the reference decode). */
export function expectRowFields(list: RowList & Partial<TransferFields>, objects: readonly Transfer[]): void {
  expect(list.length).toBe(objects.length);
  const fields = rowFields(list);
  for (let k = 0; k < objects.length; k++) {
    const t = objects[k];
    const want = { message: t.message, messageType: t.messageType, innerHash: t.innerHash, type: t.type };
    expect(fieldsOf(fields, k), `row ${k}`).toStrictEqual({ ...want, time: t.time, mosaics: t.mosaics, signer: t.signer });
  }
}
