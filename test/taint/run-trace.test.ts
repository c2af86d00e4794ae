/**
 * runTrace, hand-worked: each example writes out the arithmetic of docs/taint-semantics.md per policy.
 * Amounts are tiny µXEM integers so the arithmetic stays readable.
 */
import { describe, expect, it } from 'vitest';
import { TracerError } from '../../src/errors.js';
import { figures, labelsOf, makeCase, totals, trace, tx } from './helpers.js';
import { policyOf } from '../../src/domain.js';

describe('runTrace: dilution by clean funds', () => {
  // V →(seed 100) T; C →(clean 300) T; T → U 200.  At the debit T has b = 400, t = 100, d = 200.
  const seed = tx('V', 'T', 100, { at: 1 });
  const result = trace([seed, tx('C', 'T', 300, { at: 2 }), tx('T', 'U', 200, { at: 3 })], makeCase([{ hash: seed.hash }]));

  it('haircut: x = floor(100·200/400) = 50 goes to U, 50 stays', () => {
    expect(figures(result, 'haircut')).toEqual({ T: { hops: 1, received: 100, held: 50 }, U: { hops: 2, received: 50, held: 50 } });
  });
  it('fifo: lots [100 tainted, 300 clean]; the oldest 200 = 100 tainted + 100 clean leave', () => {
    expect(figures(result, 'fifo')).toEqual({ T: { hops: 1, received: 100, held: 0 }, U: { hops: 2, received: 100, held: 100 } });
  });
  it('lifo: the newest 200 are clean, so U gets none', () => {
    expect(figures(result, 'lifo')).toEqual({ T: { hops: 1, received: 100, held: 100 } });
  });
  it('taint-first: x = min(100, 200) = 100', () => {
    expect(figures(result, 'taint-first')).toEqual({ T: { hops: 1, received: 100, held: 0 }, U: { hops: 2, received: 100, held: 100 } });
  });
  it('clean-first: x = max(0, 200 − (400 − 100)) = 0', () => {
    expect(figures(result, 'clean-first')).toEqual({ T: { hops: 1, received: 100, held: 100 } });
  });
  it("poison: U is poisoned by the whole 200; held is each poisoned account's whole balance", () => {
    expect(figures(result, 'poison')).toEqual({ T: { hops: 1, received: 100, held: 200 }, U: { hops: 2, received: 200, held: 200 } });
  });
  it('records the seed: its sender is not tainted, the seed mass is 100', () => {
    expect(result.seed.amount).toBe(100n);
    expect(result.seed.transfers.map((t) => t.hash)).toEqual([seed.hash]);
    expect(result.policies.haircut!.accounts.has('V')).toBe(false);
    expect(result.policies.haircut!.transferTaint.get(seed.hash)).toBe(100n);
  });
});

describe('runTrace: implied opening balance', () => {
  // T receives the 100 seed, then sends 130 with fee 20: d = 150 > b = 100, so a shortfall of 50 is
  // added as T's oldest, clean funds (b = 150, t = 100). Every policy takes all of it: x = 100,
  // xf = floor(100·20/150) = 13, xa = 87. V's own seed debit (100) is an implied opening too.
  const seed = tx('V', 'T', 100, { at: 1 });
  const result = trace([seed, tx('T', 'U', 130, { at: 2, fee: 20 })], makeCase([{ hash: seed.hash }]));

  it('records the shortfall as an opening balance and invents no taint', () => {
    expect(result.openings).toEqual(
      new Map([
        ['V', 100n],
        ['T', 50n],
      ]),
    );
    for (const p of ['haircut', 'fifo', 'lifo', 'taint-first', 'clean-first'] as const) {
      expect(figures(result, p).U, p).toEqual({ hops: 2, received: 87, held: 87 });
      expect(totals(result, p), p).toEqual({ seed: 100, held: 87, exited: 0, fees: 13 });
    }
  });
});

describe('runTrace: a multisig fee (inner + outer + cosignatures, all debited from the multisig account)', () => {
  // M gets the 1000 seed, then 1000 clean; it sends 800 with a total fee of 150: d = 950, b = 2000, t = 1000.
  const seed = tx('V', 'M', 1000, { at: 1 });
  const multisig = { ...tx('M', 'U', 800, { at: 3, fee: 150 }), type: 4100, signer: 'COSIGNER' };
  const result = trace([seed, tx('C', 'M', 1000, { at: 2 }), multisig], makeCase([{ hash: seed.hash }]));

  it('haircut: x = floor(1000·950/2000) = 475; xf = floor(475·150/950) = 75; xa = 400', () => {
    expect(figures(result, 'haircut').U).toEqual({ hops: 2, received: 400, held: 400 });
    expect(totals(result, 'haircut')).toEqual({ seed: 1000, held: 525 + 400, exited: 0, fees: 75 });
  });
  it('fifo and taint-first: x = 950 (all tainted); xf = 150, xa = 800', () => {
    for (const p of ['fifo', 'taint-first'] as const) {
      expect(figures(result, p).U, p).toEqual({ hops: 2, received: 800, held: 800 });
      expect(totals(result, p), p).toEqual({ seed: 1000, held: 50 + 800, exited: 0, fees: 150 });
    }
  });
  it('lifo and clean-first: the 1000 clean (newest / cleanest) cover the 950', () => {
    for (const p of ['lifo', 'clean-first'] as const) expect(totals(result, p), p).toEqual({ seed: 1000, held: 1000, exited: 0, fees: 0 });
  });
  it('poison counts the fee of a poisoned sender', () => {
    expect(totals(result, 'poison').fees).toBe(150);
  });
});

describe('runTrace: a cycle back to an earlier account', () => {
  // V →(seed 100) T; T → U 100; U → T 100; T → W 40. Hops keep their minimum; received counts every credit.
  const seed = tx('V', 'T', 100, { at: 1 });
  const back = tx('U', 'T', 100, { at: 3 });
  const result = trace([seed, tx('T', 'U', 100, { at: 2 }), back, tx('T', 'W', 40, { at: 4 })], makeCase([{ hash: seed.hash }]));

  it('keeps T at hop 1 and gives W hop 2, with T credited 100 + 100', () => {
    expect(figures(result, 'haircut')).toEqual({
      T: { hops: 1, received: 200, held: 60 },
      U: { hops: 2, received: 100, held: 0 },
      W: { hops: 2, received: 40, held: 40 },
    });
  });
  it('cites the chain that first brought taint: W ← T ← seed', () => {
    const w = result.policies.haircut!.accounts.get('W')!;
    expect(w.evidence.map((e) => [e.from, e.to, Number(e.taint)])).toEqual([
      ['V', 'T', 100],
      ['T', 'W', 40],
    ]);
  });
  it('keeps history from first taint on (share at any time)', () => {
    const t = result.policies.haircut!.accounts.get('T')!;
    expect(t.history.map((h) => [h.height, Number(h.balance), Number(h.tainted)])).toEqual([
      [1, 100, 100],
      [2, 0, 0],
      [3, 100, 100],
      [4, 60, 60],
    ]);
  });
});

describe('runTrace: an exit with two memos', () => {
  // T (100 tainted) deposits 30 "alice", 20 "bob", 10 "alice" at the exchange X; X pays out 50 to W.
  const seed = tx('V', 'T', 100, { at: 1 });
  const transfers = [
    seed,
    tx('T', 'X', 30, { at: 2, memo: 'alice' }),
    tx('T', 'X', 20, { at: 3, memo: 'bob' }),
    tx('T', 'X', 10, { at: 4, memo: 'alice' }),
    tx('X', 'W', 50, { at: 5 }),
  ];
  const result = trace(transfers, makeCase([{ hash: seed.hash }]), labelsOf({ X: 'exchange' }));

  it('absorbs the taint at the exit, per memo, and passes none on', () => {
    for (const p of ['poison', 'haircut', 'fifo', 'lifo', 'taint-first', 'clean-first'] as const) {
      const x = policyOf(result, p).accounts.get('X')!;
      expect(x.isExit, p).toBe(true);
      expect(x.received, p).toBe(60n);
      expect(x.held, p).toBe(0n);
      expect(x.taintedTransfers, p).toBe(3);
      expect(x.memos, p).toEqual(
        new Map([
          ['alice', { amount: 40n, count: 2 }],
          ['bob', { amount: 20n, count: 1 }],
        ]),
      );
      expect(policyOf(result, p).accounts.has('W'), p).toBe(false);
    }
    expect(totals(result, 'haircut')).toEqual({ seed: 100, held: 40, exited: 60, fees: 0 });
  });

  it("follows the case's exit categories: with none, X passes taint on", () => {
    const open = trace(transfers, makeCase([{ hash: seed.hash }], { exitCategories: [] }), labelsOf({ X: 'exchange' }));
    expect(figures(open, 'haircut').W).toEqual({ hops: 3, received: 50, held: 50 });
  });
});

describe('runTrace: dust under poison', () => {
  // Dust threshold 10: T sprays 5 to B; B forwards 5 to C. Poison prunes the spray; amount policies stay exact.
  const seed = tx('V', 'T', 100, { at: 1 });
  const result = trace(
    [seed, tx('T', 'B', 5, { at: 2 }), tx('B', 'C', 5, { at: 3 }), tx('T', 'D', 10, { at: 4 })],
    makeCase([{ hash: seed.hash }], { dust: 10n }),
  );

  it('does not poison below the threshold, and counts what it pruned', () => {
    expect(Object.keys(figures(result, 'poison'))).toEqual(['D', 'T']);
    expect(result.dust).toEqual({ transfers: 1, amount: 5n });
  });
  it('keeps the amount policies exact below the threshold', () => {
    expect(figures(result, 'haircut').B).toEqual({ hops: 2, received: 5, held: 0 });
    expect(figures(result, 'haircut').C).toEqual({ hops: 3, received: 5, held: 5 });
  });
});

describe('runTrace: order and time', () => {
  it('carries no taint on a debit made before taint arrived', () => {
    // U pays W 50 at height 5; the seed reaches U only at height 6.
    const seed = tx('V', 'U', 100, { at: 6 });
    const result = trace([tx('C', 'U', 80, { at: 4 }), tx('U', 'W', 50, { at: 5 }), seed], makeCase([{ hash: seed.hash }]));
    expect(figures(result, 'poison')).toEqual({ U: { hops: 1, received: 100, held: 130 } });
  });

  it('orders by height, then NEM timestamp, then hash', () => {
    // same height: the earlier timestamp goes first even if listed last; equal time: hash "aa…" before "bb…"
    const seed = tx('V', 'T', 100, { at: 1 });
    const late = tx('T', 'U', 100, { at: 2, ts: 500, hash: 'aa' });
    const early = tx('C', 'T', 100, { at: 2, ts: 400, hash: 'cc' });
    const result = trace([late, early, seed], makeCase([{ hash: seed.hash }]));
    expect([...result.transfers].map((t) => t.hash)).toEqual([seed.hash, 'cc', 'aa']);
    expect(figures(result, 'haircut').U.received).toBe(50); // floor(100·100/200)
    const tie = trace(
      [tx('C', 'T', 100, { at: 2, ts: 400, hash: 'bb' }), tx('T', 'U', 100, { at: 2, ts: 400, hash: 'aa' }), seed],
      makeCase([{ hash: seed.hash }]),
    );
    expect(figures(tie, 'haircut').U.received).toBe(100); // "aa" runs before the clean "bb" arrives
  });

  it('stops at the window end', () => {
    const seed = tx('V', 'T', 100, { at: 1, ts: 100 });
    const result = trace([seed, tx('T', 'U', 100, { at: 2, ts: 200 })], makeCase([{ hash: seed.hash }], { windowTo: 200 }));
    expect(figures(result, 'haircut')).toEqual({ T: { hops: 1, received: 100, held: 100 } });
    expect(result.transfers).toHaveLength(1);
    expect(result.manifest.windowTo).toBe('2015-03-29T00:09:45.000Z');
  });
});

describe('runTrace: seeds', () => {
  it('takes the outflows of an account in [from, to) except to excluded recipients', () => {
    const a = tx('V', 'T1', 100, { at: 1, ts: 100 });
    const b = tx('V', 'T2', 50, { at: 2, ts: 150 });
    const c = tx('V', 'COLD', 70, { at: 3, ts: 160 });
    const d = tx('V', 'T3', 10, { at: 4, ts: 200 });
    const result = trace([a, b, c, d], makeCase([{ account: 'V', from: 100, to: 200, exclude: ['COLD'] }]));
    expect(result.seed.amount).toBe(150n);
    expect(result.seed.transfers.map((t) => t.to)).toEqual(['T1', 'T2']);
    expect(totals(result, 'fifo').seed).toBe(150);
  });

  it('throws TRACE_STORE_EMPTY when a seed hash is not among the transfers', () => {
    expect(() => trace([tx('V', 'T', 1)], makeCase([{ hash: 'ab'.repeat(32) }]))).toThrowError(TracerError);
    try {
      trace([tx('V', 'T', 1)], makeCase([{ hash: 'ab'.repeat(32) }]));
    } catch (err) {
      expect((err as TracerError).code).toBe('TRACE_STORE_EMPTY');
    }
  });
});

describe('runTrace: manifest', () => {
  it('names the policies asked for, in canonical order, and hashes the label set independent of order', () => {
    const seed = tx('V', 'T', 100, { at: 1 });
    const labels1 = labelsOf({ X: 'exchange', Y: 'user' });
    const labels2 = new Map([...labels1].reverse());
    const r1 = trace([seed], makeCase([{ hash: seed.hash }]), labels1);
    const r2 = trace([seed], makeCase([{ hash: seed.hash }]), labels2);
    expect(r1.manifest.labelSetHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r1.manifest.labelSetHash).toBe(r2.manifest.labelSetHash);
    expect(Object.keys(r1.policies)).toEqual(['poison', 'haircut', 'fifo', 'lifo', 'taint-first', 'clean-first']);
  });
});
