/**
 * The store path of exposure: gathers an address's upstream cone from the store's per-account
 * indexes (incoming lists, hop by hop, then the complete stored history of every cone account for
 * the balances) into a graphology MultiDirectedGraph, finds the cone on it (cone.ts) and runs the
 * exact exposure (exposure.ts). Coverage says how much of the cone the store holds completely: an
 * account whose lists a crawl finished (`expanded`) has its whole history; any other one only the
 * transfers some crawled account shared with it (its missing funds become implied clean openings).
 */
import { MultiDirectedGraph } from 'graphology';
import pLimit from 'p-limit';
import { TracerError } from '../errors.js';
import { parseAddress, rowFields } from '../nem/index.js';
import type { Transfer } from '../nem/index.js';
import { hashAt, type Store } from '../store/index.js';
import type { Label } from '../taint/index.js';
import { upstreamCone } from './cone.js';
import { exposureOfCone, type ExposureResult } from './exposure.js';
import { resolveExposureOptions, type ExposureOptions } from './options.js';

export interface StoreExposureOptions extends ExposureOptions {
  /** Labels on top of the store's own (a later tag for the same address wins). */
  labels?: ReadonlyMap<string, Label>;
  /** Caps the transfers gathered (shared across calls: a server's per-request cap); none = unbounded. */
  budget?: ConeBudget;
}

/**
 * A cap on the transfers cone gathering may take in, shared by every exposure of one request: each
 * transfer kept is taken from it, and the one past the cap is TRACE_WORK_LIMIT (nothing is answered).
 */
export class ConeBudget {
  constructor(public left: number) {}

  take(n: number, address: string): void {
    this.left -= n;
    if (this.left < 0)
      throw new TracerError(
        'TRACE_WORK_LIMIT',
        `the upstream cone of ${address} takes more transfers than one request may gather; ask for fewer hops or fewer exposures`,
        { details: { address } },
      );
  }
}

export interface ExposureCoverage {
  /** Cone accounts whose complete history the store holds (a crawl finished both their lists). */
  complete: number;
  /** Cone accounts with only part of their history in the store. */
  incomplete: number;
  /** The first of them (closest first), up to 20. */
  incompleteAccounts: string[];
  /** Highest stored height (or chain height a crawl saw). */
  tipHeight: number;
}

export interface StoreExposureResult extends ExposureResult {
  coverage: ExposureCoverage;
}

/** Concurrent index reads while gathering a cone. */
const READS = 16;

/** Where a cone is gathered from: the store's indexes, or the same held in memory (the server). */
export interface ConeSource {
  /** An account's incoming or outgoing transfers (any order). */
  list(address: string, which: 'in' | 'out'): Promise<readonly Transfer[]> | readonly Transfer[];
  labels: ReadonlyMap<string, Label>;
  /** Per address: does the source hold its complete history (a crawl finished both its lists)? */
  complete(addresses: readonly string[]): Promise<boolean[]> | boolean[];
  /** Highest height the source knows (stored transfers, or the chain height a crawl saw). */
  tipHeight: number;
}

/** The exposure of an address (NEM address text: TRACE_INVALID_ADDRESS when it is not one) from a store, with its coverage. */
export async function exposure(store: Store, address: string, options: StoreExposureOptions = {}): Promise<StoreExposureResult> {
  return exposureFrom(await storeConeSource(store), parseAddress(address), options);
}

/** The same from any cone source; `address` is taken as it is (canonical: the source's own keys). */
export async function exposureFrom(source: ConeSource, address: string, options: StoreExposureOptions = {}): Promise<StoreExposureResult> {
  const o = resolveExposureOptions(options);
  const extra = options.labels;
  const labelOf = (a: string) => extra?.get(a) ?? source.labels.get(a) ?? null;
  const { graph, transfers } = await gatherCone(source, address, o.hops, o.asOf, options.budget);
  if (!transfers.some((t) => t.recipient === address)) {
    const when = o.asOf === null ? '' : ' before asOf';
    throw new TracerError('TRACE_NOT_FOUND', `no stored transfer into ${address}${when} (crawl its upstream cone first)`, {
      details: { address },
    });
  }
  const depth = upstreamCone(graph, address, o.hops);
  const inCone = transfers.filter((t) => depth.has(t.sender) || depth.has(t.recipient));
  const result = exposureOfCone({ address, label: labelOf(address), depth, transfers: inCone, labels: labelOf, options: o });
  return { ...result, coverage: await coverage(source, depth, transfers) };
}

/** A ConeSource reading the store's per-account indexes as it goes (labels read once). */
export async function storeConeSource(store: Store): Promise<ConeSource> {
  const limit = pLimit(READS);
  return {
    list: (address, which) => store.accountTransfers(address, which),
    labels: await store.loadLabels(),
    complete: (addresses) => Promise.all(addresses.map((a) => limit(async () => (await store.getAccount(a))?.expanded === true))),
    tipHeight: await store.tipHeight(),
  };
}

/**
 * A ConeSource held in memory — what a server loads once at start, so a query reads no disk: the store's transfers
 * as its columns (store.loadTransferTable: typed arrays and the packed records, no object per transfer) with each
 * account's incoming and outgoing rows, the labels and the accounts a crawl expanded. A listed transfer is made from
 * its row when asked (equal to the stored record, block position included). Holding every transfer as an object
 * took ≈ 0.5 KB each: more than the default heap at 10M transfers (issue 10).
 */
export async function loadConeSource(store: Store): Promise<ConeSource> {
  const { cols, transfers } = await store.loadTransferTable();
  const n = cols.n;
  const rows = { in: rowsByAccount(cols.recipient, n, cols.accounts), out: rowsByAccount(cols.sender, n, cols.accounts) };
  const ids = new Map<string, number>();
  cols.addresses.forEach((a, i) => ids.set(a, i));
  const fields = rowFields(transfers);
  const transferAt = (k: number): Transfer => {
    const t: Transfer = {
      hash: hashAt(cols, k),
      innerHash: fields.innerHashAt(k),
      height: cols.height[k],
      timeStamp: cols.timeStamp[k],
      time: fields.timeAt(k),
      sender: cols.addresses[cols.sender[k]],
      recipient: cols.addresses[cols.recipient[k]],
      amount: cols.amount[k],
      fee: cols.fee[k],
      message: fields.messageAt(k),
      messageType: fields.messageTypeAt(k),
      mosaics: fields.mosaicsAt(k),
      type: fields.typeAt(k),
      signer: fields.signerAt(k),
    };
    const position = transfers.positionAt(k);
    if (position !== undefined) t.position = position;
    return t;
  };
  let tip = 0;
  for (let k = 0; k < n; k++) if (cols.height[k] > tip) tip = cols.height[k];
  const expanded = new Set([...(await store.loadAccounts()).values()].filter((a) => a.expanded).map((a) => a.address));
  const chainHeight = await store.getMeta<number>('chainHeight');
  return {
    list: (address, which) => {
      const id = ids.get(address);
      if (id === undefined) return [];
      const { start, row } = rows[which];
      const list: Transfer[] = [];
      for (let i = start[id]; i < start[id + 1]; i++) list.push(transferAt(row[i]));
      return list;
    },
    labels: await store.loadLabels(),
    complete: (addresses) => addresses.map((a) => expanded.has(a)),
    tipHeight: Math.max(tip, typeof chainHeight === 'number' ? chainHeight : 0),
  };
}

/** Per account id, its rows (ascending) of `account` (a sender or recipient column): rows of a in row[start[a]…start[a+1]). */
function rowsByAccount(account: ArrayLike<number>, n: number, accounts: number): { start: Int32Array; row: Int32Array } {
  const start = new Int32Array(accounts + 1);
  for (let k = 0; k < n; k++) start[account[k] + 1]++;
  for (let a = 0; a < accounts; a++) start[a + 1] += start[a];
  const next = start.slice(0, accounts);
  const row = new Int32Array(n);
  for (let k = 0; k < n; k++) row[next[account[k]]++] = k;
  return { start, row };
}

/**
 * The cone's transfers: incoming lists hop by hop up to `hops`, then the outgoing list of every
 * account found and the incoming list of the last hop's (complete histories), as a graph to search.
 */
export async function gatherCone(
  source: ConeSource,
  address: string,
  hops: number,
  asOf: number | null,
  budget?: ConeBudget,
): Promise<{ graph: MultiDirectedGraph; transfers: Transfer[] }> {
  const byHash = new Map<string, Transfer>();
  const keep = (list: readonly Transfer[]) => {
    const before = byHash.size;
    for (const t of list) if ((asOf === null || t.timeStamp < asOf) && !byHash.has(t.hash)) byHash.set(t.hash, t);
    budget?.take(byHash.size - before, address);
  };
  const lists = (addresses: readonly string[], which: 'in' | 'out') =>
    Promise.all(addresses.map((a) => Promise.resolve(source.list(a, which))));
  const seen = new Set([address]);
  let level = [address];
  for (let d = 0; d < hops && level.length > 0; d++) {
    const next: string[] = [];
    for (const list of await lists(level, 'in')) {
      keep(list);
      for (const t of list) {
        if ((asOf !== null && t.timeStamp >= asOf) || seen.has(t.sender)) continue;
        seen.add(t.sender);
        next.push(t.sender);
      }
    }
    level = next;
  }
  for (const list of await lists([...seen], 'out')) keep(list);
  for (const list of await lists(level, 'in')) keep(list);

  const graph = new MultiDirectedGraph({ allowSelfLoops: true });
  for (const t of byHash.values()) {
    graph.mergeNode(t.sender);
    graph.mergeNode(t.recipient);
    const attrs = { hash: t.hash, amount: t.amount, fee: t.fee, height: t.height, timeStamp: t.timeStamp, memo: t.message };
    graph.addDirectedEdgeWithKey(t.hash, t.sender, t.recipient, attrs);
  }
  return { graph, transfers: [...byHash.values()] };
}

async function coverage(source: ConeSource, depth: ReadonlyMap<string, number>, transfers: readonly Transfer[]): Promise<ExposureCoverage> {
  const accounts = [...depth.keys()];
  const complete = await source.complete(accounts);
  const incomplete = accounts.filter((_, i) => !complete[i]);
  incomplete.sort((a, b) => depth.get(a)! - depth.get(b)! || (a < b ? -1 : 1));
  let tip = source.tipHeight;
  for (const t of transfers) if (t.height > tip) tip = t.height;
  return {
    complete: accounts.length - incomplete.length,
    incomplete: incomplete.length,
    incompleteAccounts: incomplete.slice(0, 20),
    tipHeight: tip,
  };
}
