/**
 * deriveEvents with `changed` (follow's incremental re-trace): deriving from what an update changed appends, after
 * the fire-once log's filter, exactly the events a derivation over everything appends — block by block over a
 * seeded synthetic chain with watched accounts, a backfill below the tip and a fork.
 */
import { describe, expect, it } from 'vitest';
import { deriveEvents, parseWatchList, type NewEvent } from '../../src/events/index.js';
import { syntheticChain, syntheticTransfers } from '../../src/fixture/synthetic.js';
import type { Transfer } from '../../src/nem/index.js';
import { buildTaintIndex } from '../../src/screen/index.js';
import { IncrementalTrace, sortTransfers, type TraceChange } from '../../src/taint/index.js';

/** A fire-once log: appends the events whose key has not fired, as EventLog does. */
function fireOnce(): { append: (events: NewEvent[]) => string[] } {
  const fired = new Set<string>();
  return {
    append: (events) =>
      events.flatMap((e) => {
        if (e.key !== null && fired.has(e.key)) return [];
        if (e.key !== null) fired.add(e.key);
        return [JSON.stringify(e)];
      }),
  };
}

describe('deriveEvents from the changes only', () => {
  it('appends what a derivation over everything appends, after every update (blocks, a backfill, a fork)', () => {
    const { transfers, labels, caseSpec } = syntheticTransfers(syntheticChain({ transfers: 2000, accounts: 300, seed: 3 }));
    const pool = sortTransfers(transfers);
    // the busiest senders watched, one with a drain alarm
    const sent = new Map<string, number>();
    for (const t of pool) sent.set(t.sender, (sent.get(t.sender) ?? 0) + 1);
    const busiest = [...sent].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const watch = parseWatchList(
      'watch:\n' + busiest.map(([a], i) => `  - { address: ${a}${i === 0 ? ', drainPercent: 20, drainWindow: 1h' : ''} }\n`).join(''),
      'watch.yaml',
    );
    const heights = [...new Set(pool.map((t) => t.height))];
    const half = heights[Math.floor(heights.length / 2)];
    // its balance read when following started: the least that covers every debit in order, so it runs dry (drains fire)
    const drainer = busiest[0][0];
    let need = 0n;
    let net = 0n;
    const last = heights[heights.indexOf(half) + 40];
    const own = pool.filter((t) => t.height <= last && (t.sender === drainer || t.recipient === drainer));
    own.sort((x, y) => x.height - y.height || x.timeStamp - y.timeStamp || (x.hash < y.hash ? -1 : 1));
    for (const t of own) {
      if (t.recipient === drainer && t.sender !== drainer) net += BigInt(t.amount);
      if (t.sender === drainer) net -= (t.recipient === drainer ? 0n : BigInt(t.amount)) + BigInt(t.fee);
      if (-net > need) need = -net;
    }
    const openings = new Map([[drainer, { height: 0, balance: need, node: 'test' }]]);
    const inc = new IncrementalTrace({ caseSpec, labels, engineVersion: 'test', checkpointBlocks: 5, keepBlocks: 50 });
    const whole = fireOnce();
    const part = fireOnce();
    const late = pool.filter((t, k) => t.height > half - 30 && t.height <= half && k % 7 === 0); // backfilled later
    let held = pool.filter((t) => t.height <= half && !late.includes(t));
    const step = (change: TraceChange, tip: number): { all: number; changed: boolean } => {
      const { result, changed } = inc.update(change, { storeDigest: 'sha256:x', tipHeight: tip });
      const index = buildTaintIndex(result);
      const a = whole.append(deriveEvents({ index, transfers: result.transfers, watch, tip, openings }));
      const scoped = changed && { accounts: changed.accounts, transfers: result.transfers.slice(changed.from) };
      const b = part.append(
        deriveEvents({ index, transfers: result.transfers, watch, tip, openings, ...(scoped ? { changed: scoped } : {}) }),
      );
      expect(b).toEqual(a);
      drains += a.filter((e) => e.includes(`watch.drained:${drainer}:`)).length;
      return { all: a.length, changed: changed !== null };
    };
    let appended = 0;
    let drains = 0;
    let scopedSteps = 0;
    const count = (r: { all: number; changed: boolean }) => {
      appended += r.all;
      if (r.changed) scopedSteps++;
    };
    count(step({ add: held }, half));
    let tip = half;
    for (const h of heights.filter((x) => x > half).slice(0, 40)) {
      const block = pool.filter((t) => t.height === h);
      held = held.concat(block);
      tip = h;
      count(step({ add: block }, tip));
      if (h === heights[heights.indexOf(half) + 20]) {
        held = held.concat(late);
        count(step({ add: late }, tip)); // the backfill
      }
    }
    // a fork 10 blocks deep: its transfers go, half of them come back
    const gone: Transfer[] = held.filter((t) => t.height > tip - 10);
    const back = gone.filter((_t, i) => i % 2 === 0);
    count(step({ remove: gone, add: back }, tip));
    expect(scopedSteps).toBeGreaterThan(38);
    expect(appended).toBeGreaterThan(100); // not vacuous: events did fire along the way
    expect(drains).toBeGreaterThan(0); // and the drain alarm among them
  });
});
