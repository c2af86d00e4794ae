/**
 * Signature verification off the main thread (docs/contracts.md §6): a pool of worker threads (verify-worker.ts)
 * and a bounded cache so each signature is verified once per process, shared by everything that
 * stores NIS data (crawl, import, follow).
 *
 * - `SignatureVerifier.verify(parts)` answers, per `SignedPart`, whether its signature verifies.
 *   A part is cached (verified true) under its `hash` (Keccak-256 of the signed bytes, which hold the
 *   signer) and its signature, so a transfer seen in both the sender's and the recipient's list costs
 *   one check. The cache holds at most `cacheSize` keys, least recently used forgotten first: memory
 *   stays flat whatever a node sends. Work is split across the workers; `workers: 0` verifies inline.
 * - Idle workers do not keep the process alive (unref'd while nothing is pending).
 * - `verifyItems(items)` is the whole check of a list of `TransactionMetaDataPair`s (normalisation,
 *   hashes, signatures): what `tainttrace import` and the crawler accept.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TracerError } from '../errors.js';
import type { NormalizedTransaction } from './types.js';
import { checkTransactionPair, verifySignedPart, type CheckedPair, type SignedPart } from './verify.js';

export interface VerifierOptions {
  /** Worker threads (default: available cores, at most 4; 0 = verify in the calling thread). */
  workers?: number;
  /** Verified signatures remembered (default 100 000, ≈25 MB). */
  cacheSize?: number;
}

export const DEFAULT_VERIFY_CACHE = 100_000;

interface Pending {
  resolve: (ok: boolean[]) => void;
  reject: (err: Error) => void;
}
interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  load: number;
}

export class SignatureVerifier {
  /** Signatures checked (cache misses) and answered from the cache. */
  checked = 0;
  cached = 0;
  readonly workers: number;
  readonly cacheSize: number;
  private readonly cache = new Map<string, true>();
  private slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: VerifierOptions = {}) {
    const w = options.workers ?? Math.min(4, Math.max(1, availableParallelism()));
    if (!Number.isInteger(w) || w < 0 || w > 64)
      throw new TypeError(`SignatureVerifier: workers must be an integer from 0 to 64, got ${w}`);
    const c = options.cacheSize ?? DEFAULT_VERIFY_CACHE;
    if (!Number.isInteger(c) || c < 0) throw new TypeError(`SignatureVerifier: cacheSize must be an integer ≥ 0, got ${c}`);
    this.workers = w;
    this.cacheSize = c;
  }

  /** Per part: does its signature verify? */
  async verify(parts: readonly SignedPart[]): Promise<boolean[]> {
    if (this.closed) throw new TypeError('SignatureVerifier: closed');
    const out = new Array<boolean>(parts.length);
    const todo = new Map<string, number[]>();
    parts.forEach((p, i) => {
      const key = p.hash + p.signature;
      if (this.cache.has(key)) {
        this.cache.delete(key); // LRU: move to the newest end
        this.cache.set(key, true);
        this.cached++;
        out[i] = true;
      } else {
        const at = todo.get(key);
        if (at) at.push(i);
        else todo.set(key, [i]);
      }
    });
    if (todo.size === 0) return out;
    const keys = [...todo.keys()];
    const first = keys.map((k) => parts[todo.get(k)![0]]);
    this.checked += first.length;
    const ok = this.workers === 0 ? first.map(verifySignedPart) : await this.onWorkers(first);
    keys.forEach((k, j) => {
      for (const i of todo.get(k)!) out[i] = ok[j];
      if (ok[j]) this.remember(k);
    });
    return out;
  }

  /**
   * The first item (of `items`, each a list of parts) with a signature that does not verify, and why;
   * null when every signature verifies.
   */
  async firstBad(items: readonly (readonly SignedPart[])[]): Promise<{ index: number; reason: string } | null> {
    const flat: SignedPart[] = [];
    const owner: number[] = [];
    items.forEach((parts, i) =>
      parts.forEach((p) => {
        flat.push(p);
        owner.push(i);
      }),
    );
    const ok = await this.verify(flat);
    for (let j = 0; j < flat.length; j++) {
      if (!ok[j]) return { index: owner[j], reason: `${flat[j].path}.signature does not verify for signer ${flat[j].signer}` };
    }
    return null;
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private remember(key: string): void {
    if (this.cacheSize === 0) return;
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, true);
  }

  private async onWorkers(parts: SignedPart[]): Promise<boolean[]> {
    while (this.slots.length < this.workers) this.slots.push(this.spawn());
    const n = Math.min(this.slots.length, Math.ceil(parts.length / 8)); // ≥ 8 signatures per message
    const size = Math.ceil(parts.length / n);
    const slots = [...this.slots].sort((a, b) => a.load - b.load).slice(0, n);
    const chunks = slots.map((slot, k) => this.send(slot, parts.slice(k * size, (k + 1) * size)));
    return (await Promise.all(chunks)).flat();
  }

  private send(slot: Slot, parts: SignedPart[]): Promise<boolean[]> {
    if (parts.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    slot.load += parts.length;
    if (slot.pending.size === 0) slot.worker.ref();
    return new Promise<boolean[]>((resolve, reject) => {
      const done = () => {
        slot.load -= parts.length;
        slot.pending.delete(id);
        if (slot.pending.size === 0) slot.worker.unref();
      };
      slot.pending.set(id, {
        resolve: (ok) => {
          done();
          resolve(ok);
        },
        reject: (err) => {
          done();
          reject(err);
        },
      });
      slot.worker.postMessage({ id, parts: parts.map((p) => ({ data: p.data, signature: p.signature, signer: p.signer })) });
    });
  }

  private spawn(): Slot {
    const worker = moduleWorker(import.meta.url, 'verify-worker');
    const slot: Slot = { worker, pending: new Map(), load: 0 };
    worker.on('message', (m: { id: number; ok: boolean[] }) => slot.pending.get(m.id)?.resolve(m.ok));
    const fail = (err: unknown) => {
      this.slots = this.slots.filter((s) => s !== slot);
      for (const p of [...slot.pending.values()])
        p.reject(
          new TracerError('TRACE_INTERNAL', `signature verification worker failed: ${(err as Error)?.message ?? err}`, { cause: err }),
        );
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (slot.pending.size > 0) fail(new Error(`exited with code ${code}`));
    });
    // after the listeners: adding a 'message' listener refs the worker's port again, and a worker that never gets a
    // job (more workers than chunks) then kept the process alive
    worker.unref();
    return slot;
  }
}

/**
 * A worker thread running the module `name` (no extension) beside `from` (the caller's `import.meta.url`): the built
 * `.js` file, or from the sources (tests, tsx) the `.ts` one, loaded through tsx's API.
 */
export function moduleWorker(from: string, name: string): Worker {
  return from.endsWith('.ts')
    ? tsWorker(new URL(`./${name}.ts`, from))
    : new Worker(new URL(`./${name}.js`, from), { execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')) });
}

/** From the sources (tests, tsx) the worker is TypeScript too: load it through tsx's API. */
function tsWorker(url: URL): Worker {
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}))`, {
    eval: true,
  });
}

let shared: SignatureVerifier | null = null;

/** The process-wide verifier (created on first use; its workers do not keep the process alive). */
export function sharedVerifier(): SignatureVerifier {
  shared ??= new SignatureVerifier();
  return shared;
}

/**
 * Checks a list of NIS1 `TransactionMetaDataPair`s completely — normalisation, recomputed hashes,
 * every signature — and returns them normalised, in order. The first bad item throws
 * TRACE_MALFORMED_RESPONSE naming `where[index]` and the reason (`details.index`).
 */
export async function verifyItems(
  items: readonly unknown[],
  options: { where?: string; verifier?: SignatureVerifier } = {},
): Promise<NormalizedTransaction[]> {
  const where = options.where ?? 'items';
  const checked: CheckedPair[] = items.map((raw, i) => {
    try {
      return checkTransactionPair(raw, `${where}[${i}]`);
    } catch (err) {
      if (!(err instanceof TracerError)) throw err;
      throw new TracerError(err.code, err.message, { details: { ...err.details, index: i } });
    }
  });
  const bad = await (options.verifier ?? sharedVerifier()).firstBad(checked.map((c) => c.parts));
  if (bad !== null)
    throw new TracerError('TRACE_MALFORMED_RESPONSE', `${where}[${bad.index}]: ${bad.reason}`, { details: { index: bad.index } });
  return checked.map((c) => c.normalized);
}
