/**
 * Reading new blocks from NIS1 nodes (docs/nis1.md, docs/contracts.md §6 "Follow mode"): `/chain/height`
 * and `/block/at/public` (POST `{ height }`, one request per block), with retries (exponential backoff,
 * full jitter, Retry-After), failover across nodes, a byte cap and a deadline per request.
 *
 * A block is a stranger's data: its height must be the one asked for, at most 120 transactions, each
 * transaction's signature must verify against its signer over its serialised bytes (a 4100's outer
 * signature and each 4098 cosignature; docs/nis1.md), and its hash is computed here (blocks carry
 * none). A block that fails any check is TRACE_MALFORMED_RESPONSE naming node and height; nothing of
 * it is used, and the node is skipped for the rest of the run.
 */
import { Pool } from 'undici';
import { TracerError, isTracerError } from '../errors.js';
import {
  normalizeTransaction,
  innerTransactionHash,
  serializeTransaction,
  transactionHash,
  verifyNem,
  TX_TYPE,
  type NisTransaction,
  type Transfer,
} from '../nem/index.js';
import { backoffDelay, parseRetryAfter } from '../crawl/index.js';

export interface ReadBlock {
  height: number;
  signature: string;
  prevBlockHash: string;
  /** The block's transfers (plain and multisig), in block order. */
  transfers: Transfer[];
}

export interface BlockReaderOptions {
  nodes: string[];
  /** Attempts per request over all nodes (default 8). */
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  /** Per-request deadline, ms (default 15,000). */
  timeoutMs?: number;
  /** Largest body accepted (default 4 MiB: 120 transactions with messages). */
  maxBodyBytes?: number;
  rng?: () => number;
}

const MAX_TXS = 120;

export class BlockReader {
  private readonly pools: Map<string, Pool>;
  private readonly liars = new Set<string>();
  private next = 0;
  private readonly attempts: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly rng: () => number;

  constructor(private readonly options: BlockReaderOptions) {
    if (options.nodes.length === 0) throw new TracerError('TRACE_INVALID_OPTION', 'at least one --node is required');
    this.pools = new Map(options.nodes.map((n) => [n, new Pool(new URL(n).origin, { connections: 8, keepAliveTimeout: 10_000 })]));
    this.attempts = options.attempts ?? 8;
    this.baseMs = options.baseMs ?? 250;
    this.maxMs = options.maxMs ?? 15_000;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.rng = options.rng ?? Math.random;
  }

  async height(signal?: AbortSignal): Promise<number> {
    const body = await this.call('GET', '/chain/height', undefined, signal);
    const h = (body as { height?: unknown })?.height;
    if (!Number.isSafeInteger(h) || (h as number) < 1)
      throw new TracerError('TRACE_MALFORMED_RESPONSE', `/chain/height answered ${JSON.stringify(body).slice(0, 100)}`);
    return h as number;
  }

  async block(height: number, signal?: AbortSignal): Promise<ReadBlock> {
    for (;;) {
      const { node, body } = await this.callWithNode('POST', '/block/at/public', JSON.stringify({ height }), signal);
      try {
        return readBlock(body, height);
      } catch (err) {
        if (!isTracerError(err, 'TRACE_MALFORMED_RESPONSE')) throw err;
        this.liars.add(node); // out of rotation for the rest of the run; try an honest node
        if (this.liars.size >= this.pools.size)
          throw new TracerError(
            'TRACE_MALFORMED_RESPONSE',
            `${node} POST /block/at/public ${height}: ${err.message} (no honest node left)`,
            { cause: err },
          );
      }
    }
  }

  /** GET `path` (retried and failed over like every call, e.g. `/account/get`): the parsed body and the node that answered. */
  async get(path: string, signal?: AbortSignal): Promise<{ node: string; body: unknown }> {
    return this.callWithNode('GET', path, undefined, signal);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }

  private async call(method: 'GET' | 'POST', path: string, body: string | undefined, signal?: AbortSignal): Promise<unknown> {
    return (await this.callWithNode(method, path, body, signal)).body;
  }

  private async callWithNode(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    signal?: AbortSignal,
  ): Promise<{ node: string; body: unknown }> {
    let last: unknown = null;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (signal?.aborted) throw new TracerError('TRACE_NODE_UNAVAILABLE', `${method} ${path}: aborted`, { retryable: false });
      const node = this.pick();
      try {
        return { node, body: await this.once(node, method, path, body, signal) };
      } catch (err) {
        last = err;
        if (isTracerError(err) && !err.retryable) throw err;
        const after = (err as { details?: { retryAfterMs?: number | null } }).details?.retryAfterMs ?? null;
        const delay = after ?? backoffDelay(attempt, { baseMs: this.baseMs, maxMs: this.maxMs }, this.rng);
        await new Promise((r) => setTimeout(r, Math.min(delay, this.maxMs)));
      }
    }
    throw new TracerError(
      'TRACE_NODE_UNAVAILABLE',
      `${method} ${path}: no node answered after ${this.attempts} attempts (${(last as Error)?.message ?? last})`,
      { cause: last },
    );
  }

  private pick(): string {
    const nodes = this.options.nodes.filter((n) => !this.liars.has(n));
    if (nodes.length === 0)
      throw new TracerError('TRACE_MALFORMED_RESPONSE', 'every node answered a block that failed verification: no honest node left');
    return nodes[this.next++ % nodes.length];
  }

  private async once(node: string, method: 'GET' | 'POST', path: string, body: string | undefined, signal?: AbortSignal): Promise<unknown> {
    const u = new URL(node);
    const where = `${node} ${method} ${path}${body ? ` ${body}` : ''}`;
    const deadline = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), ...(signal ? [signal] : [])]);
    let res;
    try {
      res = await this.pools.get(node)!.request({
        origin: u.origin,
        path: u.pathname.replace(/\/+$/, '') + path,
        method,
        body,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'tainttrace-follow' },
        signal: deadline,
      });
    } catch (err) {
      throw new TracerError('TRACE_NODE_UNAVAILABLE', `${where}: ${(err as Error).message}`, { cause: err, retryable: true });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBodyBytes) {
          res.body.destroy();
          throw new TracerError('TRACE_MALFORMED_RESPONSE', `${where}: body above ${this.maxBodyBytes} bytes`, { retryable: true });
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (isTracerError(err)) throw err;
      throw new TracerError('TRACE_NODE_UNAVAILABLE', `${where}: body ended early (${(err as Error).message})`, {
        cause: err,
        retryable: true,
      });
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (res.statusCode !== 200) {
      const retryable = res.statusCode === 429 || res.statusCode >= 500;
      throw new TracerError('TRACE_NODE_HTTP', `${where}: HTTP ${res.statusCode} ${text.slice(0, 160)}`, {
        retryable,
        details: { retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()) },
      });
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new TracerError('TRACE_NODE_HTTP', `${where}: body is not JSON (truncated?)`, { retryable: true });
    }
  }
}

/** Validates and verifies one `/block/at/public` answer; its transfers with computed hashes. */
export function readBlock(body: unknown, height: number): ReadBlock {
  const bad = (what: string): never => {
    throw new TracerError('TRACE_MALFORMED_RESPONSE', `block ${height}: ${what}`);
  };
  if (typeof body !== 'object' || body === null) return bad('not an object');
  const b = body as { height?: unknown; signature?: unknown; prevBlockHash?: { data?: unknown }; transactions?: unknown };
  if (b.height !== height) bad(`answered height ${JSON.stringify(b.height)}`);
  if (typeof b.signature !== 'string' || !/^[0-9a-f]{128}$/i.test(b.signature)) bad('signature is not 64 hex bytes');
  const prev = b.prevBlockHash?.data;
  if (typeof prev !== 'string' || !/^[0-9a-f]{64}$/i.test(prev)) bad('prevBlockHash is not 32 hex bytes');
  if (!Array.isArray(b.transactions) || b.transactions.length > MAX_TXS) bad(`transactions is not a list of at most ${MAX_TXS}`);
  const transfers: Transfer[] = [];
  (b.transactions as unknown[]).forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) bad(`transactions[${i}] is not an object`);
    const tx = raw as NisTransaction;
    let hash: string;
    try {
      if (!verifyNem(String(tx.signature), serializeTransaction(tx), String(tx.signer)))
        bad(`transactions[${i}]: the signature does not verify`);
      if (tx.type === TX_TYPE.MULTISIG) {
        for (const [j, cosig] of (tx.signatures ?? []).entries()) {
          if (!verifyNem(String(cosig.signature), serializeTransaction(cosig, `signatures[${j}]`), String(cosig.signer)))
            bad(`transactions[${i}].signatures[${j}]: the cosignature does not verify`);
        }
      }
      hash = transactionHash(tx);
    } catch (err) {
      if (isTracerError(err)) throw err;
      return bad(`transactions[${i}]: ${(err as Error).message}`);
    }
    const meta = { height, id: 0, hash: { data: hash }, innerHash: tx.type === TX_TYPE.MULTISIG ? { data: innerTransactionHash(tx) } : {} };
    let n;
    try {
      n = normalizeTransaction({ meta, transaction: tx }, `block ${height} transactions[${i}]`);
    } catch (err) {
      throw new TracerError('TRACE_MALFORMED_RESPONSE', (err as Error).message, { cause: err });
    }
    if (n.kind === 'transfer') transfers.push(n.transfer);
  });
  return { height, signature: (b.signature as string).toLowerCase(), prevBlockHash: (prev as string).toLowerCase(), transfers };
}
