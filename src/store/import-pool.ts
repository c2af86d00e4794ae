/**
 * The import's checks on worker threads (import-worker.ts): each block of lines (import-check.ts `checkBlock`) goes to
 * the least loaded worker, and its bytes are moved there, not copied. The check is pure, so blocks are checked in
 * parallel and their results taken in file order by the caller. `workers: 0` checks in the calling thread. Idle
 * workers do not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { TracerError } from '../errors.js';
import { moduleWorker } from '../nem/index.js';
import { checkBlock, type BlockJob, type BlockResult } from './import-check.js';

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: BlockResult) => void; reject: (err: Error) => void }>;
}

export class ImportPool {
  readonly workers: number;
  private slots: Slot[] = [];
  private nextId = 1;

  /** `workers`: threads (default: available cores, at most 4; 0 = check in the calling thread). */
  constructor(workers = Math.min(4, Math.max(1, availableParallelism()))) {
    if (!Number.isInteger(workers) || workers < 0 || workers > 64)
      throw new TypeError(`ImportPool: workers must be an integer from 0 to 64, got ${workers}`);
    this.workers = workers;
  }

  /** Check one block (its bytes are moved to the worker: the caller must not use them after). */
  check(job: BlockJob): Promise<BlockResult> {
    if (this.workers === 0) return Promise.resolve().then(() => checkBlock(job));
    let slot = this.slots.find((s) => s.pending.size === 0);
    // A worker is started only for a job (one started and left idle before it is online keeps the process alive).
    if (slot === undefined && this.slots.length < this.workers) this.slots.push((slot = this.spawn()));
    slot ??= this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    if (slot.pending.size === 0) slot.worker.ref();
    return new Promise<BlockResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, job }, [job.bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = moduleWorker(import.meta.url, 'import-worker');
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    const settle = (id: number) => {
      const p = slot.pending.get(id);
      slot.pending.delete(id);
      if (slot.pending.size === 0) worker.unref();
      return p;
    };
    worker.on('message', (m: { id: number; result?: BlockResult; failure?: string }) => {
      const p = settle(m.id);
      if (m.result !== undefined) p?.resolve(m.result);
      else p?.reject(new TracerError('TRACE_INTERNAL', `import check worker failed: ${m.failure}`));
    });
    const fail = (err: unknown) => {
      this.slots = this.slots.filter((s) => s !== slot);
      for (const id of [...slot.pending.keys()])
        settle(id)?.reject(
          new TracerError('TRACE_INTERNAL', `import check worker failed: ${(err as Error)?.message ?? err}`, { cause: err }),
        );
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (slot.pending.size > 0) fail(new Error(`exited with code ${code}`));
    });
    return slot;
  }
}

let shared: ImportPool | null = null;

/** The process-wide pool (created on first use; its workers do not keep the process alive). */
export function sharedImportPool(): ImportPool {
  shared ??= new ImportPool();
  return shared;
}
