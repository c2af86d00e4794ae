/**
 * Which accounts the crawl must reach (docs/nis1.md §7), as a pure, incremental fixpoint over the
 * transfers seen so far — so the result depends on the set of stored transfers only, never on the
 * order pages arrived in, and a restarted crawl recomputes exactly what it had.
 *
 * Rule: an account is reached by a transfer moving > 0 XEM to another account that is
 *   - a seed transfer (recipient at hop 1, reached at the transfer's time), or
 *   - sent by a reached account S that is not an exit, at or after the time S was reached
 *     (equal timestamps count), the recipient then being at hop(S) + 1 ≤ maxHops — below the dust
 *     threshold too (dust limits poison, not the crawl).
 * With a hop limit, "the time S was reached" depends on the path: S is reached within h hops iff a
 * time-respecting path of ≤ h transfers leads to it from a seed. So each account keeps its Pareto
 * staircase of (hops, earliest time reached within that many hops) — hops rising, times falling —
 * and a transfer at time t from S leaves with the fewest hops among the steps with time ≤ t.
 * Staircases only improve as transfers arrive; an improvement re-examines the account's outgoing
 * transfers (worklist). This is the rule src/fixture/expected-crawl.ts computes by Bellman–Ford.
 * Seed accounts (`--seed`) are reached at hop 0 from time 0.
 */
import type { Transfer } from '../nem/index.js';
import type { SeedSpec } from '../domain.js';

export interface ReachState {
  /** Fewest hops over all paths. */
  hop: number;
  /** Earliest time reached over all paths. */
  reachedAt: number;
  exit: boolean;
  seed: boolean;
  /** Pareto steps [hops, earliest time within that many hops]: hops rising, times strictly falling. */
  steps: Array<[number, number]>;
}

interface Edge {
  recipient: string;
  timeStamp: number;
  amount: number;
  hash: string;
}

export interface ReachOptions {
  seeds: readonly SeedSpec[];
  seedAccounts: readonly string[];
  isExit: (address: string) => boolean;
  maxHops: number;
  /** Transfers at or after this NEM time are outside the window (ignored); null = no end. */
  windowTo: number | null;
}

/** What the crawl asks of a reach rule: this forward one, or upstream.ts's cone of an address. */
export interface Reacher {
  readonly accounts: Map<string, ReachState>;
  /** Is this transfer a seed (stored by a seed-window pass)? */
  isSeed(t: Transfer): boolean;
  /** Take in transfers; the addresses whose state was created or changed (to persist). Idempotent per hash. */
  add(transfers: Iterable<Transfer>): Set<string>;
  has(hash: string): boolean;
  toExpandCount(): number;
  /** The accounts to expand (complete history), sorted. */
  toExpand(): string[];
}

export class Reach implements Reacher {
  readonly accounts = new Map<string, ReachState>();
  private readonly out = new Map<string, Edge[]>();
  private readonly seen = new Set<string>();
  private readonly seedHashes: Set<string>;
  private readonly accountSeeds: Array<{ account: string; from: number; to: number; exclude: Set<string> }>;

  constructor(private readonly options: ReachOptions) {
    this.seedHashes = new Set(options.seeds.flatMap((s) => ('hash' in s ? [s.hash.toLowerCase()] : [])));
    this.accountSeeds = options.seeds.flatMap((s) =>
      'hash' in s ? [] : [{ account: s.account, from: s.from, to: s.to, exclude: new Set(s.exclude) }],
    );
    for (const a of options.seedAccounts) {
      this.accounts.set(a, { hop: 0, reachedAt: 0, exit: options.isExit(a), seed: true, steps: [[0, 0]] });
    }
  }

  /** Is this transfer a seed (by hash, or an outflow of a seed account in its range)? */
  isSeed(t: Transfer): boolean {
    if (t.amount <= 0 || t.recipient === t.sender) return false;
    if (this.seedHashes.has(t.hash)) return true;
    return this.accountSeeds.some(
      (s) => t.sender === s.account && t.timeStamp >= s.from && t.timeStamp < s.to && !s.exclude.has(t.recipient),
    );
  }

  /**
   * Take in transfers; returns the addresses whose state was created or changed (to persist).
   * Idempotent per hash.
   */
  add(transfers: Iterable<Transfer>): Set<string> {
    const changed = new Set<string>();
    const work: string[] = [];
    for (const t of transfers) {
      if (this.seen.has(t.hash)) continue;
      if (this.options.windowTo !== null && t.timeStamp >= this.options.windowTo) continue;
      this.seen.add(t.hash);
      if (t.amount <= 0 || t.recipient === t.sender) continue;
      const edge: Edge = { recipient: t.recipient, timeStamp: t.timeStamp, amount: t.amount, hash: t.hash };
      const list = this.out.get(t.sender);
      if (list) list.push(edge);
      else this.out.set(t.sender, [edge]);
      if (this.isSeed(t)) this.relax(t.recipient, 1, t.timeStamp, changed, work);
      const s = this.accounts.get(t.sender);
      if (s) this.follow(s, edge, changed, work);
    }
    while (work.length > 0) {
      const a = work.pop()!;
      const s = this.accounts.get(a)!;
      for (const edge of this.out.get(a) ?? []) this.follow(s, edge, changed, work);
    }
    return changed;
  }

  /** Has this transfer been taken in (and was inside the window)? */
  has(hash: string): boolean {
    return this.seen.has(hash);
  }

  /** Number of reached accounts to expand. */
  toExpandCount(): number {
    let n = 0;
    for (const s of this.accounts.values()) if (!s.exit) n++;
    return n;
  }

  /** Reached accounts that must be expanded (complete history): not exits, hop ≤ maxHops. */
  toExpand(): string[] {
    const out: string[] = [];
    for (const [a, s] of this.accounts) if (!s.exit) out.push(a);
    return out.sort();
  }

  private follow(s: ReachState, edge: Edge, changed: Set<string>, work: string[]): void {
    if (s.exit) return;
    // Fewest hops with which the sender was reached by edge.timeStamp (steps: times falling).
    let hop = -1;
    for (const [h, at] of s.steps) {
      if (at <= edge.timeStamp) {
        hop = h;
        break;
      }
    }
    if (hop < 0 || hop >= this.options.maxHops) return;
    this.relax(edge.recipient, hop + 1, edge.timeStamp, changed, work);
  }

  private relax(address: string, hop: number, at: number, changed: Set<string>, work: string[]): void {
    const cur = this.accounts.get(address);
    if (!cur) {
      this.accounts.set(address, { hop, reachedAt: at, exit: this.options.isExit(address), seed: false, steps: [[hop, at]] });
    } else {
      // Dominated by an existing step (no more hops and no later)?
      if (cur.steps.some(([h, t]) => h <= hop && t <= at)) return;
      const steps = cur.steps.filter(([h, t]) => !(h >= hop && t >= at));
      steps.push([hop, at]);
      steps.sort((a, b) => a[0] - b[0]);
      cur.steps = steps;
      cur.hop = steps[0][0];
      cur.reachedAt = steps[steps.length - 1][1];
    }
    changed.add(address);
    work.push(address);
  }
}
