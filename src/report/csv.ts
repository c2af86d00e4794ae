/**
 * `transfers.csv` and `accounts.csv` with per-policy taint columns. RFC 4180: comma-separated,
 * CRLF line ends, a field is quoted when it holds a comma, quote, CR or LF, and quotes are doubled.
 * Amounts are XEM with six decimals, times ISO-8601 UTC; empty cell = not tainted under that policy.
 * Complete: every transfer the trace considered, every account it touched (never capped).
 * Outside text (messages, labels) is made inert cell by cell (csvField → safe-text.ts).
 */
import { accountColumnsOf, carriedAt, carriedOf, rowFields, tableOf, type TraceResult } from '../taint/index.js';
import { ByteChunks, isCount, putBytes, putHex, putPlain, putUint, putXem, viewOf } from './byte-chunks.js';
import { chainOrder, iso } from './format.js';
import { csvCell } from './safe-text.js';
import { policiesOf } from './json.js';
import { policyOf, exitTest, type Policy } from '../domain.js';
import { seedIndices, tracedAccounts } from '../graph/index.js';

/** Text csvCell and the quoting leave as it is (hashes, addresses, times, plain labels): one scan, no copies. */
const PLAIN = /^(?:[0-9A-Za-z][0-9A-Za-z.:_ -]*)?$/;

/** One RFC 4180 field; text goes through csvCell (safe-text.ts): visible, never a formula. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' && PLAIN.test(value)) return value;
  const s = typeof value === 'string' ? csvCell(value) : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: (string | number | boolean | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** Parse RFC 4180 text back into rows (used by tests and tools). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      quoted = true;
      i += 1;
      continue;
    }
    if (ch === ',') {
      row.push(field);
      field = '';
      i += 1;
      continue;
    }
    if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
      continue;
    }
    if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
      continue;
    }
    field += ch;
    i += 1;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function buildTransfersCsv(result: TraceResult): string {
  return Buffer.concat([...transfersCsvChunks(result)]).toString('utf8');
}

export function buildAccountsCsv(result: TraceResult): string {
  return Buffer.concat([...accountsCsvChunks(result)]).toString('utf8');
}

/**
 * Row indices of `result.transfers` in chain order: the identity for a trace's own table (runTrace's columns are
 * in chain order); a hand-built result's transfers are checked and sorted if need be.
 */
function chainRows(result: TraceResult): Int32Array {
  const ts = result.transfers;
  const rows = Int32Array.from({ length: ts.length }, (_t, k) => k);
  if (result.table !== undefined) return rows;
  const at = (k: number) => ts.at(k)!;
  for (let k = 1; k < ts.length; k++) if (chainOrder(at(k - 1), at(k)) > 0) return rows.sort((x, y) => chainOrder(at(x), at(y)) || x - y);
  return rows;
}

const COMMA = 44;
const CRLF_WORD = 0x0d0a;
/** ASCII codes of PLAIN's characters: any first character of a plain cell (ALNUM), the rest (PLAIN_REST). */
const ALNUM = new Uint8Array(128);
const PLAIN_REST = new Uint8Array(128);
for (const c of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') ALNUM[c.charCodeAt(0)] = PLAIN_REST[c.charCodeAt(0)] = 1;
for (const c of '.:_ -') PLAIN_REST[c.charCodeAt(0)] = 1;

/** One text cell into `out`: as it is when csvField leaves it so (PLAIN, checked while copied), else csvField's text. */
function cell(out: ByteChunks, s: string | null | undefined): void {
  if (s === null || s === undefined || s === '') return;
  const c = s.charCodeAt(0);
  if (c < 128 && ALNUM[c] === 1 && out.plain(s, PLAIN_REST)) return;
  out.text(csvField(s));
}

/**
 * A text cell at p of `v` (out's buffer, room for s.length bytes reserved): copied when csvField leaves it as it is;
 * else csvField's text through `out` from p, and −1: out's buffer and length moved on (reserve again).
 */
function putCell(out: ByteChunks, v: DataView, p: number, s: string | null): number {
  if (s === null || s === '') return p;
  const c = s.charCodeAt(0);
  const q = c < 128 && ALNUM[c] === 1 ? putPlain(v, p, s, PLAIN_REST) : -1;
  if (q >= 0) return q;
  out.end(p);
  out.text(csvField(s));
  return -1;
}

/** A number at p of `v` (room reserved): µXEM as XEM when `micro`; −1 when written through `out` (not a count). */
function putNumber(out: ByteChunks, v: DataView, p: number, x: number, micro: boolean): number {
  if (isCount(x)) return micro ? putXem(v, p, x) : putUint(v, p, x);
  out.end(p);
  if (micro) out.xem(x);
  else out.uint(x);
  return -1;
}

/** Each account's `address,label` cells as bytes (both ends of a transfers.csv row are written so): bytes[off[a], off[a+1]). */
function endCells(result: TraceResult, addresses: readonly string[]): { bytes: Buffer; off: Int32Array } {
  const w = new ByteChunks(48 * addresses.length);
  const off = new Int32Array(addresses.length + 1);
  for (let a = 0; a < addresses.length; a++) {
    off[a] = w.length;
    cell(w, addresses[a]);
    w.byte(COMMA);
    cell(w, result.labels.get(addresses[a])?.label);
  }
  off[addresses.length] = w.length;
  return { bytes: w.take(), off };
}

/** Bytes of a transfers.csv row beside its ends and text cells: hash bytes as hex, height, amount, fee, type, seed, commas, CRLF. */
const ROW_ROOM = 64 + 16 + 23 + 23 + 16 + 1 + 12 + 2;
/** Bytes of one taint cell: its comma and µXEM as XEM. */
const TAINT_ROOM = 1 + 23;

/**
 * transfers.csv in chunks of about 2 MiB of bytes (streamed by writeReports: never one string for the whole chain),
 * written from the trace's columns (hash bytes, height, ends, amount, fee, per-policy taint by a cursor over each
 * policy's carried rows) and the list's row fields (inner hash, time, type, message: rowFields, no Transfer object).
 * Numbers, amounts and hex are written as digits, a row at a time into room reserved for it (byte-chunks.ts put…);
 * text cells are copied as they are only when csvField would leave them so (putCell), else through csvField
 * (safe-text.ts: visible, never a formula).
 */
export function* transfersCsvChunks(result: TraceResult): Generator<Buffer> {
  const policies = policiesOf(result);
  const carried = policies.map((p) => carriedOf(result, p)!);
  const out = new ByteChunks();
  out.text(
    csvLine([
      'hash',
      'inner_hash',
      'height',
      'time',
      'sender',
      'sender_label',
      'recipient',
      'recipient_label',
      'amount_xem',
      'fee_xem',
      'type',
      'message',
      'seed',
      ...policies.map((p) => `taint_${p}`),
    ]),
  );
  const table = tableOf(result);
  const { hashes, sender, recipient, height, amount, fee, timeStamp } = table;
  const fields = rowFields(result.transfers);
  const ends = endCells(result, table.addresses);
  const endBytes = viewOf(ends.bytes);
  const hashBytes = hashes === undefined ? null : viewOf(hashes);
  const endOff = ends.off;
  const isSeed = new Uint8Array(table.n);
  for (const k of seedIndices(result)) isSeed[k] = 1;
  const rows = chainRows(result);
  const inOrder = result.table !== undefined;
  const next = new Int32Array(carried.length); // per policy: its first row at or after k (rows ascending when in order)
  const rowRoom = ROW_ROOM + TAINT_ROOM * carried.length;
  for (let r = 0; r < rows.length; r++) {
    const k = rows[r];
    const hashText = hashBytes === null ? table.hashAt(k) : null;
    const inner = fields.innerHashAt(k);
    const time = fields.timeAt(k) || iso(timeStamp[k]);
    const message = fields.messageAt(k);
    const s0 = endOff[sender[k]];
    const s1 = endOff[sender[k] + 1];
    const t0 = endOff[recipient[k]];
    const t1 = endOff[recipient[k] + 1];
    const texts = (hashText?.length ?? 0) + (inner?.length ?? 0) + time.length + (message?.length ?? 0);
    const room = rowRoom + (s1 - s0) + (t1 - t0) + texts;
    let v = out.reserve(room);
    let p = out.length;
    if (hashBytes !== null) p = putHex(v, p, hashBytes, 32 * k, 32);
    else p = putCell(out, v, p, hashText);
    if (p < 0) [v, p] = [out.reserve(room), out.length];
    v.setUint8(p++, COMMA);
    p = putCell(out, v, p, inner);
    if (p < 0) [v, p] = [out.reserve(room), out.length];
    v.setUint8(p++, COMMA);
    p = putNumber(out, v, p, height[k], false);
    if (p < 0) [v, p] = [out.reserve(room), out.length];
    v.setUint8(p++, COMMA);
    p = putCell(out, v, p, time);
    if (p < 0) [v, p] = [out.reserve(room), out.length];
    v.setUint8(p++, COMMA);
    p = putBytes(v, p, endBytes, s0, s1);
    v.setUint8(p++, COMMA);
    p = putBytes(v, p, endBytes, t0, t1);
    v.setUint8(p++, COMMA);
    p = putNumber(out, v, p, amount[k], true);
    if (p < 0) [v, p] = [out.reserve(room), out.length];
    v.setUint8(p++, COMMA);
    p = putNumber(out, v, p, fee[k], true);
    if (p < 0) [v, p] = [out.reserve(room), out.length];
    v.setUint8(p++, COMMA);
    p = putNumber(out, v, p, fields.typeAt(k), false);
    if (p < 0) [v, p] = [out.reserve(room), out.length];
    v.setUint8(p++, COMMA);
    p = putCell(out, v, p, message);
    if (p < 0) [v, p] = [out.reserve(room), out.length];
    v.setUint8(p++, COMMA);
    v.setUint8(p++, isSeed[k] === 1 ? 49 : 48);
    for (let q = 0; q < carried.length; q++) {
      v.setUint8(p++, COMMA);
      const c = carried[q];
      let x: number;
      if (inOrder) {
        let i = next[q];
        while (i < c.length && c.k[i] < k) i++;
        next[q] = i;
        x = i < c.length && c.k[i] === k ? c.amount[i] : 0;
      } else x = carriedAt(c, k);
      if (x > 0) p = putNumber(out, v, p, x, true);
      if (p < 0) [v, p] = [out.reserve(room), out.length];
    }
    v.setUint16(p, CRLF_WORD);
    p += 2;
    out.end(p);
    if (out.full) yield out.take();
  }
  if (out.length > 0) yield out.take();
}

/** Accounts of accounts.csv whose figures are gathered at a time (column by column: one array read at a time). */
const BLOCK = 4096;

/** Bytes of one policy's four figures: commas, hops, received and held as XEM, the time of first taint. */
const FIGURES_ROOM = 4 + 16 + 23 + 23 + 24;

/**
 * accounts.csv in chunks of bytes: every account the trace touched (tracedAccounts: sorted by address), its figures
 * per policy read from the policy's account columns (accountColumnsOf); an account no transfer names (hand-built
 * results) read from its map. The figures of a block of accounts are gathered first, one column at a time (in
 * address order the rows are scattered: reading every column per account missed the cache for each), then written
 * a row at a time. Text cells as in transfers.csv.
 */
export function* accountsCsvChunks(result: TraceResult): Generator<Buffer> {
  const policies = policiesOf(result);
  const exitOf = exitTest(result.labels, result.case.exitCategories);
  const out = new ByteChunks();
  const head = (p: Policy) => [`${p}_hops`, `${p}_received`, `${p}_held`, `${p}_first_tainted`];
  out.text(csvLine(['address', 'label', 'category', 'exit', ...policies.flatMap(head)]));
  const { addresses, account } = tracedAccounts(result);
  const columns = account.includes(-1) ? null : policies.map((p) => accountColumnsOf(result, p)!);
  // per policy p and account i of the block, at p · BLOCK + i: its row, tainted (received > 0) or not, its figures
  const P = policies.length;
  const rows = new Int32Array(P * BLOCK);
  const tainted = new Uint8Array(P * BLOCK);
  const hops = new Int32Array(P * BLOCK);
  const received = new Float64Array(P * BLOCK);
  const held = new Float64Array(P * BLOCK);
  const first = new Int32Array(P * BLOCK);
  /** Figures past 2^53 (a double is not exact there), by the same place. */
  const exact = new Map<number, { received: bigint; held: bigint }>();
  let lastFirst = Number.NaN;
  let lastIso = '';
  for (let lo = 0; lo < addresses.length; lo += BLOCK) {
    const hi = Math.min(addresses.length, lo + BLOCK);
    exact.clear();
    for (let p = 0; p < P; p++) {
      const o = p * BLOCK - lo;
      if (columns === null) {
        for (let i = lo; i < hi; i++) {
          const x = policyOf(result, policies[p]).accounts.get(addresses[i]);
          tainted[o + i] = x === undefined || x.received <= 0n ? 0 : 1;
          if (tainted[o + i] === 0) continue;
          hops[o + i] = x!.hops;
          received[o + i] = Number(x!.received);
          held[o + i] = Number(x!.held);
          first[o + i] = x!.firstTaintedAt;
          if (!isCount(received[o + i]) || !isCount(held[o + i])) exact.set(o + i, { received: x!.received, held: x!.held });
        }
        continue;
      }
      const c = columns[p];
      for (let i = lo; i < hi; i++) rows[o + i] = c.rowOf(account[i]);
      for (let i = lo; i < hi; i++) received[o + i] = rows[o + i] < 0 ? 0 : c.received[rows[o + i]];
      for (let i = lo; i < hi; i++) tainted[o + i] = received[o + i] > 0 ? 1 : 0;
      for (let i = lo; i < hi; i++) if (tainted[o + i] === 1) hops[o + i] = c.hops[rows[o + i]];
      for (let i = lo; i < hi; i++) if (tainted[o + i] === 1) held[o + i] = c.held[rows[o + i]];
      for (let i = lo; i < hi; i++) if (tainted[o + i] === 1) first[o + i] = c.firstTaintedAt[rows[o + i]];
      for (let i = lo; i < hi; i++)
        if (tainted[o + i] === 1 && !isCount(received[o + i]))
          exact.set(o + i, { received: c.receivedAt(rows[o + i]), held: BigInt(held[o + i]) });
    }
    for (let i = lo; i < hi; i++) {
      const address = addresses[i];
      const l = result.labels.get(address);
      cell(out, address);
      out.byte(COMMA);
      cell(out, l?.label);
      out.byte(COMMA);
      cell(out, l?.category);
      out.byte(COMMA);
      out.byte(exitOf(address) ? 49 : 48);
      let v = out.reserve(FIGURES_ROOM * P + 2);
      let q = out.length;
      for (let p = 0; p < P; p++) {
        const b = p * BLOCK + i - lo;
        if (tainted[b] === 0) {
          v.setUint32(q, 0x2c2c2c2c); // ",,,,"
          q += 4;
          continue;
        }
        v.setUint8(q++, COMMA);
        q = putNumber(out, v, q, hops[b], false);
        if (q < 0) [v, q] = [out.reserve(FIGURES_ROOM * P + 2), out.length];
        v.setUint8(q++, COMMA);
        const big = exact.get(b);
        if (big === undefined) {
          q = putXem(v, q, received[b]);
          v.setUint8(q++, COMMA);
          q = putXem(v, q, held[b]);
        } else {
          out.end(q);
          out.xem(big.received);
          out.byte(COMMA);
          out.xem(big.held);
          [v, q] = [out.reserve(FIGURES_ROOM * P + 2), out.length];
        }
        v.setUint8(q++, COMMA);
        if (first[b] !== lastFirst) [lastFirst, lastIso] = [first[b], iso(first[b])];
        q = putCell(out, v, q, lastIso);
        if (q < 0) [v, q] = [out.reserve(FIGURES_ROOM * P + 2), out.length];
      }
      v.setUint16(q, CRLF_WORD);
      out.end(q + 2);
      if (out.full) yield out.take();
    }
  }
  if (out.length > 0) yield out.take();
}
