/**
 * The packer's column ways in (what the build from the sweep's columns uses): every transfer at once
 * (`addTransferColumns`) and many address rows at once (`newAddressRows`) pack what the row-by-row ways pack, and
 * refuse what those refuse.
 */
import { describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/domain.js';
import { TaintIndexPacker } from '../../src/screen/index.js';
import type { TransferColumns } from '../../src/screen/pack.js';
import { indexDigest } from './index-digest.js';
import { addr, hash, smallResult } from './fixture.js';
import { buildTaintIndex } from '../../src/screen/index.js';

const small = buildTaintIndex(smallResult());
const header = { ...small, labels: small.labels, policies: small.policies };
const NP = POLICIES.length;
const addresses = [addr(11), addr(12), addr(13)];

/** Two transfers: row 0 from address row 0 to 1 (taint under policy 0 and 2), row 1 from 1 to 2 (none). */
function columns(change: Partial<Record<keyof TransferColumns, unknown>> = {}): TransferColumns {
  const taint = new Float64Array(2 * NP);
  taint[0] = 500;
  taint[2] = 7;
  const hashBytes = Buffer.alloc(64);
  hashBytes.write(hash(1), 0, 32, 'hex');
  hashBytes.write(hash(2), 32, 32, 'hex');
  return {
    length: 2,
    hashBytes,
    from: Int32Array.of(0, 1),
    to: Int32Array.of(1, 2),
    height: Int32Array.of(10, 11),
    timeStamp: Int32Array.of(1000, 1010),
    amount: Float64Array.of(500, 900),
    fee: Float64Array.of(0, 50),
    taint,
    messages: ['memo', null],
    ...change,
  } as TransferColumns;
}

describe('TaintIndexPacker, the column ways in', () => {
  it('packs the bytes the row-by-row ways pack', () => {
    const byRows = new TaintIndexPacker(header);
    for (const a of addresses) byRows.newAddressRow(a);
    const c = columns();
    for (let i = 0; i < c.length; i++) {
      const taint = Array.from(c.taint.subarray(i * NP, (i + 1) * NP), (v) => (v > 0 ? v : undefined));
      const t = { height: c.height[i], timeStamp: c.timeStamp[i], amount: c.amount[i], fee: c.fee[i] };
      byRows.addTransferRow(byRows.newHashRow(hash(i + 1)), c.from[i], c.to[i], t, taint, c.messages[i]);
    }
    const byColumns = new TaintIndexPacker(header);
    expect(byColumns.newAddressRows(addresses)).toBe(0);
    byColumns.addTransferColumns(c);
    expect(indexDigest(byColumns.finish())).toBe(indexDigest(byRows.finish()));
  });

  it.each([
    ['columns of different lengths', { fee: Float64Array.of(0) }, 'differ in length'],
    ['an address row that is not there', { to: Int32Array.of(1, 3) }, 'transfer row 1 names no address row'],
    ['an amount beyond the safe integers', { amount: Float64Array.of(500, 2 ** 53) }, 'tAmount 9007199254740992 is not a safe integer'],
    ['a fraction of a µXEM', { fee: Float64Array.of(0.5, 0) }, 'tFee 0.5 is not a safe integer'],
    ['a negative taint', { taint: new Float64Array(2 * NP).fill(-1) }, 'transfer row 0 carries taint -1'],
  ])('refuses %s', (_name, change, message) => {
    const packer = new TaintIndexPacker(header);
    packer.newAddressRows(addresses);
    expect(() => packer.addTransferColumns(columns(change))).toThrow(message);
  });

  it('takes the columns first and once', () => {
    const packer = new TaintIndexPacker(header);
    packer.newAddressRows(addresses);
    packer.addTransferColumns(columns());
    expect(() => packer.addTransferColumns(columns())).toThrow('transfer columns come first, and once');
  });

  it('refuses an address that is not 40 printable ASCII characters, even when the lengths add up', () => {
    const packer = new TaintIndexPacker(header);
    const a = addr(21);
    expect(() => packer.newAddressRows([a.slice(0, 39), a + 'B'])).toThrow(`${JSON.stringify(a.slice(0, 39))} is not a 40-character`);
    expect(() => packer.newAddressRows([a.slice(0, 38) + 'é'])).toThrow('is not a 40-character address');
    expect(() => packer.newAddressRows([a.slice(0, 39) + '\n'])).toThrow('is not a 40-character address');
    expect(packer.newAddressRows([a])).toBe(0); // nothing was kept of the refused ones
  });
});
