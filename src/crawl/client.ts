/**
 * One NIS1 node over HTTP: one long-lived undici Pool per node with explicit
 * connect / headers / body timeouts, a descriptive User-Agent, and every body consumed (read in
 * full, or dumped on an error status). A call is one attempt; it throws a classified TracerError:
 *
 * - TRACE_NODE_HTTP, retryable   — 429 and 5xx (with `retryAfterMs` from `Retry-After`), a body that
 *                                  is not JSON (truncated), a body that ends early;
 * - TRACE_NODE_HTTP, not retryable — any other status (400 `address must be valid`, 404 …);
 * - TRACE_NODE_UNAVAILABLE, retryable — connection refused/reset, timeouts.
 * `details` always carry `node` and `request` so the message names both.
 */
import { Pool, type Dispatcher } from 'undici';
import { TracerError, isTracerError } from '../errors.js';
import { parseRetryAfter } from './retry.js';
import { SUPPLY_MICRO } from '../nem/index.js';

export interface ClientOptions {
  userAgent: string;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  /** Overall deadline of one request, headers and body, ms. */
  requestTimeoutMs: number;
  /** Sockets per node. */
  connections: number;
  /** Largest body accepted, bytes (a page of 100 items is ~150 KB). */
  maxBodyBytes: number;
  /** Optional undici dispatcher to use instead of a Pool (tests: MockAgent). */
  dispatcher?: Dispatcher;
}

export class NodeClient {
  readonly url: string;
  private readonly origin: string;
  private readonly base: string;
  private readonly pool: Dispatcher;
  private readonly ownPool: boolean;

  constructor(
    url: string,
    private readonly options: ClientOptions,
  ) {
    const u = new URL(url);
    this.url = url;
    this.origin = u.origin;
    this.base = u.pathname.replace(/\/+$/, '');
    this.ownPool = options.dispatcher === undefined;
    this.pool =
      options.dispatcher ??
      new Pool(u.origin, {
        connections: options.connections,
        connect: { timeout: options.connectTimeoutMs },
        headersTimeout: options.headersTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
        keepAliveTimeout: 10_000,
      });
  }

  /** GET `path` (with query) and parse the JSON body; with `post`, POST it as JSON instead (`/block/at/public`). */
  async getJson(path: string, signal?: AbortSignal, post?: unknown): Promise<unknown> {
    const request = post === undefined ? `GET ${path}` : `POST ${path} ${JSON.stringify(post)}`;
    const where = { node: this.url, request };
    const deadline = AbortSignal.timeout(this.options.requestTimeoutMs);
    const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const fail = (err: unknown, what?: string): TracerError => {
      if (deadline.aborted && !signal?.aborted) {
        return new TracerError(
          'TRACE_NODE_UNAVAILABLE',
          `${this.url} ${request}: no complete answer within the ${this.options.requestTimeoutMs} ms deadline`,
          {
            cause: err,
            retryable: true,
            details: { ...where, transport: 'deadline' },
          },
        );
      }
      return transportError(err, where, what);
    };
    let res: Awaited<ReturnType<Dispatcher['request']>>;
    try {
      res = await this.pool.request({
        origin: this.origin,
        path: this.base + path,
        method: post === undefined ? 'GET' : 'POST',
        headers: {
          'user-agent': this.options.userAgent,
          accept: 'application/json',
          ...(post === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(post === undefined ? {} : { body: JSON.stringify(post) }),
        signal: both,
      });
    } catch (err) {
      throw fail(err);
    }
    const status = res.statusCode;
    if (status !== 200) {
      let message = '';
      try {
        const parsed = JSON.parse(await this.readCapped(res, 64 * 1024, where)) as { message?: unknown };
        if (typeof parsed?.message === 'string') message = `: ${parsed.message.slice(0, 200)}`;
      } catch {
        // A non-NIS error body (proxy page), a broken or a huge one: the status says enough.
        res.body.destroy();
      }
      const retryable = status === 429 || status >= 500;
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], Date.now());
      throw new TracerError('TRACE_NODE_HTTP', `${this.url} ${request}: HTTP ${status}${message}`, {
        retryable,
        details: { ...where, status, retryAfterMs },
      });
    }
    let text: string;
    try {
      text = await this.readCapped(res, this.options.maxBodyBytes, where);
    } catch (err) {
      if (isTracerError(err)) throw err;
      throw fail(err, 'body ended early');
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new TracerError('TRACE_NODE_HTTP', `${this.url} ${request}: body is not JSON (truncated?)`, {
        retryable: true,
        details: { ...where, status },
      });
    }
  }

  /** The body as text, counting bytes as they arrive; above `cap` the body is destroyed and it throws. */
  private async readCapped(
    res: { headers: Record<string, unknown>; body: AsyncIterable<Buffer> & { destroy(): unknown } },
    cap: number,
    where: { node: string; request: string },
  ): Promise<string> {
    const tooBig = (n: number | string) => {
      res.body.destroy();
      return new TracerError(
        'TRACE_MALFORMED_RESPONSE',
        `${where.node} ${where.request}: body of ${n} bytes is above the ${cap}-byte limit`,
        { details: where },
      );
    };
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (declared > cap) throw tooBig(declared);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > cap) throw tooBig(`more than ${cap}`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  async close(): Promise<void> {
    if (this.ownPool) await this.pool.close();
  }
}

function transportError(err: unknown, where: { node: string; request: string }, what?: string): TracerError {
  const e = err as { code?: string; name?: string; message?: string };
  if (e?.name === 'AbortError' || e?.code === 'UND_ERR_ABORTED' || e?.code === 'ABORT_ERR') {
    return new TracerError('TRACE_NODE_UNAVAILABLE', `${where.node} ${where.request}: aborted`, {
      cause: err,
      retryable: false,
      details: { ...where, aborted: true },
    });
  }
  const code = e?.code ?? e?.name ?? 'error';
  return new TracerError(
    'TRACE_NODE_UNAVAILABLE',
    `${where.node} ${where.request}: ${what ?? 'request failed'} (${code}${e?.message ? `: ${e.message}` : ''})`,
    { cause: err, retryable: true, details: { ...where, transport: code } },
  );
}

/**
 * The XEM balance in a `/account/get` answer (AccountMetaDataPair, docs/nis1.md §1): `account.balance` in µXEM,
 * the current balance at the node's tip. A stranger's answer: the account must be the one asked for and the
 * balance a whole number from 0 to the XEM supply; anything else is TRACE_MALFORMED_RESPONSE naming node and field.
 */
export function parseAccountBalance(body: unknown, address: string, where: string): bigint {
  const bad = (field: string, got: unknown): never => {
    const shown = got === undefined ? 'nothing' : (JSON.stringify(got) ?? typeof got).slice(0, 80);
    throw new TracerError('TRACE_MALFORMED_RESPONSE', `${where}: ${field} must be ${EXPECTED[field] ?? 'valid'}, got ${shown}`, {
      details: { where, field },
    });
  };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('(body)', body);
  const account = (body as { account?: unknown }).account;
  if (typeof account !== 'object' || account === null || Array.isArray(account)) return bad('account', account);
  const a = account as { address?: unknown; balance?: unknown };
  if (a.address !== address) bad('account.address', a.address);
  const balance = a.balance;
  if (typeof balance !== 'number' || !Number.isSafeInteger(balance) || balance < 0 || BigInt(balance) > SUPPLY_MICRO)
    bad('account.balance', balance);
  return BigInt(balance as number);
}

const EXPECTED: Record<string, string> = {
  '(body)': 'an AccountMetaDataPair object',
  account: 'an AccountInfo object',
  'account.address': 'the address asked for',
  'account.balance': 'a whole number of µXEM from 0 to the XEM supply',
};
