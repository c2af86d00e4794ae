import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import {
  keyPairAddress,
  keyPairFromPrivateKey,
  nemEd25519,
  NonceChainSigner,
  signNem,
  sodium,
  verifyNem,
  verifyNemNoble,
} from '../../src/nem/keys.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';

// symbol/symbol tests/vectors/nem/crypto/1.test-keys.json (private key → public key); the addresses
// are those of 1.test-address.json for the same public keys (docs/nis1.md §6).
const KEY_VECTORS = [
  [
    '575DBB3062267EFF57C970A336EBBC8FBCFE12C5BD3ED7BC11EB0481D7704CED',
    'C5F54BA980FCBB657DBAAA42700539B207873E134D2375EFEAB5F1AB52F87844',
    'NDD2CT6LQLIYQ56KIXI3ENTM6EK3D44P5JFXJ4R4',
  ],
  [
    '5B0E3FA5D3B49A79022D7C1E121BA1CBBF4DB5821F47AB8C708EF88DEFC29BFE',
    '96EB2A145211B1B7AB5F0D4B14F8ABC8D695C7AEE31A3CFC2D4881313C68EEA3',
    'NABHFGE5ORQD3LE4O6B7JUFN47ECOFBFASC3SCAC',
  ],
  [
    '738BA9BB9110AEA8F15CAA353ACA5653B4BDFCA1DB9F34D0EFED2CE1325AEEDA',
    '2D8425E4CA2D8926346C7A7CA39826ACD881A8639E81BD68820409C6E30D142A',
    'NAVOZX4HDVOAR4W6K4WJHWPD3MOFU27DFHC7KZOZ',
  ],
  [
    'E8BF9BC0F35C12D8C8BF94DD3A8B5B4034F1063948E3CC5304E55E31AA4B95A6',
    '4FEED486777ED38E44C489C7C4E93A830E4C4A907FA19A174E630EF0F6ED0409',
    null,
  ],
  [
    'C325EA529674396DB5675939E7988883D59A5FC17A28CA977E3BA85370232A83',
    '83EE32E4E145024D29BCA54F71FA335A98B3E68283F1A3099C4D4AE113B53E54',
    null,
  ],
] as const;

// The NIS1 rows of the nem test vectors 2.test-sign.json (as carried by the catapult and SDK test suites).
const SIGN_VECTORS = [
  {
    privateKey: 'ABF4CF55A2B3F742D7543D9CC17F50447B969E6E06F5EA9195D428AB12B7318D',
    publicKey: '8A558C728C21C126181E5E654B404A45B4F0137CE88177435A69978CC6BEC1F4',
    data: '8CE03CD60514233B86789729102EA09E867FC6D964DEA8C2018EF7D0A2E0E24BF7E348E917116690B9',
    signature:
      'D9CEC0CC0E3465FAB229F8E1D6DB68AB9CC99A18CB0435F70DEB6100948576CD5C0AA1FEB550BDD8693EF81EB10A556A622DB1F9301986827B96716A7134230C',
  },
  {
    privateKey: '6AA6DAD25D3ACB3385D5643293133936CDDDD7F7E11818771DB1FF2F9D3F9215',
    publicKey: 'BBC8CBB43DDA3ECF70A555981A351A064493F09658FFFE884C6FAB2A69C845C6',
    data: 'E4A92208A6FC52282B620699191EE6FB9CF04DAF48B48FD542C5E43DAA9897763A199AAA4B6F10546109F47AC3564FADE0',
    signature:
      '98BCA58B075D1748F1C3A7AE18F9341BC18E90D1BEB8499E8A654C65D8A0B4FBD2E084661088D1E5069187A2811996AE31F59463668EF0F8CB0AC46A726E7902',
  },
  {
    privateKey: '8E32BC030A4C53DE782EC75BA7D5E25E64A2A072A56E5170B77A4924EF3C32A9',
    publicKey: '72D0E65F1EDE79C4AF0BA7EC14204E10F0F7EA09F2BC43259CD60EA8C3A087E2',
    data: '13ED795344C4448A3B256F23665336645A853C5C44DBFF6DB1B9224B5303B6447FBF8240A2249C55',
    signature:
      'EF257D6E73706BB04878875C58AA385385BF439F7040EA8297F7798A0EA30C1C5EFF5DDC05443F801849C68E98111AE65D088E726D1D9B7EECA2EB93B677860C',
  },
  {
    privateKey: 'C83CE30FCB5B81A51BA58FF827CCBC0142D61C13E2ED39E78E876605DA16D8D7',
    publicKey: '3EC8923F9EA5EA14F8AAA7E7C2784653ED8C7DE44E352EF9FC1DEE81FC3FA1A3',
    data: 'A2704638434E9F7340F22D08019C4C8E3DBEE0DF8DD4454A1D70844DE11694F4C8CA67FDCB08FED0CEC9ABB2112B5E5F89',
    signature:
      '0C684E71B35FED4D92B222FC60561DB34E0D8AFE44BDD958AAF4EE965911BEF5991236F3E1BCED59FC44030693BCAC37F34D29E5AE946669DC326E706E81B804',
  },
  {
    privateKey: '2DA2A0AAE0F37235957B51D15843EDDE348A559692D8FA87B94848459899FC27',
    publicKey: 'D73D0B14A9754EEC825FCB25EF1CFA9AE3B1370074EDA53FC64C22334A26C254',
    data: 'D2488E854DBCDFDB2C9D16C8C0B2FDBC0ABB6BAC991BFE2B14D359A6BC99D66C00FD60D731AE06D0',
    signature:
      '6F17F7B21EF9D6907A7AB104559F77D5A2532B557D95EDFFD6D88C073D87AC00FC838FC0D05282A0280368092A4BD67E95C20F3E14580BE28D8B351968C65E03',
  },
];

const ORDER = ed25519.Point.Fn.ORDER;

describe('keyPairFromPrivateKey', () => {
  it.each(KEY_VECTORS)('derives %s to the published public key (and address)', (priv, pub, address) => {
    const kp = keyPairFromPrivateKey(priv);
    expect(kp.publicKey).toBe(pub.toLowerCase());
    expect(kp.privateKey).toBe(priv.toLowerCase());
    if (address) expect(keyPairAddress(kp)).toBe(address);
  });

  it('reads the NIS1 private key byte-reversed and hashes with Keccak-512, not SHA-512', () => {
    const [priv, pub] = KEY_VECTORS[0];
    // Plain RFC 8032 Ed25519 (SHA-512) of the same bytes, in either byte order, gives other keys.
    expect(bytesToHex(ed25519.getPublicKey(hexToBytes(priv)))).not.toBe(pub.toLowerCase());
    expect(bytesToHex(ed25519.getPublicKey(hexToBytes(priv).reverse()))).not.toBe(pub.toLowerCase());
    // Keccak-512 over the bytes as written (not reversed) is also wrong: the reversal matters.
    expect(bytesToHex(nemEd25519.getPublicKey(hexToBytes(priv)))).not.toBe(pub.toLowerCase());
    expect(bytesToHex(nemEd25519.getPublicKey(hexToBytes(priv).reverse()))).toBe(pub.toLowerCase());
  });

  it('accepts the 66-hex form with a leading 00 that some NIS1 tools print', () => {
    const [priv, pub] = KEY_VECTORS[1];
    expect(keyPairFromPrivateKey(`00${priv}`).publicKey).toBe(pub.toLowerCase());
  });

  it('rejects keys that are not 32 bytes of hex', () => {
    for (const bad of ['', 'abcd', `${KEY_VECTORS[0][0]}00`, 'zz'.repeat(32), 42 as unknown as string]) {
      expect(() => keyPairFromPrivateKey(bad)).toThrow(TypeError);
    }
  });
});

describe('signNem / verifyNem', () => {
  it.each(SIGN_VECTORS)('reproduces the NIS1 signature vector of $privateKey', (v) => {
    const kp = keyPairFromPrivateKey(v.privateKey);
    const data = hexToBytes(v.data.toLowerCase());
    expect(kp.publicKey).toBe(v.publicKey.toLowerCase());
    expect(bytesToHex(signNem(data, kp))).toBe(v.signature.toLowerCase());
    // noble's own EdDSA path with the same hash agrees (no custom arithmetic slipped in).
    expect(bytesToHex(nemEd25519.sign(data, hexToBytes(v.privateKey.toLowerCase()).reverse()))).toBe(v.signature.toLowerCase());
    expect(verifyNem(v.signature, data, v.publicKey)).toBe(true);
  });

  it('rejects a changed message, a changed signature, another key and malformed input', () => {
    const v = SIGN_VECTORS[0];
    const data = hexToBytes(v.data.toLowerCase());
    const sig = hexToBytes(v.signature.toLowerCase());
    const changed = data.slice();
    changed[0] ^= 1;
    expect(verifyNem(sig, changed, v.publicKey)).toBe(false);
    for (const at of [0, 31, 32, 63]) {
      const bad = sig.slice();
      bad[at] ^= 0x10;
      expect(verifyNem(bad, data, v.publicKey), `byte ${at}`).toBe(false);
    }
    expect(verifyNem(sig, data, SIGN_VECTORS[1].publicKey)).toBe(false);
    expect(verifyNem(sig.subarray(0, 63), data, v.publicKey)).toBe(false);
    expect(verifyNem('zz', data, v.publicKey)).toBe(false);
    expect(verifyNem(sig, data, 'abcd')).toBe(false);
  });

  it('rejects a non-canonical signature (s + L) as NIS does', () => {
    const v = SIGN_VECTORS[2];
    const data = hexToBytes(v.data.toLowerCase());
    const sig = hexToBytes(v.signature.toLowerCase());
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
    let bumped = s + ORDER;
    const malleated = sig.slice();
    for (let i = 32; i < 64; i++) {
      malleated[i] = Number(bumped & 0xffn);
      bumped >>= 8n;
    }
    expect(verifyNem(malleated, data, v.publicKey)).toBe(false);
  });
});

describe('verifyNem (libsodium) and verifyNemNoble (reference) agree', () => {
  const both = (sig: Uint8Array, data: Uint8Array, pub: Uint8Array | string): boolean => {
    const fast = verifyNem(sig, data, pub);
    expect(fast, 'libsodium and noble disagree').toBe(verifyNemNoble(sig, data, pub));
    return fast;
  };

  it('uses libsodium here (the fast path is the one tested)', () => {
    expect(sodium).not.toBeNull();
  });

  it('on the NIS1 vectors, and on every single-bit change of signature, data and key of random signatures', () => {
    for (const v of SIGN_VECTORS)
      expect(both(hexToBytes(v.signature.toLowerCase()), hexToBytes(v.data.toLowerCase()), v.publicKey)).toBe(true);
    const rng = mulberry32(11);
    const kp = keyPairFromPrivateKey(SIGN_VECTORS[1].privateKey);
    for (let n = 0; n < 6; n++) {
      const data = Uint8Array.from({ length: 40 + n }, () => Math.floor(rng() * 256));
      const sig = signNem(data, kp);
      expect(both(sig, data, kp.publicKeyBytes)).toBe(true);
      const bit = Math.floor(rng() * 8);
      const s2 = sig.slice();
      s2[Math.floor(rng() * 64)] ^= 1 << bit;
      expect(both(s2, data, kp.publicKeyBytes)).toBe(false);
      const d2 = data.slice();
      d2[Math.floor(rng() * d2.length)] ^= 1 << bit;
      expect(both(sig, d2, kp.publicKeyBytes)).toBe(false);
      const k2 = kp.publicKeyBytes.slice();
      k2[Math.floor(rng() * 31)] ^= 1 << bit;
      expect(both(sig, data, k2)).toBe(false);
    }
  });

  it('rejects a small-order public key, a non-canonical R, an all-zero signature', () => {
    const data = new TextEncoder().encode('x');
    const identity = new Uint8Array(32);
    identity[0] = 1; // the neutral point: any s with R = [s]B would "verify" under it
    const r = 5n;
    const R = ed25519.Point.BASE.multiply(r).toBytes();
    const sig = new Uint8Array(64);
    sig.set(R, 0);
    sig.set(hexToBytes(r.toString(16).padStart(2, '0')).reverse().slice(0, 1), 32);
    expect(both(sig, data, identity)).toBe(false);
    const kp = keyPairFromPrivateKey(SIGN_VECTORS[0].privateKey);
    const good = signNem(data, kp);
    const nonCanonical = good.slice();
    nonCanonical.set(new Uint8Array(32).fill(0xff), 0);
    nonCanonical[31] = 0x7f;
    expect(both(nonCanonical, data, kp.publicKeyBytes)).toBe(false);
    expect(both(new Uint8Array(64), data, kp.publicKeyBytes)).toBe(false);
  });
});

describe('NonceChainSigner (generated chains only)', () => {
  const kp = keyPairFromPrivateKey(SIGN_VECTORS[0].privateKey);
  const messages = Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`message ${i}`));

  it('makes valid signatures, each with a fresh nonce', () => {
    const signer = new NonceChainSigner();
    const sigs = messages.map((m) => signer.sign(m, kp));
    sigs.forEach((sig, i) => expect(verifyNem(sig, messages[i], kp.publicKeyBytes)).toBe(true));
    expect(new Set(sigs.map((s) => bytesToHex(s.subarray(0, 32)))).size).toBe(sigs.length);
    // A signature is bound to its message.
    expect(verifyNem(sigs[0], messages[1], kp.publicKeyBytes)).toBe(false);
  });

  it('is deterministic for the same sequence of calls', () => {
    const a = new NonceChainSigner();
    const b = new NonceChainSigner();
    expect(messages.map((m) => bytesToHex(a.sign(m, kp)))).toEqual(messages.map((m) => bytesToHex(b.sign(m, kp))));
  });

  it('differs from the message-derived (RFC 8032) nonce, which signNem keeps', () => {
    const signer = new NonceChainSigner();
    expect(bytesToHex(signer.sign(messages[0], kp))).not.toBe(bytesToHex(signNem(messages[0], kp)));
  });
});
