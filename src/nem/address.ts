/**
 * NEM (NIS1) addresses: derivation from a public key and validation.
 *
 *   address = base32( net ‖ ripemd160(keccak256(pub)) ‖ keccak256(net ‖ ripemd160(…))[0..4] )
 *
 * Keccak-256 is the original Keccak (padding 0x01), not NIST SHA3-256. See docs/nis1.md §6.
 */
import { ripemd160 } from '@noble/hashes/legacy.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { base32 } from '@scure/base';
import { TracerError } from '../errors.js';
import { keccak256 } from './keccak.js';

export const NETWORKS = { mainnet: 0x68, testnet: 0x98, mijin: 0x60 } as const;
export type NetworkName = keyof typeof NETWORKS;

const PUBLIC_KEY_PATTERN = /^[0-9a-fA-F]{64}$/;
const ADDRESS_PATTERN = /^[A-Z2-7]{40}$/;

/** 64-hex public key → 40-char upper-case address of the network (mainnet by default). */
export function publicKeyToAddress(publicKeyHex: string, network: NetworkName = 'mainnet'): string {
  // A key derived before, exactly as given (the map's keys are checked lower-case hex): no pattern test.
  if (network === 'mainnet') {
    const known = derived.get(publicKeyHex);
    if (known !== undefined) return known;
  }
  if (typeof publicKeyHex !== 'string' || !PUBLIC_KEY_PATTERN.test(publicKeyHex)) {
    throw new TracerError('TRACE_INVALID_PUBLIC_KEY', `invalid public key ${JSON.stringify(publicKeyHex)}: expected 64 hex digits`);
  }
  const key = network === 'mainnet' ? publicKeyHex.toLowerCase() : `${network}:${publicKeyHex.toLowerCase()}`;
  let address = derived.get(key);
  if (address === undefined) {
    address = publicKeyBytesToAddress(hexToBytes(publicKeyHex.toLowerCase()), network);
    if (derived.size >= DERIVED_MAX) derived.clear();
    derived.set(key, address);
  }
  return address;
}

/**
 * Derivations already done (two Keccak-256 and a RIPEMD-160 each): a crawl meets the same few
 * thousand signers on every page. Bounded; cleared when full.
 */
const DERIVED_MAX = 100_000;
const derived = new Map<string, string>();

export function publicKeyBytesToAddress(publicKey: Uint8Array, network: NetworkName = 'mainnet'): string {
  const body = new Uint8Array(25);
  body[0] = NETWORKS[network];
  body.set(ripemd160(keccak256(publicKey)), 1);
  body.set(keccak256(body.subarray(0, 21)).subarray(0, 4), 21);
  return base32.encode(body);
}

/** Upper-cases and strips the dashes wallets show ("NC3BI3-DNMR2P-…"). Does not validate. */
export function normalizeAddressText(text: string): string {
  return text.replace(/-/g, '').trim().toUpperCase();
}

/** True when `address` (plain 40-char form) decodes, has the network byte and a correct checksum. */
export function isValidAddress(address: string, network: NetworkName = 'mainnet'): boolean {
  if (typeof address !== 'string') return false;
  const key = network === 'mainnet' ? address : `${network}:${address}`;
  if (checked.has(key)) return true;
  if (addressProblem(address, network) !== null) return false;
  if (checked.size >= DERIVED_MAX) checked.clear();
  checked.add(key);
  return true;
}

/** Addresses found valid (a Keccak-256 and a base32 decode each): pages and dumps name the same accounts again and again. */
const checked = new Set<string>();

/** Validates and returns the canonical form; throws TRACE_INVALID_ADDRESS naming what is wrong. */
export function parseAddress(text: string, network: NetworkName = 'mainnet'): string {
  if (typeof text !== 'string')
    throw new TracerError('TRACE_INVALID_ADDRESS', `invalid address ${JSON.stringify(text)}: expected a string`);
  const address = normalizeAddressText(text);
  const problem = addressProblem(address, network);
  if (problem) throw new TracerError('TRACE_INVALID_ADDRESS', `invalid address ${JSON.stringify(text)}: ${problem}`);
  return address;
}

function addressProblem(address: string, network: NetworkName): string | null {
  if (typeof address !== 'string' || address.length !== 40) return 'expected 40 characters';
  if (!ADDRESS_PATTERN.test(address)) return 'expected only the base32 characters A-Z and 2-7';
  const bytes = base32.decode(address);
  if (bytes[0] !== NETWORKS[network]) return `not a ${network} address (network byte 0x${bytes[0].toString(16)})`;
  const check = keccak256(bytes.subarray(0, 21));
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[21 + i]) return 'checksum mismatch';
  return null;
}
