/**
 * The checks of import items — exactly what a crawled item gets (src/nem/verify.ts): normalisation
 * (types, keys, addresses, amounts within the supply, v2 mosaic rule), the NEM hash and a 4100's inner
 * hash recomputed from the transaction's fields, and every signature (a transfer's, a 4100's outer one
 * and each cosignature). `checkBlock` checks a block of NDJSON lines (src/store/ndjson.ts `ndjsonBlocks`) in
 * one go — pure, so the import runs it on worker threads (import-pool.ts) — and gives each new transfer's
 * record (records.ts, encoded once) and chain key; the first bad line ends the block with an error naming its
 * place ("file:line"), which the import throws as TRACE_INVALID_IMPORT.
 */
import { TracerError } from '../errors.js';
import {
  type Transfer,
  badSignature,
  checkTransactionPair,
  sharedVerifier,
  type SignatureVerifier,
  type SignedPart,
} from '../nem/index.js';
import { chainKey } from './keys.js';
import { encodeTransfer } from './records.js';

/** What import needs of a signature verifier (src/nem/verify-pool.ts `SignatureVerifier`). */
export type ImportVerifier = Pick<SignatureVerifier, 'firstBad'>;

/** One checked item: its normalised transfer (null for another transaction type, counted, not stored) and its signatures. */
export interface CheckedItem {
  transfer: Transfer | null;
  parts: SignedPart[];
}

/** Normalise one parsed item and recompute its hashes; throws TRACE_INVALID_IMPORT naming `where`. */
export function checkImportItem(raw: unknown, where: string): CheckedItem {
  try {
    const checked = checkTransactionPair(raw, where);
    return { transfer: checked.normalized.kind === 'transfer' ? checked.normalized.transfer : null, parts: checked.parts };
  } catch (err) {
    if (err instanceof TracerError) throw new TracerError('TRACE_INVALID_IMPORT', err.message, { details: { ...err.details, where } });
    throw err;
  }
}

/** Verify the signatures of checked items (`parts[i]` of the item at `wheres[i]`); the first bad one throws. */
export async function verifyImportParts(
  parts: SignedPart[][],
  wheres: readonly string[],
  options: { verifySignatures?: boolean; verifier?: ImportVerifier },
): Promise<void> {
  if (options.verifySignatures === false || parts.length === 0) return;
  const bad = await (options.verifier ?? sharedVerifier()).firstBad(parts);
  if (bad !== null)
    throw new TracerError('TRACE_INVALID_IMPORT', `${wheres[bad.index]}: ${bad.reason}`, { details: { where: wheres[bad.index] } });
}

/** A block of lines to check (a structured-clone-able message). */
export interface BlockJob {
  /** The input's name, for messages. */
  name: string;
  firstLine: number;
  lines: number;
  bytes: Uint8Array;
  /** 'here': verify each signature in this thread; 'parts': hand them back (a caller's own verifier); 'no': skip them. */
  signatures: 'here' | 'parts' | 'no';
}

/** What a block holds, up to its first bad line. */
export interface BlockResult {
  /** Lines checked (blank ones included). */
  lines: number;
  /** Items (non-blank lines). */
  items: number;
  /** Items of other transaction types. */
  others: number;
  /** Transfers: their number, chain keys (keys.ts, CHAIN_KEY_LENGTH each, concatenated) and records ("\n" after each). */
  transfers: number;
  keys: string;
  records: string;
  /** Per transfer: its height and its line number. */
  heights: Int32Array;
  at: Int32Array;
  /** With `signatures: 'parts'`: each item's signed parts (items without any left out) and its place. */
  parts: SignedPart[][];
  wheres: string[];
  /** The first bad line's problem (the message names "file:line"), or null. */
  error: { message: string; details: Record<string, unknown> } | null;
}

/** Length of a chain key (keys.ts): two 10-digit numbers, a 64-hex hash, two colons. */
export const CHAIN_KEY_LENGTH = 86;

/**
 * The lines of a block as `ndjsonLines` reads them: decoded as UTF-8 (the whole block at once, which decodes each line
 * as it would alone: a newline is never part of a UTF-8 sequence, and a broken one before it becomes U+FFFD either
 * way), a trailing CR dropped.
 */
export function blockLines(block: Pick<BlockJob, 'bytes' | 'lines'>): string[] {
  const text = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength).toString('utf8');
  const lines = text.split('\n', block.lines); // the block's last newline ends its last line
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i];
    if (s.length > 0 && s.charCodeAt(s.length - 1) === 13) lines[i] = s.slice(0, -1);
  }
  return lines;
}

/**
 * Check a block of NDJSON lines: each line decoded as UTF-8 (a trailing CR dropped), blank lines skipped, the rest
 * parsed and checked in order; stops at the first bad line. Never throws for bad input (`error`).
 */
export function checkBlock(job: BlockJob): BlockResult {
  const lines = blockLines(job);
  const heights = new Int32Array(lines.length);
  const at = new Int32Array(lines.length);
  const keys: string[] = [];
  let records = '';
  const result: BlockResult = {
    lines: 0,
    items: 0,
    others: 0,
    transfers: 0,
    keys: '',
    records: '',
    heights,
    at,
    parts: [],
    wheres: [],
    error: null,
  };
  for (let i = 0; i < lines.length; i++) {
    const line = job.firstLine + i;
    const s = lines[i];
    result.lines++;
    if (s.trim() === '') continue;
    result.items++;
    const where = `${job.name}:${line}`;
    let raw: unknown;
    try {
      raw = JSON.parse(s);
    } catch (err) {
      result.error = { message: `${where}: not JSON (${(err as Error).message})`, details: { file: job.name, line } };
      break;
    }
    let item: CheckedItem;
    try {
      item = checkImportItem(raw, where);
    } catch (err) {
      if (!(err instanceof TracerError)) throw err;
      result.error = { message: err.message, details: err.details };
      break;
    }
    if (item.parts.length > 0) {
      if (job.signatures === 'here') {
        const bad = badSignature(item.parts);
        if (bad !== null) {
          result.error = { message: `${where}: ${bad}`, details: { where } };
          break;
        }
      } else if (job.signatures === 'parts') {
        result.parts.push(item.parts);
        result.wheres.push(where);
      }
    }
    const t = item.transfer;
    if (t === null) {
      result.others++;
      continue;
    }
    heights[result.transfers] = t.height;
    at[result.transfers] = line;
    result.transfers++;
    keys.push(chainKey(t));
    records += `${encodeTransfer(t)}\n`;
  }
  result.keys = keys.join('');
  result.records = records;
  result.heights = heights.slice(0, result.transfers);
  result.at = at.slice(0, result.transfers);
  return result;
}
