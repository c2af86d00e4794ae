/**
 * The project's shared vocabulary, used by every stage (labels, store, crawl, taint, report, screen, server):
 * the taint policies, a label, a resolved case, and the exit rule. Plain types and pure functions, no
 * imports: the core re-exports them, and nothing here depends on the core.
 */

/** The six taint policies in their canonical order (docs/taint-semantics.md §6). */
export const POLICIES = ['poison', 'haircut', 'fifo', 'lifo', 'taint-first', 'clean-first'] as const;
export type Policy = (typeof POLICIES)[number];
/** The policies that conserve taint mass (all but poison). */
export const AMOUNT_POLICIES = ['haircut', 'fifo', 'lifo', 'taint-first', 'clean-first'] as const satisfies readonly Policy[];

/** Label categories that stop taint unless a case says otherwise (docs/taint-semantics.md §7). */
export const DEFAULT_EXIT_CATEGORIES = ['exchange', 'darkweb', 'mixer', 'gambling'] as const;

/** One TagPack tag, resolved (header defaults applied). */
export interface Label {
  address: string;
  label: string;
  category: string;
  source?: string;
  confidence?: number;
  memo?: string;
  /** Which real account a scenario stand-in plays (fixtures only). */
  plays?: string;
}

/** A seed as written in the case file, validated. */
export type SeedSpec = { hash: string } | { account: string; from: number; to: number; exclude: string[] };

/** The case file (docs/contracts.md §2) after validation: times as NEM timestamps, dust in µXEM. */
export interface ResolvedCase {
  id: string;
  title: string;
  seeds: SeedSpec[];
  /** Window end (exclusive), NEM timestamp; null = no end. */
  windowTo: number | null;
  labelFiles: string[];
  exitCategories: string[];
  dust: bigint;
  maxHops: number;
  valuation: { currency: string; rate: string } | null;
}

/**
 * The exit rule, its one home (docs/taint-semantics.md §7): an account is an exit when its label's category
 * is one of the exit categories. Exits absorb taint; the crawler records them without expanding them.
 */
export function isExitLabel(label: Pick<Label, 'category'> | null | undefined, exitCategories: Iterable<string>): boolean {
  if (label == null) return false;
  for (const c of exitCategories) if (c === label.category) return true;
  return false;
}

/** The exit rule bound to a label set and a case's categories: address → is it an exit? */
export function exitTest(
  labels: ReadonlyMap<string, Pick<Label, 'category'>>,
  exitCategories: Iterable<string>,
): (address: string) => boolean {
  const categories = new Set(exitCategories);
  return (address) => {
    const l = labels.get(address);
    return l !== undefined && categories.has(l.category);
  };
}

/**
 * String order of every sorted output (addresses, hashes, memos, keys): UTF-16 code-unit order, the same
 * as byte order for the ASCII keys the engine uses; never locale-dependent, so outputs are reproducible.
 */
export const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What chain order reads of a transfer (a `Transfer` has these fields). */
export interface ChainOrdered {
  height: number;
  timeStamp: number;
  hash: string;
  /** Index in the block's transaction list, where known. */
  position?: number;
}

/**
 * Chain order (docs/taint-semantics.md, "Order"), its one home — the comparator every stage uses (the core
 * through src/taint/order.ts, the store's `loadColumns`): block height, then the transaction's position in
 * its block (NIS executes a block in the order `/block/at/public` lists it), then NEM timestamp, then hash
 * (lexicographic, lower case) where the position is not known. Within one height a transfer with a known
 * position comes before one without (a store holds both only until the crawl has verified that block), so
 * the order is total whatever is known.
 */
export function compareChainOrder(a: ChainOrdered, b: ChainOrdered): number {
  if (a.height !== b.height) return a.height - b.height;
  const pa = a.position;
  const pb = b.position;
  if (pa !== undefined && pb !== undefined) {
    if (pa !== pb) return pa - pb;
  } else if (pa !== undefined || pb !== undefined) {
    return pa !== undefined ? -1 : 1;
  }
  if (a.timeStamp !== b.timeStamp) return a.timeStamp - b.timeStamp;
  const ha = a.hash.toLowerCase();
  const hb = b.hash.toLowerCase();
  return ha < hb ? -1 : ha > hb ? 1 : 0;
}

/** Descending bigint order (largest amount first). */
export const cmpBigDesc = (a: bigint, b: bigint): number => (a > b ? -1 : a < b ? 1 : 0);

/**
 * The result of policy `p` in anything keyed by policy (a TraceResult, a report, a valuation), whose
 * `policies` field only holds the policies that were asked for. Asking for one that is absent is a bug.
 */
export function policyOf<T>(holder: { readonly policies: Partial<Record<Policy, T>> }, p: Policy): T {
  const r = holder.policies[p];
  if (r === undefined) throw new TypeError(`policy ${p} was not computed for this result`);
  return r;
}

/** (Shared by the store, which loads them, and the taint core, which sweeps them.) */
export interface Columns {
  /** Number of transfers. */
  n: number;
  /** Number of distinct account indices. */
  accounts: number;
  sender: Int32Array;
  recipient: Int32Array;
  amount: Float64Array;
  fee: Float64Array;
  timeStamp: Int32Array;
  height: Int32Array;
}
