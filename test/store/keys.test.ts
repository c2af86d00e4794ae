import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { chainKey, cursorKey, encodeNum, indexKey } from '../../src/store/index.js';
import { decodeChainKey, decodeCursorKey, decodeIndexKey, decodeNum } from '../../src/store/keys.js';

const H = 'ab'.repeat(32);
const ADDR = 'NC4T246ALCPNBTAOCSC5EAVFMDFBOACSQAF6WKHV';
const num = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);

describe('encodeNum', () => {
  it('is fixed width and byte order equals numeric order', () => {
    fc.assert(
      fc.property(num, num, (a, b) => {
        const ea = encodeNum(a),
          eb = encodeNum(b);
        expect(ea.length).toBe(10);
        expect(Math.sign(Buffer.compare(Buffer.from(ea), Buffer.from(eb)))).toBe(Math.sign(a - b));
        expect(decodeNum(ea)).toBe(a);
      }),
    );
  });
  it('rejects negatives, fractions and too-large numbers with a TypeError', () => {
    for (const bad of [-1, 1.5, 1e10, Number.NaN]) expect(() => encodeNum(bad)).toThrow(TypeError);
  });
});

describe('chainKey / indexKey', () => {
  it('sort in chain order: height, then timestamp, then hash', () => {
    fc.assert(
      fc.property(num, num, hex64, num, num, hex64, (h1, t1, x1, h2, t2, x2) => {
        const a = { height: h1, timeStamp: t1, hash: x1 },
          b = { height: h2, timeStamp: t2, hash: x2 };
        const want = h1 - h2 || t1 - t2 || (x1 < x2 ? -1 : x1 > x2 ? 1 : 0);
        expect(Math.sign(Buffer.compare(Buffer.from(chainKey(a)), Buffer.from(chainKey(b))))).toBe(Math.sign(want));
        expect(Math.sign(Buffer.compare(Buffer.from(indexKey(ADDR, a)), Buffer.from(indexKey(ADDR, b))))).toBe(Math.sign(want));
        expect(decodeChainKey(chainKey(a))).toEqual(a);
        expect(decodeIndexKey(indexKey(ADDR, a))).toEqual({ address: ADDR, ...a });
      }),
    );
  });
  it('a bad key is TRACE_STORE_CORRUPT', () => {
    for (const bad of ['12:34', `0000000001:000000000x:${H}`, `0000000001:0000000001:${H.slice(1)}`]) {
      let caught: unknown;
      try {
        decodeChainKey(bad);
      } catch (e) {
        caught = e;
      }
      expect(isTracerError(caught, 'TRACE_STORE_CORRUPT')).toBe(true);
    }
  });
});

describe('cursorKey', () => {
  it('round-trips address and list', () => {
    for (const list of ['in', 'out', 'seed'] as const) expect(decodeCursorKey(cursorKey(ADDR, list))).toEqual({ address: ADDR, list });
  });
});
