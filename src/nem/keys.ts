/**
 * NEM (NIS1) key pairs and signatures: Ed25519 with Keccak-512 in place of SHA-512.
 *
 * - The private key hex NIS1 shows is the byte-reversed Ed25519 seed: seed = reverse(hex bytes).
 *   (Some NIS1 tools print 33 bytes with a leading "00"; both forms are accepted.)
 * - secret scalar a = clamp(keccak512(seed)[0..32]), prefix = keccak512(seed)[32..64], A = a·B.
 * - sign(M) = (R = r·B, s = r + k·a mod L) with r = keccak512(prefix ‖ M) mod L,
 *   k = keccak512(R ‖ A ‖ M) mod L — RFC 8032 with the hash swapped. Verification is strict
 *   (canonical s, no ZIP-215 leniency), as NIS does.
 * Keccak is the original Keccak (padding 0x01), not NIST SHA3. Vectors: symbol/symbol
 * tests/vectors/nem/crypto (1.test-keys.json, 2.test-sign.json), checked in test/nem/keys.test.ts.
 *
 * Verification has two implementations of the same check, measured in bench/verify.bench.ts:
 * `verifyNem` (libsodium through sodium-native: the group operations in C, the Keccak challenge
 * here; ≈6× faster than noble on this machine) and `verifyNemNoble` (pure JS, @noble/curves; the
 * reference, and the fallback where the native addon cannot load). Both reject a non-canonical s,
 * a non-canonical or undecodable R or A, and a small-order A.
 *
 * `NonceChainSigner` is a fast signer for generated test chains only (see its comment).
 */
import { eddsa, type EdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { keccak_512 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { createRequire } from 'node:module';
import { publicKeyBytesToAddress, type NetworkName } from './address.js';
import { keccak512 } from './keccak.js';

const Point = ed25519.Point;
const ORDER = Point.Fn.ORDER;

function clamp(bytes: Uint8Array): Uint8Array {
  bytes[0] &= 248;
  bytes[31] &= 127;
  bytes[31] |= 64;
  return bytes;
}

/** The NIS1 signature scheme as a noble EdDSA instance (used for verification; noble wants its own hash object). */
export const nemEd25519 = eddsa(Point, keccak_512, { adjustScalarBytes: clamp, zip215: false });

/** A NEM key pair with the expanded secret cached (signing then costs one base multiplication). */
export interface NemKeyPair {
  /** NIS1 private key, 64 lower-case hex (byte-reversed seed). */
  readonly privateKey: string;
  /** 64 lower-case hex. */
  readonly publicKey: string;
  readonly publicKeyBytes: Uint8Array;
  /** Secret scalar a (clamped, reduced mod L). */
  readonly scalar: bigint;
  /** Second half of keccak512(seed): the deterministic-nonce key. */
  readonly prefix: Uint8Array;
}

const PRIVATE_KEY_PATTERN = /^(00)?[0-9a-fA-F]{64}$/;

/** NIS1 private key hex (64 hex, or 66 with a leading "00") → key pair. Throws TypeError otherwise. */
export function keyPairFromPrivateKey(privateKeyHex: string): NemKeyPair {
  if (typeof privateKeyHex !== 'string' || !PRIVATE_KEY_PATTERN.test(privateKeyHex)) {
    throw new TypeError(`NEM private key must be 64 hex digits, got ${JSON.stringify(privateKeyHex)}`);
  }
  const hex = (privateKeyHex.length === 66 ? privateKeyHex.slice(2) : privateKeyHex).toLowerCase();
  const seed = hexToBytes(hex).reverse();
  const digest = keccak512(seed);
  const scalar = mod(bytesToNumberLE(clamp(digest.slice(0, 32))));
  const publicKeyBytes = Point.BASE.multiply(scalar).toBytes();
  return { privateKey: hex, publicKey: bytesToHex(publicKeyBytes), publicKeyBytes, scalar, prefix: digest.slice(32) };
}

/** Address of a key pair (mainnet by default). */
export function keyPairAddress(keyPair: NemKeyPair, network: NetworkName = 'mainnet'): string {
  return publicKeyBytesToAddress(keyPair.publicKeyBytes, network);
}

/** Deterministic NIS1 signature (64 bytes) of `data`. */
export function signNem(data: Uint8Array, keyPair: NemKeyPair): Uint8Array {
  const r = mod(bytesToNumberLE(keccak512(concatBytes(keyPair.prefix, data))));
  return finishSignature(Point.BASE.multiply(r), r, data, keyPair);
}

function bytesOf(v: Uint8Array | string, length: number): Uint8Array | null {
  if (typeof v !== 'string') return v.length === length ? v : null;
  if (v.length !== length * 2 || !/^[0-9a-fA-F]*$/.test(v)) return null;
  return hexToBytes(v.toLowerCase());
}

/** Strict NIS1 verification with @noble/curves (the reference); false for any malformed input. */
export function verifyNemNoble(signature: Uint8Array | string, data: Uint8Array, publicKey: Uint8Array | string): boolean {
  try {
    const sig = bytesOf(signature, 64);
    const pub = bytesOf(publicKey, 32);
    if (sig === null || pub === null) return false;
    return nemEd25519.verify(sig, data, pub, { zip215: false });
  } catch {
    return false;
  }
}

interface Sodium {
  crypto_scalarmult_ed25519_base_noclamp(q: Buffer, n: Buffer): void;
  crypto_scalarmult_ed25519_noclamp(q: Buffer, n: Buffer, p: Buffer): void;
  crypto_core_ed25519_add(r: Buffer, p: Buffer, q: Buffer): void;
  crypto_core_ed25519_scalar_reduce(r: Buffer, s: Buffer): void;
}

function loadSodium(): Sodium | null {
  try {
    return createRequire(import.meta.url)('sodium-native') as Sodium;
  } catch {
    return null;
  }
}

/** libsodium (sodium-native), or null where the addon cannot load (then verifyNem is verifyNemNoble). */
export const sodium: Sodium | null = loadSodium();

/** s < L (little-endian 32 bytes): RFC 8032's canonical-s rule. */
function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i] !== L_BYTES[i]) return s[i] < L_BYTES[i];
  }
  return false;
}

/** y < p = 2^255 − 19 (the sign bit aside): a canonical point encoding. */
function isCanonicalPointEncoding(b: Uint8Array): boolean {
  if ((b[31] & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (b[i] !== 0xff) return true;
  return b[0] < 0xed;
}

const L_BYTES = numberToBytesLE32(ORDER);

/**
 * Strict NIS1 verification: [s]B = R + [k]A with k = keccak512(R ‖ A ‖ data) mod L, the group
 * operations done by libsodium (which rejects A unless canonical, of prime order and not small).
 * False for any malformed input (wrong lengths, non-canonical s or R, bad point).
 */
export function verifyNem(signature: Uint8Array | string, data: Uint8Array, publicKey: Uint8Array | string): boolean {
  if (sodium === null) return verifyNemNoble(signature, data, publicKey);
  const sig = bytesOf(signature, 64);
  const pub = bytesOf(publicKey, 32);
  if (sig === null || pub === null) return false;
  const R = Buffer.from(sig.subarray(0, 32));
  const s = Buffer.from(sig.subarray(32, 64));
  if (!isCanonicalScalar(s) || !isCanonicalPointEncoding(R)) return false;
  const A = Buffer.from(pub);
  const k = Buffer.alloc(32);
  const sB = Buffer.alloc(32);
  const kA = Buffer.alloc(32);
  const RkA = Buffer.alloc(32);
  try {
    sodium.crypto_core_ed25519_scalar_reduce(k, Buffer.from(keccak512(concatBytes(R, A, data))));
    sodium.crypto_scalarmult_ed25519_base_noclamp(sB, s);
    sodium.crypto_scalarmult_ed25519_noclamp(kA, k, A);
    sodium.crypto_core_ed25519_add(RkA, R, kA);
  } catch {
    return false; // libsodium refused a point (not canonical, small order, not on the curve) or got the identity
  }
  return RkA.equals(sB);
}

/**
 * A fast signer for generated test chains: valid NIS1 signatures with a per-key nonce chain.
 *
 * Ed25519 verification accepts any nonce r; RFC 8032 derives it from the message to keep real keys
 * safe. Here r_i = r_0 + i (r_0 derived from the key's prefix), so R_i = R_{i-1} + B costs one point
 * addition instead of a full scalar multiplication — about 10× faster, and still deterministic for
 * the same sequence of calls. Two such signatures reveal the private key, which is harmless only
 * because the keys of a generated chain are derived from a public seed anyway. Never use this for
 * a real key: use `signNem`.
 */
export class NonceChainSigner {
  private readonly chains = new Map<string, { r: bigint; R: EdwardsPoint }>();

  sign(data: Uint8Array, keyPair: NemKeyPair): Uint8Array {
    let chain = this.chains.get(keyPair.publicKey);
    if (!chain) {
      const r = mod(bytesToNumberLE(keccak512(concatBytes(keyPair.prefix, new TextEncoder().encode('tainttrace nonce chain')))));
      chain = { r, R: Point.BASE.multiply(r) };
      this.chains.set(keyPair.publicKey, chain);
    } else {
      chain.r = mod(chain.r + 1n);
      chain.R = chain.R.add(Point.BASE);
    }
    return finishSignature(chain.R, chain.r, data, keyPair);
  }
}

function finishSignature(R: EdwardsPoint, r: bigint, data: Uint8Array, keyPair: NemKeyPair): Uint8Array {
  const encodedR = R.toBytes();
  const k = mod(bytesToNumberLE(keccak512(concatBytes(encodedR, keyPair.publicKeyBytes, data))));
  const s = mod(r + k * keyPair.scalar);
  return concatBytes(encodedR, numberToBytesLE32(s));
}

function mod(x: bigint): bigint {
  const m = x % ORDER;
  return m >= 0n ? m : m + ORDER;
}

function bytesToNumberLE(bytes: Uint8Array): bigint {
  let hex = '';
  for (let i = bytes.length - 1; i >= 0; i--) hex += bytes[i].toString(16).padStart(2, '0');
  return hex === '' ? 0n : BigInt('0x' + hex);
}

function numberToBytesLE32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
