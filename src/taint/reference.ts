/**
 * A naive reference implementation of docs/taint-semantics.md, written for clarity, not speed: one policy at a
 * time, bigint everywhere, plain object state, unmerged lot arrays. The property tests check the
 * typed-array sweep (via runTrace) against it, to the µXEM. Not used by the engine.
 */
import type { Transfer } from '../nem/index.js';
import { sortTransfers } from './order.js';
import { resolveSeeds } from './seeds.js';
import { exitTest, type Label, type Policy, type ResolvedCase } from './types.js';

export interface RefAccount {
  hops: number;
  received: bigint;
  held: bigint;
  balance: bigint;
  firstTaintedAt: number;
  /** Hash of the transfer that first brought taint. */
  firstHash: string;
}

export interface RefPolicy {
  totals: { seed: bigint; held: bigint; exited: bigint; fees: bigint };
  accounts: Map<string, RefAccount & { isExit: boolean }>;
  transferTaint: Map<string, bigint>;
}

export interface RefResult {
  policies: Record<Policy, RefPolicy>;
  dust: { transfers: number; amount: bigint };
  openings: Map<string, bigint>;
}

interface Lot {
  amount: bigint;
  tainted: boolean;
}
interface State {
  balance: bigint;
  tainted: bigint;
  lots: Lot[];
  poisoned: boolean;
  opening: bigint;
}

export function referenceTrace(transfers: readonly Transfer[], caseSpec: ResolvedCase, labels: ReadonlyMap<string, Label>): RefResult {
  const sorted = sortTransfers(transfers).filter((t) => caseSpec.windowTo === null || t.timeStamp < caseSpec.windowTo);
  const seeds = new Set(resolveSeeds(sorted, caseSpec.seeds).map((k) => sorted[k].hash));
  const isExit = exitTest(labels, caseSpec.exitCategories);
  const policies = {} as Record<Policy, RefPolicy>;
  let dust = { transfers: 0, amount: 0n };
  let openings = new Map<string, bigint>();
  for (const policy of ['poison', 'haircut', 'fifo', 'lifo', 'taint-first', 'clean-first'] as const) {
    const run = runPolicy(policy, sorted, seeds, isExit, caseSpec.dust);
    policies[policy] = run.result;
    if (policy === 'poison') dust = run.dust;
    openings = run.openings;
  }
  return { policies, dust, openings };
}

function runPolicy(policy: Policy, sorted: readonly Transfer[], seeds: Set<string>, isExit: (a: string) => boolean, dust: bigint) {
  const states = new Map<string, State>();
  const get = (a: string): State => {
    let s = states.get(a);
    if (!s) states.set(a, (s = { balance: 0n, tainted: 0n, lots: [], poisoned: false, opening: 0n }));
    return s;
  };
  const accounts = new Map<string, RefAccount & { isExit: boolean }>();
  const transferTaint = new Map<string, bigint>();
  let seedMass = 0n;
  let fees = 0n;
  const dustPruned = { transfers: 0, amount: 0n };

  for (const tr of sorted) {
    const moved = BigInt(tr.amount);
    const fee = BigInt(tr.fee);
    const debit = moved + fee;
    if (debit === 0n) continue;
    const isSeed = seeds.has(tr.hash);
    const s = get(tr.sender);

    if (s.balance < debit) {
      const shortfall = debit - s.balance;
      s.opening += shortfall;
      s.balance += shortfall;
      s.lots.unshift({ amount: shortfall, tainted: false });
    }

    // tainted part of the debit
    let x = 0n;
    if (policy === 'haircut') x = s.balance === 0n ? 0n : (s.tainted * debit) / s.balance;
    else if (policy === 'taint-first') x = s.tainted < debit ? s.tainted : debit;
    else if (policy === 'clean-first') x = debit > s.balance - s.tainted ? debit - (s.balance - s.tainted) : 0n;
    else if (policy === 'fifo' || policy === 'lifo') {
      let need = debit;
      while (need > 0n) {
        const lot = policy === 'fifo' ? s.lots[0] : s.lots[s.lots.length - 1];
        const take = lot.amount < need ? lot.amount : need;
        if (lot.tainted) x += take;
        lot.amount -= take;
        need -= take;
        if (lot.amount === 0n) {
          if (policy === 'fifo') s.lots.shift();
          else s.lots.pop();
        }
      }
    }
    let carried = 0n;
    if (policy === 'poison') {
      if (s.poisoned) fees += fee;
      if (moved > 0n && (isSeed || s.poisoned)) {
        if (isSeed || moved >= dust) carried = moved;
        else {
          dustPruned.transfers += 1;
          dustPruned.amount += moved;
        }
      }
      if (isSeed) seedMass += moved;
    } else {
      s.tainted -= x;
      const xf = debit === 0n ? 0n : (x * fee) / debit;
      fees += xf;
      carried = x - xf;
      if (isSeed) {
        seedMass += moved - carried;
        carried = moved;
      }
    }
    s.balance -= debit;
    if (s.balance < 0n || s.tainted < 0n) throw new Error('reference: negative balance');

    if (moved === 0n) continue;
    const r = get(tr.recipient);
    r.balance += moved;
    const exit = isExit(tr.recipient);
    if (carried > 0n) {
      transferTaint.set(tr.hash, carried);
      if (!exit) {
        r.tainted += carried;
        if (policy === 'poison') r.poisoned = true;
      }
      const hop = isSeed ? 1 : accounts.get(tr.sender)!.hops + 1;
      const acc = accounts.get(tr.recipient);
      if (!acc) {
        accounts.set(tr.recipient, {
          isExit: exit,
          hops: hop,
          received: carried,
          held: 0n,
          balance: 0n,
          firstTaintedAt: tr.timeStamp,
          firstHash: tr.hash,
        });
      } else {
        acc.received += carried;
        if (hop < acc.hops) acc.hops = hop;
      }
    }
    if (exit) r.lots.push({ amount: moved, tainted: false });
    else {
      if (moved - carried > 0n) r.lots.push({ amount: moved - carried, tainted: false });
      if (carried > 0n) r.lots.push({ amount: carried, tainted: true });
    }
  }

  let held = 0n;
  let exited = 0n;
  for (const [address, acc] of accounts) {
    const st = get(address);
    acc.balance = st.balance;
    if (acc.isExit) {
      exited += acc.received;
      acc.held = 0n;
    } else {
      acc.held = policy === 'poison' ? (st.poisoned ? st.balance : 0n) : st.tainted;
      held += acc.held;
    }
  }
  const openings = new Map<string, bigint>();
  for (const [a, st] of states) if (st.opening > 0n) openings.set(a, st.opening);
  return {
    result: { totals: { seed: seedMass, held, exited, fees }, accounts, transferTaint } satisfies RefPolicy,
    dust: dustPruned,
    openings,
  };
}
