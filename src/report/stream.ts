/**
 * Writes a report file from a sequence of chunks — text, or bytes (UTF-8) — without holding the whole text: text
 * chunks are gathered to about 1 MiB, byte chunks appended as they come, to a temporary file renamed into place at the end,
 * so a reader never sees half a file and no output is bounded by JavaScript's largest string.
 */
import { open, rename, rm } from 'node:fs/promises';

const FLUSH_CHARS = 1 << 20;

export async function writeChunks(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    let buf = '';
    for (const chunk of chunks) {
      if (typeof chunk !== 'string') {
        if (buf !== '') await fh.write(buf, null, 'utf8');
        buf = '';
        await fh.write(chunk);
        continue;
      }
      buf += chunk;
      if (buf.length >= FLUSH_CHARS) {
        await fh.write(buf, null, 'utf8');
        buf = '';
      }
    }
    if (buf !== '') await fh.write(buf, null, 'utf8');
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await rename(tmp, path);
}
