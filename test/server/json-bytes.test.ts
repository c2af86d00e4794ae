import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytes } from '../../src/server/json-bytes.js';

describe('JsonBytes', () => {
  it('holds the UTF-8 bytes of everything appended, in order, growing as needed', () => {
    const parts = ['{"a":', '"ü漢😀"', ',"b":[', 'x'.repeat(5000), ']}'];
    const out = new JsonBytes(16);
    for (const p of parts) out.append(p);
    expect(out.bytes().equals(Buffer.from(parts.join('')))).toBe(true);
    expect(out.length).toBe(Buffer.byteLength(parts.join('')));
  });
  it('is Buffer.from(concatenation) for any strings (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 200 }),
        (parts, initial) => {
          const out = new JsonBytes(initial);
          for (const p of parts) out.append(p);
          return out.bytes().equals(Buffer.from(parts.join('')));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
