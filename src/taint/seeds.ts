/**
 * Seed resolution (docs/taint-semantics.md): a seed is a transfer named by hash, or every outflow of an account
 * with time in [from, to) to a recipient not in `exclude` (moving more than 0 XEM, to another
 * account). Returns the indices (into the chain-ordered transfers) of the seed transfers.
 */
import { TracerError } from '../errors.js';
import type { Transfer } from '../nem/types.js';
import type { SeedSpec } from './types.js';

export function resolveSeeds(sorted: readonly Transfer[], seeds: readonly SeedSpec[]): number[] {
  const byHash = new Map<string, number>();
  sorted.forEach((t, k) => byHash.set(t.hash.toLowerCase(), k));
  const chosen = new Set<number>();
  seeds.forEach((spec, i) => {
    if ('hash' in spec) {
      const k = byHash.get(spec.hash.toLowerCase());
      if (k === undefined) {
        throw new TracerError(
          'TRACE_STORE_EMPTY',
          `seeds[${i}]: transfer ${spec.hash} is not among the traced transfers (crawl it first, or check the window)`,
        );
      }
      chosen.add(k);
      return;
    }
    const exclude = new Set(spec.exclude);
    let found = 0;
    sorted.forEach((t, k) => {
      if (
        t.sender === spec.account &&
        t.timeStamp >= spec.from &&
        t.timeStamp < spec.to &&
        t.amount > 0 &&
        t.recipient !== t.sender &&
        !exclude.has(t.recipient)
      ) {
        chosen.add(k);
        found++;
      }
    });
    if (found === 0) {
      throw new TracerError(
        'TRACE_STORE_EMPTY',
        `seeds[${i}]: no outflow of ${spec.account} in the given time range among the traced transfers (crawl it first)`,
      );
    }
  });
  return [...chosen].sort((a, b) => a - b);
}
