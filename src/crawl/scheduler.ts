/**
 * The crawl's work list: passes over account lists (`Task`s), each scheduled once per run, run at
 * most `concurrency` at a time until none is left; the first failure stops the rest (they settle, and
 * the run fails with it). Also counts accounts whose lists are all done (progress).
 */
import type { CursorList } from '../store/index.js';

export interface Task {
  address: string;
  list: CursorList;
  /** Seed window [from, to) for list 'seed'. */
  from?: number;
  to?: number;
}

export class Scheduler {
  accountsDone = 0;
  private readonly queue: Task[] = [];
  private readonly scheduled = new Set<string>();
  private readonly doneKeys = new Set<string>();

  /** Queues a pass unless the same one was queued before in this run. */
  enqueue(task: Task): void {
    const key = `${task.address}:${task.list}:${task.from ?? ''}:${task.to ?? ''}`;
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    this.queue.push(task);
  }

  /** Both lists of an account (its history in full). */
  enqueueAccount(address: string): void {
    this.enqueue({ address, list: 'in' });
    this.enqueue({ address, list: 'out' });
  }

  markDone(address: string, list: CursorList): void {
    this.doneKeys.add(`${address}:${list}`);
    if (list === 'seed' || this.doneKeys.has(`${address}:${list === 'in' ? 'out' : 'in'}`)) this.accountsDone++;
  }

  /**
   * Runs queued passes (passes may queue more), at most `concurrency` at a time, until the queue is
   * empty or `stopped()`; the first error wins, is passed to `onFailure` (to stop the others) and thrown.
   */
  async drain(
    concurrency: number,
    pass: (task: Task) => Promise<void>,
    stopped: () => boolean,
    onFailure: (err: unknown) => void,
  ): Promise<void> {
    const active = new Set<Promise<void>>();
    // Set by the settling callbacks below, which control-flow analysis does not follow.
    let failure = null as Error | null;
    while (failure === null && !stopped()) {
      while (active.size < concurrency && this.queue.length > 0) {
        const task = this.queue.shift()!;
        const p: Promise<void> = pass(task).then(
          () => {
            active.delete(p);
          },
          (err) => {
            active.delete(p);
            if (failure === null && !stopped()) {
              failure = err instanceof Error ? err : new Error(String(err));
              onFailure(err);
            }
          },
        );
        active.add(p);
      }
      if (active.size === 0) break;
      await Promise.race(active);
    }
    await Promise.allSettled(active);
    if (failure !== null) throw failure;
  }
}
