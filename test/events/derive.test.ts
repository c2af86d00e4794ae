/** deriveEvents: what a trace says happened, each event with its fire-once key. */
import { describe, expect, it } from 'vitest';
import { deriveEvents, parseWatchList, type NewEvent } from '../../src/events/index.js';
import { buildTaintIndex } from '../../src/screen/index.js';
import { A, B, C, D, H, T, V, X_, smallResult } from '../screen/fixture.js';

const result = smallResult();
const index = buildTaintIndex(result);
const keys = (events: NewEvent[]) => events.map((e) => e.key);
const watch = (yaml: string) => parseWatchList(yaml, 'watch.yaml');

describe('deriveEvents', () => {
  const events = deriveEvents({ index, transfers: result.transfers, watch: new Map(), tip: 40 });
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
    const late = deriveEvents({ index, transfers: result.transfers, watch: new Map(), tip: 375 }); // final up to height 15
    const final = (k: string) => late.find((x) => x.key === k)!.event.final;
    expect([final(`account.tainted:${T}`), final(`exit.reached:${H.aX}`)]).toEqual([true, false]);
  });
  it('watch.moved for every debit of a watched account; watch.drained when a window takes more than drainPercent', () => {
    const w = watch(
      `watch:\n  - { address: ${A}, label: "hot wallet", drainPercent: 40, drainWindow: 1000 }\n  - { address: ${C} }\n  - { ` +
        `address: ${V}, drainPercent: 50, drainWindow: 1h }\n`,
    );
    const got = deriveEvents({ index, transfers: result.transfers, watch: w, tip: 40 }).filter((e) => e.event.type.startsWith('watch.'));
    // C sent 400 (moved; no alarm set). V's only debit exceeds its known history: all it held (implied opening).
    // A held 1,000 then sent 500 (50 % > 40 %: drained), then 50 within the same window (quiet).
    expect(keys(got)).toEqual([
      `watch.moved:${H.cA}`,
      `watch.moved:${H.seed}`,
      `watch.drained:${V}:${H.seed}`,
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
    expect(
      keys(deriveEvents({ index, transfers: result.transfers, watch: strict, tip: 40 })).filter((k) => k?.startsWith('watch.drained')),
    ).toEqual([`watch.drained:${A}:${H.aD}`]);
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
