/**
 * ByteChunks (src/report/byte-chunks.ts): numbers, µXEM and hex written as bytes read back as the string helpers
 * write them; chunks taken at any size concatenate to the whole text; text longer than a chunk grows the buffer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteChunks, putBytes, putHex, putPlain, putUint, putXem, viewOf } from '../../src/report/byte-chunks.js';
import { xem } from '../../src/report/format.js';

const written = (write: (w: ByteChunks) => void, size = 8): string => {
  const w = new ByteChunks(size);
  write(w);
  return w.take().toString('utf8');
};

describe('ByteChunks', () => {
  it('writes integers as String does and µXEM as xem does (edges, random, bigint, negative)', () => {
    const edges = [0, 1, 9, 10, 99, 999_999, 1_000_000, 1_000_001, 8_999_999_999_000_000, Number.MAX_SAFE_INTEGER];
    for (const n of edges) {
      expect(written((w) => w.uint(n))).toBe(String(n));
      expect(written((w) => w.xem(n))).toBe(xem(n));
    }
    expect(written((w) => w.xem(2n ** 60n))).toBe(xem(2n ** 60n));
    expect(written((w) => w.xem(-1_500_000))).toBe(xem(-1_500_000));
    expect(written((w) => w.uint(-3))).toBe('-3');
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(written((w) => w.uint(n))).toBe(String(n));
        expect(written((w) => w.xem(n))).toBe(xem(n));
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('writes hex, bytes and UTF-8 text; plain copies only the allowed ASCII and otherwise writes nothing', () => {
    const hash = Uint8Array.from({ length: 40 }, (_x, i) => (i * 37 + 5) & 255);
    expect(written((w) => w.hex(hash, 4, 32))).toBe(Buffer.from(hash.subarray(4, 36)).toString('hex'));
    expect(written((w) => w.text('漢字 😀 é'))).toBe('漢字 😀 é');
    const ok = new Uint8Array(128);
    for (const c of 'abc') ok[c.charCodeAt(0)] = 1;
    expect(written((w) => [w.plain('cab', ok), w.plain('cad', ok), w.plain('é', ok)].forEach((r) => w.text(r ? '+' : '-')))).toBe('cab+--');
  });

  it('put… write at any offset what the methods write: bytes and hex of any length, numbers, plain text or −1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(80), fc.nat(80), fc.nat(7), (src, a, b, at) => {
        const [from, to] = [Math.min(a, b, src.length), Math.min(Math.max(a, b), src.length)];
        const out = Buffer.alloc(at + 2 * src.length + 4);
        const v = viewOf(out);
        expect(putBytes(v, at, viewOf(src), from, to)).toBe(at + to - from);
        expect(out.subarray(at, at + to - from)).toEqual(Buffer.from(src.subarray(from, to)));
        expect(putHex(v, at, viewOf(src), from, to - from)).toBe(at + 2 * (to - from));
        expect(out.toString('latin1', at, at + 2 * (to - from))).toBe(Buffer.from(src.subarray(from, to)).toString('hex'));
      }),
      { numRuns: 1000, seed: 5 },
    );
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.nat(7), (n, at) => {
        const out = Buffer.alloc(at + 24);
        expect(out.toString('latin1', at, putUint(viewOf(out), at, n))).toBe(String(n));
        expect(out.toString('latin1', at, putXem(viewOf(out), at, n))).toBe(xem(n));
      }),
      { numRuns: 1000, seed: 6 },
    );
    const ok = new Uint8Array(128).fill(1, 97, 123);
    const out = Buffer.alloc(8);
    expect(putPlain(viewOf(out), 1, 'abc', ok)).toBe(4);
    expect(out.toString('latin1', 1, 4)).toBe('abc');
    expect(putPlain(viewOf(out), 1, 'abC', ok)).toBe(-1);
    expect(putPlain(viewOf(out), 1, 'aé', ok)).toBe(-1);
  });

  it('hands over chunks that concatenate to the whole text, growing for text longer than a chunk', () => {
    const w = new ByteChunks(16);
    const parts: Buffer[] = [];
    let expected = '';
    for (let i = 0; i < 500; i++) {
      const s = i % 50 === 0 ? 'x'.repeat(10_000) : `row ${i},`;
      w.text(s);
      w.uint(i);
      expected += s + String(i);
      if (w.full) parts.push(w.take());
    }
    parts.push(w.take());
    expect(parts.length).toBeGreaterThan(10);
    expect(Buffer.concat(parts).toString('utf8')).toBe(expected);
  });
});
