/**
 * NDJSON input (src/store/ndjson.ts): `ndjsonBlocks` cuts an input into blocks of whole lines that hold exactly the
 * bytes and lines `ndjsonLines` reads, however the input is chunked, and stops at a line over the bound with the same
 * error; `checkBlock` (src/store/import-check.ts) reads a block's lines as `ndjsonLines` would.
 */
import { describe, expect, it } from 'vitest';
import { ndjsonBlocks, ndjsonLines } from '../../src/store/ndjson.js';
import { blockLines, checkBlock } from '../../src/store/import-check.js';

/** `text` as a stream of Buffers cut at the given byte offsets (possibly inside a UTF-8 character). */
async function* chunks(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    if (c > at) yield await Promise.resolve(bytes.subarray(at, c));
    at = Math.max(at, c);
  }
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const inputs = [
  'a\nb\nc\n',
  'a\nb\nc', // no newline at the end
  '\n\n  \n{"x":1}\r\n{"y":"é→😀"}\n\r\n',
  'one line without newline',
  '',
  `${'x'.repeat(100)}\n`.repeat(50),
].map((t) => Buffer.from(t));
// Broken UTF-8: a sequence cut by a newline, a 4-byte character, a sequence cut by the end.
inputs.push(Buffer.from([0x61, 0xe2, 0x82, 0x0a, 0xf0, 0x9f, 0x98, 0x80, 0x0a, 0xc3]));

describe('ndjsonBlocks', () => {
  for (const bytes of inputs) {
    it(`holds the bytes and lines ndjsonLines reads: ${JSON.stringify(bytes.toString('utf8', 0, 24))}`, async () => {
      for (const cuts of [[], [1], [3, 4, 5], [7, 8, 9, 10, 11, 40, 41], Array.from({ length: bytes.length }, (_, i) => i)]) {
        for (const [maxLines, maxBytes] of [
          [4096, 4 << 20],
          [1, 4 << 20],
          [2, 4 << 20],
          [4096, 150],
        ]) {
          const lines = await all(ndjsonLines(chunks(bytes, cuts), 'f'));
          const blocks = await all(ndjsonBlocks(chunks(bytes, cuts), 'f', 1 << 20, maxLines, maxBytes));
          expect(Buffer.concat(blocks.map((b) => b.bytes)).equals(bytes)).toBe(true);
          let next = 1;
          for (const b of blocks) {
            expect(b.firstLine).toBe(next);
            expect(b.lines).toBeGreaterThan(0);
            expect(b.lines).toBeLessThanOrEqual(maxLines);
            next += b.lines;
          }
          expect(next - 1).toBe(lines.length);
          // checkBlock reads each block's lines as ndjsonLines does.
          expect(blocks.flatMap((b) => blockLines(b))).toEqual(lines.map((l) => l.text));
        }
      }
    });
  }

  it('a line over the bound is the error ndjsonLines gives, with its line number, before the rest is read', async () => {
    const text = `a\nb\n${'x'.repeat(64)}\nc\n`;
    for (const cuts of [[], [5, 20, 30]]) {
      const want = all(ndjsonLines(chunks(Buffer.from(text), cuts), 'big.ndjson', 32));
      await expect(want).rejects.toThrow('big.ndjson:3: line longer than 32 bytes');
      const got = all(ndjsonBlocks(chunks(Buffer.from(text), cuts), 'big.ndjson', 32, 1));
      await expect(got).rejects.toMatchObject({
        code: 'TRACE_INVALID_IMPORT',
        message: expect.stringContaining('big.ndjson:3: line longer'),
      });
    }
    // The last line, without a newline, is bounded too.
    await expect(all(ndjsonBlocks(chunks(Buffer.from(`a\n${'y'.repeat(40)}`), [3]), 'f', 32))).rejects.toThrow('f:2: line longer');
  });
});

describe('checkBlock', () => {
  it('reports the first bad line of the block with its number, and what came before it', () => {
    const bytes = new Uint8Array(Buffer.from('\n{"a":\n\n'));
    const r = checkBlock({ name: 'in.ndjson', firstLine: 41, lines: 3, bytes, signatures: 'here' });
    expect(r.error?.message).toMatch(/^in\.ndjson:42: not JSON/);
    expect(r).toMatchObject({ lines: 2, items: 1, transfers: 0 });
    const notItem = checkBlock({
      name: 'in.ndjson',
      firstLine: 7,
      lines: 1,
      bytes: new Uint8Array(Buffer.from('{"data":7}')),
      signatures: 'no',
    });
    expect(notItem.error?.message).toMatch(/^in\.ndjson:7: /);
  });
});
