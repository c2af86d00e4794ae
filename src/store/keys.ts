/**
 * Key codec of the store (docs/architecture.md §1): every key is ASCII with fixed-width parts, so
 * LevelDB's byte order is numeric order and a range scan over a prefix is chain order.
 *
 * - chain key     `HHHHHHHHHH:TTTTTTTTTT:<hash>`            height, NEM timestamp (10 digits each), hash
 * - index key     `<address>:HHHHHHHHHH:TTTTTTTTTT:<hash>`  per-account incoming/outgoing, chain order
 * - cursor key    `<address>:<list>`                        list = in | out | seed
 * - position key  the chain key of a stored transfer → its index in the block's transaction list
 *                 (sublevel `pos`, value decimal text; docs/taint-semantics.md §2). Written where the crawl
 *                 verified the block (heights holding ≥ 2 stored transfers) or where the transfer
 *                 came from a block; chain order within a height is (position, then timestamp, hash).
 * Addresses are 40 upper-case base32 characters, hashes 64 lower-case hex: fixed width too.
 */
import { TracerError } from '../errors.js';

/** Largest value a 10-digit part holds (heights and NEM timestamps are int32). */
export const NUM_WIDTH = 10;
const MAX_NUM = 9_999_999_999;
const HASH = /^[0-9a-f]{64}$/;
const ADDRESS = /^[A-Z0-9]{40}$/; // NEM base32, plus the digits synthetic stand-ins use

/** Fixed-width decimal of a non-negative integer: byte order = numeric order. */
export function encodeNum(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_NUM) throw new TypeError(`key part must be an integer in [0, ${MAX_NUM}], got ${n}`);
  return String(n).padStart(NUM_WIDTH, '0');
}

export function decodeNum(s: string): number {
  if (s.length !== NUM_WIDTH || !/^\d+$/.test(s)) throw corrupt(`key part ${JSON.stringify(s)} is not ${NUM_WIDTH} digits`);
  return Number(s);
}

export interface ChainPosition {
  height: number;
  timeStamp: number;
  hash: string;
}

/** `HHHHHHHHHH:TTTTTTTTTT:hash` — sorts in chain order (height, timestamp, hash). */
export function chainKey(p: ChainPosition): string {
  return `${encodeNum(p.height)}:${encodeNum(p.timeStamp)}:${p.hash}`;
}

export function decodeChainKey(key: string): ChainPosition {
  const parts = key.split(':');
  if (parts.length !== 3 || !HASH.test(parts[2])) throw corrupt(`chain key ${JSON.stringify(key)} does not decode`);
  return { height: decodeNum(parts[0]), timeStamp: decodeNum(parts[1]), hash: parts[2] };
}

/** `address:HHHHHHHHHH:TTTTTTTTTT:hash` — one account's index entries sort in chain order. */
export function indexKey(address: string, p: ChainPosition): string {
  return `${address}:${chainKey(p)}`;
}

export function decodeIndexKey(key: string): { address: string } & ChainPosition {
  const address = key.slice(0, 40);
  if (!ADDRESS.test(address) || key[40] !== ':') throw corrupt(`index key ${JSON.stringify(key)} does not decode`);
  return { address, ...decodeChainKey(key.slice(41)) };
}

/** Range bounds selecting every key that starts with `prefix` (all our keys are ASCII below '~'). */
export function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: `${prefix}~` };
}

/** Index range for one account, optionally only entries with height < `belowHeight`. */
export function accountRange(address: string): { gte: string; lt: string } {
  return prefixRange(`${address}:`);
}

export type CursorList = 'in' | 'out' | 'seed';

export function cursorKey(address: string, list: CursorList): string {
  return `${address}:${list}`;
}

export function decodeCursorKey(key: string): { address: string; list: CursorList } {
  const [address, list] = key.split(':');
  if (!ADDRESS.test(address ?? '') || (list !== 'in' && list !== 'out' && list !== 'seed'))
    throw corrupt(`cursor key ${JSON.stringify(key)} does not decode`);
  return { address, list };
}

function corrupt(message: string): TracerError {
  return new TracerError('TRACE_STORE_CORRUPT', message);
}
