/**
 * The hot path: all six policies in one pass over a chain-ordered columnar edge list (DESIGN §4).
 *
 * State lives in typed arrays. Per account one 128-byte block (two adjacent cache lines, so a
 * transfer costs about two random memory accesses, sender and recipient):
 *   Float64 slots 0–13: balance, taint × 5 (haircut fifo lifo taint-first clean-first), flags,
 *   received × 6 (per policy, POLICIES order), implied opening balance; Int16 at bytes 112–123:
 *   minimum hops × 6 (saturating at 32767).
 * The pass is bound by random access to account state, not by arithmetic, and JavaScript has no
 * prefetch instruction: every PREFETCH transfers the loop loads the blocks of the next batch in one
 * burst of independent loads (results kept so they are not optimised away), so their cache misses
 * overlap each other instead of stalling one transfer at a time.
 * Cold: `firstK` (per account × policy, the transfer that first brought taint: the evidence
 * pointer), written once per account and policy. fifo/lifo lot lists exist only for accounts that
 * hold taint under them (a flag bit says so, so other accounts never touch the lists). Every amount is an integer µXEM held
 * exactly in a double; products go through `mulDivFloor` (exact); sums that could pass 2^53
 * (received across cycles, totals) spill into bigint, and a balance above 2^53 is refused.
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
/** Float64 slots per account block in `state` (128 bytes). */
export const STRIDE = 16;
export const SLOT_BALANCE = 0;
/** Taint of amount policy p (1..5) is slot p. */
export const SLOT_FLAGS = 6;
/** received of policy p is slot SLOT_RECEIVED + p. */
export const SLOT_RECEIVED = 7;
export const SLOT_OPENING = 13;
/** Int16 index of hops of policy p: a·64 + HOPS_I16 + p. */
const HOPS_I16 = 56;
const I16_STRIDE = 64;
const MAX_HOPS = 32767;
export const FLAG_EXIT = 1;
export const FLAG_POISONED = 2;
const FLAG_FIFO_LOTS = 4;
const FLAG_LIFO_LOTS = 8;
/** Batch size (a power of two) for touching account state one batch ahead. */
const PREFETCH = 16;

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
  /** STRIDE Float64 slots per account (see header); read through the accessors below. */
  state: Float64Array;
  /** The same buffer as Int16 (hops). */
  state16: Int16Array;
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
  /** Live lot lists at the end (tests inspect them). */
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

export function sweep(cols: Columns, options: SweepOptions): SweepResult {
  const { n, accounts: A, sender, recipient, amount, fee, timeStamp } = cols;
  const { isExit, seed, dust } = options;
  const windowEnd = options.windowTo ?? Infinity;
  const buffer = new ArrayBuffer(A * STRIDE * 8);
  const st = new Float64Array(buffer);
  const st16 = new Int16Array(buffer);
  for (let a = 0; a < A; a++) if (isExit[a] === 1) st[a * STRIDE + SLOT_FLAGS] = FLAG_EXIT;
  const firstK = new Int32Array(A * NP).fill(-1);
  const receivedSpill = new Map<number, bigint>();
  const fifo: (Lots | null)[] = new Array<Lots | null>(A).fill(null);
  const lifo: (Lots | null)[] = new Array<Lots | null>(A).fill(null);
  const injected = new Sums();
  const fees = new Sums();
  const dustSum = new Sums();
  let dustTransfers = 0;
  let processed = 0;

  const logOn = options.log === true;
  const logCode = new GrowI32(logOn ? 4096 : 1);
  const logAmount = new GrowF64(logOn ? 4096 : 1);
  const histOn = options.history === true;
  const hAcc = new GrowI32(histOn ? 4096 : 1);
  const hCode = new GrowI32(histOn ? 4096 : 1);
  const hBal = new GrowF64(histOn ? 4096 : 1);
  const hTaint = new GrowF64(histOn ? 4096 : 1);

  const mark = (r: number, p: number, c: number, k: number, s: number, isSeed: boolean): void => {
    const ri = r * STRIDE + SLOT_RECEIVED + p;
    const v = st[ri] + c;
    if (v > MAX) {
      const key = r * NP + p;
      receivedSpill.set(key, (receivedSpill.get(key) ?? 0n) + BigInt(st[ri]) + BigInt(c));
      st[ri] = 0;
    } else st[ri] = v;
    const sh = st16[s * I16_STRIDE + HOPS_I16 + p];
    const cand = isSeed ? 1 : sh < MAX_HOPS ? sh + 1 : MAX_HOPS;
    const hi = r * I16_STRIDE + HOPS_I16 + p;
    const h = st16[hi];
    if (h === 0) {
      st16[hi] = cand;
      firstK[r * NP + p] = k;
    } else if (cand < h) st16[hi] = cand;
    if (logOn) {
      logCode.push(k * 8 + p);
      logAmount.push(c);
    }
  };

  const record = (a: number, k: number): void => {
    const o = a * STRIDE;
    if ((st[o + SLOT_FLAGS] & FLAG_EXIT) !== 0) return;
    const bal = st[o];
    for (let p = 0; p < NP; p++) {
      if (firstK[a * NP + p] < 0) continue;
      hAcc.push(a);
      hCode.push(k * 8 + p);
      hBal.push(bal);
      hTaint.push(p === P_POISON ? ((st[o + SLOT_FLAGS] & FLAG_POISONED) !== 0 ? bal : 0) : st[o + p]);
    }
  };

  let touched = 0;
  for (let k = 0; k < n; k++) {
    if ((k & (PREFETCH - 1)) === 0) {
      // touch the sender and recipient blocks of the next batch, all at once (slots 0, 8, 15 cover
      // every cache line of a 128-byte block however the buffer is aligned)
      const end = k + 2 * PREFETCH < n ? k + 2 * PREFETCH : n;
      for (let j = k + PREFETCH; j < end; j++) {
        const sj = sender[j] * STRIDE;
        const rj = recipient[j] * STRIDE;
        touched += st[sj] + st[sj + 8] + st[sj + 15] + st[rj] + st[rj + 8] + st[rj + 15];
      }
    }
    if (timeStamp[k] >= windowEnd) continue;
    const m = amount[k];
    const f = fee[k];
    const d = m + f;
    if (d === 0) continue;
    if (d > MAX) throw new RangeError(`transfer #${k}: amount + fee exceeds 2^53 µXEM`);
    processed++;
    const s = sender[k];
    const r = recipient[k];
    const isSeed = seed[k] === 1;
    const so = s * STRIDE;

    // 1. implied opening balance: the oldest, clean funds
    let b = st[so];
    if (b < d) {
      const sh = d - b;
      const op = st[so + SLOT_OPENING] + sh;
      if (op > MAX) throw new RangeError(`account #${s}: implied opening balance exceeds 2^53 µXEM`);
      st[so + SLOT_OPENING] = op;
      b = d;
      const fl = st[so + SLOT_FLAGS];
      if ((fl & FLAG_FIFO_LOTS) !== 0) fifo[s]!.prependClean(sh);
      if ((fl & FLAG_LIFO_LOTS) !== 0) lifo[s]!.prependClean(sh);
    }

    // 2. the tainted part of the debit, per amount policy; c_p = taint the transfer carries
    let c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
    let t = st[so + P_HAIRCUT];
    if (t > 0) {
      const x = t === b ? d : mulDivFloor(t, d, b);
      st[so + P_HAIRCUT] = t - x;
      if (x > 0) {
        const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
        if (xf > 0) fees.add(P_HAIRCUT, xf);
        c1 = x - xf;
      }
    }
    t = st[so + P_FIFO];
    if (t > 0) {
      const x = fifo[s]!.takeFront(d);
      const rest = t - x;
      st[so + P_FIFO] = rest;
      if (rest === 0) {
        fifo[s] = null;
        st[so + SLOT_FLAGS] -= FLAG_FIFO_LOTS;
      }
      if (x > 0) {
        const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
        if (xf > 0) fees.add(P_FIFO, xf);
        c2 = x - xf;
      }
    }
    t = st[so + P_LIFO];
    if (t > 0) {
      const x = lifo[s]!.takeBack(d);
      const rest = t - x;
      st[so + P_LIFO] = rest;
      if (rest === 0) {
        lifo[s] = null;
        st[so + SLOT_FLAGS] -= FLAG_LIFO_LOTS;
      }
      if (x > 0) {
        const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
        if (xf > 0) fees.add(P_LIFO, xf);
        c3 = x - xf;
      }
    }
    t = st[so + P_TAINT_FIRST];
    if (t > 0) {
      const x = t < d ? t : d;
      st[so + P_TAINT_FIRST] = t - x;
      const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
      if (xf > 0) fees.add(P_TAINT_FIRST, xf);
      c4 = x - xf;
    }
    t = st[so + P_CLEAN_FIRST];
    if (t > 0) {
      const clean = b - t;
      if (d > clean) {
        const x = d - clean;
        st[so + P_CLEAN_FIRST] = t - x;
        const xf = f === 0 ? 0 : x === d ? f : mulDivFloor(x, f, d);
        if (xf > 0) fees.add(P_CLEAN_FIRST, xf);
        c5 = x - xf;
      }
    }
    st[so] = b - d;

    // 3. poison
    const poisonedS = (st[so + SLOT_FLAGS] & FLAG_POISONED) !== 0;
    let c0 = 0;
    if (poisonedS && f > 0) fees.add(P_POISON, f);
    if (m > 0 && (isSeed || poisonedS)) {
      if (isSeed || m >= dust) c0 = m;
      else {
        dustTransfers++;
        dustSum.add(0, m);
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
      const ro = r * STRIDE;
      const before = st[ro];
      const nb = before + m;
      if (nb > MAX) throw new RangeError(`account #${r}: balance exceeds 2^53 µXEM`);
      st[ro] = nb;
      const flagsR = st[ro + SLOT_FLAGS];
      if ((flagsR & FLAG_EXIT) !== 0) {
        if (c0 > 0) mark(r, P_POISON, c0, k, s, isSeed);
        if (c1 > 0) mark(r, P_HAIRCUT, c1, k, s, isSeed);
        if (c2 > 0) mark(r, P_FIFO, c2, k, s, isSeed);
        if (c3 > 0) mark(r, P_LIFO, c3, k, s, isSeed);
        if (c4 > 0) mark(r, P_TAINT_FIRST, c4, k, s, isSeed);
        if (c5 > 0) mark(r, P_CLEAN_FIRST, c5, k, s, isSeed);
      } else {
        if (c0 > 0) {
          if ((flagsR & FLAG_POISONED) === 0) st[ro + SLOT_FLAGS] = flagsR | FLAG_POISONED;
          mark(r, P_POISON, c0, k, s, isSeed);
        }
        if (c1 > 0) {
          st[ro + P_HAIRCUT] += c1;
          mark(r, P_HAIRCUT, c1, k, s, isSeed);
        }
        const fl = st[ro + SLOT_FLAGS];
        if (c2 > 0) {
          let lots = fifo[r];
          if ((fl & FLAG_FIFO_LOTS) === 0) {
            fifo[r] = lots = new Lots(before, false);
            st[ro + SLOT_FLAGS] += FLAG_FIFO_LOTS;
          }
          lots!.push(m - c2, false);
          lots!.push(c2, true);
          st[ro + P_FIFO] += c2;
          mark(r, P_FIFO, c2, k, s, isSeed);
        } else if ((fl & FLAG_FIFO_LOTS) !== 0) fifo[r]!.push(m, false);
        if (c3 > 0) {
          let lots = lifo[r];
          if ((st[ro + SLOT_FLAGS] & FLAG_LIFO_LOTS) === 0) {
            lifo[r] = lots = new Lots(before, false);
            st[ro + SLOT_FLAGS] += FLAG_LIFO_LOTS;
          }
          lots!.push(m - c3, false);
          lots!.push(c3, true);
          st[ro + P_LIFO] += c3;
          mark(r, P_LIFO, c3, k, s, isSeed);
        } else if ((fl & FLAG_LIFO_LOTS) !== 0) lifo[r]!.push(m, false);
        if (c4 > 0) {
          st[ro + P_TAINT_FIRST] += c4;
          mark(r, P_TAINT_FIRST, c4, k, s, isSeed);
        }
        if (c5 > 0) {
          st[ro + P_CLEAN_FIRST] += c5;
          mark(r, P_CLEAN_FIRST, c5, k, s, isSeed);
        }
      }
    }

    if (histOn) {
      record(s, k);
      if (r !== s && m > 0) record(r, k);
    }
  }

  return {
    accounts: A,
    state: st,
    state16: st16,
    firstK,
    touched,
    receivedSpill,
    injected: injected.values(),
    fees: fees.values(),
    dust: { transfers: dustTransfers, amount: dustSum.values()[0] },
    processed,
    log: logOn ? { code: logCode.data, amount: logAmount.data, length: logCode.length } : null,
    history: histOn ? { account: hAcc.data, code: hCode.data, balance: hBal.data, tainted: hTaint.data, length: hAcc.length } : null,
    fifo,
    lifo,
  };
}

/** Exact taint received by account a under policy p. */
export function receivedOf(res: SweepResult, a: number, p: number): bigint {
  return BigInt(res.state[a * STRIDE + SLOT_RECEIVED + p]) + (res.receivedSpill.get(a * NP + p) ?? 0n);
}

/** Minimum hop count of account a under policy p (0 = never tainted). */
export function hopsOf(res: SweepResult, a: number, p: number): number {
  return res.state16[a * I16_STRIDE + HOPS_I16 + p];
}

/** Implied opening balance of account a. */
export function openingOf(res: SweepResult, a: number): number {
  return res.state[a * STRIDE + SLOT_OPENING];
}

export function balanceOf(res: SweepResult, a: number): number {
  return res.state[a * STRIDE + SLOT_BALANCE];
}

/** Tainted balance of account a under amount policy p (1..5). */
export function taintOf(res: SweepResult, a: number, p: number): number {
  return res.state[a * STRIDE + p];
}

export function flagsOf(res: SweepResult, a: number): number {
  return res.state[a * STRIDE + SLOT_FLAGS];
}
