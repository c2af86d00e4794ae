/**
 * The hot path: all six policies in one pass over a chain-ordered columnar edge list (DESIGN §4).
 *
 * The pass is bound by random access to account state, so state is split by temperature:
 *  - `core`, one 32-byte record per account (half a cache line; every transfer touches the
 *    sender's and the recipient's): Float64 0 balance, 1 taint received under poison, 2 implied
 *    opening balance; Int32 6 the account's slot in `slots` (0 = none), Int32 7 flags (bits 0–4)
 *    | minimum poison hops << 5.
 *  - `slots`, one 128-byte record per account that ever received taint under an amount policy
 *    (a minority: 27 % of the accounts of the 1 M synthetic chain, 4 % at 10 M), allocated on
 *    first taint and grown by doubling: Float64 0–4 tainted balance under haircut fifo lifo taint-first clean-first,
 *    5–9 taint received under each; Int16 (index slot·64 + 40 + p) minimum hops under policy p.
 *  - cold: `firstK` (per account × policy, the transfer that first brought taint: the evidence
 *    pointer, written once), fifo/lifo lot lists (per slot, only while the account holds taint
 *    under them; a flag bit in `core` says so, so other accounts never touch them), bigint spills.
 * A transfer from an account that is neither poisoned nor holds taint under an amount policy
 * (flag FLAG_HOLDS) and is not a seed only moves balances: one test of the sender's flags skips all
 * policy work (35 % of the 1 M synthetic chain's transfers; on a real chain most of them). JavaScript has no prefetch instruction: every
 * PREFETCH transfers the loop loads the core records of the next batch in one burst of independent
 * loads (their sum is kept so they are not optimised away), so their cache misses overlap instead of
 * stalling one transfer at a time.
 *
 * Every amount is an integer µXEM held exactly in a double; products go through `mulDivFloor`
 * (exact: double arithmetic while the product is below 2^53, an error-free transform or bigint
 * beyond); sums that could pass 2^53 (received across cycles, totals) spill into bigint, and a
 * balance above 2^53 is refused.
 *
 * Per transfer k (sender s, recipient r, moved m, fee f, debit d = m + f):
 *  1. if d > balance(s): the shortfall becomes an implied clean opening balance, the oldest funds;
 *  2. per amount policy the tainted part x of d leaves s; xf = floor(x·f/d) goes to the fee sink,
 *     xa = x − xf goes with the transfer; a seed instead carries all of m (its fresh taint is m − xa);
 *  3. poison: a seed, or a transfer of m ≥ dust from a poisoned sender, is tainted in full and
 *     poisons its recipient; below dust it is counted as pruned; fees of poisoned senders are counted;
 *  4. r is credited m: clean part first, tainted part last (newest). An exit absorbs the taint
 *     (counted as received, never held, never passed on).
 */
import { Lots } from './lots.js';
import { mulDivFloor } from './muldiv.js';
import type { Columns } from './columns.js';
import { GrowF64, GrowI32 } from './grow.js';

export const P_POISON = 0;
export const P_HAIRCUT = 1;
export const P_FIFO = 2;
export const P_LIFO = 3;
export const P_TAINT_FIRST = 4;
export const P_CLEAN_FIRST = 5;
/** Policies per account in the per-policy arrays (index = position in POLICIES). */
export const NP = 6;
export const FLAG_EXIT = 1;
export const FLAG_POISONED = 2;
const FLAG_FIFO_LOTS = 4;
const FLAG_LIFO_LOTS = 8;
/** The account holds taint under at least one amount policy (its slot has a non-zero taint). */
const FLAG_HOLDS = 16;
const FLAG_BITS = 31;
const HOPS_SHIFT = 5;
const MAX_HOPS = 32767;

/** core: Float64 slots per account (32 bytes). */
export const CORE_STRIDE = 4;
const C_POISON_RECEIVED = 1;
const C_OPENING = 2;
/** core as Int32: slot index and flags|hops words of account a are a·8 + 6, a·8 + 7. */
const CI_SLOT = 6;
const CI_WORD = 7;
/** slots: Float64 per slot (128 bytes); taint of amount policy p (1..5) at p − 1, received at 4 + p. */
export const SLOT_STRIDE = 16;
const S_RECEIVED = 4;
/** slots as Int16: hops of amount policy p at slot·64 + 40 + p. */
const S16_STRIDE = 64;
const S16_HOPS = 40;

const MAX = Number.MAX_SAFE_INTEGER;

export interface SweepOptions {
  /** Per account: 1 when the account is an exit (absorbs taint). */
  isExit: Uint8Array;
  /** Per transfer: 1 when it is a seed. */
  seed: Uint8Array;
  /** Poison dust threshold, µXEM. */
  dust: number;
  /** Transfers at or after this NEM timestamp are skipped. */
  windowTo?: number | null;
  /** Record every transfer's taint per policy (needed for transferTaint, memos, evidence steps). */
  log?: boolean;
  /** Record per-account history rows from first taint on. */
  history?: boolean;
}

export interface SweepLog {
  /** k·8 + policy, one row per (transfer, policy) that carried taint. */
  code: Int32Array;
  amount: Float64Array;
  length: number;
}

export interface SweepHistory {
  account: Int32Array;
  /** k·8 + policy */
  code: Int32Array;
  balance: Float64Array;
  tainted: Float64Array;
  length: number;
}

export interface SweepResult {
  accounts: number;
  /** CORE_STRIDE Float64 per account (see header); read through the accessors below. */
  core: Float64Array;
  /** The same buffer as Int32 (slot index, flags | poison hops). */
  core32: Int32Array;
  /** SLOT_STRIDE Float64 per slot; slot 0 is unused (see header). */
  slots: Float64Array;
  /** The same buffer as Int16 (amount-policy hops). */
  slots16: Int16Array;
  /** Slots in use, slot 0 included. */
  slotCount: number;
  /** [a·NP + p]: transfer index that first brought taint, −1 = none. */
  firstK: Int32Array;
  /** Sum of the prefetch loads (kept so they are not optimised away; meaningless). */
  touched: number;
  /** Exact received = state slot + spill, keyed a·NP + p. */
  receivedSpill: Map<number, bigint>;
  /** Per policy: fresh taint injected by seeds. */
  injected: bigint[];
  /** Per policy: taint paid as fees (poison: fees of poisoned senders). */
  fees: bigint[];
  dust: { transfers: number; amount: bigint };
  /** Transfers processed (inside the window, debit > 0). */
  processed: number;
  log: SweepLog | null;
  history: SweepHistory | null;
  /** Live lot lists at the end, indexed by slot (read them with `lotsOf`). */
  fifo: (Lots | null)[];
  lifo: (Lots | null)[];
}

/** Six small accumulators that stay exact past 2^53 by spilling into bigint. */
class Sums {
  readonly f = new Float64Array(NP);
  readonly big: bigint[] = [0n, 0n, 0n, 0n, 0n, 0n];
  add(p: number, v: number): void {
    const s = this.f[p] + v;
    if (s > MAX) {
      this.big[p] += BigInt(this.f[p]) + BigInt(v);
      this.f[p] = 0;
    } else this.f[p] = s;
  }
  values(): bigint[] {
    return this.big.map((b, p) => b + BigInt(this.f[p]));
  }
}

/** Per-slot state of accounts that received taint under an amount policy; slot 0 is unused. */
class SlotTable {
  f: Float64Array;
  h: Int16Array;
  count = 1;
  readonly fifo: (Lots | null)[] = [null];
  readonly lifo: (Lots | null)[] = [null];
  constructor(private cap: number) {
    this.f = new Float64Array(cap * SLOT_STRIDE);
    this.h = new Int16Array(this.f.buffer);
  }
  add(): number {
    if (this.count === this.cap) {
      this.cap *= 2;
      const next = new Float64Array(this.cap * SLOT_STRIDE);
      next.set(this.f);
      this.f = next;
      this.h = new Int16Array(next.buffer);
    }
    this.fifo.push(null);
    this.lifo.push(null);
    return this.count++;
  }
}

/** The per-transfer taint log: one row per (transfer, policy) that carried taint. */
class Log {
  readonly code = new GrowI32(4096);
  readonly amount = new GrowF64(4096);
  push(code: number, amount: number): void {
    this.code.push(code);
    this.amount.push(amount);
  }
}

/** Per-account history rows, from first taint on. */
class History {
  readonly account = new GrowI32(4096);
  readonly code = new GrowI32(4096);
  readonly balance = new GrowF64(4096);
  readonly tainted = new GrowF64(4096);
  record(cf: Float64Array, ci: Int32Array, sf: Float64Array, firstK: Int32Array, a: number, k: number): void {
    const w = ci[a * 8 + CI_WORD];
    if ((w & FLAG_EXIT) !== 0) return;
    const bal = cf[a * CORE_STRIDE];
    const sl = ci[a * 8 + CI_SLOT];
    for (let p = 0; p < NP; p++) {
      if (firstK[a * NP + p] < 0) continue;
      this.account.push(a);
      this.code.push(k * 8 + p);
      this.balance.push(bal);
      this.tainted.push(p === P_POISON ? ((w & FLAG_POISONED) !== 0 ? bal : 0) : sf[sl * SLOT_STRIDE + p - 1]);
    }
  }
}

/** Credit c of amount policy p to r's slot rs: received (spilling past 2^53), hops, first taint, log. */
function markAmount(
  sf: Float64Array, s16: Int16Array, firstK: Int32Array, receivedSpill: Map<number, bigint>, log: Log | null,
  r: number, rs: number, p: number, c: number, k: number, ss: number, isSeed: boolean,
): void {
  const ri = rs * SLOT_STRIDE + S_RECEIVED + p;
  const v = sf[ri] + c;
  if (v > MAX) {
    const key = r * NP + p;
    receivedSpill.set(key, (receivedSpill.get(key) ?? 0n) + BigInt(sf[ri]) + BigInt(c));
    sf[ri] = 0;
  } else sf[ri] = v;
  const cand = isSeed ? 1 : Math.min(s16[ss * S16_STRIDE + S16_HOPS + p] + 1, MAX_HOPS);
  const hi = rs * S16_STRIDE + S16_HOPS + p;
  const h = s16[hi];
  if (h === 0) {
    s16[hi] = cand;
    firstK[r * NP + p] = k;
  } else if (cand < h) s16[hi] = cand;
  if (log !== null) log.push(k * 8 + p, c);
}

export function sweep(cols: Columns, options: SweepOptions): SweepResult {
  const { n, accounts: A, sender, recipient, amount, fee, timeStamp } = cols;
  // Local copies of the layout constants: module-scope constants are context loads in V8's
  // optimised code (measured: ~8 % of the pass); function-local ones fold into the instructions.
  // They shadow the module constants of the same names and must equal them (the accessors below
  // read with the module ones, so the tests against the reference would catch a mismatch).
  const CORE_STRIDE = 4, C_POISON_RECEIVED = 1, C_OPENING = 2, CI_SLOT = 6, CI_WORD = 7, SLOT_STRIDE = 16;
  /** Batch size (a power of two) for touching account state one batch ahead. */
  const PREFETCH = 16;
  const FLAG_EXIT = 1, FLAG_POISONED = 2, FLAG_FIFO_LOTS = 4, FLAG_LIFO_LOTS = 8, FLAG_HOLDS = 16, FLAG_BITS = 31;
  const HOPS_SHIFT = 5, MAX_HOPS = 32767, MAX = 9007199254740991;
  const P_POISON = 0, P_HAIRCUT = 1, P_FIFO = 2, P_LIFO = 3, P_TAINT_FIRST = 4, P_CLEAN_FIRST = 5, NP = 6;
  const { isExit, seed, dust } = options;
  const windowEnd = options.windowTo ?? Infinity;
  const windowed = windowEnd !== Infinity;
  const coreBuffer = new ArrayBuffer(A * CORE_STRIDE * 8);
  const cf = new Float64Array(coreBuffer);
  const ci = new Int32Array(coreBuffer);
  for (let a = 0; a < A; a++) if (isExit[a] === 1) ci[a * 8 + CI_WORD] = FLAG_EXIT;
  const firstK = new Int32Array(A * NP).fill(-1);
  const receivedSpill = new Map<number, bigint>();

  // slot table, grown by doubling (slot 0 unused: 0 means "no slot")
  const table = new SlotTable(Math.max(64, Math.min(A + 1, 4096)));
  let sf = table.f;
  let s16 = table.h;
  const fifo = table.fifo;
  const lifo = table.lifo;

  const injected = new Sums();
  const fees = new Sums();
  let poisonFees = 0;
  let poisonFeesBig = 0n;
  let dustAmount = 0;
  let dustAmountBig = 0n;
  let dustTransfers = 0;
  let processed = 0;

  const logOn = options.log === true;
  const log = logOn ? new Log() : null;
  const histOn = options.history === true;
  const hist = histOn ? new History() : null;

  let touched = 0;
  for (let k = 0; k < n; k++) {
    if ((k & (PREFETCH - 1)) === 0) {
      // touch the core records of the next batch's senders and recipients, all at once
      const end = k + 2 * PREFETCH < n ? k + 2 * PREFETCH : n;
      for (let j = k + PREFETCH; j < end; j++) touched += cf[sender[j] * CORE_STRIDE] + cf[recipient[j] * CORE_STRIDE];
    }
    if (windowed && timeStamp[k] >= windowEnd) continue;
    const m = amount[k];
    const f = fee[k];
    const d = m + f;
    if (d === 0) continue;
    if (d > MAX) throw new RangeError(`transfer #${k}: amount + fee exceeds 2^53 µXEM`);
    processed++;
    const s = sender[k];
    const r = recipient[k];
    const so = s * CORE_STRIDE;
    const sw = ci[s * 8 + CI_WORD];
    const ss = ci[s * 8 + CI_SLOT];
    const isSeed = seed[k] === 1;

    // 1. implied opening balance: the oldest, clean funds
    let b = cf[so];
    if (b < d) {
      const sh = d - b;
      const op = cf[so + C_OPENING] + sh;
      if (op > MAX) throw new RangeError(`account #${s}: implied opening balance exceeds 2^53 µXEM`);
      cf[so + C_OPENING] = op;
      b = d;
      if ((sw & FLAG_FIFO_LOTS) !== 0) fifo[ss]!.prependClean(sh);
      if ((sw & FLAG_LIFO_LOTS) !== 0) lifo[ss]!.prependClean(sh);
    }
    cf[so] = b - d;

    // the common case: a sender holding no taint under any policy, not a seed: only balances move
    if ((sw & (FLAG_HOLDS | FLAG_POISONED)) === 0 && !isSeed) {
      if (m > 0) {
        const ro = r * CORE_STRIDE;
        const nb = cf[ro] + m;
        if (nb > MAX) throw new RangeError(`account #${r}: balance exceeds 2^53 µXEM`);
        cf[ro] = nb;
        const rw = ci[r * 8 + CI_WORD];
        if ((rw & (FLAG_FIFO_LOTS | FLAG_LIFO_LOTS)) !== 0) {
          const rs = ci[r * 8 + CI_SLOT];
          if ((rw & FLAG_FIFO_LOTS) !== 0) fifo[rs]!.push(m, false);
          if ((rw & FLAG_LIFO_LOTS) !== 0) lifo[rs]!.push(m, false);
        }
      }
      if (hist !== null) {
        hist.record(cf, ci, sf, firstK, s, k);
        if (r !== s && m > 0) hist.record(cf, ci, sf, firstK, r, k);
      }
      continue;
    }

    // 2. the tainted part of the debit, per amount policy; c_p = taint the transfer carries
    let c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
    let sww = sw;
    if ((sw & FLAG_HOLDS) !== 0) {
      const base = ss * SLOT_STRIDE;
      let t = sf[base];
      if (t > 0) {
        const x = t === b ? d : mulDivFloor(t, d, b);
        sf[base] = t - x;
        if (x > 0) {
          const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
          if (xf > 0) fees.add(P_HAIRCUT, xf);
          c1 = x - xf;
        }
      }
      t = sf[base + 1];
      if (t > 0) {
        const x = fifo[ss]!.takeFront(d);
        const rest = t - x;
        sf[base + 1] = rest;
        if (rest === 0) {
          fifo[ss] = null;
          sww -= FLAG_FIFO_LOTS;
        }
        if (x > 0) {
          const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
          if (xf > 0) fees.add(P_FIFO, xf);
          c2 = x - xf;
        }
      }
      t = sf[base + 2];
      if (t > 0) {
        const x = lifo[ss]!.takeBack(d);
        const rest = t - x;
        sf[base + 2] = rest;
        if (rest === 0) {
          lifo[ss] = null;
          sww -= FLAG_LIFO_LOTS;
        }
        if (x > 0) {
          const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
          if (xf > 0) fees.add(P_LIFO, xf);
          c3 = x - xf;
        }
      }
      t = sf[base + 3];
      if (t > 0) {
        const x = t < d ? t : d;
        sf[base + 3] = t - x;
        const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
        if (xf > 0) fees.add(P_TAINT_FIRST, xf);
        c4 = x - xf;
      }
      t = sf[base + 4];
      if (t > 0) {
        const clean = b - t;
        if (d > clean) {
          const x = d - clean;
          sf[base + 4] = t - x;
          const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
          if (xf > 0) fees.add(P_CLEAN_FIRST, xf);
          c5 = x - xf;
        }
      }
      if (sf[base] + sf[base + 1] + sf[base + 2] + sf[base + 3] + sf[base + 4] === 0) sww -= FLAG_HOLDS;
      if (sww !== sw) ci[s * 8 + CI_WORD] = sww;
    }

    // 3. poison
    const poisonedS = (sw & FLAG_POISONED) !== 0;
    let c0 = 0;
    if (poisonedS && f > 0) {
      const v = poisonFees + f;
      if (v > MAX) {
        poisonFeesBig += BigInt(poisonFees) + BigInt(f);
        poisonFees = 0;
      } else poisonFees = v;
    }
    if (m > 0 && (isSeed || poisonedS)) {
      if (isSeed || m >= dust) c0 = m;
      else {
        dustTransfers++;
        const v = dustAmount + m;
        if (v > MAX) {
          dustAmountBig += BigInt(dustAmount) + BigInt(m);
          dustAmount = 0;
        } else dustAmount = v;
      }
    }
    if (isSeed) {
      injected.add(P_POISON, m);
      injected.add(P_HAIRCUT, m - c1);
      injected.add(P_FIFO, m - c2);
      injected.add(P_LIFO, m - c3);
      injected.add(P_TAINT_FIRST, m - c4);
      injected.add(P_CLEAN_FIRST, m - c5);
      c1 = c2 = c3 = c4 = c5 = m;
    }

    // 4. credit the recipient: clean part first, tainted part (newest) last
    if (m > 0) {
      const ro = r * CORE_STRIDE;
      const before = cf[ro];
      const nb = before + m;
      if (nb > MAX) throw new RangeError(`account #${r}: balance exceeds 2^53 µXEM`);
      cf[ro] = nb;
      let rw = ci[r * 8 + CI_WORD];
      const exitR = (rw & FLAG_EXIT) !== 0;
      if (c0 > 0) {
        const v = cf[ro + C_POISON_RECEIVED] + c0;
        if (v > MAX) {
          const key = r * NP;
          receivedSpill.set(key, (receivedSpill.get(key) ?? 0n) + BigInt(cf[ro + C_POISON_RECEIVED]) + BigInt(c0));
          cf[ro + C_POISON_RECEIVED] = 0;
        } else cf[ro + C_POISON_RECEIVED] = v;
        // the sender's hops: re-read, the sender may be the recipient
        const sh = ci[s * 8 + CI_WORD] >>> HOPS_SHIFT;
        const cand = isSeed ? 1 : sh < MAX_HOPS ? sh + 1 : MAX_HOPS;
        const h = rw >>> HOPS_SHIFT;
        if (h === 0) {
          rw = (rw & FLAG_BITS) | (cand << HOPS_SHIFT);
          firstK[r * NP] = k;
        } else if (cand < h) rw = (rw & FLAG_BITS) | (cand << HOPS_SHIFT);
        if (!exitR) rw |= FLAG_POISONED;
        ci[r * 8 + CI_WORD] = rw;
        if (log !== null) log.push(k * 8, c0);
      }
      let rs = ci[r * 8 + CI_SLOT];
      if (c1 > 0 || c2 > 0 || c3 > 0 || c4 > 0 || c5 > 0) {
        if (rs === 0) {
          ci[r * 8 + CI_SLOT] = rs = table.add();
          sf = table.f;
          s16 = table.h;
        }
        const rb = rs * SLOT_STRIDE;
        if (!exitR) rw |= FLAG_HOLDS;
        if (c1 > 0) {
          if (!exitR) sf[rb] += c1;
          markAmount(sf, s16, firstK, receivedSpill, log, r, rs, P_HAIRCUT, c1, k, ss, isSeed);
        }
        if (c2 > 0) {
          if (!exitR) {
            let lots = fifo[rs];
            if ((rw & FLAG_FIFO_LOTS) === 0) {
              fifo[rs] = lots = new Lots(before, false);
              rw |= FLAG_FIFO_LOTS;
            }
            lots!.push(m - c2, false);
            lots!.push(c2, true);
            sf[rb + 1] += c2;
          }
          markAmount(sf, s16, firstK, receivedSpill, log, r, rs, P_FIFO, c2, k, ss, isSeed);
        } else if ((rw & FLAG_FIFO_LOTS) !== 0) fifo[rs]!.push(m, false);
        if (c3 > 0) {
          if (!exitR) {
            let lots = lifo[rs];
            if ((rw & FLAG_LIFO_LOTS) === 0) {
              lifo[rs] = lots = new Lots(before, false);
              rw |= FLAG_LIFO_LOTS;
            }
            lots!.push(m - c3, false);
            lots!.push(c3, true);
            sf[rb + 2] += c3;
          }
          markAmount(sf, s16, firstK, receivedSpill, log, r, rs, P_LIFO, c3, k, ss, isSeed);
        } else if ((rw & FLAG_LIFO_LOTS) !== 0) lifo[rs]!.push(m, false);
        if (c4 > 0) {
          if (!exitR) sf[rb + 3] += c4;
          markAmount(sf, s16, firstK, receivedSpill, log, r, rs, P_TAINT_FIRST, c4, k, ss, isSeed);
        }
        if (c5 > 0) {
          if (!exitR) sf[rb + 4] += c5;
          markAmount(sf, s16, firstK, receivedSpill, log, r, rs, P_CLEAN_FIRST, c5, k, ss, isSeed);
        }
        ci[r * 8 + CI_WORD] = rw;
      } else if ((rw & (FLAG_FIFO_LOTS | FLAG_LIFO_LOTS)) !== 0) {
        if ((rw & FLAG_FIFO_LOTS) !== 0) fifo[rs]!.push(m, false);
        if ((rw & FLAG_LIFO_LOTS) !== 0) lifo[rs]!.push(m, false);
      }
    }

    if (hist !== null) {
      hist.record(cf, ci, sf, firstK, s, k);
      if (r !== s && m > 0) hist.record(cf, ci, sf, firstK, r, k);
    }
  }

  const feeTotals = fees.values();
  feeTotals[P_POISON] = poisonFeesBig + BigInt(poisonFees);
  return {
    accounts: A,
    core: cf,
    core32: ci,
    slots: sf,
    slots16: s16,
    slotCount: table.count,
    firstK,
    touched,
    receivedSpill,
    injected: injected.values(),
    fees: feeTotals,
    dust: { transfers: dustTransfers, amount: dustAmountBig + BigInt(dustAmount) },
    processed,
    log: log === null ? null : { code: log.code.data, amount: log.amount.data, length: log.code.length },
    history: hist === null ? null : { account: hist.account.data, code: hist.code.data, balance: hist.balance.data, tainted: hist.tainted.data, length: hist.account.length },
    fifo,
    lifo,
  };
}

/** Slot of account a in `slots` (0 = never received taint under an amount policy). */
function slotOf(res: SweepResult, a: number): number {
  return res.core32[a * 8 + CI_SLOT];
}

/** Exact taint received by account a under policy p. */
export function receivedOf(res: SweepResult, a: number, p: number): bigint {
  let v: number;
  if (p === P_POISON) v = res.core[a * CORE_STRIDE + C_POISON_RECEIVED];
  else {
    const sl = slotOf(res, a);
    v = sl === 0 ? 0 : res.slots[sl * SLOT_STRIDE + S_RECEIVED + p];
  }
  return BigInt(v) + (res.receivedSpill.get(a * NP + p) ?? 0n);
}

/** Minimum hop count of account a under policy p (0 = never tainted). */
export function hopsOf(res: SweepResult, a: number, p: number): number {
  if (p === P_POISON) return res.core32[a * 8 + CI_WORD] >>> HOPS_SHIFT;
  const sl = slotOf(res, a);
  return sl === 0 ? 0 : res.slots16[sl * S16_STRIDE + S16_HOPS + p];
}

/** Implied opening balance of account a. */
export function openingOf(res: SweepResult, a: number): number {
  return res.core[a * CORE_STRIDE + C_OPENING];
}

export function balanceOf(res: SweepResult, a: number): number {
  return res.core[a * CORE_STRIDE];
}

/** Tainted balance of account a under amount policy p (1..5). */
export function taintOf(res: SweepResult, a: number, p: number): number {
  const sl = slotOf(res, a);
  return sl === 0 ? 0 : res.slots[sl * SLOT_STRIDE + p - 1];
}

/** FLAG_* bits of account a (FLAG_EXIT, FLAG_POISONED, and internal lot-list bits). */
export function flagsOf(res: SweepResult, a: number): number {
  return res.core32[a * 8 + CI_WORD] & FLAG_BITS;
}

/** The live fifo or lifo lot list of account a (null: the account holds no taint under it). */
export function lotsOf(res: SweepResult, a: number, p: typeof P_FIFO | typeof P_LIFO): Lots | null {
  const sl = slotOf(res, a);
  if (sl === 0) return null;
  return (p === P_FIFO ? res.fifo : res.lifo)[sl] ?? null;
}
