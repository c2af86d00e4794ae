/**
 * Reading the events mirror (`events.ndjson` in the store directory, see log.ts) from another process:
 * the lines with seq > after, in order, and — for `tainttrace events --follow` — new lines as the
 * follower appends them (polled; a torn last line waits for its newline). Every line is checked: a
 * line that is not an event, or a seq that does not rise by one, is TRACE_STORE_CORRUPT.
 */
import { closeSync, existsSync, openSync, readSync, fstatSync } from 'node:fs';
import { TracerError } from '../errors.js';
import type { TaintEvent } from './types.js';

export class MirrorReader {
  private offset = 0;
  private rest = Buffer.alloc(0);
  private last = 0;

  constructor(private readonly path: string) {}

  /** The complete lines written since the last call, as events with seq > after. */
  readNew(after: number): TaintEvent[] {
    if (!existsSync(this.path)) return [];
    const fd = openSync(this.path, 'r');
    let chunk: Buffer;
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) throw new TracerError('TRACE_STORE_CORRUPT', `the events mirror ${this.path} shrank: it was replaced`);
      chunk = Buffer.alloc(size - this.offset);
      if (chunk.length) readSync(fd, chunk, 0, chunk.length, this.offset);
      this.offset = size;
    } finally {
      closeSync(fd);
    }
    const data = Buffer.concat([this.rest, chunk]);
    const end = data.lastIndexOf(0x0a) + 1;
    this.rest = Buffer.from(data.subarray(end));
    const out: TaintEvent[] = [];
    for (const line of data.subarray(0, end).toString('utf8').split('\n')) {
      if (line === '') continue;
      let e: TaintEvent;
      try {
        e = JSON.parse(line) as TaintEvent;
      } catch {
        throw new TracerError('TRACE_STORE_CORRUPT', `the events mirror ${this.path} holds a line that is not JSON after seq ${this.last}`);
      }
      if (typeof e !== 'object' || e === null || e.seq !== this.last + 1 || typeof e.type !== 'string') {
        throw new TracerError(
          'TRACE_STORE_CORRUPT',
          `the events mirror ${this.path}: expected seq ${this.last + 1}, got ${JSON.stringify((e as { seq?: unknown } | null)?.seq)}`,
        );
      }
      this.last = e.seq;
      if (e.seq > after) out.push(e);
    }
    return out;
  }
}
