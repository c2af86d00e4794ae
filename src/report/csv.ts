/**
 * `transfers.csv` and `accounts.csv` with per-policy taint columns. RFC 4180: comma-separated,
 * CRLF line ends, a field is quoted when it holds a comma, quote, CR or LF, and quotes are doubled.
 * Amounts are XEM with six decimals, times ISO-8601 UTC; empty cell = not tainted under that policy.
 * Complete: every transfer the trace considered, every account it touched (never capped).
 * Outside text (messages, labels) is made inert cell by cell (csvField → safe-text.ts).
 */
import { accountColumnsOf, carriedAt, carriedOf, rowFields, tableOf, type TraceResult } from '../taint/index.js';
import { ByteChunks } from './byte-chunks.js';
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
const CRLF = Buffer.from('\r\n', 'latin1');
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

/**
 * transfers.csv in chunks of about 2 MiB of bytes (streamed by writeReports: never one string for the whole chain),
 * written from the trace's columns (hash bytes, height, ends, amount, fee, per-policy taint by a cursor over each
 * policy's carried rows) and the list's row fields (inner hash, time, type, message: rowFields, no Transfer object).
 * Numbers, amounts and hex are written as digits; text cells are copied as they are only when csvField would leave
 * them so (cell above), else through csvField (safe-text.ts: visible, never a formula).
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
  const isSeed = new Uint8Array(table.n);
  for (const k of seedIndices(result)) isSeed[k] = 1;
  const rows = chainRows(result);
  const inOrder = result.table !== undefined;
  const next = carried.map(() => 0); // per policy: its first row at or after k (rows ascending when in order)
  const taintAt = (p: number, k: number): number => {
    const c = carried[p];
    if (!inOrder) return carriedAt(c, k);
    let i = next[p];
    while (i < c.length && c.k[i] < k) i++;
    next[p] = i;
    return i < c.length && c.k[i] === k ? c.amount[i] : 0;
  };
  for (let r = 0; r < rows.length; r++) {
    const k = rows[r];
    if (hashes !== undefined) out.hex(hashes, 32 * k, 32);
    else cell(out, table.hashAt(k));
    out.byte(COMMA);
    cell(out, fields.innerHashAt(k));
    out.byte(COMMA);
    out.uint(height[k]);
    out.byte(COMMA);
    cell(out, fields.timeAt(k) || iso(timeStamp[k]));
    out.byte(COMMA);
    out.bytes(ends.bytes, ends.off[sender[k]], ends.off[sender[k] + 1]);
    out.byte(COMMA);
    out.bytes(ends.bytes, ends.off[recipient[k]], ends.off[recipient[k] + 1]);
    out.byte(COMMA);
    out.xem(amount[k]);
    out.byte(COMMA);
    out.xem(fee[k]);
    out.byte(COMMA);
    out.uint(fields.typeAt(k));
    out.byte(COMMA);
    cell(out, fields.messageAt(k));
    out.byte(COMMA);
    out.byte(isSeed[k] === 1 ? 49 : 48);
    for (let p = 0; p < carried.length; p++) {
      out.byte(COMMA);
      const x = taintAt(p, k);
      if (x > 0) out.xem(x);
    }
    out.bytes(CRLF);
    if (out.full) yield out.take();
  }
  if (out.length > 0) yield out.take();
}

/**
 * accounts.csv in chunks of bytes: every account the trace touched (tracedAccounts: sorted by address), its figures
 * per policy read from the policy's account columns (accountColumnsOf); an account no transfer names (hand-built
 * results) read from its map. Text cells as in transfers.csv.
 */
export function* accountsCsvChunks(result: TraceResult): Generator<Buffer> {
  const policies = policiesOf(result);
  const exitOf = exitTest(result.labels, result.case.exitCategories);
  const out = new ByteChunks();
  const head = (p: Policy) => [`${p}_hops`, `${p}_received`, `${p}_held`, `${p}_first_tainted`];
  out.text(csvLine(['address', 'label', 'category', 'exit', ...policies.flatMap(head)]));
  const { addresses, account } = tracedAccounts(result);
  const columns = account.includes(-1) ? null : policies.map((p) => accountColumnsOf(result, p)!);
  const figures = (hops: number, received: number | bigint, held: number | bigint, first: number): void => {
    out.byte(COMMA);
    out.uint(hops);
    out.byte(COMMA);
    out.xem(received);
    out.byte(COMMA);
    out.xem(held);
    out.byte(COMMA);
    cell(out, iso(first));
  };
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[i];
    const l = result.labels.get(address);
    cell(out, address);
    out.byte(COMMA);
    cell(out, l?.label);
    out.byte(COMMA);
    cell(out, l?.category);
    out.byte(COMMA);
    out.byte(exitOf(address) ? 49 : 48);
    for (let p = 0; p < policies.length; p++) {
      if (columns === null) {
        const x = policyOf(result, policies[p]).accounts.get(address);
        if (x === undefined || x.received <= 0n) out.text(',,,,');
        else figures(x.hops, x.received, x.held, x.firstTaintedAt);
        continue;
      }
      const c = columns[p];
      const j = c.rowOf(account[i]);
      if (j < 0 || !(c.received[j] > 0)) out.text(',,,,');
      else figures(c.hops[j], c.received[j] <= Number.MAX_SAFE_INTEGER ? c.received[j] : c.receivedAt(j), c.held[j], c.firstTaintedAt[j]);
    }
    out.bytes(CRLF);
    if (out.full) yield out.take();
  }
  if (out.length > 0) yield out.take();
}
