import { describe, expect, it } from 'vitest';
import { isValidAddress, parseAddress, publicKeyToAddress } from '../../src/nem/address.js';

// docs/nis1.md §6: symbol/symbol tests/vectors/nem/crypto/1.test-address.json + the qiita step-by-step vector.
const VECTORS = [
  [
    'C5F54BA980FCBB657DBAAA42700539B207873E134D2375EFEAB5F1AB52F87844',
    'NDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5JFXJ4R4',
    'TDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5KZPFMK2',
  ],
  [
    '96EB2A145211B1B7AB5F0D4B14F8ABC8D695C7AEE31A3CFC2D4881313C68EEA3',
    'NABHFGE5ORQD3LE4O6B7JUFN47ECOFBFASC3SCAC',
    'TABHFGE5ORQD3LE4O6B7JUFN47ECOFBFATE53N2I',
  ],
  [
    '2D8425E4CA2D8926346C7A7CA39826ACD881A8639E81BD68820409C6E30D142A',
    'NAVOZX4HDVOAR4W6K4WJHWPD3MOFU27DFHC7KZOZ',
    'TAVOZX4HDVOAR4W6K4WJHWPD3MOFU27DFEJDR2PR',
  ],
] as const;

describe('publicKeyToAddress', () => {
  it.each(VECTORS)('derives %s to the published mainnet and testnet addresses', (pub, mainnet, testnet) => {
    expect(publicKeyToAddress(pub)).toBe(mainnet);
    expect(publicKeyToAddress(pub.toLowerCase())).toBe(mainnet);
    expect(publicKeyToAddress(pub, 'testnet')).toBe(testnet);
  });

  it('matches the step-by-step vector (keccak → ripemd160 → checksum)', () => {
    expect(publicKeyToAddress('3f9f8c791f4b55c84278c10c7596f959a43a71dc35888d16e3d26a33456b6df2')).toBe(
      'NCNFK2ULFDYWIDSS4VKGK2PQHUJWP5V7M2RLKWDN',
    );
  });

  it('does not reproduce the NIS doc example known to be wrong', () => {
    const derived = publicKeyToAddress('c2e19751291d01140e62ece9ee3923120766c6302e1099b04014fe1009bc89d3');
    expect(derived).not.toBe('NCKMNCU3STBWBR7E3XD2LR7WSIXF5IVJIDBHBZQT');
  });

  it('throws TRACE_INVALID_PUBLIC_KEY for a short key', () => {
    expect(() => publicKeyToAddress('abcd')).toThrow(expect.objectContaining({ code: 'TRACE_INVALID_PUBLIC_KEY' }));
  });
});

describe('isValidAddress / parseAddress', () => {
  it('accepts the real Coincheck-case addresses', () => {
    for (const a of [
      'NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSZ',
      'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG',
      'NC64UFOWRO6AVMWFV2BFX2NT6W2GURK2EOX6FFMZ',
      'NAGJG3QFWYZ37LMI7IQPSGQNYADGSJZGJRD2DIYA',
    ]) {
      expect(isValidAddress(a)).toBe(true);
    }
  });

  it('rejects a one-character change (checksum), a testnet address on mainnet, bad length and alphabet', () => {
    expect(isValidAddress('NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSA')).toBe(false);
    expect(isValidAddress('TDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5KZPFMK2')).toBe(false);
    expect(isValidAddress('TDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5KZPFMK2', 'testnet')).toBe(true);
    expect(isValidAddress('NC3BI3')).toBe(false);
    expect(isValidAddress('NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CS1')).toBe(false);
  });

  it('remembers only what passed: a valid address checked before does not make its one-character or lower-case twin valid', () => {
    const good = 'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG';
    expect(isValidAddress(good)).toBe(true);
    expect(isValidAddress(good)).toBe(true);
    expect(isValidAddress(`${good.slice(0, 39)}A`)).toBe(false);
    expect(isValidAddress(good.toLowerCase())).toBe(false);
    expect(isValidAddress(good, 'testnet')).toBe(false);
  });

  it('parseAddress strips wallet dashes and upper-cases', () => {
    expect(parseAddress('nc3bi3-dnmr2p-geoomp-2nkxqg-sakms7-gyrkva-5csz')).toBe('NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSZ');
  });

  it('parseAddress throws TRACE_INVALID_ADDRESS naming the problem', () => {
    expect(() => parseAddress('NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSA')).toThrow(/checksum/);
    expect(() => parseAddress('NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSA')).toThrow(
      expect.objectContaining({ code: 'TRACE_INVALID_ADDRESS' }),
    );
  });
});
