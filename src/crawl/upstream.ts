/**
 * Which accounts a crawl of an address's upstream cone must expand (`crawl({ upstream })`, for
 * `tainttrace exposure --node`, docs/contracts.md §6): the accounts with a chain of at most `hops`
 * transfers into the address — the cone src/exposure gathers from the store — each with its
 * complete history (its balances need both lists). Like reach.ts a pure, incremental fixpoint over
 * the transfers seen, so a restarted crawl recomputes exactly what it had:
 *
 *   the address is at depth 0; the sender of any transfer into an account at depth d < hops is at
 *   depth ≤ d + 1 (every transfer counts, whatever its amount or time: the cone is the BFS of
 *   src/exposure/cone.ts over the transfer graph, not a time-respecting one).
 *
 * There are no seeds and no exits: exposure treats an exchange as an account like any other.
 */
import type { Transfer } from '../nem/index.js';
import type { Reacher, ReachState } from './reach.js';

export class UpstreamReach implements Reacher {
  readonly accounts = new Map<string, ReachState>();
  /** recipient → senders of the transfers into it seen so far. */
  private readonly senders = new Map<string, Set<string>>();
  private readonly seen = new Set<string>();

  constructor(
    address: string,
    private readonly hops: number,
  ) {
    this.accounts.set(address, state(0));
  }

  isSeed(): boolean {
    return false;
  }

  add(transfers: Iterable<Transfer>): Set<string> {
    const changed = new Set<string>();
    const work: string[] = [];
    for (const t of transfers) {
      if (this.seen.has(t.hash)) continue;
      this.seen.add(t.hash);
      if (t.sender === t.recipient) continue;
      let from = this.senders.get(t.recipient);
      if (from === undefined) this.senders.set(t.recipient, (from = new Set()));
      from.add(t.sender);
      const r = this.accounts.get(t.recipient);
      if (r !== undefined) this.relax(t.sender, r.hop + 1, changed, work);
    }
    while (work.length > 0) {
      const a = work.pop()!;
      const d = this.accounts.get(a)!.hop;
      for (const s of this.senders.get(a) ?? []) this.relax(s, d + 1, changed, work);
    }
    return changed;
  }

  has(hash: string): boolean {
    return this.seen.has(hash);
  }

  toExpandCount(): number {
    return this.accounts.size;
  }

  toExpand(): string[] {
    return [...this.accounts.keys()].sort();
  }

  private relax(address: string, depth: number, changed: Set<string>, work: string[]): void {
    if (depth > this.hops) return;
    const cur = this.accounts.get(address);
    if (cur !== undefined && cur.hop <= depth) return;
    this.accounts.set(address, state(depth));
    changed.add(address);
    work.push(address);
  }
}

function state(depth: number): ReachState {
  return { hop: depth, reachedAt: 0, exit: false, seed: false, steps: [[depth, 0]] };
}
