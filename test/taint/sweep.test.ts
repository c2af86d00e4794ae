/**
 * sweep (the one-pass six-policy hot path) driven directly on columns, against the naive bigint
 * reference (src/taint/reference.ts), to the µXEM, under every policy.
 *
 * The random chains here are wider and longer than properties.test.ts's (up to 48 accounts and
 * 160 transfers, so many accounts become tainted and internal tables have to grow), amounts reach
 * 2^47 µXEM so haircut and fee-split products pass 2^53 (the exact slow paths), and seeds, exits,
 * dust and the window end are drawn at random. Every figure the sweep exposes is compared: per
 * account balance, implied opening, hops, received, held, first-taint transfer; per policy fees
 * and injected seed mass; per transfer the logged taint; dust pruning.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../src/nem/types.js';
import type { Columns } from '../../src/taint/columns.js';
import { referenceTrace } from '../../src/taint/reference.js';
import {
  FLAG_POISONED,
  NP,
  P_POISON,
  balanceOf,
  flagsOf,
  hopsOf,
  openingOf,
  receivedOf,
  sweep,
  taintOf,
  type SweepResult,
} from '../../src/taint/sweep.js';
import { POLICIES } from '../../src/taint/types.js';
import { labelsOf, makeCase } from './helpers.js';

interface Chain {
  cols: Columns;
  seed: Uint8Array;
  isExit: Uint8Array;
  dust: number;
  windowTo: number | null;
  transfers: Transfer[];
}

const address = (a: number): string => `ACC${a}`;

/** Random columnar chains whose Transfer records sort in column order (hash = index). */
function chains(opts: { maxAccounts?: number; maxTransfers?: number; maxAmount?: number } = {}): fc.Arbitrary<Chain> {
  const maxAccounts = opts.maxAccounts ?? 48;
  const maxAmount = opts.maxAmount ?? 2 ** 47;
  const amount = fc.oneof(
    fc.integer({ min: 0, max: 1000 }),
    fc.integer({ min: 0, max: maxAmount }),
    fc.integer({ min: Math.floor(maxAmount / 2), max: maxAmount }),
    fc.constantFrom(...[0, 1, maxAmount, 99_999_999, 100_000_000].filter((x) => x <= maxAmount)),
  );
  const fee = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: Math.min(2 ** 30, maxAmount) }));
  return fc
    .integer({ min: 2, max: maxAccounts })
    .chain((A) =>
      fc.record({
        A: fc.constant(A),
        edges: fc.array(
          fc.record({
            // skewed towards low indices, so some accounts are hot and taint recirculates
            from: fc.oneof(fc.integer({ min: 0, max: Math.min(A - 1, 5) }), fc.integer({ min: 0, max: A - 1 })),
            to: fc.oneof(fc.integer({ min: 0, max: Math.min(A - 1, 5) }), fc.integer({ min: 0, max: A - 1 })),
            amount,
            fee,
            seed: fc.integer({ min: 0, max: 9 }),
            dh: fc.integer({ min: 0, max: 2 }),
            dt: fc.integer({ min: 0, max: 30 }),
          }),
          { minLength: 1, maxLength: opts.maxTransfers ?? 160 },
        ),
        exits: fc.uint8Array({ minLength: A, maxLength: A, min: 0, max: 6 }),
        // a huge dust keeps poison on the seed recipients, so clean senders (the fast path) are common
        dust: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2000 }), fc.constant(2 ** 44), fc.constant(2 ** 52)),
        cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      }),
    )
    .map(({ A, edges, exits, dust, cut }) => {
      const n = edges.length;
      const cols: Columns = {
        n,
        accounts: A,
        sender: new Int32Array(n),
        recipient: new Int32Array(n),
        amount: new Float64Array(n),
        fee: new Float64Array(n),
        timeStamp: new Int32Array(n),
        height: new Int32Array(n),
      };
      const seed = new Uint8Array(n);
      const isExit = new Uint8Array(A);
      for (let a = 0; a < A; a++) isExit[a] = exits[a] === 0 ? 1 : 0;
      let height = 1;
      let ts = 100;
      edges.forEach((e, k) => {
        height += e.dh;
        ts += e.dt;
        const self = e.from === e.to;
        cols.sender[k] = e.from;
        cols.recipient[k] = e.to;
        cols.amount[k] = self ? 0 : e.amount; // a self-transfer moves nothing (docs/taint-semantics.md)
        cols.fee[k] = e.fee;
        cols.height[k] = height;
        cols.timeStamp[k] = ts;
        if (e.seed === 0 && !self && e.amount > 0) seed[k] = 1;
      });
      if (!seed.includes(1)) {
        const k = edges.findIndex((e) => e.from !== e.to && e.amount > 0);
        if (k >= 0) seed[k] = 1;
      }
      const windowTo = cut === undefined ? null : cols.timeStamp[Math.min(n - 1, Math.floor(cut * n))];
      if (windowTo !== null) for (let k = 0; k < n; k++) if (cols.timeStamp[k] >= windowTo) seed[k] = 0;
      const transfers: Transfer[] = [];
      for (let k = 0; k < n; k++) {
        transfers.push({
          hash: k.toString(16).padStart(8, '0'),
          innerHash: null,
          height: cols.height[k],
          timeStamp: cols.timeStamp[k],
          time: '',
          sender: address(cols.sender[k]),
          recipient: address(cols.recipient[k]),
          amount: cols.amount[k],
          fee: cols.fee[k],
          message: null,
          messageType: 0,
          mosaics: [],
          type: 257,
          signer: address(cols.sender[k]),
        });
      }
      return { cols, seed, isExit, dust, windowTo, transfers };
    });
}

/** Everything the sweep exposes, keyed like the reference (addresses, transfer hashes). */
function compare(c: Chain, res: SweepResult): void {
  const labels = labelsOf(Object.fromEntries([...c.isExit].flatMap((x, a) => (x === 1 ? [[address(a), 'exchange']] : []))));
  const seeds = [...c.seed].flatMap((x, k) => (x === 1 ? [{ hash: c.transfers[k].hash }] : []));
  const ref = referenceTrace(c.transfers, makeCase(seeds, { dust: BigInt(c.dust), windowTo: c.windowTo }), labels);

  expect(res.dust).toEqual(ref.dust);
  const openings = new Map<string, bigint>();
  for (let a = 0; a < c.cols.accounts; a++) if (openingOf(res, a) > 0) openings.set(address(a), BigInt(openingOf(res, a)));
  expect(openings).toEqual(ref.openings);

  const carried: Map<string, bigint>[] = POLICIES.map(() => new Map());
  const log = res.log!;
  for (let i = 0; i < log.length; i++) {
    const code = log.code[i];
    carried[code & 7].set(c.transfers[code >>> 3].hash, BigInt(log.amount[i]));
  }

  POLICIES.forEach((policy, p) => {
    const r = ref.policies[policy];
    expect(res.fees[p], `${policy} fees`).toBe(r.totals.fees);
    expect(res.injected[p], `${policy} seed mass`).toBe(r.totals.seed);
    expect(carried[p], `${policy} transfer taint`).toEqual(r.transferTaint);
    const tainted: string[] = [];
    let held = 0n;
    let exited = 0n;
    for (let a = 0; a < c.cols.accounts; a++) {
      const k0 = res.firstK[a * NP + p];
      if (k0 < 0) {
        expect(hopsOf(res, a, p), `${policy} ${address(a)} untainted has no hops`).toBe(0);
        continue;
      }
      tainted.push(address(a));
      const ra = r.accounts.get(address(a));
      expect(ra, `${policy} ${address(a)} tainted in the reference`).toBeDefined();
      const exit = c.isExit[a] === 1;
      const balance = BigInt(balanceOf(res, a));
      const h = exit ? 0n : p === P_POISON ? ((flagsOf(res, a) & FLAG_POISONED) !== 0 ? balance : 0n) : BigInt(taintOf(res, a, p));
      if (exit) exited += receivedOf(res, a, p);
      else held += h;
      expect(
        { isExit: exit, hops: hopsOf(res, a, p), received: receivedOf(res, a, p), held: h, balance, firstHash: c.transfers[k0].hash },
        `${policy} ${address(a)}`,
      ).toEqual({
        isExit: ra!.isExit,
        hops: ra!.hops,
        received: ra!.received,
        held: ra!.held,
        balance: ra!.balance,
        firstHash: ra!.firstHash,
      });
    }
    expect(tainted.sort(), policy).toEqual([...r.accounts.keys()].sort());
    expect({ held, exited }, `${policy} totals`).toEqual({ held: r.totals.held, exited: r.totals.exited });
  });
}

const run = (c: Chain, log = true): SweepResult =>
  sweep(c.cols, { isExit: c.isExit, seed: c.seed, dust: c.dust, windowTo: c.windowTo, log });

/** Columns from (sender, recipient, amount) triples over accounts 0..A−1, fee 0, one block each. */
function columnsOf(A: number, rows: [number, number, number][], seeds: number[]): Chain {
  const n = rows.length;
  const cols: Columns = {
    n,
    accounts: A,
    sender: Int32Array.from(rows, (r) => r[0]),
    recipient: Int32Array.from(rows, (r) => r[1]),
    amount: Float64Array.from(rows, (r) => r[2]),
    fee: new Float64Array(n),
    timeStamp: Int32Array.from(rows, (_r, k) => 100 + k),
    height: Int32Array.from(rows, (_r, k) => 1 + k),
  };
  const seed = new Uint8Array(n);
  for (const k of seeds) seed[k] = 1;
  const transfers: Transfer[] = rows.map(([s, r, m], k) => ({
    hash: k.toString(16).padStart(8, '0'),
    innerHash: null,
    height: 1 + k,
    timeStamp: 100 + k,
    time: '',
    sender: address(s),
    recipient: address(r),
    amount: m,
    fee: 0,
    message: null,
    messageType: 0,
    mosaics: [],
    type: 257,
    signer: address(s),
  }));
  return { cols, seed, isExit: new Uint8Array(A), dust: 0, windowTo: null, transfers };
}

describe('sweep: lot lists see every credit, also from senders that hold no taint', () => {
  // 0 = victim, 1 = T, 2 = a clean account (never tainted: its transfer takes the fast path), 3 = U.
  // T's fifo lots: [5 tainted], then [5 t, 3 clean], then [5 t, 3 c, 2 t]; T sends 6 to U.
  const c = columnsOf(
    4,
    [
      [0, 1, 5],
      [2, 1, 3],
      [0, 1, 2],
      [1, 3, 6],
    ],
    [0, 2],
  );
  const res = run(c);

  it('fifo: the oldest 6 are 5 tainted + 1 clean (the clean 3 separates the two seeds)', () => {
    expect(receivedOf(res, 3, 2)).toBe(5n);
  });
  it('lifo: the newest 6 are 2 tainted + 3 clean + 1 tainted', () => {
    expect(receivedOf(res, 3, 3)).toBe(3n);
  });
  it('agrees with the reference', () => compare(c, res));
});

describe('sweep against the bigint reference', () => {
  it('agrees to the µXEM under all six policies, with products past 2^53', () => {
    fc.assert(
      fc.property(chains(), (c) => compare(c, run(c))),
      { numRuns: 400 },
    );
  });

  it('agrees on long chains over few accounts (deep lot lists, taint recirculating)', () => {
    fc.assert(
      fc.property(chains({ maxAccounts: 6, maxTransfers: 400 }), (c) => compare(c, run(c))),
      { numRuns: 100 },
    );
  });

  it('agrees on small amounts (the all-safe-integer paths, many exact ties)', () => {
    fc.assert(
      fc.property(chains({ maxAmount: 3000 }), (c) => compare(c, run(c))),
      { numRuns: 200 },
    );
  });

  it('gives the same state with and without the log', () => {
    fc.assert(
      fc.property(chains(), (c) => {
        const a = run(c, true);
        const b = run(c, false);
        expect(b.log).toBeNull();
        expect(b.fees).toEqual(a.fees);
        expect(b.injected).toEqual(a.injected);
        expect(b.dust).toEqual(a.dust);
        expect(Array.from(b.firstK)).toEqual(Array.from(a.firstK));
        for (let x = 0; x < c.cols.accounts; x++) {
          for (let p = 0; p < NP; p++) {
            expect([hopsOf(b, x, p), receivedOf(b, x, p)]).toEqual([hopsOf(a, x, p), receivedOf(a, x, p)]);
            if (p > 0) expect(taintOf(b, x, p)).toBe(taintOf(a, x, p));
          }
          expect([balanceOf(b, x), openingOf(b, x), flagsOf(b, x)]).toEqual([balanceOf(a, x), openingOf(a, x), flagsOf(a, x)]);
        }
      }),
      { numRuns: 100 },
    );
  });
});
