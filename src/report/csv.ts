/**
 * `transfers.csv` and `accounts.csv` with per-policy taint columns. RFC 4180: comma-separated,
 * CRLF line ends, a field is quoted when it holds a comma, quote, CR or LF, and quotes are doubled.
 * Amounts are XEM with six decimals, times ISO-8601 UTC; empty cell = not tainted under that policy.
 * Complete: every transfer the trace considered, every account it touched (never capped).
 * Outside text (messages, labels) is made inert cell by cell (csvField → safe-text.ts).
 */
import { carriedAt, carriedOf, type TraceResult } from '../taint/index.js';
import { chainOrder, iso, xem } from './format.js';
import { csvCell } from './safe-text.js';
import { policiesOf } from './json.js';
import { policyOf, exitTest, type Policy } from '../domain.js';
import { tracedAddresses } from '../graph/index.js';

/** One RFC 4180 field; text goes through csvCell (safe-text.ts): visible, never a formula. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
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

/** Row indices of `result.transfers` in chain order (the identity when they are in it already, as runTrace gives them). */
function chainRows(result: TraceResult): number[] {
  const ts = result.transfers;
  const rows = Array.from({ length: ts.length }, (_t, k) => k);
  const at = (k: number) => ts.at(k)!;
  for (let k = 1; k < ts.length; k++) if (chainOrder(at(k - 1), at(k)) > 0) return rows.sort((x, y) => chainOrder(at(x), at(y)) || x - y);
  return rows;
}

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
  for (const k of chainRows(result)) {
    const t = result.transfers.at(k)!;
    yield csvLine([
      t.hash,
      t.innerHash,
      t.height,
      t.time || iso(t.timeStamp),
      t.sender,
      label(t.sender),
      t.recipient,
      label(t.recipient),
      xem(t.amount),
      xem(t.fee),
      t.type,
      t.message,
      seeds.has(t.hash) ? 1 : 0,
      ...carried.map((c) => {
        const x = carriedAt(c, k);
        return x > 0 ? xem(x) : '';
      }),
    ]);
  }
}

/** accounts.csv line by line. */
export function* accountsCsvLines(result: TraceResult): Generator<string> {
  const policies = policiesOf(result);
  const exitOf = exitTest(result.labels, result.case.exitCategories);
  const cols = (p: Policy) => [`${p}_hops`, `${p}_received`, `${p}_held`, `${p}_first_tainted`];
  yield csvLine(['address', 'label', 'category', 'exit', ...policies.flatMap(cols)]);
  for (const address of tracedAddresses(result)) {
    const l = result.labels.get(address);
    const isExit = exitOf(address);
    yield csvLine([
      address,
      l?.label ?? '',
      l?.category ?? '',
      isExit ? 1 : 0,
      ...policies.flatMap((p) => {
        const a = policyOf(result, p).accounts.get(address);
        if (!a || a.received <= 0n) return ['', '', '', ''];
        return [a.hops, xem(a.received), xem(a.held), iso(a.firstTaintedAt)];
      }),
    ]);
  }
}
