/**
 * The durable event sequence (docs/contracts.md §6 "Events"), kept in the store's `events` sublevel:
 *
 *   e:<seq, 12 digits>  → the event (JSON)
 *   k:<key>             → seq of the event that fired for this key (fire-once: exit.reached:<hash>, …)
 *   head                → the last seq
 *
 * `append` writes the events, their keys and the new head in ONE synced batch, so a crash leaves all
 * of them or none, and a restarted follower numbers on from the stored head. Readers in the same
 * process wait for new events with `waitAfter` (the HTTP long-poll and SSE, webhooks).
 *
 * Other processes cannot open the store while the follower holds it (LevelDB locks the directory),
 * so the log also keeps a mirror, `events.ndjson` in the store directory: every committed event, one
 * line each, appended after the batch is written; on open it is repaired from the store (a torn last
 * line cut, missing lines appended). `tainttrace events` reads the mirror when the store is locked.
 */
import { appendFileSync, existsSync, openSync, closeSync, readSync, fstatSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { TracerError } from '../errors.js';
import type { StoreSublevel } from '../store/index.js';
import type { NewEvent, TaintEvent } from './types.js';

export const EVENTS_SUBLEVEL = 'events';
export const EVENTS_MIRROR = 'events.ndjson';
const seqKey = (seq: number) => `e:${String(seq).padStart(12, '0')}`;
const E_END = 'e;';

type Op = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

/** What readers of the sequence need (the HTTP route, webhooks): EventLog implements it. */
export interface EventSource {
  readonly head: number;
  read(after: number, limit?: number): Promise<TaintEvent[]>;
  waitAfter(after: number, ms: number, signal?: AbortSignal): Promise<void>;
}

export class EventLog implements EventSource {
  private headSeq = 0;
  private readonly fired = new Map<string, number>();
  private readonly emitter = new EventEmitter();
  private mirrorSeq = 0;

  private constructor(
    private readonly sub: StoreSublevel,
    private readonly mirrorPath: string | null,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Opens the log in a store's `events` sublevel; `dir` (the store directory) enables the mirror. */
  static async open(sub: StoreSublevel, dir: string | null): Promise<EventLog> {
    const log = new EventLog(sub, dir === null ? null : join(dir, EVENTS_MIRROR));
    const head = await sub.get('head');
    if (head !== undefined) {
      if (!Number.isSafeInteger(head) || (head as number) < 0)
        throw new TracerError('TRACE_STORE_CORRUPT', `events head is ${JSON.stringify(head)}`);
      log.headSeq = head as number;
    }
    for await (const [key, value] of sub.iterator()) {
      if (key.startsWith('k:')) log.fired.set(key.slice(2), value as number);
    }
    await log.repairMirror();
    return log;
  }

  get head(): number {
    return this.headSeq;
  }

  /** Has an event with this fire-once key fired (and not been released)? */
  hasFired(key: string): boolean {
    return this.fired.has(key);
  }

  /** Fire-once keys with a prefix (e.g. 'account.tainted:'). */
  firedKeys(prefix: string): string[] {
    return [...this.fired.keys()].filter((k) => k.startsWith(prefix));
  }

  /**
   * Numbers and stores the events whose key has not fired, releases `release` keys (they may fire
   * again: a fork retracted what fired them), writes `extra` ops of the caller in the same batch.
   * Returns the stored events.
   */
  async append(events: readonly NewEvent[], release: readonly string[] = [], extra: readonly Op[] = []): Promise<TaintEvent[]> {
    const ops: Op[] = [...extra];
    const out: TaintEvent[] = [];
    const firing = new Map<string, number>();
    const released = new Set(release);
    let seq = this.headSeq;
    for (const { event, key } of events) {
      if (key !== null && ((this.fired.has(key) && !released.has(key)) || firing.has(key))) continue;
      const e = { seq: ++seq, ...event };
      out.push(e);
      ops.push({ type: 'put', key: seqKey(e.seq), value: e });
      if (key !== null) {
        firing.set(key, e.seq);
        ops.push({ type: 'put', key: `k:${key}`, value: e.seq });
        released.delete(key);
      }
    }
    for (const key of released) if (this.fired.has(key)) ops.push({ type: 'del', key: `k:${key}` });
    if (ops.length === 0) return out;
    if (out.length) ops.push({ type: 'put', key: 'head', value: seq });
    await this.sub.batch(ops, { sync: true });
    for (const key of released) this.fired.delete(key);
    for (const [key, s] of firing) this.fired.set(key, s);
    this.headSeq = seq;
    if (out.length) {
      this.writeMirror(out);
      this.emitter.emit('append', seq);
    }
    return out;
  }

  /** Events with seq > after, at most `limit`, in order. */
  async read(after: number, limit = 1000): Promise<TaintEvent[]> {
    const out: TaintEvent[] = [];
    if (after >= this.headSeq) return out;
    for await (const [, value] of (this.sub as RangeSublevel).iterator({ gt: seqKey(after), lt: E_END, limit }))
      out.push(value as TaintEvent);
    return out;
  }

  /** Resolves when head > after (at once if it is), or when `signal` aborts / `ms` pass. */
  waitAfter(after: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.headSeq > after || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off('append', onAppend);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const onAppend = (head: number) => {
        if (head > after) done();
      };
      const timer = setTimeout(done, ms);
      this.emitter.on('append', onAppend);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private writeMirror(events: readonly TaintEvent[]): void {
    if (this.mirrorPath === null) return;
    appendFileSync(this.mirrorPath, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    this.mirrorSeq = events[events.length - 1].seq;
  }

  /** Cut a torn last line, then append what the store holds beyond the mirror's last line. */
  private async repairMirror(): Promise<void> {
    if (this.mirrorPath === null) return;
    const last = lastMirrorSeq(this.mirrorPath, true);
    this.mirrorSeq = last > this.headSeq ? 0 : last;
    if (last > this.headSeq) appendFileSync(this.mirrorPath, '', { flag: 'w' }); // a mirror from another store: start over
    for (let after = this.mirrorSeq; after < this.headSeq;) {
      const batch = await this.read(after, 1000);
      if (batch.length === 0)
        throw new TracerError('TRACE_STORE_CORRUPT', `events ${after + 1}..${this.headSeq} are missing from the store`);
      this.writeMirror(batch);
      after = batch[batch.length - 1].seq;
    }
  }
}

/** A sublevel iterator with range options (abstract-level). */
type RangeSublevel = StoreSublevel & { iterator(options: { gt?: string; lt?: string; limit?: number }): AsyncIterable<[string, unknown]> };

/**
 * The seq of the mirror's last complete line (0 when empty or absent). With `repair`, a torn last
 * line (no newline: the process died mid-write) is cut off.
 */
export function lastMirrorSeq(path: string, repair = false): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, repair ? 'r+' : 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 0;
    const chunk = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(chunk);
    readSync(fd, buf, 0, chunk, size - chunk);
    let end = chunk;
    if (buf[chunk - 1] !== 0x0a) {
      end = buf.lastIndexOf(0x0a) + 1;
      if (repair) ftruncateSync(fd, size - (chunk - end));
    }
    const lines = buf.subarray(0, end).toString('utf8').split('\n').filter(Boolean);
    if (lines.length === 0) return 0;
    const e = JSON.parse(lines[lines.length - 1]) as { seq?: unknown };
    if (!Number.isSafeInteger(e.seq)) throw new Error('no seq');
    return e.seq as number;
  } catch (err) {
    if (err instanceof TracerError) throw err;
    throw new TracerError('TRACE_STORE_CORRUPT', `the events mirror ${path} does not decode: ${(err as Error).message}`, { cause: err });
  } finally {
    closeSync(fd);
  }
}
