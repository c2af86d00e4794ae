import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeChunks } from '../../src/report/stream.js';

const dir = mkdtempSync(join(tmpdir(), 'tainttrace-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeChunks', () => {
  it('writes chunk after chunk (more than one flush) and leaves no temporary file', async () => {
    const path = join(dir, 'big.txt');
    const line = `${'x'.repeat(99)}\n`;
    await writeChunks(
      path,
      (function* () {
        for (let i = 0; i < 30_000; i++) yield line;
      })(),
    );
    expect(readFileSync(path, 'utf8')).toBe(line.repeat(30_000));
    expect(readdirSync(dir)).toEqual(['big.txt']);
  });

  it('writes byte chunks (one in flight while the next is made) and text between them in their order', async () => {
    const path = join(dir, 'mixed.txt');
    const parts: (string | Uint8Array)[] = [];
    for (let i = 0; i < 300; i++) parts.push(i % 3 === 2 ? `text ${i};` : Buffer.from(`${String(i).repeat(5000)}|`));
    await writeChunks(path, parts);
    expect(readFileSync(path, 'utf8')).toBe(parts.map((p) => (typeof p === 'string' ? p : Buffer.from(p).toString())).join(''));
  });

  it('keeps the previous file whole when producing the chunks fails', async () => {
    const path = join(dir, 'report.csv');
    writeFileSync(path, 'old');
    const failing = (function* () {
      yield 'a'.repeat(2 << 20);
      throw new Error('boom');
    })();
    await expect(writeChunks(path, failing)).rejects.toThrow('boom');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });
});
