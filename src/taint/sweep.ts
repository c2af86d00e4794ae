/**
 * The hot path: all six policies in one pass over a chain-ordered columnar edge list (docs/taint-semantics.md).
 *
 * The pass is bound by random access to account state, so state is split by temperature:
 *  - `core`, one 32-byte record per account (every transfer touches the sender's and the
 *    recipient's, so a transfer from a sender without amount-policy taint, poisoned or not, touches
 *    these two records and nothing else): Float64 0 balance, 1 taint received under poison, 2 implied
 *    opening balance; Int32 6 the transfer that first poisoned the account + 1 (0 = none; copied to
 *    `firstK` after the pass), Int32 7 flags (bits 0–4) | minimum poison hops << 5. Large tables
 *    live in page-aligned memory (`cacheAlignedBuffer`) so no record straddles two cache lines.
 *  - `slots`, one 128-byte record per account that ever received taint under an amount policy
 *    (a minority: 27 % of the accounts of the 1 M synthetic chain, 4 % at 10 M), allocated on
 *    first taint and grown by doubling, found through `slotIndex`: Float64 0–4 tainted balance
 *    under haircut fifo lifo taint-first clean-first, 5–9 taint received under each; Int16 (index
 *    slot·64 + 40 + p) minimum hops under policy p.
 *  - cold: `firstK` (per account × policy, the transfer that first brought taint: the evidence
 *    pointer, written once), fifo/lifo lot lists (per slot, only while the account holds taint
 *    under them; a flag bit in `core` says so, so other accounts never touch them), bigint spills.
 * The hot loop (`passTransfers`) is small: a transfer from a sender holding taint under an amount
 * policy (flag FLAG_HOLDS), or a seed, goes to `generalTransfer` (1.4 % of the 10 M synthetic
 * chain's transfers, 9 % at 1 M); every other transfer only moves balances and, from a poisoned
 * sender, poison. Rare work (lot lists, spills, history) lives in small functions of its own, so
 * the loop's optimised code stays small and is not deoptimised when a rare path first runs.
 * JavaScript has no prefetch instruction: every PREFETCH transfers the loop loads the core records
 * of the next batch in one burst of independent loads (their sum is kept so they are not optimised
 * away), so their cache misses overlap instead of stalling one transfer at a time.
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
const CI_FIRST = 6;
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
  /** The same buffer as Int32 (first poison transfer + 1, flags | poison hops). */
  core32: Int32Array;
  /** Per account: its slot in `slots` (0 = none). */
  slotIndex: Int32Array;
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
export class Sums {
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
  copyFrom(o: Sums): void {
    this.f.set(o.f);
    for (let p = 0; p < NP; p++) this.big[p] = o.big[p];
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
  /** A deep copy (lot lists too), for a checkpoint or a resume from one. */
  clone(): SlotTable {
    const t = new SlotTable(this.cap);
    t.f.set(this.f.subarray(0, this.count * SLOT_STRIDE));
    t.count = this.count;
    for (let i = 1; i < this.count; i++) {
      t.fifo.push(this.fifo[i]?.clone() ?? null);
      t.lifo.push(this.lifo[i]?.clone() ?? null);
    }
    return t;
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
  readonly code: GrowI32;
  readonly amount: GrowF64;
  /** `capacity`: rows before the first doubling (see ROWS_PER_TRANSFER). */
  constructor(capacity: number) {
    this.code = new GrowI32(capacity);
    this.amount = new GrowF64(capacity);
  }
  push(code: number, amount: number): void {
    this.code.push(code);
    this.amount.push(amount);
  }
}

/** Per-account history rows, from first taint on. */
class History {
  readonly account: GrowI32;
  readonly code: GrowI32;
  readonly balance: GrowF64;
  readonly tainted: GrowF64;
  /** `capacity`: rows before the first doubling (see ROWS_PER_TRANSFER). */
  constructor(capacity: number) {
    this.account = new GrowI32(capacity);
    this.code = new GrowI32(capacity);
    this.balance = new GrowF64(capacity);
    this.tainted = new GrowF64(capacity);
  }
  record(cf: Float64Array, ci: Int32Array, slotIx: Int32Array, sf: Float64Array, firstK: Int32Array, a: number, k: number): void {
    const w = ci[a * 8 + CI_WORD];
    if ((w & FLAG_EXIT) !== 0) return;
    // poison's first transfer is still in the core record during the pass
    const poisoned = ci[a * 8 + CI_FIRST] !== 0;
    const sl = slotIx[a];
    // never tainted: not poisoned, and no slot (an amount policy's first taint makes one)
    if (!poisoned && sl === 0) return;
    if (this.account.length + NP > this.account.data.length) this.grow();
    const account = this.account.data;
    const code = this.code.data;
    const balance = this.balance.data;
    const tainted = this.tainted.data;
    const bal = cf[a * CORE_STRIDE];
    let n = this.account.length;
    if (poisoned) {
      account[n] = a;
      code[n] = k * 8 + P_POISON;
      balance[n] = bal;
      tainted[n++] = (w & FLAG_POISONED) !== 0 ? bal : 0;
    }
    if (sl !== 0)
      for (let p = P_HAIRCUT; p <= P_CLEAN_FIRST; p++) {
        if (firstK[a * NP + p] < 0) continue;
        account[n] = a;
        code[n] = k * 8 + p;
        balance[n] = bal;
        tainted[n++] = sf[sl * SLOT_STRIDE + p - 1];
      }
    this.account.length = this.code.length = this.balance.length = this.tainted.length = n;
  }
  /** Room for the rows of one more event (rare: the columns double). */
  private grow(): void {
    this.account.reserve(NP);
    this.code.reserve(NP);
    this.balance.reserve(NP);
    this.tainted.reserve(NP);
  }
}

/**
 * The log's and the history's first capacity, in rows per transfer of the columns: growing by doubling copies every
 * row again and touches fresh memory each time (a quarter of the history's cost at 1M transfers, from 4,096 rows); a
 * large typed array is zeroed lazily by the system, so room not written takes no memory. The synthetic chains log
 * 0.6 rows and record 1.7 history rows a transfer at 1M.
 */
const ROWS_PER_TRANSFER = 1;

/** Tables smaller than this use an ordinary ArrayBuffer (they sit in cache anyway). */
export const ALIGNED_MIN_BYTES = 1 << 20;

/**
 * A zeroed buffer whose start is aligned to a cache line, so no 32-byte core record straddles two
 * lines. An ArrayBuffer's backing store comes from malloc, 16-byte aligned only, so half of the
 * records can straddle; at 10 M transfers aligned records cut the pass's CPU time by 22–30 %
 * (interleaved A/B, medians of 5). The memory of
 * a WebAssembly.Memory is page-aligned; an ordinary ArrayBuffer is the fallback (small tables,
 * above 4 GiB, or where a wasm memory cannot be reserved).
 */
function cacheAlignedBuffer(bytes: number): ArrayBuffer {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  // typed here: the project's lib settings do not declare the WebAssembly JS API
  const wasm = (globalThis as { WebAssembly?: { Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer } } })
    .WebAssembly;
  // (a wasm memory reserves guard address space, so only for large tables)
  if (bytes >= ALIGNED_MIN_BYTES && pages <= 65536 && wasm !== undefined) {
    try {
      return new wasm.Memory({ initial: pages, maximum: pages }).buffer;
    } catch {
      // out of address space for a wasm memory: fall back
    }
  }
  return new ArrayBuffer(bytes);
}

/** Everything the rare paths share with the hot loop (one object, so they stay small functions). */
class State {
  cf: Float64Array;
  ci: Int32Array;
  firstK: Int32Array;
  slotIx: Int32Array;
  receivedSpill = new Map<number, bigint>();
  table: SlotTable;
  readonly injected = new Sums();
  /** Per policy: taint paid as fees; poison (index 0) accumulates the fees of poisoned senders. */
  readonly fees = new Sums();
  /** Dust pruned on the general path (index 0). */
  readonly generalDust = new Sums();
  generalDustTransfers = 0;
  // the hot loop's accumulators, read at its start and handed back at its end
  poisonFees = 0;
  poisonFeesBig = 0n;
  dustAmount = 0;
  dustAmountBig = 0n;
  dustTransfers = 0;
  processed = 0;
  touched = 0;
  /** Per amount policy: the taint the current general transfer carries (index = policy). */
  readonly carry = new Float64Array(NP);
  /** Accounts the tables have room for (≥ accounts). */
  capacity: number;
  constructor(
    public amount: Float64Array,
    public fee: Float64Array,
    public accounts: number,
    readonly dust: number,
    readonly log: Log | null,
    readonly hist: History | null,
    capacity = accounts,
  ) {
    this.capacity = capacity;
    const buffer = cacheAlignedBuffer(capacity * CORE_STRIDE * 8);
    this.cf = new Float64Array(buffer, 0, capacity * CORE_STRIDE);
    this.ci = new Int32Array(buffer, 0, capacity * CORE_STRIDE * 2);
    this.firstK = new Int32Array(capacity * NP).fill(-1);
    this.slotIx = new Int32Array(capacity);
    this.table = new SlotTable(Math.max(64, Math.min(capacity + 1, 4096)));
  }

  /** Room for `accounts` accounts (tables doubled when full); new accounts start empty, exits flagged. */
  grow(accounts: number, isExit: Uint8Array): void {
    if (accounts > this.capacity) {
      const capacity = Math.max(accounts, this.capacity * 2);
      const buffer = cacheAlignedBuffer(capacity * CORE_STRIDE * 8);
      const cf = new Float64Array(buffer, 0, capacity * CORE_STRIDE);
      cf.set(this.cf.subarray(0, this.accounts * CORE_STRIDE));
      this.cf = cf;
      this.ci = new Int32Array(buffer, 0, capacity * CORE_STRIDE * 2);
      const firstK = new Int32Array(capacity * NP).fill(-1);
      firstK.set(this.firstK.subarray(0, this.accounts * NP));
      this.firstK = firstK;
      const slotIx = new Int32Array(capacity);
      slotIx.set(this.slotIx.subarray(0, this.accounts));
      this.slotIx = slotIx;
      this.capacity = capacity;
    }
    for (let a = this.accounts; a < accounts; a++) if (isExit[a] === 1) this.ci[a * 8 + CI_WORD] = FLAG_EXIT;
    this.accounts = accounts;
  }

  /** A deep copy of everything the pass has built so far (the logs by length: they only grow). */
  snapshot(k: number): SweepCheckpoint {
    const A = this.accounts;
    return {
      k,
      accounts: A,
      core: this.cf.slice(0, A * CORE_STRIDE),
      firstK: this.firstK.slice(0, A * NP),
      slotIx: this.slotIx.slice(0, A),
      table: this.table.clone(),
      receivedSpill: new Map(this.receivedSpill),
      sums: [this.injected, this.fees, this.generalDust].map((x) => ({ f: x.f.slice(), big: [...x.big] })),
      counters: {
        generalDustTransfers: this.generalDustTransfers,
        poisonFees: this.poisonFees,
        poisonFeesBig: this.poisonFeesBig,
        dustAmount: this.dustAmount,
        dustAmountBig: this.dustAmountBig,
        dustTransfers: this.dustTransfers,
        processed: this.processed,
      },
      log: this.log,
      logLength: this.log?.code.length ?? 0,
      hist: this.hist,
      histLength: this.hist?.account.length ?? 0,
    };
  }

  /** The state of a checkpoint (copied: the checkpoint stays as it was), the logs cut back to it. */
  restore(cp: SweepCheckpoint): void {
    this.cf.set(cp.core);
    this.firstK.set(cp.firstK);
    this.slotIx.set(cp.slotIx);
    this.table = cp.table.clone();
    this.receivedSpill = new Map(cp.receivedSpill);
    [this.injected, this.fees, this.generalDust].forEach((x, i) => {
      x.f.set(cp.sums[i].f);
      for (let p = 0; p < NP; p++) x.big[p] = cp.sums[i].big[p];
    });
    Object.assign(this, cp.counters);
    if (this.log !== null) {
      this.log.code.length = cp.logLength;
      this.log.amount.length = cp.logLength;
    }
    if (this.hist !== null) {
      const h = this.hist;
      h.account.length = h.code.length = h.balance.length = h.tainted.length = cp.histLength;
    }
  }
}

/**
 * The sweep's state after its first k transfers, kept so a later sweep over the same first k
 * transfers (and any after them) resumes there instead of starting over (follow mode: a new block, a
 * fork). Opaque outside this module; the logs are shared with the sweeper that made it.
 */
export interface SweepCheckpoint {
  readonly k: number;
  readonly accounts: number;
  readonly core: Float64Array;
  readonly firstK: Int32Array;
  readonly slotIx: Int32Array;
  readonly table: SlotTable;
  readonly receivedSpill: ReadonlyMap<number, bigint>;
  readonly sums: readonly { f: Float64Array; big: bigint[] }[];
  readonly counters: Readonly<
    Pick<State, 'generalDustTransfers' | 'poisonFees' | 'poisonFeesBig' | 'dustAmount' | 'dustAmountBig' | 'dustTransfers' | 'processed'>
  >;
  readonly log: Log | null;
  readonly logLength: number;
  readonly hist: History | null;
  readonly histLength: number;
}

/** Adds v to the poison received of r (core record at ro), spilling past 2^53. */
function addPoisonReceived(st: State, r: number, v: number): void {
  const ro = r * CORE_STRIDE + C_POISON_RECEIVED;
  const cur = st.cf[ro];
  const key = r * NP;
  st.receivedSpill.set(key, (st.receivedSpill.get(key) ?? 0n) + BigInt(cur) + BigInt(v));
  st.cf[ro] = 0;
}

/** A clean credit m to an account holding fifo/lifo lots (flags rw). */
function pushCleanLots(st: State, r: number, rw: number, m: number): void {
  const rs = st.slotIx[r];
  if ((rw & FLAG_FIFO_LOTS) !== 0) st.table.fifo[rs]!.push(m, false);
  if ((rw & FLAG_LIFO_LOTS) !== 0) st.table.lifo[rs]!.push(m, false);
}

function recordHistory(st: State, s: number, r: number, m: number, k: number): void {
  const sf = st.table.f;
  st.hist!.record(st.cf, st.ci, st.slotIx, sf, st.firstK, s, k);
  if (r !== s && m > 0) st.hist!.record(st.cf, st.ci, st.slotIx, sf, st.firstK, r, k);
}

/** Exact floor(a·b/c): the double fast path inline, the exact tiers in `mulDivFloor`. */
function mdf(a: number, b: number, c: number): number {
  const p = a * b;
  return p < TWO53 ? Math.floor(p / c) : mulDivFloor(a, b, c);
}
const TWO53 = 9007199254740992;

/**
 * The general transfer (steps 1–4 of the header, every policy): a seed, or a sender holding taint
 * under an amount policy. The hot loop handles every other transfer itself. Amounts are read from
 * the columns here, not passed: doubles passed to or returned from a call that is not inlined are
 * boxed (measured: ~30 MB of garbage per 1 M-transfer pass).
 */
function generalTransfer(st: State, k: number, s: number, r: number, isSeed: boolean): void {
  const { cf, ci, slotIx, firstK, receivedSpill, log, table, carry } = st;
  const m = st.amount[k];
  const f = st.fee[k];
  const d = m + f;
  const feeF = st.fees.f;
  const fifo = table.fifo;
  const lifo = table.lifo;
  let sf = table.f;
  let s16 = table.h;
  const so = s * CORE_STRIDE;
  const sw = ci[s * 8 + CI_WORD];
  const ss = slotIx[s];

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

  // 2. the tainted part of the debit, per amount policy; carry[p] = taint the transfer carries
  let any = 0;
  let sww = sw;
  if ((sw & FLAG_HOLDS) !== 0) {
    const base = ss * SLOT_STRIDE - 1;
    let held = 0;
    for (let p = P_HAIRCUT; p <= P_CLEAN_FIRST; p++) {
      const t = sf[base + p];
      let x = 0;
      if (t > 0) {
        if (p === P_HAIRCUT) x = t === b ? d : mdf(t, d, b);
        else if (p === P_FIFO) {
          x = fifo[ss]!.takeFront(d);
          if (x === t) {
            fifo[ss] = null;
            sww -= FLAG_FIFO_LOTS;
          }
        } else if (p === P_LIFO) {
          x = lifo[ss]!.takeBack(d);
          if (x === t) {
            lifo[ss] = null;
            sww -= FLAG_LIFO_LOTS;
          }
        } else if (p === P_TAINT_FIRST) x = t < d ? t : d;
        else {
          const clean = b - t;
          x = d > clean ? d - clean : 0;
        }
        sf[base + p] = t - x;
        held += t - x;
      }
      let c = 0;
      if (x > 0) {
        const xf = f === 0 ? 0 : x === d ? f : mdf(x, f, d);
        if (xf > 0) {
          const v = feeF[p] + xf;
          if (v > MAX) {
            st.fees.big[p] += BigInt(feeF[p]) + BigInt(xf);
            feeF[p] = 0;
          } else feeF[p] = v;
        }
        c = x - xf;
      }
      carry[p] = c;
      any += c;
    }
    if (held === 0) sww -= FLAG_HOLDS;
    if (sww !== sw) ci[s * 8 + CI_WORD] = sww;
  } else for (let p = P_HAIRCUT; p <= P_CLEAN_FIRST; p++) carry[p] = 0;

  // 3. poison
  const poisonedS = (sw & FLAG_POISONED) !== 0;
  let c0 = 0;
  if (poisonedS && f > 0) st.fees.add(P_POISON, f);
  if (m > 0 && (isSeed || poisonedS)) {
    if (isSeed || m >= st.dust) c0 = m;
    else {
      st.generalDustTransfers++;
      st.generalDust.add(0, m);
    }
  }
  if (isSeed) {
    const injected = st.injected;
    injected.add(P_POISON, m);
    for (let p = P_HAIRCUT; p <= P_CLEAN_FIRST; p++) {
      injected.add(p, m - carry[p]);
      carry[p] = m;
    }
    any = m;
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
      if (v > MAX) addPoisonReceived(st, r, c0);
      else cf[ro + C_POISON_RECEIVED] = v;
      // the sender's hops: re-read, the sender may be the recipient
      const sh = ci[s * 8 + CI_WORD] >>> HOPS_SHIFT;
      const cand = isSeed ? 1 : sh < MAX_HOPS ? sh + 1 : MAX_HOPS;
      const h = rw >>> HOPS_SHIFT;
      if (h === 0) {
        rw = (rw & FLAG_BITS) | (cand << HOPS_SHIFT);
        ci[r * 8 + CI_FIRST] = k + 1;
      } else if (cand < h) rw = (rw & FLAG_BITS) | (cand << HOPS_SHIFT);
      if (!exitR) rw |= FLAG_POISONED;
      ci[r * 8 + CI_WORD] = rw;
      if (log !== null) log.push(k * 8, c0);
    }
    let rs = slotIx[r];
    if (any > 0) {
      if (rs === 0) {
        slotIx[r] = rs = table.add();
        sf = table.f;
        s16 = table.h;
      }
      const rb = rs * SLOT_STRIDE - 1;
      if (!exitR) rw |= FLAG_HOLDS;
      for (let p = P_HAIRCUT; p <= P_CLEAN_FIRST; p++) {
        const c = carry[p];
        if (c > 0) {
          if (!exitR) {
            if (p === P_FIFO) {
              let lots = fifo[rs];
              if ((rw & FLAG_FIFO_LOTS) === 0) {
                fifo[rs] = lots = new Lots(before, false);
                rw |= FLAG_FIFO_LOTS;
              }
              lots!.push(m - c, false);
              lots!.push(c, true);
            } else if (p === P_LIFO) {
              let lots = lifo[rs];
              if ((rw & FLAG_LIFO_LOTS) === 0) {
                lifo[rs] = lots = new Lots(before, false);
                rw |= FLAG_LIFO_LOTS;
              }
              lots!.push(m - c, false);
              lots!.push(c, true);
            }
            sf[rb + p] += c;
          }
          // received (spilling past 2^53), hops, first taint, log
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
        } else if (p === P_FIFO ? (rw & FLAG_FIFO_LOTS) !== 0 : p === P_LIFO && (rw & FLAG_LIFO_LOTS) !== 0) {
          (p === P_FIFO ? fifo : lifo)[rs]!.push(m, false);
        }
      }
      ci[r * 8 + CI_WORD] = rw;
    } else if ((rw & (FLAG_FIFO_LOTS | FLAG_LIFO_LOTS)) !== 0) pushCleanLots(st, r, rw, m);
  }
  if (st.hist !== null) recordHistory(st, s, r, m, k);
}

/**
 * The pass itself, over the columns in chain order. A function of its own, with only arrays and
 * the one State class as arguments, so its optimised code does not depend on the caller's object
 * shapes and is reused from call to call (set-up and result building in `sweep` may deoptimise
 * without dropping the loop back into the interpreter).
 */
function passTransfers(
  st: State,
  from: number,
  n: number,
  sender: Int32Array,
  recipient: Int32Array,
  amount: Float64Array,
  fee: Float64Array,
  timeStamp: Int32Array,
  seed: Uint8Array,
  windowEnd: number,
): void {
  // Local copies of the layout constants: module-scope constants are context loads in V8's
  // optimised code (measured: ~8 % of the pass); function-local ones fold into the instructions.
  // They shadow the module constants of the same names and must equal them (the accessors below
  // read with the module ones, so the tests against the reference would catch a mismatch).
  const CORE_STRIDE = 4,
    C_POISON_RECEIVED = 1,
    C_OPENING = 2,
    CI_FIRST = 6,
    CI_WORD = 7;
  /** Batch size (a power of two) for touching account state one batch ahead. */
  const PREFETCH = 16;
  const FLAG_EXIT = 1,
    FLAG_POISONED = 2,
    FLAG_FIFO_LOTS = 4,
    FLAG_LIFO_LOTS = 8,
    FLAG_HOLDS = 16,
    FLAG_BITS = 31;
  const HOPS_SHIFT = 5,
    MAX_HOPS = 32767,
    MAX = 9007199254740991;
  const windowed = windowEnd !== Infinity;
  const { cf, ci, dust, log, hist } = st;
  // the hot loop's own accumulators (the general path keeps its own in `st`), carried over from an
  // earlier pass over the transfers before `from`
  let poisonFees = st.poisonFees;
  let poisonFeesBig = st.poisonFeesBig;
  let dustAmount = st.dustAmount;
  let dustAmountBig = st.dustAmountBig;
  let dustTransfers = st.dustTransfers;
  let processed = st.processed;
  let touched = st.touched;
  for (let k = from; k < n; k++) {
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
    const sw = ci[s * 8 + CI_WORD];
    if ((sw & FLAG_HOLDS) !== 0 || seed[k] === 1) {
      generalTransfer(st, k, s, r, seed[k] === 1);
      continue;
    }
    // the sender holds no taint under an amount policy (so it has no lot lists): only the
    // balances move, and poison when the sender is poisoned

    // 1. implied opening balance: the oldest, clean funds
    const so = s * CORE_STRIDE;
    const b = cf[so];
    // branch-free (whether a debit overdraws is unpredictable): sh = max(0, d − b), exactly
    const sh = (d - b) * +(b < d);
    const op = cf[so + C_OPENING] + sh;
    if (op > MAX) throw new RangeError(`account #${s}: implied opening balance exceeds 2^53 µXEM`);
    cf[so + C_OPENING] = op;
    cf[so] = b - d + sh;

    // 3. poison (step 2 carries nothing: no amount-policy taint)
    const poisonedS = (sw & FLAG_POISONED) !== 0;
    if (poisonedS && f > 0) {
      const v = poisonFees + f;
      if (v > MAX) {
        poisonFeesBig += BigInt(poisonFees) + BigInt(f);
        poisonFees = 0;
      } else poisonFees = v;
    }

    // 4. credit the recipient
    if (m > 0) {
      const ro = r * CORE_STRIDE;
      const nb = cf[ro] + m;
      if (nb > MAX) throw new RangeError(`account #${r}: balance exceeds 2^53 µXEM`);
      cf[ro] = nb;
      let rw = ci[r * 8 + CI_WORD];
      if (poisonedS) {
        if (m >= dust) {
          const v = cf[ro + C_POISON_RECEIVED] + m;
          if (v > MAX) addPoisonReceived(st, r, m);
          else cf[ro + C_POISON_RECEIVED] = v;
          // the sender's hops: re-read, the sender may be the recipient
          const sh = ci[s * 8 + CI_WORD] >>> HOPS_SHIFT;
          const cand = sh < MAX_HOPS ? sh + 1 : MAX_HOPS;
          const h = rw >>> HOPS_SHIFT;
          if (h === 0) {
            rw = (rw & FLAG_BITS) | (cand << HOPS_SHIFT);
            ci[r * 8 + CI_FIRST] = k + 1;
          } else if (cand < h) rw = (rw & FLAG_BITS) | (cand << HOPS_SHIFT);
          if ((rw & FLAG_EXIT) === 0) rw |= FLAG_POISONED;
          ci[r * 8 + CI_WORD] = rw;
          if (log !== null) log.push(k * 8, m);
        } else {
          dustTransfers++;
          const v = dustAmount + m;
          if (v > MAX) {
            dustAmountBig += BigInt(dustAmount) + BigInt(m);
            dustAmount = 0;
          } else dustAmount = v;
        }
      }
      if ((rw & (FLAG_FIFO_LOTS | FLAG_LIFO_LOTS)) !== 0) pushCleanLots(st, r, rw, m);
    }
    if (hist !== null) recordHistory(st, s, r, m, k);
  }

  st.poisonFees = poisonFees;
  st.poisonFeesBig = poisonFeesBig;
  st.dustAmount = dustAmount;
  st.dustAmountBig = dustAmountBig;
  st.dustTransfers = dustTransfers;
  st.processed = processed;
  st.touched = touched;
}

export function sweep(cols: Columns, options: SweepOptions): SweepResult {
  const sweeper = new Sweeper(cols, options);
  sweeper.run(cols.n);
  return sweeper.result();
}

/**
 * A sweep that can stop, go on over more transfers, and be resumed from a checkpoint: what follow
 * mode's incremental re-trace runs (src/taint/incremental.ts). `sweep` is `run(n)` then `result()` in one
 * go; a sweep resumed from a checkpoint over the same first k transfers gives the same result as one
 * that ran from the start, because the state after k transfers is all the pass carries forward.
 */
export class Sweeper {
  private st: State;
  /** The next transfer to process. */
  k = 0;

  constructor(
    private cols: Columns,
    private options: SweepOptions,
    from?: SweepCheckpoint,
  ) {
    const A = cols.accounts;
    const rows = Math.max(4096, Math.ceil(cols.n * ROWS_PER_TRANSFER));
    const log = from?.log ?? (options.log === true ? new Log(rows) : null);
    const hist = from?.hist ?? (options.history === true ? new History(rows) : null);
    if ((log !== null) !== (options.log === true) || (hist !== null) !== (options.history === true))
      throw new TypeError('a checkpoint resumes only a sweep with the same log and history options');
    if (from === undefined) {
      this.st = new State(cols.amount, cols.fee, A, options.dust, log, hist);
      const ci = this.st.ci;
      for (let a = 0; a < A; a++) if (options.isExit[a] === 1) ci[a * 8 + CI_WORD] = FLAG_EXIT;
    } else {
      if (from.k > cols.n || from.accounts > A) throw new RangeError('the checkpoint is beyond these columns');
      this.st = new State(cols.amount, cols.fee, from.accounts, options.dust, log, hist, A);
      this.st.restore(from);
      this.st.grow(A, options.isExit);
      this.k = from.k;
    }
  }

  /**
   * Go on with columns that hold the same first k transfers (and accounts) as the current ones and
   * maybe more; `options` must cover them (isExit per account, seed per transfer).
   */
  extend(cols: Columns, options: SweepOptions): void {
    if (cols.n < this.k || cols.accounts < this.st.accounts) throw new RangeError('the columns must extend the swept ones');
    this.cols = cols;
    this.options = options;
    this.st.amount = cols.amount;
    this.st.fee = cols.fee;
    this.st.grow(cols.accounts, options.isExit);
  }

  /** Process transfers k..to−1. */
  run(to: number): void {
    const { cols, options } = this;
    if (to > cols.n || to < this.k) throw new RangeError(`run(${to}): outside ${this.k}..${cols.n}`);
    const windowEnd = options.windowTo ?? Infinity;
    passTransfers(this.st, this.k, to, cols.sender, cols.recipient, cols.amount, cols.fee, cols.timeStamp, options.seed, windowEnd);
    this.k = to;
  }

  /** A copy of the state after the first k transfers. */
  checkpoint(): SweepCheckpoint {
    return this.st.snapshot(this.k);
  }

  /**
   * The result so far (views of the live state: read it before running on). Running on afterwards
   * is allowed: poison's first-taint pointers are copied into `firstK` idempotently.
   */
  result(): SweepResult {
    const st = this.st;
    const A = st.accounts;
    const ci = st.ci;
    const { poisonFees, poisonFeesBig, dustAmount, dustAmountBig, dustTransfers, processed, touched } = st;
    // poison's first-taint transfers move from the core records to firstK
    const firstK = st.firstK;
    for (let a = 0; a < A; a++) {
      const k1 = ci[a * 8 + CI_FIRST];
      if (k1 !== 0) firstK[a * NP] = k1 - 1;
    }
    const table = st.table;
    const feeTotals = st.fees.values();
    feeTotals[P_POISON] += poisonFeesBig + BigInt(poisonFees);
    const { log, hist } = st;
    return {
      accounts: A,
      core: st.cf,
      core32: ci,
      slotIndex: st.slotIx,
      slots: table.f,
      slots16: table.h,
      slotCount: table.count,
      firstK,
      touched,
      receivedSpill: st.receivedSpill,
      injected: st.injected.values(),
      fees: feeTotals,
      dust: {
        transfers: dustTransfers + st.generalDustTransfers,
        amount: dustAmountBig + BigInt(dustAmount) + st.generalDust.values()[0],
      },
      processed,
      log: log === null ? null : { code: log.code.data, amount: log.amount.data, length: log.code.length },
      history:
        hist === null
          ? null
          : {
              account: hist.account.data,
              code: hist.code.data,
              balance: hist.balance.data,
              tainted: hist.tainted.data,
              length: hist.account.length,
            },
      fifo: table.fifo,
      lifo: table.lifo,
    };
  }
}

/** Slot of account a in `slots` (0 = never received taint under an amount policy). */
function slotOf(res: SweepResult, a: number): number {
  return res.slotIndex[a];
}

/** Exact taint received by account a under policy p. */
export function receivedOf(res: SweepResult, a: number, p: number): bigint {
  return BigInt(receivedPart(res, a, p)) + (res.receivedSpill.get(a * NP + p) ?? 0n);
}

/** Taint received by account a under policy p as a number; NaN once it passed 2^53 (then receivedOf has it exactly). */
export function receivedNumberOf(res: SweepResult, a: number, p: number): number {
  return res.receivedSpill.size !== 0 && res.receivedSpill.has(a * NP + p) ? Number.NaN : receivedPart(res, a, p);
}

/** The part of received kept in the state records (the rest spilled into `receivedSpill`). */
function receivedPart(res: SweepResult, a: number, p: number): number {
  if (p === P_POISON) return res.core[a * CORE_STRIDE + C_POISON_RECEIVED];
  const sl = slotOf(res, a);
  return sl === 0 ? 0 : res.slots[sl * SLOT_STRIDE + S_RECEIVED + p];
}

/**
 * Tainted balance account a holds at the end under policy p: poison, the whole balance once poisoned; an amount
 * policy, its tainted balance; an exit (`exit`) none — it absorbs what it receives. The one home of the rule.
 */
export function heldOf(res: SweepResult, a: number, p: number, exit: boolean): number {
  if (exit) return 0;
  if (p === P_POISON) return (flagsOf(res, a) & FLAG_POISONED) !== 0 ? balanceOf(res, a) : 0;
  return taintOf(res, a, p);
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
