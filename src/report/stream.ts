/**
 * Writes a report file from a sequence of chunks — text, or bytes (UTF-8) — without holding the whole text: text
 * chunks are gathered to about 1 MiB, byte chunks appended as they come, to a temporary file renamed into place at the end,
 * so a reader never sees half a file and no output is bounded by JavaScript's largest string.
 *
 * One write is kept in flight while the next chunk is made (the write runs on libuv's thread pool): a producer of
 * byte chunks hands each one over for good — it must not change a chunk after yielding it (ByteChunks.take()
 * starts a fresh buffer).
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';

const FLUSH_CHARS = 1 << 20;

export async function writeChunks(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  const writer = new OneInFlight(fh);
  try {
    let buf = '';
    for (const chunk of chunks) {
      if (typeof chunk !== 'string') {
        if (buf !== '') await writer.write(buf);
        buf = '';
        await writer.write(chunk);
        continue;
      }
      buf += chunk;
      if (buf.length >= FLUSH_CHARS) {
        await writer.write(buf);
        buf = '';
      }
    }
    if (buf !== '') await writer.write(buf);
    await writer.done();
    await fh.close();
  } catch (err) {
    await writer.done().catch(() => undefined);
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await rename(tmp, path);
}

/** Appends to a file with at most one write pending: `write` waits for the one before, starts its own and returns. */
class OneInFlight {
  private pending: Promise<unknown> | null = null;

  constructor(private readonly fh: FileHandle) {}

  async write(data: string | Uint8Array): Promise<void> {
    await this.done();
    this.pending = typeof data === 'string' ? this.fh.write(data, null, 'utf8') : this.fh.write(data);
    // Awaited by the next write or `done`; until then a failure must not count as an unhandled rejection.
    this.pending.catch(() => undefined);
  }

  /** Waits for the pending write (its failure thrown here). */
  async done(): Promise<void> {
    const p = this.pending;
    this.pending = null;
    if (p !== null) await p;
  }
}
