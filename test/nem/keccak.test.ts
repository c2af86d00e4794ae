import { describe, expect, it } from 'vitest';
import { keccak_256, keccak_512 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';
import { keccak256, keccak256Hex, keccak512 } from '../../src/nem/keccak.js';

describe('keccak (hash-wasm): the original Keccak NEM uses', () => {
  it('gives the published Keccak digests of the empty input (not NIST SHA3: padding 0x01)', () => {
    const empty = new Uint8Array(0);
    expect(keccak256Hex(empty)).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    expect(bytesToHex(keccak512(empty))).toBe(
      '0eab42de4c3ceb9235fc91acffe746b29c29a8c366b7c60e4e67c466f36a4304c00fa9caf9d87976ba469bcbe06713b435f091ef2769fb160cdab33d3670680e',
    );
  });

  it('agrees with @noble/hashes on seeded inputs of every length around the rate, views into larger buffers included', () => {
    const rng = mulberry32(5);
    const big = Uint8Array.from({ length: 2048 }, () => Math.floor(rng() * 256));
    for (let len = 0; len <= 300; len++) {
      const offset = len % 7;
      const data = big.subarray(offset, offset + len);
      expect(bytesToHex(keccak256(data))).toBe(bytesToHex(keccak_256(data)));
      expect(keccak256Hex(data)).toBe(bytesToHex(keccak_256(data)));
      expect(bytesToHex(keccak512(data))).toBe(bytesToHex(keccak_512(data)));
    }
  });

  it('returns a fresh array each call (a later hash does not change an earlier result)', () => {
    const a = keccak256(new Uint8Array([1]));
    const copy = bytesToHex(a);
    keccak256(new Uint8Array([2]));
    expect(bytesToHex(a)).toBe(copy);
  });
});
