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
