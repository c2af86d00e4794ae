/**
 * Keccak-256 and Keccak-512 — the original Keccak (padding 0x01) NEM uses, not NIST SHA3 (docs/nis1.md §6) —
 * from hash-wasm's WebAssembly build: 5–7× @noble/hashes' pure-JS Keccak on this machine, measured in the
 * same run by bench/ingest.bench.ts (README "Benchmarks", ingest). Every NEM hash, address check and
 * signature challenge goes through here. One hasher per size, used synchronously from init to digest, so
 * calls never interleave (each thread that imports this module has its own).
 */
import { createKeccak } from 'hash-wasm';

const k256 = await createKeccak(256);
const k512 = await createKeccak(512);

/** Keccak-256 of `data` (32 bytes). */
export function keccak256(data: Uint8Array): Uint8Array {
  k256.init();
  k256.update(data);
  return k256.digest('binary');
}

/** Keccak-256 of `data` as 64 lower-case hex. */
export function keccak256Hex(data: Uint8Array): string {
  k256.init();
  k256.update(data);
  return k256.digest('hex');
}

/** Keccak-512 of `data` (64 bytes). */
export function keccak512(data: Uint8Array): Uint8Array {
  k512.init();
  k512.update(data);
  return k512.digest('binary');
}
