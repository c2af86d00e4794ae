/**
 * One hostile corpus — formulas, bidi controls, terminal escapes, control characters, `</script>`,
 * Markdown links, a very long string, lone surrogates — through labels, transfer messages (memos)
 * and the case title into every output, each read back with a real parser: CSV with csv-parse,
 * GEXF and GraphML with fast-xml-parser's validator (well-formed) and no character XML 1.0 forbids
 * (neither fast-xml-parser nor xmldom checks that; chromium's strict XML parser does, in
 * browser.test.ts), Markdown with markdown-it, the terminal summary as text, the HTML page's static
 * text and CSP (the browser half is in browser.test.ts). The rules are src/report/safe-text.ts.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportJson, renderSummaryFromReport } from '../../src/report/index.js';
import { csvCell, mdText, visible, visibleDeep, xmlText } from '../../src/report/safe-text.js';
import { writeReports } from '../../src/report/write.js';
import { FORMULA, HOSTILE, hostileTrace, RAW_ACTIVE, TITLE } from './hostile-fixture.js';

let dir: string;
let files: Record<string, string>;
const read = (name: string) => readFileSync(files[name], 'utf8');
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tainttrace-hostile-'));
  ({ files } = await writeReports(hostileTrace(), { outDir: dir, formats: ['json', 'md', 'html', 'gexf', 'graphml', 'csv'] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safe-text rules', () => {
  it('visible shows every active character as \\uXXXX and leaves the rest', () => {
    expect(visible('a\u202Eb\u001b[2J\uD800')).toBe('a\\u202Eb\\u001B[2J\\uD800');
    expect(visible('pair \uD83D\uDE00 é 漢 ok')).toBe('pair \uD83D\uDE00 é 漢 ok');
    for (const s of HOSTILE) expect(visible(s)).not.toMatch(RAW_ACTIVE);
  });
  it('csvCell never starts a formula', () => {
    for (const s of HOSTILE) expect(csvCell(s)).not.toMatch(FORMULA);
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG')).toBe('NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG');
  });
  it('visibleDeep makes every string value visible, copies only what changed and never modifies its input', () => {
    const clean = { hash: 'ab12', n: [1, 2, 3], nested: { ok: 'plain' } };
    const input = { clean, memo: ['fine', 'a\u202Eb', null], keyed: { 'k\u202E': 'x\u0007', n: 5 }, n: 7 };
    const before = JSON.stringify(input);
    const out = visibleDeep(input);
    expect(out).toEqual({ clean, memo: ['fine', 'a\\u202Eb', null], keyed: { 'k\u202E': 'x\\u0007', n: 5 }, n: 7 });
    expect(JSON.stringify(input)).toBe(before);
    expect(out.clean).toBe(clean); // nothing to change: the same object, not a copy
    expect(out.memo).not.toBe(input.memo);
    expect(visibleDeep(clean)).toBe(clean);
    for (const s of HOSTILE) expect(JSON.stringify(visibleDeep({ a: [{ s }] }))).not.toMatch(RAW_ACTIVE);
  });
  it('xmlText and mdText leave no markup', () => {
    for (const s of HOSTILE) {
      expect(xmlText(s)).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;|apos;)/);
      expect(new MarkdownIt().renderInline(mdText(s))).not.toMatch(/<(?!\/?p>)[a-z]/i);
    }
  });
});

describe('the hostile corpus in every output', () => {
  it('transfers.csv and accounts.csv: parse, no formula cell, nothing active, memos there visibly', () => {
    for (const name of ['transfers.csv', 'accounts.csv']) {
      const text = read(name);
      expect(text).not.toMatch(RAW_ACTIVE);
      const rows: string[][] = parseCsv(text, { relax_column_count: false });
      expect(rows.length).toBeGreaterThan(1);
      for (const row of rows) for (const cell of row) expect(cell, `${name}: ${cell.slice(0, 60)}`).not.toMatch(FORMULA);
    }
    const rows = parseCsv<Record<string, string>>(read('transfers.csv'), { columns: true });
    const messages = rows.map((r) => r.message);
    expect(messages).toContain(`'${HOSTILE[0]}`);
    expect(messages).toContain('invoice\\u202Egnp.exe');
    expect(messages).toContain("'\\u0009=1+1");
  });

  for (const name of ['graph.gexf', 'graph.graphml']) {
    it(`${name}: well-formed XML (fast-xml-parser), no character XML 1.0 forbids, the labels there visibly`, () => {
      const text = read(name);
      expect(text).not.toMatch(RAW_ACTIVE);
      expect(XMLValidator.validate(text)).toBe(true);
      expect(text).toContain('invoice\\u202Egnp.exe');
      expect(text).not.toContain('<script');
      expect(text.match(/<node /g)!.length).toBeGreaterThan(5);
    });
  }

  it('report.md: markdown-it renders no tag, link or image from the corpus, every table row keeps its columns', () => {
    const text = read('report.md');
    expect(text).not.toMatch(RAW_ACTIVE);
    const md = new MarkdownIt();
    const html = md.render(text);
    expect(html).not.toMatch(/<(script|img|b|a)\b/i);
    const tokens = md.parse(text, {});
    let head = 0;
    let cells = 0;
    for (const t of tokens) {
      if (t.type === 'thead_open') head = -1;
      if (t.type === 'tr_open') cells = 0;
      if (t.type === 'th_open' || t.type === 'td_open') cells++;
      if (t.type === 'tr_close') {
        if (head === -1) head = cells;
        else expect(cells).toBe(head);
      }
      if (t.type === 'table_close') head = 0;
    }
    expect(text).toContain('invoice\\\\u202Egnp.exe');
  });

  it('the terminal summary: no escape sequence, bidi or control character but newlines', () => {
    const report = buildReportJson(hostileTrace());
    const text = renderSummaryFromReport(report, { width: 120 });
    expect(text.replace(/\n/g, '')).not.toMatch(RAW_ACTIVE);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('invoice\\u202Egnp.exe · a\\u2066b');
    expect(text).toContain('\\u001B[2J');
    expect(text).toContain('\\u0009=1+1');
  });

  it('report.html: static text visible and escaped, the data block cannot end its script, CSP without unsafe-inline', () => {
    const html = read('report.html');
    expect(html).not.toMatch(RAW_ACTIVE);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html).not.toContain('<img src=x');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]{44}'/);
  });

  it('report.json keeps the text exactly as it came (its readers are programs)', () => {
    const json = JSON.parse(read('report.json'));
    expect(json.case.title).toBe(TITLE);
    expect(json.policies.haircut.exits.flatMap((x: { memos: { memo: string }[] }) => x.memos.map((m) => m.memo))).toContain(HOSTILE[7]);
  });
});
