/**
 * IncrementalTrace (follow mode's re-trace): after every update — new blocks, a backfill of older
 * history, a fork that takes blocks back and puts others in, the whole set again — the result equals
 * `runTrace` over the same transfers to the µXEM, under all six policies (canonical JSON of the whole
 * TraceResult: totals, accounts, evidence, history, memos, openings, dust). Property-style over seeded
 * random chains, and over a seeded synthetic chain followed block by block with a fork.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticChain, syntheticTransfers, mulberry32 } from '../../src/fixture/synthetic.js';
import type { Transfer } from '../../src/nem/types.js';
import { IncrementalTrace, type TraceChange, type TraceUpdateStats } from '../../src/taint/incremental.js';
import { sortTransfers } from '../../src/taint/order.js';
import { runTrace } from '../../src/taint/trace.js';
import { POLICIES, type Label, type ResolvedCase } from '../../src/taint/types.js';
import { canon, randomChain } from './helpers.js';

interface Chain {
  transfers: Transfer[];
  caseSpec: ResolvedCase;
  labels: Map<string, Label>;
}

/** runTrace's answer, or the error code it throws. */
function batch(c: Chain, held: readonly Transfer[], tip: number): string {
  try {
    return canon(runTrace({ ...c, transfers: held, storeDigest: 'sha256:x', tipHeight: tip, engineVersion: 'test' }));
  } catch (err) {
    return `throws ${(err as { code?: string }).code ?? String(err)}`;
  }
}

function incremental(inc: IncrementalTrace, change: TraceChange, tip: number): { out: string; stats?: TraceUpdateStats } {
  try {
    const { result, stats } = inc.update(change, { storeDigest: 'sha256:x', tipHeight: tip });
    return { out: canon(result), stats };
  } catch (err) {
    return { out: `throws ${(err as { code?: string }).code ?? String(err)}` };
  }
}

/** A copy with another hash and amount: what a fork puts in place of a transfer. */
function replaced(t: Transfer, rng: () => number, salt: number): Transfer {
  return { ...t, hash: `f0${salt.toString(16)}${t.hash}`.slice(0, 64), amount: Math.floor(t.amount * rng()) };
}

/**
 * Feeds a chain to an IncrementalTrace in steps drawn from `rng` and checks every step against a batch
 * trace of the transfers held. Returns how many steps resumed past the start.
 */
const seen = { traced: 0, appended: 0, fromCheckpoint: 0, fromStart: 0 };

function follow(c: Chain, rng: () => number, opts: { checkpointBlocks: number; keepBlocks: number }): void {
  const inc = new IncrementalTrace({ caseSpec: c.caseSpec, labels: c.labels, engineVersion: 'test', ...opts });
  const pool = sortTransfers(c.transfers);
  const held = new Map<string, Transfer>();
  const withheld: Transfer[] = [];
  let next = 0;
  let tip = 0;
  let salt = 0;
  while (next < pool.length || withheld.length > 0) {
    const r = rng();
    let change: TraceChange;
    if (r < 0.12 && withheld.length > 0) {
      // backfill: history below the tip arrives late
      const add = withheld.splice(0, 1 + Math.floor(rng() * withheld.length));
      change = { add };
    } else if (r < 0.24 && held.size > 0) {
      // fork: blocks above some height are replaced; some of their transfers come back, some change
      const depth = 1 + Math.floor(rng() * 6);
      const remove = [...held.values()].filter((t) => t.height > tip - depth);
      const add = remove.filter(() => rng() < 0.5).map((t) => (rng() < 0.5 ? t : replaced(t, rng, ++salt)));
      change = { remove, add };
    } else if (r < 0.3) {
      change = { all: [...held.values()] };
    } else {
      // the next block(s); now and then one of their transfers is held back for a later backfill
      const upTo = Math.min(pool.length, next + 1 + Math.floor(rng() * 4));
      const add: Transfer[] = [];
      for (; next < upTo; next++) (rng() < 0.1 ? withheld : add).push(pool[next]);
      if (add.length === 0 && next >= pool.length && withheld.length > 0) add.push(...withheld.splice(0));
      change = { add };
    }
    if ('all' in change) {
      // held unchanged
    } else {
      for (const t of change.remove ?? []) held.delete(t.hash);
      for (const t of change.add ?? []) held.set(t.hash, t);
    }
    for (const t of held.values()) tip = Math.max(tip, t.height);
    const got = incremental(inc, change, tip);
    expect(got.out).toBe(batch(c, [...held.values()], tip));
    if (got.stats !== undefined) {
      seen.traced++;
      const { resumedAt, changedAt } = got.stats;
      if (resumedAt === 0) seen.fromStart++;
      else if (resumedAt < changedAt) seen.fromCheckpoint++;
      else seen.appended++;
    }
  }
}

describe('IncrementalTrace', () => {
  it('equals runTrace after every update on random chains (appends, backfills, forks, reloads), all six policies', () => {
    fc.assert(
      fc.property(
        randomChain(),
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 8 }),
        (c, seed, every, keep) => {
          follow(c, mulberry32(seed), { checkpointBlocks: every, keepBlocks: keep });
        },
      ),
      // seeded: the counts below vary with the chains drawn (fromCheckpoint 15–27 over six random seeds against a
      // floor of 10), so an unseeded run could fail them by chance; TAINTTRACE_FC_SEED explores other chains
      { numRuns: 300, seed: Number(process.env.TAINTTRACE_FC_SEED ?? 20261206) },
    );
    // not vacuous: hundreds of steps traced (the others throw on both sides: a seed not held yet), resumed
    // where the last one stopped, from a checkpoint behind a fork or a backfill, and from the start
    expect(seen.traced).toBeGreaterThan(500);
    expect(seen.appended).toBeGreaterThan(100);
    expect(seen.fromCheckpoint).toBeGreaterThan(10);
    expect(seen.fromStart).toBeGreaterThan(30);
  });

  it('follows a seeded synthetic chain block by block, resuming where it stopped, and recovers from a fork', () => {
    const chain = syntheticChain({ transfers: 3000, accounts: 400, seed: 7 });
    const { transfers, labels, caseSpec } = syntheticTransfers(chain);
    const c: Chain = { transfers, labels, caseSpec };
    const inc = new IncrementalTrace({ caseSpec, labels, engineVersion: 'test', checkpointBlocks: 10, keepBlocks: 50 });
    const pool = sortTransfers(transfers);
    const heights = [...new Set(pool.map((t) => t.height))];
    const rng = mulberry32(11);
    let held: Transfer[] = [];
    let swept = 0;
    let steps = 0;
    let h = 0;
    const stepTo = (height: number): void => {
      const add = pool.filter((t) => t.height > h && t.height <= height);
      h = height;
      held = held.concat(add);
      const { stats } = inc.update({ add }, { storeDigest: 'sha256:x', tipHeight: h });
      swept += stats.swept;
      steps++;
      expect(stats.resumedAt).toBe(held.length - add.length);
    };
    // the first half in one go (the catch-up), then block by block
    const half = heights[Math.floor(heights.length / 2)];
    stepTo(half);
    for (const height of heights.filter((x) => x > half).slice(0, 120)) stepTo(height);
    expect(canon(inc.update({ add: [] }, { storeDigest: 'sha256:x', tipHeight: h }).result)).toBe(batch(c, held, h));
    // each block swept only its own transfers
    expect(swept).toBe(held.length);
    expect(steps).toBeGreaterThan(100);

    // a fork 25 blocks deep: the sweep resumes from a checkpoint at or below the fork point, not from the start
    const forkAt = h - 25;
    const remove = held.filter((t) => t.height > forkAt);
    const add = remove.filter(() => rng() < 0.6).map((t, i) => (i % 3 === 0 ? replaced(t, rng, i + 1) : t));
    held = held.filter((t) => t.height <= forkAt).concat(add);
    const { result, stats } = inc.update({ remove, add }, { storeDigest: 'sha256:x', tipHeight: h });
    expect(canon(result)).toBe(batch(c, held, h));
    const firstRemoved = sortTransfers(held.concat(remove)).findIndex((t) => t.height > forkAt);
    expect(stats.resumedAt).toBeGreaterThan(0);
    expect(stats.resumedAt).toBeLessThanOrEqual(firstRemoved);
    expect(stats.swept).toBeLessThan(held.length / 2);
  });

  it('leaves an earlier result as it was when a later update resumes the sweep over the same columns', () => {
    const chain = syntheticChain({ transfers: 3000, accounts: 400, seed: 9 });
    const { transfers, labels, caseSpec } = syntheticTransfers(chain);
    const pool = sortTransfers(transfers);
    const inc = new IncrementalTrace({ caseSpec, labels, engineVersion: 'test', checkpointBlocks: 10, keepBlocks: 50 });
    const half = pool.filter((t) => t.height <= pool[Math.floor(pool.length / 2)].height);
    const tip = (ts: readonly Transfer[]) => ts[ts.length - 1].height;
    const first = inc.update({ add: half }, { storeDigest: 'sha256:x', tipHeight: tip(half) });
    const before = canon(first.result);
    const second = inc.update({ add: pool.slice(half.length) }, { storeDigest: 'sha256:x', tipHeight: tip(pool) });
    expect(second.stats.resumedAt).toBeGreaterThan(0); // it did resume over the columns the first result came from
    expect(canon(first.result)).toBe(before);
    expect(canon(second.result)).toBe(batch({ transfers, labels, caseSpec }, pool, tip(pool)));
  });

  it("rebuilds only the accounts of the transfers it swept: the others keep the previous result's objects", () => {
    const chain = syntheticChain({ transfers: 3000, accounts: 400, seed: 5 });
    const { transfers, labels, caseSpec } = syntheticTransfers(chain);
    const pool = sortTransfers(transfers);
    const inc = new IncrementalTrace({ caseSpec, labels, engineVersion: 'test', checkpointBlocks: 10, keepBlocks: 50 });
    const heights = [...new Set(pool.map((t) => t.height))];
    const upTo = (h: number) => pool.filter((t) => t.height <= h);
    const first = inc.update({ add: upTo(heights.at(-4)!) }, { storeDigest: 'sha256:x', tipHeight: heights.at(-4)! });
    expect(first.changed).toBeNull(); // the first update builds everything
    let prev = first.result;
    let rebuilt = 0;
    let kept = 0;
    for (const h of heights.slice(-3)) {
      const block = pool.filter((t) => t.height === h);
      const { result, changed } = inc.update({ add: block }, { storeDigest: 'sha256:x', tipHeight: h });
      expect(changed!.from).toBe(upTo(h).length - block.length);
      expect([...changed!.accounts].sort()).toEqual([...new Set(block.flatMap((t) => [t.sender, t.recipient]))].sort());
      for (const policy of POLICIES) {
        for (const [address, a] of result.policies[policy]!.accounts) {
          if (changed!.accounts.has(address)) rebuilt++;
          else {
            expect(a).toBe(prev.policies[policy]!.accounts.get(address));
            kept++;
          }
        }
      }
      expect(canon(result)).toBe(batch({ transfers, labels, caseSpec }, upTo(h), h));
      prev = result;
    }
    expect(kept).toBeGreaterThan(20 * rebuilt);
  });

  it('reports the changes of an update that threw (a seed taken back by a fork) with the next one', () => {
    const chain = syntheticChain({ transfers: 3000, accounts: 400, seed: 5 });
    const { transfers, labels, caseSpec } = syntheticTransfers(chain);
    const pool = sortTransfers(transfers);
    const seedHashes = new Set(caseSpec.seeds.flatMap((s) => ('hash' in s ? [s.hash] : [])));
    const seed = [...pool].reverse().find((t) => seedHashes.has(t.hash))!;
    // a checkpoint every block, all kept: the fork resumes below the seed, not from the start
    const inc = new IncrementalTrace({ caseSpec, labels, engineVersion: 'test', checkpointBlocks: 1, keepBlocks: 1e9 });
    const tip = pool.at(-1)!.height;
    const meta = { storeDigest: 'sha256:x', tipHeight: tip };
    const first = inc.update({ add: pool }, meta).result;
    // a transfer that alone brought taint to its recipient
    const touches = new Map<string, number>();
    for (const t of pool) for (const a of [t.sender, t.recipient]) touches.set(a, (touches.get(a) ?? 0) + 1);
    const lone = [...pool].reverse().find((t) => touches.get(t.recipient) === 1 && first.policies.poison!.accounts.has(t.recipient))!;
    // a fork takes the seed and that transfer: the update throws; the seed comes back with a changed amount
    expect(() => inc.update({ remove: [seed, lone] }, meta)).toThrow(expect.objectContaining({ code: 'TRACE_STORE_EMPTY' }));
    const back = { ...seed, amount: Math.floor(seed.amount / 2) };
    const { result, changed } = inc.update({ add: [back] }, meta);
    const held = pool.filter((t) => t !== lone).map((t) => (t === seed ? back : t));
    expect(canon(result)).toBe(batch({ transfers, labels, caseSpec }, held, tip));
    expect(changed).not.toBeNull();
    // every account whose result differs from the last one handed out (or is gone) is among the changed ones
    let differ = 0;
    for (const policy of POLICIES) {
      const now = result.policies[policy]!.accounts;
      const was = first.policies[policy]!.accounts;
      for (const address of new Set([...now.keys(), ...was.keys()])) {
        if (canon({ a: now.get(address) } as never) === canon({ a: was.get(address) } as never)) continue;
        differ++;
        expect(changed!.accounts.has(address), address).toBe(true);
      }
    }
    expect(changed!.accounts.has(lone.recipient)).toBe(true);
    expect(differ).toBeGreaterThan(0);
    expect(changed!.from).toBeLessThanOrEqual(pool.indexOf(seed));
  });

  it('throws TRACE_STORE_EMPTY like runTrace while a seed is missing, then traces once it arrives', () => {
    const chain = syntheticChain({ transfers: 300, accounts: 120, seed: 3 });
    const { transfers, labels, caseSpec } = syntheticTransfers(chain);
    const pool = sortTransfers(transfers);
    const seedHashes = new Set(caseSpec.seeds.flatMap((s) => ('hash' in s ? [s.hash] : [])));
    const lastSeed = Math.max(...pool.flatMap((t, k) => (seedHashes.has(t.hash) ? [k] : [])));
    const inc = new IncrementalTrace({ caseSpec, labels, engineVersion: 'test' });
    const before = pool.slice(0, lastSeed);
    expect(() => inc.update({ add: before }, { storeDigest: 'sha256:x', tipHeight: 1 })).toThrow(
      expect.objectContaining({ code: 'TRACE_STORE_EMPTY' }),
    );
    const { result } = inc.update({ add: pool.slice(lastSeed) }, { storeDigest: 'sha256:x', tipHeight: 1 });
    expect(canon(result)).toBe(batch({ transfers, labels, caseSpec }, pool, 1));
  });
});
