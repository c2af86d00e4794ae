/** The same figures in report.json, report.md, report.html and the CSVs (each parsed back). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/report/csv.js';
import { microOf } from '../../src/report/format.js';
import type { ReportJson } from '../../src/report/json.js';
import { writeReports } from '../../src/report/write.js';
import { coincheckMini } from './fixture.js';
import { policyOf } from '../../src/domain.js';

let dir: string;
let report: ReportJson;
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tainttrace-report-'));
  const { files } = await writeReports(coincheckMini(), { outDir: dir, formats: ['json', 'md', 'html', 'csv'] });
  expect(Object.keys(files).sort()).toEqual(['accounts.csv', 'report.html', 'report.json', 'report.md', 'transfers.csv']);
  report = JSON.parse(read('report.json'));
});

/** Rows of the Markdown table that follows `heading` (cells unescaped). */
function mdTable(md: string, heading: string, nth = 0): string[][] {
  let at = -1;
  for (let i = 0; i <= nth; i += 1) at = md.indexOf(heading, at + 1);
  expect(at, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const lines = md.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('|')) break;
    rows.push(
      l
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map((c) => c.replace(/\\(.)/g, '$1')),
    );
  }
  return rows.slice(2);
}

describe('report formats agree', () => {
  it('report.md totals equal report.json totals, for every policy', () => {
    const md = read('report.md');
    const policies = Object.keys(report.policies) as (keyof typeof report.policies)[];
    const rows = mdTable(md, '## Totals');
    const byName = new Map(rows.map((r) => [r[0], r.slice(1)]));
    policies.forEach((p, i) => {
      const t = policyOf(report, p).totals;
      expect(byName.get('seed')![i]).toBe(t.seed);
      expect(byName.get('held in accounts')![i]).toBe(t.held);
      expect(byName.get('reached exits')![i]).toBe(t.exited);
      expect(byName.get('paid as fees')![i]).toBe(t.fees);
    });
    policies.forEach((p, k) => {
      const exits = mdTable(md, '### Exits', k);
      expect(exits.map((r) => [r[1], r[4]])).toEqual(policyOf(report, p).exits.map((e) => [e.address, e.amount]));
      const hops = mdTable(md, '### Hops', k);
      expect(hops.map((r) => [Number(r[0]), Number(r[1]), r[2]])).toEqual(
        policyOf(report, p).hops.map((h) => [h.hop, h.accounts, h.amount]),
      );
    });
  });

  it('accounts.csv taint columns equal report.json accounts and exits', () => {
    const [head, ...rows] = parseCsv(read('accounts.csv'));
    for (const [p, pr] of Object.entries(report.policies)) {
      const col = head.indexOf(`${p}_received`);
      const held = head.indexOf(`${p}_held`);
      const hops = head.indexOf(`${p}_hops`);
      const csv = new Map(rows.filter((r) => r[col] !== '').map((r) => [r[0], r]));
      expect(csv.size).toBe(pr.accounts.length + pr.exits.length);
      for (const a of pr.accounts)
        expect([csv.get(a.address)![col], csv.get(a.address)![held], Number(csv.get(a.address)![hops])]).toEqual([
          a.received,
          a.held,
          a.hops,
        ]);
      for (const e of pr.exits) expect(csv.get(e.address)![col]).toBe(e.amount);
    }
  });

  it('transfers.csv: taint into each exit sums to its report.json amount; memos survive RFC 4180 quoting', () => {
    const [head, ...rows] = parseCsv(read('transfers.csv'));
    expect(rows).toHaveLength(14);
    expect(rows.some((r) => r[head.indexOf('message')] === 'lot,"A"')).toBe(true);
    for (const [p, pr] of Object.entries(report.policies)) {
      const col = head.indexOf(`taint_${p}`);
      for (const e of pr.exits) {
        const sum = rows
          .filter((r) => r[head.indexOf('recipient')] === e.address && r[col] !== '')
          .reduce((s, r) => s + microOf(r[col]), 0n);
        expect(sum).toBe(microOf(e.amount));
      }
    }
  });

  it('report.html tables and embedded data equal report.json', () => {
    const html = read('report.html');
    const m = /<script type="application\/json" id="tainttrace-data">([\s\S]*?)<\/script>/.exec(html)!;
    expect(JSON.parse(m[1]).report).toEqual(report);
    for (const [p, pr] of Object.entries(report.policies)) {
      const section = html.slice(html.indexOf(`<section class="card" data-policy="${p}"`));
      const exitTable = section.slice(0, section.indexOf('</table>'));
      const rows = [...exitTable.matchAll(/<tr data-address="(\w+)">.*?data-xem="([\d.]+)"/g)].map((r) => [r[1], r[2]]);
      expect(rows).toEqual(pr.exits.map((e) => [e.address, e.amount]));
      const acc = section.slice(section.indexOf('data-table="accounts"'));
      const accRows = [
        ...acc.slice(0, acc.indexOf('</table>')).matchAll(/<tr data-address="(\w+)">.*?data-xem="([\d.]+)".*?data-xem="([\d.]+)"/g),
      ].map((r) => [r[1], r[2], r[3]]);
      expect(accRows).toEqual(pr.accounts.map((a) => [a.address, a.received, a.held]));
    }
    const totals = html.slice(html.indexOf('class="data totals"'));
    const seedRow = /<tr><th>Seed<\/th>(.*?)<\/tr>/.exec(totals)![1];
    expect([...seedRow.matchAll(/data-xem="([\d.]+)"/g)].map((x) => x[1])).toEqual(
      Object.values(report.policies).map((pr) => pr.totals.seed),
    );
  });
});
