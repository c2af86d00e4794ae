/**
 * The crawler's write queue (docs/nis1.md §7): pages are written one after
 * another, in the order they were processed (so stored accounts never run ahead of stored transfers).
 * Group commit: every page queued while a batch is on disk goes into the next batch — still one
 * atomic synced batch holding each page whole (data, cursor and accounts together), one fsync for all
 * of them. Fetching waits (`space()`) only while WRITE_QUEUE_PAGES pages are queued. The first failed
 * batch stops the writer: nothing queued after it is written (a later page's cursor must not land
 * without the data before it), and `failure` holds its error.
 */
import type { AccountRecord, CursorRecord, Store, StoreBatch } from '../store/index.js';
import type { Transfer } from '../nem/index.js';

/** Pages a crawl may have queued for writing before fetching waits (the write queue's bound). */
export const WRITE_QUEUE_PAGES = 64;

export interface WriteTimings {
  writeMs: number;
  batches: number;
  pages: number;
}

export class WriteQueue {
  /** The first failed write (null while all went well). */
  failure: Error | null = null;
  readonly timings: WriteTimings = { writeMs: 0, batches: 0, pages: 0 };
  private readonly pending: Array<{ batch: StoreBatch; resolve: () => void; reject: (err: unknown) => void }> = [];
  private writing: Promise<void> | null = null;
  private readonly spaceWaiters: Array<() => void> = [];

  /** `onFailure` is called once, with the first failed batch's error (the crawl stops on it). */
  constructor(
    private readonly store: Pick<Store, 'writeBatch'>,
    private readonly onFailure: (err: unknown) => void,
  ) {}

  /** Throws the first failed write's error, if any (the crawl stops on it). */
  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Queues one page; resolves once it is on disk. */
  write(batch: StoreBatch): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      this.writing ??= this.flush();
    });
  }

  /** Waits while the queue holds WRITE_QUEUE_PAGES pages or more (backpressure on fetching). */
  async space(): Promise<void> {
    while (this.pending.length >= WRITE_QUEUE_PAGES && this.failure === null) {
      await new Promise<void>((r) => this.spaceWaiters.push(r));
    }
  }

  /** Resolves once everything queued is written (or the writer has failed). */
  async done(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0 && this.failure === null) {
        const group = this.pending.splice(0, this.pending.length);
        for (const w of this.spaceWaiters.splice(0)) w();
        const merged: Required<Pick<StoreBatch, 'transfers' | 'accounts' | 'cursors' | 'meta'>> = {
          transfers: [],
          accounts: [],
          cursors: [],
          meta: {},
        };
        for (const { batch } of group) {
          if (batch.transfers) for (const t of batch.transfers) (merged.transfers as Transfer[]).push(t);
          if (batch.accounts) for (const a of batch.accounts) (merged.accounts as AccountRecord[]).push(a);
          if (batch.cursors) for (const c of batch.cursors) (merged.cursors as CursorRecord[]).push(c);
          Object.assign(merged.meta, batch.meta ?? {});
        }
        const t0 = performance.now();
        try {
          await this.store.writeBatch(merged);
        } catch (err) {
          this.failure = err instanceof Error ? err : new Error(String(err));
          this.onFailure(err);
          for (const g of group) g.reject(err);
          break;
        }
        this.timings.writeMs += performance.now() - t0;
        this.timings.batches++;
        this.timings.pages += group.length;
        for (const g of group) g.resolve();
      }
      if (this.failure !== null) for (const g of this.pending.splice(0)) g.reject(this.failure);
    } finally {
      for (const w of this.spaceWaiters.splice(0)) w();
      this.writing = null;
    }
  }
}
