/**
 * Hand-made TraceResult fixtures for the report tests, produced by a tiny reference sweep
 * (haircut, taint-first, clean-first, poison — docs/taint-semantics.md rules, no lots) so the numbers are
 * consistent: amount policies balance, exits carry memos, accounts carry evidence and history.
 * `coincheckMini()` is a 12-transfer Coincheck-like story; `synthetic(n)` a seeded larger one.
 */
import type { Transfer } from '../../src/nem/types.js';
import { nemToIso } from '../../src/nem/time.js';
import { seedTransfer } from '../../src/taint/seeds.js';
import {
  exitTest,
  type AccountTaint,
  type EvidenceStep,
  type Label,
  type Policy,
  type PolicyResult,
  type ResolvedCase,
  type TraceResult,
} from '../../src/taint/types.js';

const X = 1_000_000; // µXEM per XEM

export const A = {
  coincheck: 'NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSZ',
  thief: 'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG',
  split1: 'NCM6WE7SJFDVTLSPTMZGBUZUETDYINITILS3DCIZ',
  split2: 'NDZZJBH6JZPYSWRPRYHALLWMITWHOYTQGXR53HAW',
  bystander: 'NCTI6GAML7EIMVABJX2JYMAILMVOC3GNK772OQD5',
  buyer: 'NA7SZ75KF6ZKK267TRKCJDJBWP5JKIC2HA5PXCKW',
  clean: 'NBKLQYXEIVEEGARYPUM62UJIFHA3Y6R4LAPU6NP4',
  darkweb: 'NDODXOWEIZGJSMAEURXACF4IEHC2CB7Q6T56V7SQ',
  binance: 'NDDZVF32WB3LWRNG3IVGHCOCAZWENCNRGEZJVCJI',
  yobit: 'NB4QJJCLTZWVFWRFBKEMFOONOZFDH3V5IDK3G524',
} as const;

let hashCounter = 0;
function hash(n: number): string {
  return n.toString(16).padStart(64, '0');
}

export function tx(
  height: number,
  timeStamp: number,
  sender: string,
  recipient: string,
  amountXem: number,
  opts: { fee?: number; message?: string | null; h?: string } = {},
): Transfer {
  hashCounter += 1;
  return {
    hash: opts.h ?? hash(height * 1000 + hashCounter),
    innerHash: null,
    height,
    timeStamp,
    time: nemToIso(timeStamp),
    sender,
    recipient,
    amount: Math.round(amountXem * X),
    fee: opts.fee ?? 50_000,
    message: opts.message ?? null,
    messageType: opts.message ? 1 : 0,
    mosaics: [],
    type: 257,
    signer: sender,
  };
}

export const MINI_POLICIES: Policy[] = ['poison', 'haircut', 'taint-first', 'clean-first'];

interface St {
  b: bigint;
  t: bigint;
}

/** The reference sweep. `seedHashes` are the seed transfers (their senders are not tainted). */
export function miniTrace(input: {
  case: ResolvedCase;
  labels: Label[];
  transfers: Transfer[];
  seedHashes: string[];
  policies?: Policy[];
}): TraceResult {
  const policies = input.policies ?? MINI_POLICIES;
  const labels = new Map(input.labels.map((l) => [l.address, l]));
  const isExit = exitTest(labels, input.case.exitCategories);
  const seeds = new Set(input.seedHashes);
  const transfers = [...input.transfers].sort((a, b) => a.height - b.height || a.timeStamp - b.timeStamp || (a.hash < b.hash ? -1 : 1));
  const seedTransfers = transfers.filter((t) => seeds.has(t.hash));
  const seedAmount = seedTransfers.reduce((s, t) => s + BigInt(t.amount), 0n);
  const out: TraceResult['policies'] = {};
  let dust = { transfers: 0, amount: 0n };

  for (const policy of policies) {
    const st = new Map<string, St>();
    const accounts = new Map<string, AccountTaint>();
    const transferTaint = new Map<string, bigint>();
    const poisoned = new Set<string>();
    let fees = 0n;
    let exited = 0n;
    const get = (a: string) => {
      let s = st.get(a);
      if (!s) {
        s = { b: 0n, t: 0n };
        st.set(a, s);
      }
      return s;
    };
    const acct = (a: string): AccountTaint | undefined => accounts.get(a);
    const touch = (a: string, t: Transfer) => {
      const rec = accounts.get(a);
      if (rec && !rec.isExit) {
        const s = get(a);
        rec.history.push({ timeStamp: t.timeStamp, height: t.height, balance: s.b, tainted: policy === 'poison' ? s.b : s.t });
      }
    };
    for (const t of transfers) {
      const d = BigInt(t.amount + t.fee);
      const moved = BigInt(t.amount);
      const s = get(t.sender);
      if (s.b < d) s.b = d; // implied clean opening balance
      let xa: bigint;
      const isSeed = seeds.has(t.hash);
      if (policy === 'poison') {
        const tainted = isSeed || poisoned.has(t.sender);
        xa = tainted ? moved : 0n;
        if (tainted && !isSeed) fees += BigInt(t.fee);
        if (tainted && !isSeed && moved > 0n && moved < input.case.dust) {
          dust = { transfers: dust.transfers + 1, amount: dust.amount + moved };
        }
      } else if (isSeed) {
        xa = moved;
      } else {
        const b = s.b;
        const tt = s.t;
        const x =
          policy === 'haircut'
            ? b === 0n
              ? 0n
              : (tt * d) / b
            : policy === 'taint-first'
              ? tt < d
                ? tt
                : d
              : d - (b - tt) > 0n
                ? d - (b - tt)
                : 0n;
        const xf = (x * BigInt(t.fee)) / d;
        xa = x - xf;
        fees += xf;
        s.t -= x;
      }
      s.b -= d;
      touch(t.sender, t);
      if (xa > 0n && moved > 0n) {
        transferTaint.set(t.hash, xa);
        const from = acct(t.sender);
        const step: EvidenceStep = { hash: t.hash, from: t.sender, to: t.recipient, timeStamp: t.timeStamp, amount: moved, taint: xa };
        const hops = isSeed ? 1 : (from?.hops ?? 0) + 1;
        let rec = accounts.get(t.recipient);
        if (!rec) {
          rec = {
            address: t.recipient,
            isExit: isExit(t.recipient),
            hops,
            received: 0n,
            held: 0n,
            balance: 0n,
            firstTaintedAt: t.timeStamp,
            evidence: [...(isSeed ? [] : (from?.evidence ?? [])), step],
            history: [],
          };
          if (rec.isExit) {
            rec.memos = new Map();
            rec.taintedTransfers = 0;
          }
          accounts.set(t.recipient, rec);
        }
        rec.hops = Math.min(rec.hops, hops);
        rec.received += xa;
        if (rec.isExit) {
          exited += xa;
          rec.taintedTransfers! += 1;
          const m = rec.memos!.get(t.message ?? '') ?? { amount: 0n, count: 0 };
          rec.memos!.set(t.message ?? '', { amount: m.amount + xa, count: m.count + 1 });
        }
        if (policy === 'poison' && !rec.isExit && (isSeed || moved >= input.case.dust)) poisoned.add(t.recipient);
        if (policy === 'poison' && !isSeed && moved < input.case.dust && !poisoned.has(t.recipient) && !rec.isExit)
          accounts.delete(t.recipient);
      }
      const r = get(t.recipient);
      r.b += moved;
      if (policy !== 'poison' && !isExit(t.recipient)) r.t += xa;
      touch(t.recipient, t);
    }
    let held = 0n;
    for (const rec of accounts.values()) {
      const s = get(rec.address);
      rec.balance = s.b;
      rec.held = rec.isExit ? 0n : policy === 'poison' ? s.b : s.t;
      held += rec.held;
    }
    const pr: PolicyResult = { policy, totals: { seed: seedAmount, held, exited, fees }, accounts, transferTaint };
    out[policy] = pr;
  }
  return {
    manifest: {
      schema: 'tainttrace/manifest@1',
      engineVersion: '0.1.0-test',
      caseId: input.case.id,
      policies,
      dust: (Number(input.case.dust) / X).toFixed(6),
      maxHops: input.case.maxHops,
      exitCategories: input.case.exitCategories,
      labelSetHash: 'sha256:test',
      storeDigest: 'sha256:store',
      tipHeight: transfers.at(-1)?.height ?? 0,
      windowTo: input.case.windowTo === null ? null : nemToIso(input.case.windowTo),
    },
    case: input.case,
    labels,
    seed: {
      amount: seedAmount,
      transfers: seedTransfers.map(seedTransfer),
    },
    policies: out,
    dust,
    transfers,
  };
}

export const MINI_CASE: ResolvedCase = {
  id: 'coincheck-mini',
  title: 'Coincheck theft, 26 January 2018 (mini)',
  seeds: [{ account: A.coincheck, from: 89_300_000, to: 89_340_000, exclude: [] }],
  windowTo: null,
  labelFiles: ['labels.yaml'],
  exitCategories: ['exchange', 'darkweb', 'mixer', 'gambling'],
  dust: 150n * 1_000_000n,
  maxHops: 10,
  valuation: { currency: 'JPY', rate: '88.549' },
};

export const MINI_LABELS: Label[] = [
  { address: A.coincheck, label: 'Coincheck hot wallet', category: 'victim' },
  { address: A.thief, label: 'Thief NC4C6…', category: 'thief' },
  { address: A.darkweb, label: 'Dark-web XEM exchange', category: 'darkweb' },
  { address: A.binance, label: 'Binance deposit', category: 'exchange' },
  { address: A.yobit, label: 'Yobit, "main" | deposit', category: 'exchange' },
];

/** 14 transfers: 3 seeds, a split, a 100-XEM spray, a dark-web sale, memos at exchanges. */
export function coincheckMini(): TraceResult {
  hashCounter = 0;
  const t0 = 89_304_948;
  const transfers = [
    tx(1_440_000, t0 - 86_400, A.clean, A.buyer, 5_000_000),
    tx(1_440_100, t0 - 80_000, A.clean, A.split1, 1_000),
    tx(1_445_400, t0, A.coincheck, A.thief, 10, { h: 'a'.repeat(64) }),
    tx(1_445_402, t0 + 120, A.coincheck, A.thief, 100_000_000, { h: 'b'.repeat(64) }),
    tx(1_445_404, t0 + 240, A.coincheck, A.thief, 100_000_000, { h: 'c'.repeat(64) }),
    tx(1_445_600, t0 + 10_000, A.thief, A.split1, 150_000_000),
    tx(1_445_601, t0 + 10_060, A.thief, A.split2, 49_000_000),
    tx(1_450_000, t0 + 345_600, A.thief, A.bystander, 100),
    tx(1_460_000, t0 + 1_000_000, A.split1, A.darkweb, 100_000_000, { message: 'lot,"A"' }),
    tx(1_460_010, t0 + 1_000_600, A.split1, A.buyer, 20_000_000),
    tx(1_470_000, t0 + 1_500_000, A.buyer, A.binance, 19_999_000, { message: '1029384' }),
    tx(1_470_100, t0 + 1_510_000, A.buyer, A.binance, 4_000_000, { message: '1029384' }),
    tx(1_475_000, t0 + 1_700_000, A.split2, A.yobit, 30_000_000, { message: 'yobit-777' }),
    tx(1_476_000, t0 + 1_800_000, A.split2, A.yobit, 18_999_000),
  ];
  return miniTrace({ case: MINI_CASE, labels: MINI_LABELS, transfers, seedHashes: ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)] });
}

/** Seeded synthetic trace: `accounts` relays in layers, a few exchanges, clean background. */
export function synthetic(accounts: number, seed = 7): TraceResult {
  hashCounter = 0;
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const addr = (i: number) => `N${i.toString(36).toUpperCase().padStart(39, 'Q')}`;
  const labels: Label[] = [
    { address: A.coincheck, label: 'Coincheck hot wallet', category: 'victim' },
    { address: A.thief, label: 'Thief', category: 'thief' },
  ];
  const exits = Array.from({ length: 12 }, (_, i) => addr(900_000 + i));
  exits.forEach((e, i) =>
    labels.push({
      address: e,
      label: `Exchange ${String.fromCharCode(65 + i)}`,
      category: i === 0 ? 'darkweb' : i === 11 ? 'gambling' : 'exchange',
    }),
  );
  const relays = Array.from({ length: accounts }, (_, i) => addr(1000 + i));
  const transfers: Transfer[] = [];
  let h = 1_445_400;
  let ts = 89_304_948;
  const seedHashes: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    const t = tx(h++, (ts += 60), A.coincheck, A.thief, 100_000_000);
    transfers.push(t);
    seedHashes.push(t.hash);
  }
  const layer = [A.thief as string];
  const balance = new Map<string, number>([[A.thief, 400_000_000]]);
  let next = 0;
  while (next < relays.length) {
    const from = layer[Math.floor(rnd() * layer.length)];
    const bal = balance.get(from) ?? 0;
    if (bal < 10) {
      layer.shift();
      if (layer.length === 0) break;
      continue;
    }
    const to = relays[next++];
    const amt = Math.floor(bal * (0.2 + rnd() * 0.5));
    transfers.push(tx(h++, (ts += 600), from, to, amt));
    balance.set(from, bal - amt - 1);
    balance.set(to, amt);
    layer.push(to);
    if (rnd() < 0.3) transfers.push(tx(h++, (ts += 30), addr(500_000 + next), to, Math.floor(rnd() * 50_000)));
  }
  for (const r of relays) {
    const bal = balance.get(r) ?? 0;
    if (bal > 100 && rnd() < 0.6) {
      const e = exits[Math.floor(rnd() * rnd() * exits.length)];
      transfers.push(
        tx(h++, (ts += 900), r, e, Math.floor(bal * 0.9), { message: rnd() < 0.7 ? String(100000 + Math.floor(rnd() * 900000)) : null }),
      );
    }
  }
  const c: ResolvedCase = { ...MINI_CASE, id: `synthetic-${accounts}`, title: `Synthetic trace (${accounts} relays, seed ${seed})` };
  return miniTrace({ case: c, labels, transfers, seedHashes });
}
