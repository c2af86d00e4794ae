/**
 * resolveSeedRows (src/taint/seeds.ts) over a trace's columns: with the raw hash column (the store's) the seeds' 32
 * bytes are compared with the rows' bytes, with no string per row — the same rows and the same errors as comparing
 * the hex (a table without the column) and as resolveSeeds over the objects: on hashes that share their leading bytes
 * (the synthetic chains' zero-padded ones), an upper-case seed hash, account seeds, a duplicate seed, a seed that is
 * not stored and one that is not hex at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../src/nem/types.js';
import { resolveSeedRows, resolveSeeds } from '../../src/taint/seeds.js';
import { tableOfTransfers } from '../../src/taint/table.js';
import type { SeedSpec } from '../../src/taint/types.js';
import { tx } from './helpers.js';

const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Transfers in chain order with the given hashes, among five accounts. */
function chain(hashes: readonly string[]): Transfer[] {
  return hashes.map((hash, k) => tx(`A${k % 5}`, `A${(k * 3 + 1) % 5}`, 1_000 + k, { at: k + 1, hash }));
}

/** resolveSeedRows on the raw column, on the hex, and resolveSeeds on the objects: each row list, or the error thrown. */
function threeWays(transfers: Transfer[], seeds: SeedSpec[]): unknown[] {
  const hex = tableOfTransfers(transfers);
  const raw = { ...hex, hashes: Uint8Array.from(Buffer.from(transfers.map((t) => t.hash).join(''), 'hex')) };
  const attempt = (f: () => number[]) => {
    try {
      return f();
    } catch (err) {
      return { code: (err as { code?: string }).code, message: (err as Error).message };
    }
  };
  return [
    attempt(() => resolveSeedRows(raw, seeds)),
    attempt(() => resolveSeedRows(hex, seeds)),
    attempt(() => resolveSeeds(transfers, seeds)),
  ];
}

describe('resolveSeedRows by hash bytes', () => {
  it('the same rows as the hex and the objects, on hashes sharing their leading bytes', () => {
    const hashes = Array.from({ length: 3000 }, (_, k) => k.toString(16).padStart(64, '0'));
    const transfers = chain(hashes);
    const seeds: SeedSpec[] = [{ hash: hashes[17] }, { hash: hashes[2999].toUpperCase() }, { hash: hashes[256] }, { hash: hashes[17] }];
    const [raw, ...others] = threeWays(transfers, seeds);
    expect(raw).toEqual([17, 256, 2999]);
    for (const o of others) expect(o).toEqual(raw);
  });

  it('random hashes and seeds (hashes, accounts, missing ones): the same rows, or the same error', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }).map(hexOf), { minLength: 1, maxLength: 60 }),
        fc.array(fc.oneof(fc.nat(), fc.constant(-1), fc.constant(-2)), { minLength: 1, maxLength: 5 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }).map(hexOf),
        (hashes, picks, stranger) => {
          const transfers = chain(hashes);
          const seeds: SeedSpec[] = picks.map((p) =>
            p === -1
              ? { hash: stranger }
              : p === -2
                ? { account: 'A2', from: 0, to: 10 ** 9, exclude: [] }
                : { hash: hashes[p % hashes.length] },
          );
          const [raw, ...others] = threeWays(transfers, seeds);
          for (const o of others) expect(o).toEqual(raw);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a seed hash that is not stored, or not 64 hex digits, is the same TRACE_STORE_EMPTY error every way', () => {
    const transfers = chain(Array.from({ length: 40 }, (_, k) => (k + 1).toString(16).padStart(64, 'f')));
    for (const bad of ['ab'.repeat(32), 'zz'.repeat(32), transfers[3].hash.slice(1), `${transfers[3].hash}00`]) {
      const [raw, ...others] = threeWays(transfers, [{ hash: transfers[3].hash }, { hash: bad }]);
      expect(raw).toMatchObject({ code: 'TRACE_STORE_EMPTY', message: expect.stringContaining('seeds[1]') as string });
      for (const o of others) expect(o).toEqual(raw);
    }
  });
});
