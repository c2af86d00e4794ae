/**
 * Value codecs of the store. A transfer is stored as a canonical JSON array (fixed field order, no
 * derived fields), so the same transfer always has the same bytes whatever node or crawl order it
 * came from — the store digest hashes these bytes. Decoding checks every field; anything else is
 * TRACE_STORE_CORRUPT naming the key.
 */
import { TracerError } from '../errors.js';
import { nemToIso, type MovedMosaic, type Transfer } from '../nem/index.js';
import type { CursorList } from './keys.js';

/** Version tag of the transfer record layout (first array element). */
export const TRANSFER_RECORD_V = 1;

type TransferTuple = [
  v: number,
  hash: string,
  innerHash: string | null,
  height: number,
  timeStamp: number,
  sender: string,
  recipient: string,
  amount: number,
  fee: number,
  message: string | null,
  messageType: number,
  mosaics: [string, string, string][],
  type: number,
  signer: string,
];

export function encodeTransfer(t: Transfer): string {
  const tuple: TransferTuple = [
    TRANSFER_RECORD_V,
    t.hash,
    t.innerHash,
    t.height,
    t.timeStamp,
    t.sender,
    t.recipient,
    t.amount,
    t.fee,
    t.message,
    t.messageType,
    t.mosaics.map((m) => [m.namespaceId, m.name, m.quantity]),
    t.type,
    t.signer,
  ];
  return JSON.stringify(tuple);
}

const HASH = /^[0-9a-f]{64}$/;
const ADDRESS = /^[A-Z0-9]{40}$/; // NEM base32, plus the digits synthetic stand-ins use

export function decodeTransfer(text: string, key: string): Transfer {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw corrupt(`transfer ${key}: not JSON`, err);
  }
  const a = v as TransferTuple;
  if (!Array.isArray(a) || a.length !== 14 || a[0] !== TRANSFER_RECORD_V)
    throw corrupt(`transfer ${key}: not a v${TRANSFER_RECORD_V} transfer record`);
  const [, hash, innerHash, height, timeStamp, sender, recipient, amount, fee, message, messageType, mosaics, type, signer] = a;
  if (
    typeof hash !== 'string' ||
    !HASH.test(hash) ||
    (innerHash !== null && (typeof innerHash !== 'string' || !HASH.test(innerHash))) ||
    !isInt(height) ||
    !isInt(timeStamp) ||
    !isInt(amount) ||
    !isInt(fee) ||
    !isInt(messageType) ||
    !isInt(type) ||
    typeof sender !== 'string' ||
    !ADDRESS.test(sender) ||
    typeof recipient !== 'string' ||
    !ADDRESS.test(recipient) ||
    typeof signer !== 'string' ||
    !ADDRESS.test(signer) ||
    (message !== null && typeof message !== 'string') ||
    !Array.isArray(mosaics)
  ) {
    throw corrupt(`transfer ${key}: a field has the wrong type`);
  }
  for (const m of mosaics as unknown[])
    if (!Array.isArray(m) || m.length !== 3 || m.some((x) => typeof x !== 'string')) throw corrupt(`transfer ${key}: bad mosaic entry`);
  return transferOf(a);
}

/**
 * A record this process encoded itself a moment ago (the import's checks, its spool): the fields were checked when the
 * transfer was, so only the layout is; anything else is an Error (a bug, not a store's damage).
 */
export function decodeOwnRecord(text: string): Transfer {
  const a = JSON.parse(text) as TransferTuple;
  if (!Array.isArray(a) || a.length !== 14 || a[0] !== TRANSFER_RECORD_V) throw new Error(`not a v${TRANSFER_RECORD_V} transfer record`);
  return transferOf(a);
}

function transferOf(a: TransferTuple): Transfer {
  const [, hash, innerHash, height, timeStamp, sender, recipient, amount, fee, message, messageType, mosaics, type, signer] = a;
  const moved: MovedMosaic[] = mosaics.map((m) => ({ namespaceId: m[0], name: m[1], quantity: m[2] }));
  return {
    hash,
    innerHash,
    height,
    timeStamp,
    time: nemToIso(timeStamp),
    sender,
    recipient,
    amount,
    fee,
    message,
    messageType,
    mosaics: moved,
    type,
    signer,
  };
}

/** What the crawl knows about an account (docs/nis1.md §7). */
export interface AccountRecord {
  address: string;
  /** Minimum hop count at which the crawl reached it (seed accounts 0, seed recipients 1). */
  hop: number;
  /** NEM timestamp of the earliest transfer that reached it (0 for a seed account). */
  reachedAt: number;
  /** Labelled with an exit category: recorded, never expanded. */
  exit: boolean;
  /** A seed account (`--seed`, or the sender of account seeds when it is expanded too). */
  seed: boolean;
  /** Its complete history (both lists, up to the window end) is stored. */
  expanded: boolean;
}

export function decodeAccount(v: unknown, key: string): AccountRecord {
  const a = v as AccountRecord;
  if (
    typeof a !== 'object' ||
    a === null ||
    a.address !== key ||
    !isInt(a.hop) ||
    !isInt(a.reachedAt) ||
    typeof a.exit !== 'boolean' ||
    typeof a.seed !== 'boolean' ||
    typeof a.expanded !== 'boolean'
  ) {
    throw corrupt(`account ${key}: not an account record`);
  }
  return { address: a.address, hop: a.hop, reachedAt: a.reachedAt, exit: a.exit, seed: a.seed, expanded: a.expanded };
}

/**
 * Paging state of one account list. `id` is node-local (docs/nis1.md §2): it is only meaningful with
 * `node`; on another node the pass restarts from the newest page (pages are keyed by hash, so the
 * overlap is harmless).
 */
export interface CursorRecord {
  address: string;
  list: CursorList;
  /** A pass in progress: node URL, the last (smallest) id seen, the hash the pass started at. */
  pass: { node: string; id: number; top: string | null } | null;
  /**
   * The list is complete up to (and including) the item with this hash (the newest item seen by the
   * last finished pass); `''` = the list was empty; null = never completed.
   */
  completeTo: string | null;
  /** What the marker covers (the crawler's window / seed-range fingerprint); a different spec means start over. */
  spec?: string;
}

export function decodeCursor(v: unknown, key: string): CursorRecord {
  const c = v as CursorRecord;
  const okPass =
    c?.pass === null ||
    (typeof c?.pass === 'object' &&
      typeof c.pass.node === 'string' &&
      isInt(c.pass.id) &&
      (c.pass.top === null || typeof c.pass.top === 'string'));
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.address !== 'string' ||
    typeof c.list !== 'string' ||
    !okPass ||
    (c.completeTo !== null && typeof c.completeTo !== 'string') ||
    (c.spec !== undefined && typeof c.spec !== 'string') ||
    key !== `${c.address}:${c.list}`
  ) {
    throw corrupt(`cursor ${key}: not a cursor record`);
  }
  return c;
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

export function corrupt(message: string, cause?: unknown): TracerError {
  return new TracerError('TRACE_STORE_CORRUPT', message, cause === undefined ? {} : { cause });
}
