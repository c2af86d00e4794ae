/**
 * The crawler (docs/nis1.md §7): walks outward from the seeds over the NIS1 account lists and writes
 * each page — transfers, index entries, the list's cursor and the accounts it reached — as one
 * atomic, synced batch. Resumable and incremental by construction:
 *
 * - State lives in the store. On start the stored transfers are replayed into `Reach` (reach.ts),
 *   which gives exactly the accounts an uninterrupted crawl would have reached from them; each
 *   list then continues from its stored cursor.
 * - A *pass* pages one list newest-first (`id` strictly below the last id) until a short page, the
 *   list's completeness marker (`completeTo` = the newest hash of the last finished pass), or, for a
 *   seed window, items old enough that nothing older can fall in the window. A finished pass sets
 *   the marker to the hash it started at, so the next crawl of an unchanged chain costs one page
 *   request per list.
 * - `id` is node-local: a pass that fails over to another node restarts from the newest page there
 *   (pages are keyed by hash, so re-reading is harmless).
 * - Pipelined: a processed page is queued for the writer (write-queue.ts: group commit, backpressure)
 *   and its pass fetches on at once. A transfer that several lists carry is written by the first page
 *   that had it (the same or an earlier batch than any later page, so no cursor can land ahead of it).
 * - Trusts nothing it is sent (docs/contracts.md §6): every page is validated (page.ts) and its signatures
 *   verified (src/nem/verify-pool.ts) before anything of it is queued; a hash already known with
 *   another body is a conflict. The nodes (node-pool.ts) retry transient faults within a time
 *   budget, open a circuit breaker per node, and quarantine a node that lied.
 *
 * Modules: scheduler.ts (the passes to run), node-pool.ts (requests), write-queue.ts (the store),
 * hash-seeds.ts (seeds by hash), page.ts (validation), reach.ts (which accounts are reached).
 *
 * With `upstream: { address, hops }` the accounts to expand are the address's upstream cone instead
 * (upstream.ts): every account with a chain of at most `hops` transfers into it, in full, whatever its
 * label; the rest — pages, verification, nodes, writes, the chain check — is the same.
 *
 * Lists crawled: for every reached non-exit account (hop ≤ maxHops), `incoming` and `outgoing` in
 * full up to the window end; for the account of an `{ account, from, to }` seed, its `outgoing`
 * restricted to the seed transfers (its outflows in [from, to) not excluded; the victim's other history
 * is not needed — unless it is reached itself, then it is crawled in full like any account); for a
 * `{ hash }` seed, `/transaction/get?hash=` (NIS answers it only while the hash is in its 36-hour
 * cache, so prefer account seeds for old cases). Exits are recorded, not crawled.
 */
import { TracerError } from '../errors.js';
import type { Transfer, SignedPart } from '../nem/index.js';
import {
  type AccountRecord,
  type CursorRecord,
  type Store,
  type StoreBatch,
  type StoreStats,
  chainKey,
  decodeChainKey,
  type CursorList,
} from '../store/index.js';
import { addChecks, checkChain, NO_CHECK, type ChainCheck } from './finality.js';
import { fetchSeedTransfer } from './hash-seeds.js';
import { NodePool, type NodeState } from './node-pool.js';
import { resolveCrawlOptions, type CrawlOptions, type CrawlProgress, type ResolvedCrawlOptions } from './options.js';
import { verifyBlock, type ChainPlaced, type VerifiedBlock } from './positions.js';
import { ValidatedItems, validatePage, type PageItem } from './page.js';
import { Reach, type Reacher } from './reach.js';
import { UpstreamReach } from './upstream.js';
import { Scheduler, type Task } from './scheduler.js';
import { WriteQueue } from './write-queue.js';
import { exitTest } from '../domain.js';

export interface CrawlSummary {
  /** Accounts the crawl has reached (exits and seed accounts included), after this run. */
  accounts: number;
  /** Transfers this run stored that the store did not hold before. */
  transfers: number;
  requests: number;
  retries: number;
  failovers: number;
  elapsedMs: number;
  /** True when stopped by the signal (the store is consistent; run again to continue). */
  aborted: boolean;
  /** Nodes taken out of rotation for lying, and why. */
  quarantined: Array<{ node: string; reason: string }>;
  /** The chain check (./finality.ts): blocks fetched, positions recorded, provisional transfers, retracted ones. */
  chain: ChainCheck;
  stats: StoreStats;
}

/**
 * A seed window's pass may stop once an item is this much older than `from`: a transaction is
 * included at most 24 h after its timestamp (its deadline), and ids follow inclusion order.
 */
export const SEED_LOOKBACK_S = 86_400 + 600;

export async function crawl(options: CrawlOptions): Promise<CrawlSummary> {
  const o = resolveCrawlOptions(options);
  const run = new CrawlRun(o);
  try {
    return await run.run();
  } finally {
    await run.close();
  }
}

class CrawlRun {
  private readonly started = performance.now();
  private readonly pool: NodePool;
  private readonly writer: WriteQueue;
  private readonly scheduler = new Scheduler();
  private readonly reach: Reacher;
  private readonly store: Store;
  private readonly abort = new AbortController();
  private cursors = new Map<string, CursorRecord>();
  private readonly records = new Map<string, AccountRecord>();
  /** hash → `transferPrint` of every transfer stored or queued for writing (a repeat is not written again). */
  private readonly known = new Map<string, string>();
  private readonly validated = new ValidatedItems();
  private validateMs = 0;
  private verifyMs = 0;
  private newTransfers = 0;
  private readonly spec: string;

  constructor(private readonly o: ResolvedCrawlOptions) {
    this.store = o.store;
    this.pool = new NodePool({
      nodes: o.nodes,
      userAgent: o.userAgent,
      concurrency: o.concurrency,
      rate: o.rate,
      timeouts: o.timeouts,
      maxBodyBytes: o.maxBodyBytes,
      retry: o.retry,
      nodeCooldownMs: o.nodeCooldownMs,
      rng: o.rng,
      sleep: o.sleep,
      dispatcher: o.dispatcher,
      signal: this.abort.signal,
      onEvent: (node) => this.progress(node),
    });
    this.writer = new WriteQueue(this.store, () => this.abort.abort());
    this.reach =
      o.upstream === null
        ? new Reach({
            seeds: o.seeds,
            seedAccounts: o.seedAccounts,
            maxHops: o.maxHops,
            windowTo: o.windowTo,
            isExit: exitTest(o.labels, o.exitCategories),
          })
        : new UpstreamReach(o.upstream.address, o.upstream.hops);
    // Lists crawled under another window end are re-crawled in full (their marker does not cover it).
    this.spec = `w=${o.windowTo ?? '-'}`;
    if (o.signal) {
      if (o.signal.aborted) this.abort.abort();
      else o.signal.addEventListener('abort', () => this.abort.abort(), { once: true });
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  async run(): Promise<CrawlSummary> {
    // 0. The chain height, then a re-check of the provisional transfers stored (a fork may have removed some).
    let height = 0;
    let chain = NO_CHECK;
    let stored = await this.store.loadTransfers();
    try {
      height = await this.pool.requestAny('/chain/height', (body) => {
        const h = (body as { height?: unknown })?.height;
        if (typeof h !== 'number' || !Number.isSafeInteger(h) || h < 1)
          throw new TracerError('TRACE_MALFORMED_RESPONSE', 'height must be a positive integer');
        return h;
      });
      chain = await this.checkChain(height, stored, { recheck: true, position: false });
      if (chain.retracted.length > 0) stored = await this.store.loadTransfers();
    } catch (err) {
      if (!this.userAborted()) throw err;
    }

    // 1. Replay what is stored.
    this.reach.add(stored);
    for (const t of stored) this.known.set(t.hash, transferPrint(t));
    for (const [k, a] of await this.store.loadAccounts()) this.records.set(k, a);
    this.cursors = await this.store.loadCursors();
    if (this.o.labels.size > 0) await this.store.putLabels(this.o.labels.values());
    // Accounts implied by the stored transfers but not yet recorded (cannot normally happen).
    await this.writer.write({ accounts: this.accountRecords(new Set(this.reach.accounts.keys())) });

    try {
      if (this.userAborted()) throw new TracerError('TRACE_NODE_UNAVAILABLE', 'aborted', { retryable: false });
      // 2. The chain height (for the store's tip height), then hash seeds.
      await this.writer.write({ meta: { chainHeight: height } });
      await this.hashSeeds();

      // 3. Seed windows, then every reached account, until nothing is left.
      for (const s of this.o.seeds)
        if (!('hash' in s)) this.scheduler.enqueue({ address: s.account, list: 'seed', from: s.from, to: s.to });
      this.enqueueAccounts(this.reach.toExpand());
      await this.scheduler.drain(
        this.o.concurrency,
        (task) => this.pass(task),
        () => this.abort.signal.aborted,
        () => this.abort.abort(),
      );

      // 4. Block positions where stored transfers share a height.
      await this.writer.done();
      this.writer.throwIfFailed();
      chain = addChecks(chain, await this.checkChain(height, await this.knownTransfers(), { recheck: false, position: true }));
    } catch (err) {
      await this.writer.done();
      this.writer.throwIfFailed();
      if (!this.userAborted()) throw err;
    }
    await this.writer.done();
    this.writer.throwIfFailed();
    const r = (x: number) => Math.round(x * 10) / 10;
    const w = this.writer.timings;
    this.o.onTimings?.({
      fetchMs: r(this.pool.fetchMs),
      validateMs: r(this.validateMs),
      verifyMs: r(this.verifyMs),
      writeMs: r(w.writeMs),
      batches: w.batches,
      pages: w.pages,
      items: this.validated.items,
      itemsReused: this.validated.reused,
    });
    return {
      accounts: this.reach.accounts.size,
      transfers: this.newTransfers,
      requests: this.pool.requests,
      retries: this.pool.retries,
      failovers: this.pool.failovers,
      elapsedMs: Math.round(performance.now() - this.started),
      aborted: this.userAborted(),
      quarantined: this.pool.nodes.filter((n) => n.quarantined !== null).map((n) => ({ node: n.url, reason: n.quarantined! })),
      chain,
      stats: await this.store.stats(),
    };
  }

  /** The chain check (./finality.ts) with blocks fetched, verified and checked through the node pool. */
  private checkChain(tip: number, transfers: readonly ChainPlaced[], what: { recheck: boolean; position: boolean }): Promise<ChainCheck> {
    const fetchBlock = (height: number, check: (block: VerifiedBlock) => void) =>
      this.pool.requestAny(
        '/block/at/public',
        (body) => {
          const block = verifyBlock(body, height, `POST /block/at/public {"height":${height}}`);
          check(block);
          return block;
        },
        { height },
      );
    return checkChain({ store: this.store, tip, fetchBlock, concurrency: this.o.concurrency }, transfers, what);
  }

  /** Every stored transfer's place (hash, height, timestamp, recorded position), from what this crawl knows. */
  private async knownTransfers(): Promise<ChainPlaced[]> {
    const positions = await this.store.loadPositions();
    return [...this.known].map(([hash, print]) => {
      const p = decodeChainKey(print.slice(0, print.indexOf('|')));
      const position = positions.get(hash);
      return position === undefined ? p : { ...p, position };
    });
  }

  private enqueueAccounts(addresses: Iterable<string>): void {
    for (const a of addresses) {
      const s = this.reach.accounts.get(a);
      if (s && !s.exit) this.scheduler.enqueueAccount(a);
    }
  }

  private userAborted(): boolean {
    return this.o.signal?.aborted === true;
  }

  /** Queues a page for the writer; a failed write stops the crawl through the writer's failure. */
  private write(batch: StoreBatch): void {
    this.writer.write(batch).catch(() => undefined);
  }

  // ------------------------------------------------------------------ one pass over one list

  private async pass(task: Task): Promise<void> {
    const { address, list } = task;
    const key = `${address}:${list}`;
    const spec = list === 'seed' ? `${this.spec};s=${task.from}-${task.to}` : this.spec;
    let cursor = this.cursors.get(key);
    if (!cursor || cursor.spec !== spec) cursor = { address, list, pass: null, completeTo: null, spec };
    const resumeNode = cursor.pass ? this.pool.trusted().find((n) => n.url === cursor!.pass!.node && n.openUntil <= Date.now()) : undefined;
    let node: NodeState | null = resumeNode ?? this.pool.pick();
    if (node === null) throw this.pool.noHonestNode(null);
    let id: number | null = resumeNode ? cursor.pass!.id : null;
    let top: string | null = resumeNode ? cursor.pass!.top : null;
    let belowHeight: number | null = null;
    const failed = new Set<NodeState>();
    const apiList = list === 'in' ? 'incoming' : 'outgoing';
    for (;;) {
      await this.writer.space();
      this.writer.throwIfFailed();
      const path = `/account/transfers/${apiList}?address=${address}&pageSize=${this.o.pageSize}${id === null ? '' : `&id=${id}`}`;
      let items: PageItem[];
      try {
        const on: NodeState = node;
        items = await this.pool.request(on, path, (body) =>
          this.checkPage(body, on.url, `GET ${path}`, { address, apiList, id, belowHeight }),
        );
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        node = this.pool.failover(node, err, failed);
        id = null; // node-local cursor: start this list again from the newest page
        top = null;
        belowHeight = null;
        continue;
      }
      failed.clear();

      let stop = items.length < this.o.pageSize;
      const keep: Transfer[] = [];
      for (const it of items) {
        if (cursor.completeTo !== null && it.hash === cursor.completeTo) {
          stop = true;
          break;
        }
        if (it.transfer && this.keeps(it.transfer, task)) keep.push(it.transfer);
      }
      if (list === 'seed' && items.length > 0 && items[items.length - 1].timeStamp < task.from! - SEED_LOOKBACK_S) stop = true;
      if (top === null) top = items.length > 0 ? items[0].hash : '';
      const last = items[items.length - 1];
      const next: CursorRecord = stop
        ? { address, list, pass: null, completeTo: top, spec }
        : { address, list, pass: { node: node.url, id: last.id, top }, completeTo: cursor.completeTo, spec };

      const fresh = this.fresh(keep);
      const changed = this.reach.add(keep);
      this.cursors.set(key, next);
      if (stop && list !== 'seed') changed.add(address); // its `expanded` flag may flip
      // Queued, not awaited: the writer lands pages in processing order, each whole (data, cursor and
      // accounts in one synced batch), while this and the other passes fetch on. A crash before a page
      // lands leaves the stored cursor on the page before it, which is fetched again.
      this.write({ transfers: fresh, cursors: [next], accounts: this.accountRecords(changed) });
      this.newTransfers += fresh.length;
      cursor = next;
      if (stop) this.scheduler.markDone(address, list);
      this.enqueueAccounts(changed);
      this.progress(node.url);
      if (stop) return;
      id = last.id;
      belowHeight = last.height;
    }
  }

  /**
   * Everything a page must pass before any of it is used: validation (page.ts), every signature
   * (the verifier's worker threads), no known hash with another body. Throws TRACE_MALFORMED_RESPONSE
   * naming node, request and item.
   */
  private async checkPage(
    body: unknown,
    node: string,
    request: string,
    at: { address: string; apiList: 'incoming' | 'outgoing'; id: number | null; belowHeight: number | null },
  ): Promise<PageItem[]> {
    const t0 = performance.now();
    try {
      const page = validatePage(body, {
        node,
        request,
        address: at.address,
        list: at.apiList,
        pageSize: this.o.pageSize,
        belowId: at.id,
        belowHeight: at.belowHeight,
        validated: this.validated,
      });
      await this.verifySignatures(
        page.map((it) => it.parts),
        node,
        request,
      );
      page.forEach((it, i) => {
        if (it.transfer) this.conflict(it.transfer, `${node} ${request}: data[${i}]`);
      });
      return page;
    } finally {
      this.validateMs += performance.now() - t0;
    }
  }

  /** Every signature of a page (parts per item) verifies, or TRACE_MALFORMED_RESPONSE naming node, request and item. */
  private async verifySignatures(parts: SignedPart[][], node: string, request: string): Promise<void> {
    const t0 = performance.now();
    const bad = await this.o.verifier.firstBad(parts);
    this.verifyMs += performance.now() - t0;
    if (bad !== null) {
      throw new TracerError('TRACE_MALFORMED_RESPONSE', `${node} ${request}: data[${bad.index}]: ${bad.reason}`, {
        details: { node, request, index: bad.index },
      });
    }
  }

  /**
   * A hash already stored or queued with another body (chain position, fee — a 4100's cosignatures
   * are outside its hash — or any field) is a conflict (some node lied): TRACE_MALFORMED_RESPONSE.
   */
  private conflict(t: Transfer, where: string): void {
    const prior = this.known.get(t.hash);
    if (prior === undefined) return;
    const print = transferPrint(t);
    if (prior !== print)
      throw new TracerError('TRACE_MALFORMED_RESPONSE', `${where}: transfer ${t.hash} arrived as ${print} but is stored as ${prior}`, {
        details: { hash: t.hash },
      });
  }

  /** The transfers that are neither stored nor queued (those are written once, by the first page that carried them). */
  private fresh(keep: readonly Transfer[]): Transfer[] {
    const fresh: Transfer[] = [];
    for (const t of keep) {
      if (this.known.has(t.hash)) continue;
      this.known.set(t.hash, transferPrint(t));
      fresh.push(t);
    }
    return fresh;
  }

  /**
   * Which listed transfers a pass stores: within the window; for a seed window, only the seed transfers
   * (as expected-crawl.ts reads docs/nis1.md §7).
   */
  private keeps(t: Transfer, task: Task): boolean {
    if (this.o.windowTo !== null && t.timeStamp >= this.o.windowTo) return false;
    return task.list !== 'seed' || (t.sender === task.address && this.reach.isSeed(t));
  }

  private accountRecords(addresses: Set<string>): AccountRecord[] {
    const out: AccountRecord[] = [];
    for (const address of addresses) {
      const s = this.reach.accounts.get(address);
      if (!s) continue;
      const complete = (l: CursorList) => {
        const c = this.cursors.get(`${address}:${l}`);
        return c !== undefined && c.pass === null && c.completeTo !== null && c.spec === this.spec;
      };
      const rec: AccountRecord = {
        address,
        hop: s.hop,
        reachedAt: s.reachedAt,
        exit: s.exit,
        seed: s.seed,
        expanded: !s.exit && complete('in') && complete('out'),
      };
      const prev = this.records.get(address);
      // an upstream crawl adds what it completed to an account some case reached, never its hop or role
      if (this.o.upstream !== null && prev) Object.assign(rec, prev, { expanded: prev.expanded || rec.expanded });
      if (
        prev &&
        prev.hop === rec.hop &&
        prev.reachedAt === rec.reachedAt &&
        prev.exit === rec.exit &&
        prev.seed === rec.seed &&
        prev.expanded === rec.expanded
      )
        continue;
      this.records.set(address, rec);
      out.push(rec);
    }
    return out;
  }

  // ------------------------------------------------------------------ seeds by hash

  private async hashSeeds(): Promise<void> {
    for (const [i, s] of this.o.seeds.entries()) {
      if (!('hash' in s) || this.reach.has(s.hash)) continue;
      const t = await fetchSeedTransfer(this.pool, this.o.verifier, s.hash, i, this.abort.signal);
      this.conflict(t, `seeds[${i}]`);
      if (!this.keeps(t, { address: t.sender, list: 'out' })) continue;
      const fresh = this.fresh([t]);
      const changed = this.reach.add([t]);
      this.newTransfers += fresh.length;
      await this.writer.write({ transfers: fresh, accounts: this.accountRecords(changed) });
    }
  }

  private progress(node: string): void {
    if (!this.o.onProgress) return;
    const elapsedMs = performance.now() - this.started;
    const done = this.scheduler.accountsDone;
    const toExpand = this.reach.toExpandCount() + this.o.seeds.filter((s) => !('hash' in s)).length;
    this.o.onProgress({
      accountsDone: done,
      accountsQueued: Math.max(0, toExpand - done),
      transfers: this.newTransfers,
      requests: this.pool.requests,
      retries: this.pool.retries,
      failovers: this.pool.failovers,
      node: node || this.pool.lastNode,
      requestsPerSecond: elapsedMs > 0 ? (this.pool.requests * 1000) / elapsedMs : 0,
      elapsedMs: Math.round(elapsedMs),
      lastError: this.pool.lastError,
    } satisfies CrawlProgress);
  }
}

/**
 * Everything of a transfer a node could change without changing its hash (chain position, and the
 * fee: a 4100's cosignatures are outside its hash) plus its economic fields: two answers for one hash
 * with different prints are a conflict.
 */
export function transferPrint(t: Transfer): string {
  return `${chainKey(t)}|${t.innerHash ?? '-'}|${t.sender}>${t.recipient}|${t.amount}|${t.fee}`;
}
