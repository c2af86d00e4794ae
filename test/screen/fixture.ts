/**
 * A small hand-made TraceResult (no engine needed): victim V → thief T (seed, 1,000 XEM) → A (600,
 * A held 400 clean) → exchange X (500, memo "123"); T → B 100; D is poisoned only.
 * Policies: haircut, fifo, poison. Fees 0. Numbers worked by hand in the comments.
 */
import { publicKeyToAddress } from '../../src/nem/address.js';
import { nemToIso } from '../../src/nem/time.js';
import type { Transfer } from '../../src/nem/types.js';
import type { AccountTaint, Label, PolicyResult, TraceResult } from '../../src/taint/types.js';

export const addr = (n: number): string => publicKeyToAddress(n.toString(16).padStart(64, '0'));
export const hash = (n: number): string => n.toString(16).padStart(64, 'a');
export const X = (xem: number): bigint => BigInt(xem) * 1_000_000n;

export const V = addr(1),
  T = addr(2),
  A = addr(3),
  X_ = addr(4),
  B = addr(5),
  D = addr(6),
  C = addr(7),
  U = addr(8);
export const H = { seed: hash(1), tA: hash(2), aX: hash(3), tB: hash(4), cA: hash(5), aD: hash(6) };

function transfer(
  h: string,
  sender: string,
  recipient: string,
  height: number,
  ts: number,
  xem: number,
  message: string | null = null,
): Transfer {
  return {
    hash: h,
    innerHash: null,
    height,
    timeStamp: ts,
    time: nemToIso(ts),
    sender,
    recipient,
    amount: Number(X(xem)),
    fee: 0,
    message,
    messageType: message ? 1 : 0,
    mosaics: [],
    type: 257,
    signer: sender,
  };
}

type Hist = [ts: number, height: number, balanceXem: number, taintedXem: number][];
function acct(
  address: string,
  hops: number,
  received: number,
  held: number,
  balance: number,
  first: number,
  evidence: string[],
  hist: Hist,
  isExit = false,
): AccountTaint {
  return {
    address,
    isExit,
    hops,
    received: X(received),
    held: X(held),
    balance: X(balance),
    firstTaintedAt: first,
    evidence: evidence.map((h, i) => ({ hash: h, from: '', to: '', timeStamp: first, amount: 0n, taint: BigInt(i) })),
    history: hist.map(([timeStamp, height, b, t]) => ({ timeStamp, height, balance: X(b), tainted: X(t) })),
  };
}

function policy(name: 'haircut' | 'fifo' | 'poison', accounts: AccountTaint[], transferTaint: [string, number][]): PolicyResult {
  return {
    policy: name,
    totals: { seed: X(1000), held: 0n, exited: 0n, fees: 0n },
    accounts: new Map(accounts.map((a) => [a.address, a])),
    transferTaint: new Map(transferTaint.map(([h, x]) => [h, X(x)])),
  };
}

export function smallResult(): TraceResult {
  const labels = new Map<string, Label>([
    [V, { address: V, label: 'Coincheck hot wallet', category: 'victim' }],
    [T, { address: T, label: 'Thief 1', category: 'thief' }],
    [X_, { address: X_, label: 'Yobit', category: 'exchange', source: 'test' }],
  ]);
  const common = (aHeld: number, aTaintAfter: number, aX: number) => [
    acct(
      T,
      1,
      1000,
      300,
      300,
      1000,
      [H.seed],
      [
        [1000, 10, 1000, 1000],
        [2000, 20, 400, 400],
        [2500, 25, 300, 300],
      ],
    ),
    acct(
      A,
      2,
      600,
      aHeld,
      500,
      2000,
      [H.seed, H.tA],
      [
        [2000, 20, 1000, 600],
        [3000, 30, 500, aTaintAfter],
      ],
    ),
    acct(X_, 3, aX, aX, 500, 3000, [H.seed, H.tA, H.aX], [[3000, 30, 500, aX]], true),
    acct(B, 2, 100, 100, 100, 2500, [H.seed, H.tB], [[2500, 25, 100, 100]]),
  ];
  return {
    manifest: {
      schema: 'tainttrace/manifest@1',
      engineVersion: '0.1.0',
      caseId: 'small',
      policies: ['poison', 'haircut', 'fifo'],
      dust: '1.000000',
      maxHops: 10,
      exitCategories: ['exchange'],
      labelSetHash: 'x',
      storeDigest: 'y',
      tipHeight: 40,
      windowTo: null,
    },
    case: {
      id: 'small',
      title: 'small',
      seeds: [{ hash: H.seed }],
      windowTo: null,
      labelFiles: [],
      exitCategories: ['exchange', 'darkweb', 'mixer', 'gambling'],
      dust: X(1),
      maxHops: 10,
      valuation: null,
    },
    labels,
    seed: { amount: X(1000), transfers: [{ hash: H.seed, from: V, to: T, timeStamp: 1000, height: 10, amount: X(1000), fee: 0n }] },
    policies: {
      // haircut: A pays 500 of 1000 (600 tainted) → 300 tainted leaves, 300 stays.
      haircut: policy('haircut', common(300, 300, 300), [
        [H.seed, 1000],
        [H.tA, 600],
        [H.tB, 100],
        [H.aX, 300],
      ]),
      // fifo: A's oldest 400 clean leave first, then 100 tainted → 500 tainted stay.
      fifo: policy('fifo', common(500, 500, 100), [
        [H.seed, 1000],
        [H.tA, 600],
        [H.tB, 100],
        [H.aX, 100],
      ]),
      poison: policy(
        'poison',
        [
          ...common(500, 500, 500).map((a) => ({ ...a, history: a.history.map((h) => ({ ...h, tainted: h.balance })), held: a.balance })),
          acct(D, 3, 50, 50, 50, 3500, [H.seed, H.tA, H.aD], [[3500, 35, 50, 50]]),
        ],
        [
          [H.seed, 1000],
          [H.tA, 600],
          [H.tB, 100],
          [H.aX, 500],
          [H.aD, 50],
        ],
      ),
    },
    dust: { transfers: 0, amount: 0n },
    transfers: [
      transfer(H.cA, C, A, 5, 500, 400),
      transfer(H.seed, V, T, 10, 1000, 1000),
      transfer(H.tA, T, A, 20, 2000, 600),
      transfer(H.tB, T, B, 25, 2500, 100),
      transfer(H.aX, A, X_, 30, 3000, 500, '123'),
      transfer(H.aD, A, D, 35, 3500, 50),
    ],
  };
}
