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
 * - Pipelined: a processed page is queued for the writer and its pass fetches on at once; the writer
 *   lands queued pages in processing order, all pages queued during one fsync together in the next
 *   batch (group commit), so fetching waits for the disk only when WRITE_QUEUE_PAGES pages are
 *   queued. A transfer that several lists carry is written by the first page that had it (the same
 *   or an earlier batch than any later page, so no cursor can land ahead of it).
 *
 * Lists crawled: for every reached non-exit account (hop ≤ maxHops), `incoming` and `outgoing` in
 * full up to the window end; for the account of an `{ account, from, to }` seed, its `outgoing`
 * restricted to the seed transfers (its outflows in [from, to) not excluded; the victim's other history
 * is not needed — unless it is reached itself, then it is crawled in full like any account); for a
 * `{ hash }` seed, `/transaction/get?hash=` (NIS answers it only while the hash is in its 36-hour
 * cache, so prefer account seeds for old cases). Exits are recorded, not crawled.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { TracerError, isTracerError } from '../errors.js';
import type { Transfer } from '../nem/types.js';
import { checkTransactionPair, type SignedPart } from '../nem/verify.js';
import type { AccountRecord, CursorRecord, Store, StoreBatch, StoreStats } from '../store/index.js';
import { chainKey, type CursorList } from '../store/keys.js';
import { NodeClient } from './client.js';
import { resolveCrawlOptions, type CrawlOptions, type CrawlProgress, type CrawlTimings, type ResolvedCrawlOptions } from './options.js';
import { ValidatedItems, validatePage, type PageItem } from './page.js';
import { RateLimiter } from './rate.js';
import { Reach } from './reach.js';
import { backoffDelay, shouldRetry } from './retry.js';
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
  stats: StoreStats;
}

/** Pages a crawl may have queued for writing before fetching waits (the write queue's bound). */
export const WRITE_QUEUE_PAGES = 64;

/**
 * A seed window's pass may stop once an item is this much older than `from`: a transaction is
 * included at most 24 h after its timestamp (its deadline), and ids follow inclusion order.
 */
export const SEED_LOOKBACK_S = 86_400 + 600;

interface Task {
  address: string;
  list: CursorList;
  /** Seed window [from, to) for list 'seed'. */
  from?: number;
  to?: number;
}

interface NodeState { url: string; client: NodeClient; downUntil: number }

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
  private readonly nodes: NodeState[];
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly rate: RateLimiter;
  private readonly reach: Reach;
  private readonly store: Store;
  private readonly abort = new AbortController();
  private cursors = new Map<string, CursorRecord>();
  private readonly records = new Map<string, AccountRecord>();
  /** Pages waiting for the writer, in processing order. */
  private readonly pending: Array<{ batch: StoreBatch; resolve: () => void; reject: (err: unknown) => void }> = [];
  private writing: Promise<void> | null = null;
  /** The first failed write: nothing after it is written, and the crawl fails with it. */
  private writeFailure: unknown = null;
  private readonly spaceWaiters: Array<() => void> = [];
  /** hash → `transferPrint` of every transfer stored or queued for writing (a repeat is not written again). */
  private readonly known = new Map<string, string>();
  private readonly validated = new ValidatedItems();
  private readonly timings: CrawlTimings = { fetchMs: 0, validateMs: 0, verifyMs: 0, writeMs: 0, batches: 0, pages: 0, items: 0, itemsReused: 0 };
  private rr = 0;
  private requests = 0;
  private retries = 0;
  private failovers = 0;
  private newTransfers = 0;
  private lastNode = '';
  private lastError: string | null = null;
  private readonly queue: Task[] = [];
  private readonly scheduled = new Set<string>();
  private readonly doneKeys = new Set<string>();
  private accountsDone = 0;
  private readonly spec: string;

  constructor(private readonly o: ResolvedCrawlOptions) {
    this.store = o.store;
    this.nodes = o.nodes.map((url) => ({
      url,
      downUntil: 0,
      client: new NodeClient(url, {
        userAgent: o.userAgent,
        connectTimeoutMs: o.timeouts.connectMs,
        headersTimeoutMs: o.timeouts.headersMs,
        bodyTimeoutMs: o.timeouts.bodyMs,
        connections: o.concurrency,
        maxBodyBytes: 8 * 1024 * 1024,
        dispatcher: o.dispatcher,
      }),
    }));
    this.limit = pLimit(o.concurrency);
    this.rate = new RateLimiter(o.rate);
    this.reach = new Reach({
      seeds: o.seeds,
      seedAccounts: o.seedAccounts,
      maxHops: o.maxHops,
      windowTo: o.windowTo,
      isExit: exitTest(o.labels, o.exitCategories),
    });
    // Lists crawled under another window end are re-crawled in full (their marker does not cover it).
    this.spec = `w=${o.windowTo ?? '-'}`;
    // Every request in flight listens on the run's signal (undici): more than 10 at concurrency > 10.
    setMaxListeners(0, this.abort.signal);
    if (o.signal) {
      if (o.signal.aborted) this.abort.abort();
      else o.signal.addEventListener('abort', () => this.abort.abort(), { once: true });
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => n.client.close()));
  }

  async run(): Promise<CrawlSummary> {
    // 1. Replay what is stored.
    const stored = await this.store.loadTransfers();
    this.reach.add(stored);
    for (const t of stored) this.known.set(t.hash, transferPrint(t));
    for (const [k, a] of await this.store.loadAccounts()) this.records.set(k, a);
    this.cursors = await this.store.loadCursors();
    if (this.o.labels.size > 0) await this.store.putLabels(this.o.labels.values());
    // Accounts implied by the stored transfers but not yet recorded (cannot normally happen).
    await this.write({ accounts: this.accountRecords(new Set(this.reach.accounts.keys())) });

    try {
      // 2. Chain height (for the store's tip height), then hash seeds.
      const height = await this.requestAny('/chain/height', (body) => {
        const h = (body as { height?: unknown })?.height;
        if (typeof h !== 'number' || !Number.isSafeInteger(h) || h < 1) throw new TracerError('TRACE_MALFORMED_RESPONSE', 'height must be a positive integer');
        return h;
      });
      await this.write({ meta: { chainHeight: height } });
      await this.fetchHashSeeds();

      // 3. Seed windows, then every reached account, until nothing is left.
      for (const s of this.o.seeds) if (!('hash' in s)) this.enqueue({ address: s.account, list: 'seed', from: s.from, to: s.to });
      this.enqueueReached();
      await this.drain();
    } catch (err) {
      await this.writesDone();
      if (this.writeFailure !== null) throw this.writeFailure;
      if (!this.userAborted()) throw err;
    }
    await this.writesDone();
    if (this.writeFailure !== null) throw this.writeFailure;
    const r = (x: number) => Math.round(x * 10) / 10;
    this.o.onTimings?.({ ...this.timings, items: this.validated.items, itemsReused: this.validated.reused, fetchMs: r(this.timings.fetchMs), validateMs: r(this.timings.validateMs), verifyMs: r(this.timings.verifyMs), writeMs: r(this.timings.writeMs) });
    return {
      accounts: this.reach.accounts.size,
      transfers: this.newTransfers,
      requests: this.requests,
      retries: this.retries,
      failovers: this.failovers,
      elapsedMs: Math.round(performance.now() - this.started),
      aborted: this.userAborted(),
      stats: await this.store.stats(),
    };
  }

  // ------------------------------------------------------------------ scheduling

  private enqueue(task: Task): void {
    const key = `${task.address}:${task.list}:${task.from ?? ''}:${task.to ?? ''}`;
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    this.queue.push(task);
  }

  private enqueueReached(): void {
    this.enqueueAccounts(this.reach.toExpand());
  }

  private enqueueAccounts(addresses: Iterable<string>): void {
    for (const a of addresses) {
      const s = this.reach.accounts.get(a);
      if (!s || s.exit) continue;
      this.enqueue({ address: a, list: 'in' });
      this.enqueue({ address: a, list: 'out' });
    }
  }

  private markDone(address: string, list: CursorList): void {
    this.doneKeys.add(`${address}:${list}`);
    if (list === 'seed' || this.doneKeys.has(`${address}:${list === 'in' ? 'out' : 'in'}`)) this.accountsDone++;
  }

  /** Runs queued passes, at most `concurrency` at a time, until the queue is empty; first error wins. */
  private async drain(): Promise<void> {
    const active = new Set<Promise<void>>();
    let failure: unknown = null;
    while (failure === null && this.writeFailure === null && !this.abort.signal.aborted) {
      while (active.size < this.o.concurrency && this.queue.length > 0) {
        const task = this.queue.shift()!;
        const p: Promise<void> = this.pass(task).then(
          () => { active.delete(p); },
          (err) => {
            active.delete(p);
            if (failure === null && !this.userAborted()) {
              failure = err;
              this.abort.abort();
            }
          },
        );
        active.add(p);
      }
      if (active.size === 0) break;
      await Promise.race(active);
    }
    await Promise.allSettled(active);
    if (this.writeFailure !== null) throw this.writeFailure;
    if (failure !== null) throw failure;
  }

  private userAborted(): boolean {
    return this.o.signal?.aborted === true;
  }

  // ------------------------------------------------------------------ one pass over one list

  private async pass(task: Task): Promise<void> {
    const { address, list } = task;
    const key = `${address}:${list}`;
    const spec = list === 'seed' ? `${this.spec};s=${task.from}-${task.to}` : this.spec;
    let cursor = this.cursors.get(key);
    if (!cursor || cursor.spec !== spec) cursor = { address, list, pass: null, completeTo: null, spec };
    const resumeNode = cursor.pass ? this.nodes.find((n) => n.url === cursor!.pass!.node && n.downUntil <= Date.now()) : undefined;
    let node = resumeNode ?? this.pickNode();
    let id: number | null = resumeNode ? cursor.pass!.id : null;
    let top: string | null = resumeNode ? cursor.pass!.top : null;
    let belowHeight: number | null = null;
    const failed = new Set<string>();
    const apiList = list === 'in' ? 'incoming' : 'outgoing';
    for (;;) {
      await this.writeSpace();
      if (this.writeFailure !== null) throw this.writeFailure;
      const path = `/account/transfers/${apiList}?address=${address}&pageSize=${this.o.pageSize}${id === null ? '' : `&id=${id}`}`;
      let items: PageItem[];
      try {
        items = await this.request(node, path, async (body) => {
          const request = `GET ${path}`;
          const page = validatePage(body, { node: node.url, request, address, list: apiList, pageSize: this.o.pageSize, belowId: id, belowHeight, validated: this.validated });
          await this.verifySignatures(page.map((it) => it.parts), node.url, request);
          return page;
        });
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        failed.add(node.url);
        this.lastError = err instanceof Error ? err.message : String(err);
        const next = this.failover(node, failed);
        if (!next) throw this.finalError(err);
        node = next;
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
      this.write({ transfers: fresh, cursors: [next], accounts: this.accountRecords(changed) }).catch(() => undefined);
      this.newTransfers += fresh.length;
      cursor = next;
      if (stop) this.markDone(address, list);
      this.enqueueAccounts(changed);
      this.progress(node.url);
      if (stop) return;
      id = last.id;
      belowHeight = last.height;
    }
  }

  /**
   * The page's transfers that are neither stored nor queued (those are written once, by the first
   * page that carried them). A hash already known with another body (chain position, fee — a 4100's
   * cosignatures are outside its hash — or any field) is a conflict (some node lied):
   * TRACE_MALFORMED_RESPONSE, and nothing of the page is written.
   */
  private fresh(keep: readonly Transfer[]): Transfer[] {
    const fresh: Transfer[] = [];
    const prints: string[] = [];
    for (const t of keep) {
      const print = transferPrint(t);
      const prior = this.known.get(t.hash);
      if (prior === undefined) {
        fresh.push(t);
        prints.push(print);
      } else if (prior !== print) {
        throw new TracerError('TRACE_MALFORMED_RESPONSE', `transfer ${t.hash} arrived as ${print} but is stored as ${prior}`, { details: { hash: t.hash } });
      }
    }
    fresh.forEach((t, i) => this.known.set(t.hash, prints[i]));
    return fresh;
  }

  /** Which listed transfers a pass stores: within the window; for a seed window, only the seed transfers (as expected-crawl.ts reads docs/nis1.md §7). */
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
      const rec: AccountRecord = { address, hop: s.hop, reachedAt: s.reachedAt, exit: s.exit, seed: s.seed, expanded: !s.exit && complete('in') && complete('out') };
      const prev = this.records.get(address);
      if (prev && prev.hop === rec.hop && prev.reachedAt === rec.reachedAt && prev.exit === rec.exit && prev.seed === rec.seed && prev.expanded === rec.expanded) continue;
      this.records.set(address, rec);
      out.push(rec);
    }
    return out;
  }

  /**
   * Store writes go out one after another, in the order pages were processed (so stored accounts
   * never run ahead of stored transfers). Group commit: every page queued while a batch is on disk
   * goes into the next batch — still one atomic synced batch holding each page whole (data, cursor
   * and accounts together), one fsync for all of them. The first failed batch stops the writer:
   * nothing queued after it is written (a later page's cursor must not land without the data before it).
   */
  private write(batch: StoreBatch): Promise<void> {
    if (this.writeFailure !== null) return Promise.reject(this.writeFailure);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      this.writing ??= this.flush();
    });
  }

  /** Waits while the write queue holds WRITE_QUEUE_PAGES pages or more (backpressure on fetching). */
  private async writeSpace(): Promise<void> {
    while (this.pending.length >= WRITE_QUEUE_PAGES && this.writeFailure === null) {
      await new Promise<void>((r) => this.spaceWaiters.push(r));
    }
  }

  /** Resolves once everything queued is written (or the writer has failed). */
  private async writesDone(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0 && this.writeFailure === null) {
        const group = this.pending.splice(0, this.pending.length);
        for (const w of this.spaceWaiters.splice(0)) w();
        const merged: Required<StoreBatch> = { transfers: [], accounts: [], cursors: [], meta: {} };
        for (const { batch } of group) {
          if (batch.transfers) for (const t of batch.transfers) (merged.transfers as Transfer[]).push(t);
          if (batch.accounts) for (const a of batch.accounts) (merged.accounts as AccountRecord[]).push(a);
          if (batch.cursors) for (const c of batch.cursors) (merged.cursors as CursorRecord[]).push(c);
          Object.assign(merged.meta, batch.meta ?? {});
        }
        const t0 = performance.now();
        try {
          if (this.o.unsafeCursorFirst && merged.cursors.length > 0) {
            // DELIBERATELY BROKEN (crash test): the cursors land in their own batch before the page data.
            await this.store.writeBatch({ cursors: merged.cursors });
            await new Promise((r) => setImmediate(r));
            await this.store.writeBatch({ ...merged, cursors: [] });
          } else {
            await this.store.writeBatch(merged);
          }
        } catch (err) {
          this.writeFailure = err;
          this.abort.abort();
          for (const g of group) g.reject(err);
          break;
        }
        this.timings.writeMs += performance.now() - t0;
        this.timings.batches++;
        this.timings.pages += group.length;
        for (const g of group) g.resolve();
      }
      if (this.writeFailure !== null) for (const g of this.pending.splice(0)) g.reject(this.writeFailure);
    } finally {
      for (const w of this.spaceWaiters.splice(0)) w();
      this.writing = null;
    }
  }

  /** Every signature of a page (parts per item) verifies, or TRACE_MALFORMED_RESPONSE naming node, request and item. */
  private async verifySignatures(parts: SignedPart[][], node: string, request: string): Promise<void> {
    const t0 = performance.now();
    const bad = await this.o.verifier.firstBad(parts);
    this.timings.verifyMs += performance.now() - t0;
    if (bad !== null) {
      throw new TracerError('TRACE_MALFORMED_RESPONSE', `${node} ${request}: data[${bad.index}]: ${bad.reason}`, { details: { node, request, index: bad.index } });
    }
  }

  // ------------------------------------------------------------------ seeds by hash

  private async fetchHashSeeds(): Promise<void> {
    for (const [i, s] of this.o.seeds.entries()) {
      if (!('hash' in s) || this.reach.has(s.hash)) continue;
      const path = `/transaction/get?hash=${s.hash}`;
      let t: Transfer;
      try {
        t = await this.requestAny(path, async (body, node) => {
          const request = `GET ${path}`;
          const c = checkTransactionPair(body, `${node} ${request}`);
          if (c.normalized.kind !== 'transfer' || c.normalized.transfer.hash !== s.hash) {
            throw new TracerError('TRACE_MALFORMED_RESPONSE', `${node} ${request}: not the transfer ${s.hash}`, { details: { node, request } });
          }
          await this.verifySignatures([c.parts], node, request);
          return c.normalized.transfer;
        });
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        throw new TracerError('TRACE_NODE_HTTP', `seeds[${i}]: no node could look up transaction ${s.hash} by hash (NIS keeps its hash index for 36 hours only); give the seed as { account, from, to } instead`, { cause: err, retryable: false });
      }
      if (!this.keeps(t, { address: t.sender, list: 'out' })) continue;
      const fresh = this.fresh([t]);
      const changed = this.reach.add([t]);
      this.newTransfers += fresh.length;
      await this.write({ transfers: fresh, accounts: this.accountRecords(changed) });
    }
  }

  // ------------------------------------------------------------------ requests, retries, failover

  private pickNode(): NodeState {
    const now = Date.now();
    for (let i = 0; i < this.nodes.length; i++) {
      const n = this.nodes[(this.rr + i) % this.nodes.length];
      if (n.downUntil <= now) {
        this.rr = (this.rr + i + 1) % this.nodes.length;
        return n;
      }
    }
    return this.nodes.reduce((a, b) => (b.downUntil < a.downUntil ? b : a));
  }

  /** Marks `node` down and picks another one not yet failed for this request (null when none is left). */
  private failover(node: NodeState, failed: Set<string>): NodeState | null {
    node.downUntil = Date.now() + this.o.nodeCooldownMs;
    const candidates = this.nodes.filter((n) => !failed.has(n.url));
    if (candidates.length === 0) return null;
    this.failovers++;
    return candidates.find((n) => n.downUntil <= Date.now()) ?? candidates[0];
  }

  private finalError(err: unknown): unknown {
    if (isTracerError(err) && err.retryable && err.code !== 'TRACE_MALFORMED_RESPONSE') {
      return new TracerError('TRACE_NODE_UNAVAILABLE', `no node could be reached after retries and failover (last: ${err.message})`, { cause: err, details: err.details });
    }
    return err;
  }

  /** One request on any node, failing over in turn. */
  private async requestAny<T>(path: string, parse: (body: unknown, node: string) => T | Promise<T>): Promise<T> {
    const failed = new Set<string>();
    let node = this.pickNode();
    for (;;) {
      try {
        return await this.request(node, path, parse);
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        failed.add(node.url);
        const next = this.failover(node, failed);
        if (!next) throw this.finalError(err);
        node = next;
      }
    }
  }

  /**
   * One request on one node with retries (429/5xx/resets/timeouts/truncated bodies): exponential
   * backoff with full jitter, `Retry-After` as a lower bound. A body that fails `parse`
   * (validation) is not retried here: the caller fails over.
   */
  private async request<T>(node: NodeState, path: string, parse: (body: unknown, node: string) => T | Promise<T>): Promise<T> {
    const signal = this.abort.signal;
    for (let attempt = 0; ; attempt++) {
      let body: unknown;
      try {
        body = await this.limit(async () => {
          await this.rate.acquire(signal);
          if (signal.aborted) throw new TracerError('TRACE_NODE_UNAVAILABLE', 'aborted', { retryable: false, details: { aborted: true } });
          this.requests++;
          this.lastNode = node.url;
          const t0 = performance.now();
          try {
            return await node.client.getJson(path, signal);
          } finally {
            this.timings.fetchMs += performance.now() - t0;
          }
        });
      } catch (err) {
        if (signal.aborted || !shouldRetry(err) || attempt + 1 >= this.o.retry.attempts) throw err;
        const retryAfter = isTracerError(err) && typeof err.details.retryAfterMs === 'number' ? err.details.retryAfterMs : 0;
        if (retryAfter > this.o.retry.maxRetryAfterMs) throw err;
        this.retries++;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.progress(node.url);
        await this.o.sleep(Math.max(retryAfter, backoffDelay(attempt, this.o.retry, this.o.rng)), signal);
        if (signal.aborted) throw err;
        continue;
      }
      const t0 = performance.now();
      try {
        return await parse(body, node.url);
      } finally {
        this.timings.validateMs += performance.now() - t0;
      }
    }
  }

  private progress(node: string): void {
    if (!this.o.onProgress) return;
    const elapsedMs = performance.now() - this.started;
    const done = this.accountsDone;
    const toExpand = this.reach.toExpandCount() + this.o.seeds.filter((s) => !('hash' in s)).length;
    this.o.onProgress({
      accountsDone: done,
      accountsQueued: Math.max(0, toExpand - done),
      transfers: this.newTransfers,
      requests: this.requests,
      retries: this.retries,
      failovers: this.failovers,
      node: node || this.lastNode,
      requestsPerSecond: elapsedMs > 0 ? (this.requests * 1000) / elapsedMs : 0,
      elapsedMs: Math.round(elapsedMs),
      lastError: this.lastError,
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
