/** deriveEvents: what a trace says happened, each event with its fire-once key. */
import { describe, expect, it } from 'vitest';
import { deriveEvents, parseWatchList, watchConflicts, type NewEvent } from '../../src/events/index.js';
import { buildTaintIndex } from '../../src/screen/index.js';
import { A, B, C, D, H, T, V, X_, smallResult } from '../screen/fixture.js';

const result = smallResult();
const index = buildTaintIndex(result);
const keys = (events: NewEvent[]) => events.map((e) => e.key);
const watch = (yaml: string) => parseWatchList(yaml, 'watch.yaml');

describe('deriveEvents', () => {
  const events = deriveEvents({ index, transfers: [...result.transfers], watch: new Map(), tip: 40 });
  it('one account.tainted per tainted non-exit account, one exit.reached per tainted transfer into an exit, then index.updated', () => {
    expect(keys(events)).toEqual([
      `account.tainted:${T}`,
      `account.tainted:${A}`,
      `account.tainted:${B}`,
      `exit.reached:${H.aX}`,
      `account.tainted:${D}`,
      null,
    ]);
    expect(events.at(-1)!.event).toMatchObject({
      type: 'index.updated',
      height: 40,
      index: { accounts: index.accounts.size, transfers: index.transfers.size, provisional: 6 },
    });
  });
  it('exit.reached carries the exit label, category, deposit memo and the taint per policy', () => {
    const e = events.find((x) => x.key === `exit.reached:${H.aX}`)!.event;
    expect(e).toMatchObject({
      type: 'exit.reached',
      caseId: 'small',
      account: X_,
      transfer: H.aX,
      height: 30,
      final: false,
      policy: 'haircut',
      amount: '300.000000',
      exit: { label: 'Yobit', category: 'exchange', memo: '123' },
      amounts: { poison: '500.000000', haircut: '300.000000', fifo: '100.000000' },
    });
  });
  it('account.tainted names the transfer that first brought taint, and what was received per policy', () => {
    expect(events.find((x) => x.key === `account.tainted:${A}`)!.event).toMatchObject({
      transfer: H.tA,
      height: 20,
      amounts: { haircut: '600.000000' },
    });
    expect(events.find((x) => x.key === `account.tainted:${D}`)!.event).toMatchObject({
      policy: 'poison',
      transfer: H.aD,
      amounts: { poison: '50.000000' },
    });
  });
  it('is final only at or below tip − 360', () => {
    const late = deriveEvents({ index, transfers: [...result.transfers], watch: new Map(), tip: 375 }); // final up to height 15
    const final = (k: string) => late.find((x) => x.key === k)!.event.final;
    expect([final(`account.tainted:${T}`), final(`exit.reached:${H.aX}`)]).toEqual([true, false]);
  });
  const opening = (height: number, xem: number) => ({ height, balance: BigInt(xem) * 1_000_000n, node: 'http://node' });
  const drains = (w: ReturnType<typeof watch>, openings: Map<string, ReturnType<typeof opening>>) =>
    keys(deriveEvents({ index, transfers: [...result.transfers], watch: w, tip: 40, openings })).filter((k) =>
      k?.startsWith('watch.drained'),
    );
  const hot =
    `watch:\n  - { address: ${A}, label: "hot wallet", drainPercent: 40, drainWindow: 1000 }\n  - { address: ${C} }\n  - { ` +
    `address: ${V}, drainPercent: 50, drainWindow: 1h }\n`;

  it('watch.moved for every debit of a watched account; watch.drained past drainPercent of its true balance', () => {
    const w = watch(hot);
    // the node said A held nothing at height 1 and V held 1,000,000 XEM at height 5 (history the store does not hold)
    const openings = new Map([
      [A, opening(1, 0)],
      [V, opening(5, 1_000_000)],
    ]);
    const got = deriveEvents({ index, transfers: [...result.transfers], watch: w, tip: 40, openings }).filter((e) =>
      e.event.type.startsWith('watch.'),
    );
    // C sent 400 (moved; no alarm set). V sent 1,000 of its 1,000,000 (0.1 %: no alarm — from its stored history alone
    // that debit looked like all it held). A held 1,000 then sent 500 (50 % > 40 %: drained), then 50 within the window (quiet).
    expect(keys(got)).toEqual([
      `watch.moved:${H.cA}`,
      `watch.moved:${H.seed}`,
      `watch.moved:${H.aX}`,
      `watch.drained:${A}:${H.aX}`,
      `watch.moved:${H.aD}`,
    ]);
    expect(got.find((e) => e.key === `watch.drained:${A}:${H.aX}`)!.event).toMatchObject({
      account: A,
      amount: '500.000000',
      watch: { label: 'hot wallet' },
    });
    const strict = watch(`watch:\n  - { address: ${A}, drainPercent: 50, drainWindow: 1000 }\n`);
    expect(drains(strict, new Map([[A, opening(1, 0)]]))).toEqual([`watch.drained:${A}:${H.aD}`]);
  });
  it('judges only debits after the opening, and none without one (moved still fires)', () => {
    expect(drains(watch(hot), new Map())).toEqual([]);
    expect(
      keys(deriveEvents({ index, transfers: [...result.transfers], watch: watch(hot), tip: 40 })).filter((k) =>
        k?.startsWith('watch.moved'),
      ),
    ).toHaveLength(4);
    // read at height 30, after the 500 left: 500 held, 50 sent (10 %)
    expect(drains(watch(hot), new Map([[A, opening(30, 500)]]))).toEqual([]);
    expect(drains(watch(hot), new Map([[A, opening(30, 100)]]))).toEqual([`watch.drained:${A}:${H.aD}`]);
  });
  it('an opening the stored transfers contradict is a conflict: no drain is judged past it', () => {
    // the node said A held 100 XEM at height 25; at height 30 it sent 500 (signed, stored): the opening was wrong
    const openings = new Map([[A, opening(25, 100)]]);
    expect(drains(watch(hot), openings)).toEqual([]);
    expect(watchConflicts([...result.transfers], openings)).toEqual([
      {
        address: A,
        opening: openings.get(A),
        transfer: [...result.transfers].find((t) => t.hash === H.aX),
        debit: 500_000_000n,
        balance: 100_000_000n,
      },
    ]);
    expect(watchConflicts([...result.transfers], new Map([[A, opening(25, 1000)]]))).toEqual([]);
  });
});

describe('parseWatchList', () => {
  it('reads entries, durations and defaults', () => {
    const w = watch(
      `watch:\n  - address: ${A.toLowerCase()}\n    label: hot\n    drainPercent: 12.5\n    drainWindow: 30m\n  - address: ${B}\n`,
    );
    expect(w.get(A)).toEqual({ address: A, label: 'hot', drainPercent: 12.5, drainWindow: 1800 });
    expect(w.get(B)).toEqual({ address: B, label: null, drainPercent: null, drainWindow: null });
  });
  it.each([
    ['not yaml', 'watch: [', /line|YAML/],
    ['no list', 'watch: 5', /watch: expected a list/],
    ['bad address', 'watch:\n  - { address: NOPE }', /watch\[0\]\.address/],
    ['twice', `watch:\n  - { address: ${A} }\n  - { address: ${A} }`, /watch\[1\]\.address: .* listed twice/],
    ['percent range', `watch:\n  - { address: ${A}, drainPercent: 0, drainWindow: 60 }`, /drainPercent/],
    ['window format', `watch:\n  - { address: ${A}, drainPercent: 5, drainWindow: soon }`, /drainWindow/],
    ['alone', `watch:\n  - { address: ${A}, drainPercent: 5 }`, /come together/],
    ['unknown field', `watch:\n  - { address: ${A}, drain: 5 }`, /watch\[0\]\.drain: unknown field/],
  ])('rejects the whole file (%s) with TRACE_INVALID_WATCHLIST naming the entry', (_name, yaml, message) => {
    expect(() => watch(yaml)).toThrow(
      expect.objectContaining({ code: 'TRACE_INVALID_WATCHLIST', message: expect.stringMatching(message) }),
    );
  });
});
