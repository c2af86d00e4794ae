/**
 * NDJSON lines from a byte stream, bounded: a line longer than `maxLineBytes` is an error the moment
 * it passes the bound (memory never holds more than one line and one chunk), not after it has been
 * buffered. Lines are numbered from 1; a trailing `\r` is dropped; blank lines are yielded too (the
 * caller skips them, keeping the numbering true).
 */
import { TracerError } from '../errors.js';

export interface Line {
  /** 1-based line number. */
  line: number;
  text: string;
}

/** Default longest line: 1 MiB (a NIS1 transaction with the largest message and 32 cosignatures is ~20 KB). */
export const MAX_LINE_BYTES = 1 << 20;

export async function* ndjsonLines(
  input: AsyncIterable<Buffer | string>,
  name: string,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let pending = 0;
  let line = 0;
  const tooLong = (): never => {
    throw new TracerError('TRACE_INVALID_IMPORT', `${name}:${line + 1}: line longer than ${maxLineBytes} bytes`, {
      details: { file: name, line: line + 1 },
    });
  };
  const text = (tail: Buffer): string => {
    const buf = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    parts = [];
    pending = 0;
    const end = buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length;
    return buf.toString('utf8', 0, end);
  };
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      if (pending + nl - start > maxLineBytes) tooLong();
      const t = text(chunk.subarray(start, nl));
      line++;
      yield { line, text: t };
      start = nl + 1;
    }
    if (start < chunk.length) {
      if (pending + chunk.length - start > maxLineBytes) tooLong();
      parts.push(chunk.subarray(start));
      pending += chunk.length - start;
    }
  }
  if (pending > 0) {
    const t = text(Buffer.alloc(0));
    line++;
    yield { line, text: t };
  }
}

/** Whole lines of an NDJSON input, as bytes (what `ndjsonBlocks` yields). */
export interface LineBlock {
  /** 1-based number of its first line. */
  firstLine: number;
  /** Lines in it (blank ones too; the last line of the input need not end with a newline). */
  lines: number;
  /** The lines' bytes, newlines included, in a buffer of its own (transferable to a worker). */
  bytes: Uint8Array;
}

/**
 * The lines of `input` in blocks of at most `maxLines` lines (cut after the line that reaches `maxBytes`), for
 * checking elsewhere (src/store/import-check.ts `checkBlock`, which decodes them as `ndjsonLines` would, line for
 * line). Bounded as `ndjsonLines` is: a line longer than `maxLineBytes` is an error the moment it passes the bound.
 */
export async function* ndjsonBlocks(
  input: AsyncIterable<Buffer | string>,
  name: string,
  maxLineBytes = MAX_LINE_BYTES,
  maxLines = 4096,
  maxBytes = 4 << 20,
): AsyncGenerator<LineBlock> {
  let pieces: Uint8Array[] = [];
  let size = 0; // bytes in pieces
  let lines = 0; // complete lines in pieces
  let partial = 0; // bytes of the line not ended yet (in pieces)
  let before = 0; // lines of the blocks yielded so far
  const tooLong = (): never => {
    const line = before + lines + 1;
    throw new TracerError('TRACE_INVALID_IMPORT', `${name}:${line}: line longer than ${maxLineBytes} bytes`, {
      details: { file: name, line },
    });
  };
  const take = (count: number): LineBlock => {
    const bytes = new Uint8Array(size);
    let o = 0;
    for (const p of pieces) {
      bytes.set(p, o);
      o += p.length;
    }
    const block = { firstLine: before + 1, lines: count, bytes };
    before += count;
    pieces = [];
    size = 0;
    lines = 0;
    return block;
  };
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let from = 0; // first byte of the chunk not in pieces yet
    let start = 0; // first byte of the current line in the chunk
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      if (partial + nl - start > maxLineBytes) tooLong();
      partial = 0;
      lines++;
      start = nl + 1;
      if (lines >= maxLines || size + start - from >= maxBytes) {
        pieces.push(chunk.subarray(from, start));
        size += start - from;
        from = start;
        yield take(lines);
      }
    }
    if (partial + chunk.length - start > maxLineBytes) tooLong();
    partial += chunk.length - start;
    if (from < chunk.length) {
      pieces.push(chunk.subarray(from));
      size += chunk.length - from;
    }
  }
  if (size > 0) yield take(lines + (partial > 0 ? 1 : 0));
}
