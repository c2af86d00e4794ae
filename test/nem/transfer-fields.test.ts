/**
 * rowFields (src/nem/transfer-fields.ts): the fields of a list's rows without asking for objects — a list that reads
 * them itself (the store's) is used as it is; any other (an array) gets them from its objects; a row outside the
 * list is a RangeError, never an array's count from the end.
 */
import { describe, expect, it } from 'vitest';
import { rowFields, type Transfer, type TransferFields } from '../../src/nem/index.js';
import { transfer } from '../store/transfers.js';
import { expectRowFields } from './row-fields.js';

const rows: Transfer[] = [
  transfer(0, { message: 'deposit 1', messageType: 1 }),
  transfer(1, { innerHash: 'ab'.repeat(32), type: 4100, signer: 'NSIGNER' }),
  transfer(2, { mosaics: [{ namespaceId: 'ts', name: 'warning', quantity: '1' }], message: '日本語 🚀', messageType: 1 }),
];

describe('rowFields', () => {
  it("an array's rows: each field is its object's", () => {
    expectRowFields(rows, rows);
    expect(rowFields(rows)).toBe(rowFields(rows)); // made once per list
  });

  it("mosaics come as a fresh array: changing one leaves the transfer's alone", () => {
    const got = rowFields(rows).mosaicsAt(2);
    got[0].quantity = '999';
    got.pop();
    expect(rows[2].mosaics).toEqual([{ namespaceId: 'ts', name: 'warning', quantity: '1' }]);
  });

  it('a row outside the list is a RangeError (an array would count -1 from its end)', () => {
    const fields = rowFields(rows);
    for (const k of [-1, 3, 1.5, Number.NaN]) expect(() => fields.messageAt(k)).toThrow(RangeError);
  });

  it('a list with its own fields is read through them', () => {
    const own: TransferFields = {
      messageAt: () => 'own',
      messageTypeAt: () => 7,
      innerHashAt: () => null,
      typeAt: () => 257,
      timeAt: () => 't',
      mosaicsAt: () => [],
      signerAt: () => 's',
    };
    const list = Object.assign([...rows], own);
    expect(rowFields(list)).toBe(list);
    expect(rowFields(list).messageAt(0)).toBe('own');
  });
});
