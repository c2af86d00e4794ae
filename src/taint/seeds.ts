/**
 * Seed resolution (docs/taint-semantics.md): a seed is a transfer named by hash, or every outflow of an account
 * with time in [from, to) to a recipient not in `exclude` (moving more than 0 XEM, to another
 * account). `resolveSeeds` returns the indices (into the chain-ordered transfers) of the seed transfers;
 * `seedTest` is the same rule for one transfer at a time (follow mode's incremental trace), and
 * `checkSeedsFound` the same check that every seed of the case is among them.
 */
import { TracerError } from '../errors.js';
import type { Transfer } from '../nem/index.js';
import type { SeedSpec, SeedTransfer } from './types.js';

export function resolveSeeds(sorted: readonly Transfer[], seeds: readonly SeedSpec[]): number[] {
  const isSeed = seedTest(seeds);
  const chosen: number[] = [];
  sorted.forEach((t, k) => {
    if (isSeed(t)) chosen.push(k);
  });
  checkSeedsFound(
    chosen.map((k) => sorted[k]),
    seeds,
  );
  return chosen;
}

/** Whether a transfer is a seed of the case. */
export function seedTest(seeds: readonly SeedSpec[]): (t: Transfer) => boolean {
  const hashes = new Set<string>();
  const windows: { account: string; from: number; to: number; exclude: Set<string> }[] = [];
  for (const spec of seeds) {
    if ('hash' in spec) hashes.add(spec.hash.toLowerCase());
    else windows.push({ account: spec.account, from: spec.from, to: spec.to, exclude: new Set(spec.exclude) });
  }
  return (t) => {
    if (hashes.size > 0 && hashes.has(t.hash.toLowerCase())) return true;
    for (const w of windows) {
      if (
        t.sender === w.account &&
        t.timeStamp >= w.from &&
        t.timeStamp < w.to &&
        t.amount > 0 &&
        t.recipient !== t.sender &&
        !w.exclude.has(t.recipient)
      )
        return true;
    }
    return false;
  };
}

/** Throws TRACE_STORE_EMPTY naming the first seed of the case that none of `found` (the seed transfers) matches. */
export function checkSeedsFound(found: readonly Transfer[], seeds: readonly SeedSpec[]): void {
  seeds.forEach((spec, i) => {
    const test = seedTest([spec]);
    if (found.some(test)) return;
    if ('hash' in spec) {
      throw new TracerError(
        'TRACE_STORE_EMPTY',
        `seeds[${i}]: transfer ${spec.hash} is not among the traced transfers (crawl it first, or check the window)`,
      );
    }
    throw new TracerError(
      'TRACE_STORE_EMPTY',
      `seeds[${i}]: no outflow of ${spec.account} in the given time range among the traced transfers (crawl it first)`,
    );
  });
}

/** A seed transfer as the trace result lists it. */
export function seedTransfer(t: Transfer): SeedTransfer {
  return {
    hash: t.hash,
    from: t.sender,
    to: t.recipient,
    timeStamp: t.timeStamp,
    height: t.height,
    amount: BigInt(t.amount),
    fee: BigInt(t.fee),
    ...(t.position === undefined ? {} : { position: t.position }),
  };
}
