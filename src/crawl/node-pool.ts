/**
 * The nodes of one crawl (docs/nis1.md §7, docs/contracts.md §6): one NodeClient each, bounded concurrency
 * (p-limit) and a request-rate cap over all of them, and for each node
 *
 * - **retries within a time budget**: a transient failure (5xx, 429, reset, timeout, deadline,
 *   truncated body) is retried on the same node with full-jitter backoff, `Retry-After` as a lower
 *   bound, until `retry.budgetMs` is spent (attempt durations plus requested waits: a test's fast
 *   sleep does not stretch the budget); then the request fails with TRACE_NODE_UNAVAILABLE;
 * - **a circuit breaker**: `retry.breakerFailures` consecutive transient failures open it for a
 *   cooldown that doubles each time it opens (1 s … `nodeCooldownMs`). While it is open the node's
 *   requests fail over to another node; with no other node they wait for it (within the budget);
 * - **quarantine** (for the rest of the crawl) of a node that lied: at once for a signature that does
 *   not verify (nothing an honest node sends can fail it — NIS verified it); for any other malformed
 *   or inconsistent answer after LIES_IN_A_ROW of them in a row, or LIES_PER_REQUEST to the same
 *   request (a random glitch does not repeat; a lie does). `noHonestNode()` is the clear error once
 *   every node is out.
 * A request (`request`) is one logical call on one node; failing over is the caller's choice
 * (`failover`), since an account list's `id` cursor is node-local.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Dispatcher } from 'undici';
import { TracerError, isTracerError } from '../errors.js';
import { NodeClient } from './client.js';
import { RateLimiter } from './rate.js';
import { backoffDelay, shouldRetry, type RetryOptions } from './retry.js';

/** Malformed answers in a row after which a node is quarantined. */
export const LIES_IN_A_ROW = 3;
/** Malformed answers to one request after which a node is quarantined. */
export const LIES_PER_REQUEST = 3;
/** First breaker cooldown, ms (doubles each time the breaker opens, up to nodeCooldownMs). */
export const BREAKER_BASE_MS = 1000;

export interface NodePoolOptions {
  nodes: string[];
  userAgent: string;
  concurrency: number;
  rate: number;
  timeouts: { connectMs: number; headersMs: number; requestMs: number };
  maxBodyBytes: number;
  retry: RetryOptions;
  nodeCooldownMs: number;
  rng: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  dispatcher: Dispatcher | undefined;
  signal: AbortSignal;
  /** Called on every retry and every lie (progress, logs). */
  onEvent?: (node: string, error: string) => void;
}

export class NodeState {
  /** Why it is out for the rest of the crawl (null while it is trusted). */
  quarantined: string | null = null;
  liesInARow = 0;
  readonly liesPerRequest = new Map<string, number>();
  failuresInARow = 0;
  breakerOpens = 0;
  openUntil = 0;
  constructor(
    readonly url: string,
    readonly client: NodeClient,
  ) {}
}

export class NodePool {
  readonly nodes: NodeState[];
  requests = 0;
  retries = 0;
  failovers = 0;
  fetchMs = 0;
  lastNode = '';
  lastError: string | null = null;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly rate: RateLimiter;
  private rr = 0;

  constructor(private readonly o: NodePoolOptions) {
    this.nodes = o.nodes.map(
      (url) =>
        new NodeState(
          url,
          new NodeClient(url, {
            userAgent: o.userAgent,
            connectTimeoutMs: o.timeouts.connectMs,
            headersTimeoutMs: o.timeouts.headersMs,
            requestTimeoutMs: o.timeouts.requestMs,
            connections: o.concurrency,
            maxBodyBytes: o.maxBodyBytes,
            dispatcher: o.dispatcher,
          }),
        ),
    );
    this.limit = pLimit(o.concurrency);
    this.rate = new RateLimiter(o.rate);
    // Every request in flight listens on the run's signal (undici): more than 10 at concurrency > 10.
    setMaxListeners(0, o.signal);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => n.client.close()));
  }

  /** Nodes not quarantined. */
  trusted(): NodeState[] {
    return this.nodes.filter((n) => n.quarantined === null);
  }

  /** A trusted node, round robin, preferring closed breakers; null when every node is quarantined. */
  pick(except?: ReadonlySet<NodeState>): NodeState | null {
    const now = Date.now();
    const ok = this.trusted().filter((n) => !except?.has(n));
    if (ok.length === 0) return null;
    for (let i = 0; i < this.nodes.length; i++) {
      const n = this.nodes[(this.rr + i) % this.nodes.length];
      if (ok.includes(n) && n.openUntil <= now) {
        this.rr = (this.rr + i + 1) % this.nodes.length;
        return n;
      }
    }
    return ok.reduce((a, b) => (b.openUntil < a.openUntil ? b : a));
  }

  /**
   * After `err` from `node`: the node to ask next, or throws the crawl's final error. A lie goes to
   * another trusted node (the same one if it is the only one left, until it is quarantined); any other
   * failure to a node not in `failed` (which collects them for this request).
   */
  failover(node: NodeState, err: unknown, failed: Set<NodeState>): NodeState {
    if (isTracerError(err, 'TRACE_MALFORMED_RESPONSE')) {
      const next = this.pick(new Set([node])) ?? this.pick();
      if (next === null) throw this.noHonestNode(err);
      if (next !== node) this.failovers++;
      return next;
    }
    failed.add(node);
    const next = this.pick(failed);
    if (next === null) throw this.trusted().length === 0 ? this.noHonestNode(err) : finalError(err);
    this.failovers++;
    return next;
  }

  /** The error once every node is quarantined: names each node and why. */
  noHonestNode(last: unknown): TracerError {
    const why = this.nodes.map((n) => `${n.url}: ${n.quarantined ?? 'not quarantined'}`).join('; ');
    return new TracerError('TRACE_MALFORMED_RESPONSE', `no honest node left: every node lied and was quarantined (${why})`, {
      cause: last,
      retryable: false,
      details: { quarantined: this.nodes.map((n) => n.url) },
    });
  }

  /** Records a malformed answer of `node` to `request`; quarantines it when the rule says so. */
  lied(node: NodeState, request: string, err: TracerError): void {
    this.lastError = err.message;
    this.o.onEvent?.(node.url, err.message);
    node.liesInARow++;
    const perRequest = (node.liesPerRequest.get(request) ?? 0) + 1;
    if (node.liesPerRequest.size >= 1000) node.liesPerRequest.clear(); // bounded; only repeats matter
    node.liesPerRequest.set(request, perRequest);
    if (node.quarantined !== null) return;
    if (/signature does not verify/.test(err.message)) node.quarantined = `forged signature (${err.message})`;
    else if (node.liesInARow >= LIES_IN_A_ROW) node.quarantined = `${node.liesInARow} malformed answers in a row (last: ${err.message})`;
    else if (perRequest >= LIES_PER_REQUEST) node.quarantined = `${perRequest} malformed answers to ${request} (last: ${err.message})`;
  }

  /**
   * One request on `node`: transient failures retried within the budget (see the header); the body
   * checked by `parse` (a throw there is a lie: recorded, not retried here). Throws for the caller
   * to fail over: TRACE_MALFORMED_RESPONSE (a lie, or the node is quarantined),
   * TRACE_NODE_UNAVAILABLE (budget spent, or the breaker is open and another node is available),
   * or a non-retryable TRACE_NODE_HTTP.
   */
  async request<T>(node: NodeState, path: string, parse: (body: unknown, node: string) => T | Promise<T>, post?: unknown): Promise<T> {
    const signal = this.o.signal;
    const request = post === undefined ? `GET ${path}` : `POST ${path} ${JSON.stringify(post)}`;
    const budget = this.o.retry.budgetMs;
    let spent = 0;
    let last: unknown = null;
    for (let attempt = 0; ; attempt++) {
      if (node.quarantined !== null) {
        throw new TracerError('TRACE_MALFORMED_RESPONSE', `${node.url} ${request}: node quarantined (${node.quarantined})`, {
          details: { node: node.url, request, quarantined: true },
        });
      }
      const wait = node.openUntil - Date.now();
      if (wait > 0) {
        if (this.trusted().some((n) => n !== node && n.openUntil <= Date.now())) {
          throw new TracerError(
            'TRACE_NODE_UNAVAILABLE',
            `${node.url} ${request}: circuit open after ${node.failuresInARow} failures in a row`,
            { cause: last, details: { node: node.url, request } },
          );
        }
        if (spent + wait > budget) throw budgetSpent(node.url, request, budget, attempt, last);
        spent += wait;
        await this.o.sleep(wait, signal);
        if (signal.aborted) throw aborted(node.url, request);
        node.openUntil = Math.min(node.openUntil, Date.now()); // waited out: half-open (whatever the sleep's clock)
      }
      let body: unknown;
      const t0 = performance.now();
      try {
        body = await this.limit(async () => {
          await this.rate.acquire(signal);
          if (signal.aborted) throw aborted(node.url, request);
          this.requests++;
          this.lastNode = node.url;
          const t1 = performance.now();
          try {
            return await node.client.getJson(path, signal, post);
          } finally {
            this.fetchMs += performance.now() - t1;
          }
        });
      } catch (err) {
        spent += performance.now() - t0;
        if (signal.aborted) throw err;
        if (isTracerError(err, 'TRACE_MALFORMED_RESPONSE')) {
          this.lied(node, request, err); // an oversized body
          throw err;
        }
        if (!shouldRetry(err)) throw err;
        last = err;
        this.failed(node);
        const retryAfter = isTracerError(err) && typeof err.details.retryAfterMs === 'number' ? err.details.retryAfterMs : 0;
        if (retryAfter > this.o.retry.maxRetryAfterMs) throw err;
        const delay = Math.max(retryAfter, backoffDelay(attempt, this.o.retry, this.o.rng));
        if (spent + delay > budget) throw budgetSpent(node.url, request, budget, attempt + 1, err);
        spent += delay;
        this.retries++;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.o.onEvent?.(node.url, this.lastError);
        await this.o.sleep(delay, signal);
        if (signal.aborted) throw err;
        continue;
      }
      node.failuresInARow = 0;
      node.breakerOpens = 0;
      try {
        const value = await parse(body, node.url);
        node.liesInARow = 0;
        return value;
      } catch (err) {
        if (isTracerError(err, 'TRACE_MALFORMED_RESPONSE')) this.lied(node, request, err);
        throw err;
      }
    }
  }

  /** One request on any trusted node, failing over in turn; with `post`, a JSON POST (`/block/at/public`). */
  async requestAny<T>(path: string, parse: (body: unknown, node: string) => T | Promise<T>, post?: unknown): Promise<T> {
    const failed = new Set<NodeState>();
    let node = this.pick();
    if (node === null) throw this.noHonestNode(null);
    for (;;) {
      try {
        return await this.request(node, path, parse, post);
      } catch (err) {
        if (this.o.signal.aborted) throw err;
        node = this.failover(node, err, failed);
      }
    }
  }

  private failed(node: NodeState): void {
    node.failuresInARow++;
    if (node.failuresInARow >= this.o.retry.breakerFailures) {
      const cooldown = Math.min(this.o.nodeCooldownMs, BREAKER_BASE_MS * 2 ** Math.min(node.breakerOpens, 20));
      node.openUntil = Date.now() + cooldown;
      node.breakerOpens++;
      node.failuresInARow = 0;
    }
  }
}

function aborted(node: string, request: string): TracerError {
  return new TracerError('TRACE_NODE_UNAVAILABLE', `${node} ${request}: aborted`, {
    retryable: false,
    details: { node, request, aborted: true },
  });
}

function budgetSpent(node: string, request: string, budgetMs: number, attempts: number, last: unknown): TracerError {
  const why = last instanceof Error ? `; last: ${last.message}` : '';
  return new TracerError(
    'TRACE_NODE_UNAVAILABLE',
    `${node} ${request}: no answer within the ${Math.round(budgetMs / 1000)} s retry budget (${attempts} attempts${why})`,
    {
      cause: last,
      details: { node, request, attempts },
    },
  );
}

/** A failure that ends the crawl once no other node is left. */
export function finalError(err: unknown): unknown {
  if (isTracerError(err) && err.retryable && err.code !== 'TRACE_MALFORMED_RESPONSE' && err.code !== 'TRACE_NODE_UNAVAILABLE') {
    return new TracerError('TRACE_NODE_UNAVAILABLE', `no node could be reached after retries and failover (last: ${err.message})`, {
      cause: err,
      details: err.details,
    });
  }
  return err;
}
