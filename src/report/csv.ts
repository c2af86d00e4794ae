/**
 * `transfers.csv` and `accounts.csv` with per-policy taint columns. RFC 4180: comma-separated,
 * CRLF line ends, a field is quoted when it holds a comma, quote, CR or LF, and quotes are doubled.
 * Amounts are XEM with six decimals, times ISO-8601 UTC; empty cell = not tainted under that policy.
 * Complete: every transfer the trace considered, every account it touched (never capped).
 * Outside text (messages, labels) is made inert cell by cell (csvField → safe-text.ts).
 */
import { accountColumnsOf, carriedAt, carriedOf, tableOf, type TraceResult } from '../taint/index.js';
import { chainOrder, iso, xem } from './format.js';
import { csvCell } from './safe-text.js';
import { policiesOf } from './json.js';
import { policyOf, exitTest, type Policy } from '../domain.js';
import { tracedAccounts } from '../graph/index.js';

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
  return [...transfersCsvLines(result)].join('');
}

export function buildAccountsCsv(result: TraceResult): string {
  return [...accountsCsvLines(result)].join('');
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

/** Lines per chunk of transfers.csv (about 200 KiB: few writes, no string of the whole file). */
const CSV_CHUNK_LINES = 1024;

/** transfers.csv line by line (streamed by writeReports: never one string for the whole chain). */
export function* transfersCsvLines(result: TraceResult): Generator<string> {
  const policies = policiesOf(result);
  const carried = policies.map((p) => carriedOf(result, p)!);
  const seeds = new Set(result.seed.transfers.map((t) => t.hash));
  const label = (a: string) => result.labels.get(a)?.label ?? '';
  yield csvLine([
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
  ]);
  // the columns give all but the inner hash, type, time text and message, read from the transfer (made on demand)
  const table = tableOf(result);
  const { addresses } = table;
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
  let chunk = '';
  let lines = 0;
  for (const k of rows) {
    const t = result.transfers.at(k)!;
    const hash = table.hashAt(k);
    const [sender, recipient] = [addresses[table.sender[k]], addresses[table.recipient[k]]];
    let line =
      `${csvField(hash)},${csvField(t.innerHash)},${table.height[k]},${csvField(t.time || iso(table.timeStamp[k]))},` +
      `${csvField(sender)},${csvField(label(sender))},${csvField(recipient)},${csvField(label(recipient))},` +
      `${xem(table.amount[k])},${xem(table.fee[k])},${t.type},${csvField(t.message)},${seeds.has(hash) ? 1 : 0}`;
    for (let p = 0; p < carried.length; p++) {
      const x = taintAt(p, k);
      line += x > 0 ? `,${xem(x)}` : ',';
    }
    chunk += `${line}\r\n`;
    if (++lines === CSV_CHUNK_LINES) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * accounts.csv line by line: every account the trace touched (tracedAccounts: sorted by address), its figures per
 * policy read from the policy's account columns (accountColumnsOf), in chunks of CSV_CHUNK_LINES lines. An address
 * of no transfer (a hand-built result can name one) is read from the policy's accounts map instead.
 */
export function* accountsCsvLines(result: TraceResult): Generator<string> {
  const policies = policiesOf(result);
  const exitOf = exitTest(result.labels, result.case.exitCategories);
  const cols = (p: Policy) => [`${p}_hops`, `${p}_received`, `${p}_held`, `${p}_first_tainted`];
  yield csvLine(['address', 'label', 'category', 'exit', ...policies.flatMap(cols)]);
  const { addresses, account } = tracedAccounts(result);
  const columns = account.includes(-1) ? null : policies.map((p) => accountColumnsOf(result, p)!);
  const figures = (address: string, a: number, p: number): string => {
    if (columns === null) {
      const x = policyOf(result, policies[p]).accounts.get(address);
      return x === undefined || x.received <= 0n ? ',,,,' : `,${x.hops},${xem(x.received)},${xem(x.held)},${iso(x.firstTaintedAt)}`;
    }
    const c = columns[p];
    const i = c.rowOf(a);
    if (i < 0 || !(c.received[i] > 0)) return ',,,,';
    const received = c.received[i] <= Number.MAX_SAFE_INTEGER ? c.received[i] : c.receivedAt(i);
    return `,${c.hops[i]},${xem(received)},${xem(c.held[i])},${iso(c.firstTaintedAt[i])}`;
  };
  let chunk = '';
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[i];
    const l = result.labels.get(address);
    let line = `${csvField(address)},${csvField(l?.label)},${csvField(l?.category)},${exitOf(address) ? 1 : 0}`;
    for (let p = 0; p < policies.length; p++) line += figures(address, account[i], p);
    chunk += `${line}\r\n`;
    if ((i + 1) % CSV_CHUNK_LINES === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
