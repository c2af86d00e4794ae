import gexf from 'graphology-gexf';
import { MultiDirectedGraph } from 'graphology';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/write.js';
import { buildGexf } from '../../src/report/gexf.js';
import { buildGraphml } from '../../src/report/graphml.js';
import { buildReportJson } from '../../src/report/json.js';
import { EXPORT_EDGE_CAP, topCarriers } from '../../src/report/graph.js';
import { POLICIES } from '../../src/domain.js';
import { csvField, csvLine, parseCsv } from '../../src/report/csv.js';
import { A, coincheckMini } from './fixture.js';

describe('buildGexf', () => {
  const result = coincheckMini();
  const report = buildReportJson(result);
  const text = buildGexf(result);
  const graph = gexf.parse(MultiDirectedGraph, text);

  it('parses back with graphology-gexf into the same nodes and edges', () => {
    const addresses = new Set(result.transfers.flatMap((t) => [t.sender, t.recipient]));
    expect(graph.order).toBe(addresses.size);
    expect(graph.size).toBe(result.transfers.length);
    for (const t of result.transfers) {
      expect(graph.hasEdge(t.hash)).toBe(true);
      expect(graph.source(t.hash)).toBe(t.sender);
      expect(graph.target(t.hash)).toBe(t.recipient);
    }
  });

  it('carries per-policy taint attributes equal to report.json', () => {
    for (const [p, pr] of Object.entries(report.policies)) {
      for (const a of pr.accounts) {
        const n = graph.getNodeAttributes(a.address);
        expect(n[`${p}_received`]).toBe(Number(a.received));
        expect(n[`${p}_held`]).toBe(Number(a.held));
        expect(n[`${p}_hops`]).toBe(a.hops);
      }
      for (const e of pr.exits) expect(graph.getNodeAttribute(e.address, `${p}_received`)).toBe(Number(e.amount));
    }
    expect(graph.getNodeAttributes(A.binance)).toMatchObject({ label: 'Binance deposit', category: 'exchange', exit: true });
    const seedEdge = graph.getEdgeAttributes('b'.repeat(64));
    expect(seedEdge).toMatchObject({ seed: true, amount: 100_000_000, taint_haircut: 100_000_000 });
  });

  it('is deterministic', () => {
    expect(buildGexf(coincheckMini())).toBe(text);
  });
});

describe('writeReports graph files', () => {
  it('builds the export graph once for both files, each byte-identical to its own build', async () => {
    const result = coincheckMini();
    const dir = mkdtempSync(join(tmpdir(), 'tt-graphs-'));
    try {
      await writeReports(result, { outDir: dir, formats: ['gexf', 'graphml'] });
      expect(readFileSync(join(dir, 'graph.gexf'), 'utf8')).toBe(buildGexf(result));
      expect(readFileSync(join(dir, 'graph.graphml'), 'utf8')).toBe(buildGraphml(result));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildGraphml', () => {
  it('declares typed keys and lists every node and edge, XML-escaped', () => {
    const result = coincheckMini();
    const xml = buildGraphml(result);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect((xml.match(/<node id=/g) ?? []).length).toBe(new Set(result.transfers.flatMap((t) => [t.sender, t.recipient])).size);
    expect((xml.match(/<edge id=/g) ?? []).length).toBe(result.transfers.length);
    expect(xml).toContain('<key id="n_haircut_received" for="node" attr.name="haircut_received" attr.type="double"/>');
    expect(xml).toContain('<key id="n_exit" for="node" attr.name="exit" attr.type="boolean"/>');
    expect(xml).toContain('Yobit, &quot;main&quot; | deposit');
    expect(xml).toContain('lot,&quot;A&quot;');
    expect(buildGraphml(coincheckMini())).toBe(xml);
  });
});

describe('graph export cap', () => {
  const result = coincheckMini();
  const seeds = result.seed.transfers.map((t) => t.hash);
  // the largest taint any policy carried per transfer (from the hash-keyed maps), seeds ranked first
  const score = (k: number): number => {
    const t = result.transfers[k];
    if (seeds.includes(t.hash)) return Infinity;
    return Math.max(0, ...POLICIES.map((p) => Number(result.policies[p]?.transferTaint.get(t.hash) ?? 0n)));
  };

  it('a trace within the cap exports everything and says it is complete', () => {
    expect(result.transfers.length).toBeLessThan(EXPORT_EDGE_CAP);
    expect(gexf.parse(MultiDirectedGraph, buildGexf(result)).size).toBe(result.transfers.length);
    expect(buildGraphml(result)).toContain(`<desc>complete: all ${result.transfers.length} transfers`);
  });

  it('above the cap exports the transfers that carried the most taint, seeds first, and their end accounts, stating the cap', () => {
    const cap = seeds.length + 2;
    const chosen = topCarriers(result, cap);
    expect(chosen).toHaveLength(cap);
    const ranked = result.transfers
      .map((_t, k) => k)
      .filter((k) => score(k) > 0)
      .sort((x, y) => score(y) - score(x) || x - y);
    expect(chosen).toEqual(ranked.slice(0, cap).sort((x, y) => x - y));
    const text = buildGexf(result, cap);
    const graph = gexf.parse(MultiDirectedGraph, text);
    expect(graph.size).toBe(cap);
    for (const h of seeds) expect(graph.hasEdge(h)).toBe(true);
    const ends = new Set(chosen.flatMap((k) => [result.transfers[k].sender, result.transfers[k].recipient]));
    expect(new Set(graph.nodes())).toEqual(ends);
    expect(text).toContain(`capped at ${cap} of ${result.transfers.length} transfers`);
    const xml = buildGraphml(result, cap);
    expect((xml.match(/<edge id=/g) ?? []).length).toBe(cap);
    expect(xml).toContain(`<desc>capped at ${cap} of ${result.transfers.length} transfers`);
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes fields with comma or quote, doubling quotes; line breaks in text shown as \\u000A (safe-text.ts); CRLF line ends', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('two\\u000Alines');
    expect(csvField(null)).toBe('');
    expect(csvLine(['x', 'y,z'])).toBe('x,"y,z"\r\n');
    expect(parseCsv(csvLine(['a "q"', 'b\r\nc', '']) + csvLine(['1', '2', '3']))).toEqual([
      ['a "q"', 'b\\u000D\\u000Ac', ''],
      ['1', '2', '3'],
    ]);
    expect(parseCsv('"x\r\ny",z\r\n')).toEqual([['x\r\ny', 'z']]);
  });
});
