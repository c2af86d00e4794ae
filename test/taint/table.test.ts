import { describe, expect, it } from 'vitest';
import { tableOf } from '../../src/taint/index.js';
import { labelsOf, makeCase, trace, tx } from './helpers.js';

describe('tableOf: a trace’s transfers as columns', () => {
  const transfers = [tx('B', 'C', 40, { at: 2, fee: 1 }), tx('A', 'B', 100, { at: 1, hash: 'seed0000' }), tx('C', 'X', 30, { at: 3 })];
  const result = trace(transfers, makeCase([{ hash: 'seed0000' }]), labelsOf({ X: 'exchange' }));

  it('row k is transfers[k]: accounts, amounts, fee, height, timeStamp and hash, in chain order', () => {
    const table = tableOf(result);
    expect(table.n).toBe(result.transfers.length);
    [...result.transfers].forEach((t, k) => {
      expect(table.addresses[table.sender[k]]).toBe(t.sender);
      expect(table.addresses[table.recipient[k]]).toBe(t.recipient);
      expect([table.amount[k], table.fee[k], table.height[k], table.timeStamp[k], table.hashAt(k)]).toEqual([
        t.amount,
        t.fee,
        t.height,
        t.timeStamp,
        t.hash,
      ]);
    });
    expect([...result.transfers].map((t) => t.height)).toEqual([1, 2, 3]);
  });

  it('a hand-built result (no table) is projected from its transfers, once', () => {
    const handBuilt = { ...result, table: undefined };
    const table = tableOf(handBuilt);
    expect(tableOf(handBuilt)).toBe(table);
    expect(Array.from({ length: table.n }, (_, k) => table.hashAt(k))).toEqual([...result.transfers].map((t) => t.hash));
    expect(table.addresses[table.recipient[2]]).toBe('X');
  });
});
