/**
 * addressOrder (src/graph/address-order.ts): the radix sort of NEM-like addresses gives cmpStr's order — with
 * addresses sharing their first 12 characters, duplicates, and lists it must leave to the comparator (short strings,
 * characters outside base32).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmpStr } from '../../src/domain.js';
import { addressOrder } from '../../src/graph/index.js';

const BASE32 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'];
const char = fc.constantFrom(...BASE32);
/** 40 base32 characters, often agreeing on a long prefix (so the 12-character keys tie). */
const address = fc
  .tuple(fc.constantFrom('NA', 'NB', 'TA', 'NAAAAAAAAAAAAA', 'NAAAAAAAAAA7', '23'), fc.array(char, { minLength: 38, maxLength: 38 }))
  .map(([prefix, rest]) => (prefix + rest.join('')).slice(0, 40));
/** Addresses that share a long prefix (a synthetic chain's "SYNTH" bytes), differing in the rest. */
const synthetic = fc.array(char, { minLength: 20, maxLength: 20 }).map((rest) => `NBHFQ2KQI${rest.join('')}AAAAAAAAAAA`);

const sorted = (xs: string[]) => Array.from(addressOrder(xs), (i) => xs[i]);

describe('addressOrder', () => {
  it('orders base32 addresses as cmpStr does, ties in the 12 key characters and duplicates included', () => {
    fc.assert(
      fc.property(fc.array(address, { maxLength: 300 }), (xs) => {
        const all = [...xs, ...xs.slice(0, 5)];
        expect(sorted(all)).toEqual([...all].sort(cmpStr));
        expect([...addressOrder(all)].sort((a, b) => a - b)).toEqual(all.map((_x, i) => i)); // a permutation
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('keys on the characters after the prefix all the addresses share', () => {
    fc.assert(
      fc.property(fc.array(synthetic, { maxLength: 200 }), fc.array(address, { maxLength: 3 }), (xs, others) => {
        expect(sorted(xs)).toEqual([...xs].sort(cmpStr));
        expect(sorted([...xs, ...others])).toEqual([...xs, ...others].sort(cmpStr));
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it('sorts any other list by comparator: short strings, lower case, non-ASCII', () => {
    for (const xs of [['NB', 'NA', 'N'], ['nbbbbbbbbbbbbbbb', 'NAAAAAAAAAAAAAAA', 'NAAAAAAAAAAAé'], []])
      expect(sorted(xs)).toEqual([...xs].sort(cmpStr));
  });
});
