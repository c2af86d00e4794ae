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
import { buildExportGraph, colorOf, EXPORT_EDGE_CAP, kthLargest, topCarriers, type ExportGraph } from '../../src/report/graph.js';
import { visibleValues } from '../../src/report/safe-text.js';
import { XMLParser } from 'fast-xml-parser';
import graphml from 'graphology-graphml';
import fc from 'fast-check';
import { POLICIES } from '../../src/domain.js';
import { syntheticChain, syntheticTransfers } from '../../src/fixture/synthetic.js';
import { runTrace, type TraceResult } from '../../src/taint/index.js';
import { hostileTrace } from './hostile-fixture.js';
import { csvField, csvLine, parseCsv } from '../../src/report/csv.js';
import { A, coincheckMini } from './fixture.js';
import { formatXem as xemText } from '../../src/nem/index.js';

describe('buildGexf', () => {
  const result = coincheckMini();
  const report = buildReportJson(result);
  const text = buildGexf(result);
  const graph = gexf.parse(MultiDirectedGraph, text);

  it('parses back with graphology-gexf into the same nodes and edges', () => {
    const addresses = new Set([...result.transfers].flatMap((t) => [t.sender, t.recipient]));
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
    expect((xml.match(/<node id=/g) ?? []).length).toBe(new Set([...result.transfers].flatMap((t) => [t.sender, t.recipient])).size);
    expect((xml.match(/<edge id=/g) ?? []).length).toBe(result.transfers.length);
    expect(xml).toMatch(/<key id="n\d+" for="node" attr.name="haircut_received" attr.type="double"\/>/);
    expect(xml).toMatch(/<key id="n\d+" for="node" attr.name="exit" attr.type="boolean"\/>/);
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
    const t = result.transfers.at(k)!;
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
    const ranked = [...result.transfers]
      .map((_t, k) => k)
      .filter((k) => score(k) > 0)
      .sort((x, y) => score(y) - score(x) || x - y);
    expect([...chosen]).toEqual(ranked.slice(0, cap).sort((x, y) => x - y));
    const text = buildGexf(result, cap);
    const graph = gexf.parse(MultiDirectedGraph, text);
    expect(graph.size).toBe(cap);
    for (const h of seeds) expect(graph.hasEdge(h)).toBe(true);
    const ends = new Set([...chosen].flatMap((k) => [result.transfers.at(k)!.sender, result.transfers.at(k)!.recipient]));
    expect(new Set(graph.nodes())).toEqual(ends);
    expect(text).toContain(`capped at ${cap} of ${result.transfers.length} transfers`);
    const xml = buildGraphml(result, cap);
    expect((xml.match(/<edge id=/g) ?? []).length).toBe(cap);
    expect(xml).toContain(`<desc>capped at ${cap} of ${result.transfers.length} transfers`);
  });
});

/** graphology-gexf's writer over the export graph, as graph.gexf was written before the direct writer (the reference). */
function graphologyGexf(result: TraceResult, graph: ExportGraph): string {
  graph.replaceAttributes(visibleValues(graph.getAttributes()));
  const policies = POLICIES.filter((p) => result.policies[p] !== undefined);
  let max = 0;
  graph.forEachNode((_n, a) => {
    for (const p of policies) max = Math.max(max, a[`${p}_received`] as number);
  });
  return gexf.write(graph, {
    version: '1.3',
    formatNode: (_key, attributes) => {
      const { label, ...rest } = attributes;
      const taint = Math.max(0, ...policies.map((p) => rest[`${p}_received`] as number));
      return {
        label: visibleValues({ label: String(label) }).label,
        attributes: visibleValues(rest),
        viz: { color: colorOf(String(rest.category)), size: 2 + (max > 0 ? 18 * Math.sqrt(taint / max) : 0) },
      };
    },
    formatEdge: (_key, attributes) => ({ weight: attributes.amount as number, attributes: visibleValues(attributes) }),
  });
}

/** graph.graphml read back with fast-xml-parser: per node and edge id, its attributes typed by their <key>. */
function readGraphml(xml: string) {
  const doc = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['key', 'node', 'edge', 'data'].includes(name),
  }).parse(xml) as {
    graphml: {
      key: { '@_id': string; '@_attr.name': string; '@_attr.type': string }[];
      graph: {
        '@_id': string;
        desc: string;
        node?: { '@_id': string; data: { '@_key': string; '#text'?: string }[] }[];
        edge?: { '@_id': string; '@_source': string; '@_target': string; data: { '@_key': string; '#text'?: string }[] }[];
      };
    };
  };
  const keys = new Map(doc.graphml.key.map((k) => [k['@_id'], k]));
  const typed = (data: { '@_key': string; '#text'?: string }[]) => {
    const out: Record<string, string | number | boolean> = {};
    for (const d of data) {
      const k = keys.get(d['@_key'])!;
      const text = d['#text'] ?? '';
      const type = k['@_attr.type'];
      out[k['@_attr.name']] = type === 'boolean' ? text === 'true' : type === 'int' || type === 'double' ? Number(text) : text;
    }
    return out;
  };
  const g = doc.graphml.graph;
  return {
    id: g['@_id'],
    desc: g.desc,
    keys: doc.graphml.key,
    nodes: (g.node ?? []).map((n) => ({ id: n['@_id'], attributes: typed(n.data) })),
    edges: (g.edge ?? []).map((e) => ({ id: e['@_id'], source: e['@_source'], target: e['@_target'], attributes: typed(e.data) })),
  };
}

/** A seeded synthetic trace (src/fixture/synthetic.ts): many transfers of equal taint, so the cap's ties are exercised. */
function syntheticTrace(n: number): TraceResult {
  const { transfers, labels, caseSpec } = syntheticTransfers(syntheticChain({ transfers: n, seed: 11 }));
  return runTrace({ transfers, caseSpec: { ...caseSpec, maxHops: 1000 }, labels, storeDigest: 't', tipHeight: 0, engineVersion: 't' });
}

describe('the graph files are written from the trace columns, the same as through a graph library', () => {
  const cases: [string, () => TraceResult, number][] = [
    ['coincheck mini', coincheckMini, EXPORT_EDGE_CAP],
    ['coincheck mini capped', coincheckMini, 4],
    ['hostile corpus', hostileTrace, EXPORT_EDGE_CAP],
    ['hostile corpus capped', hostileTrace, 3],
    ['synthetic 3,000 capped at 400', () => syntheticTrace(3000), 400],
  ];
  for (const [name, make, cap] of cases) {
    it(`${name}: graph.gexf reads back (graphology-gexf's parser) to the graph graphology-gexf's writer gave, in a smaller file`, () => {
      const result = make();
      const text = buildGexf(result, cap);
      const reference = graphologyGexf(result, buildExportGraph(result, cap));
      expect(gexf.parse(MultiDirectedGraph, text).export()).toEqual(gexf.parse(MultiDirectedGraph, reference).export());
      expect(text.length).toBeLessThan(reference.length);
    });
    it(`${name}: graph.graphml reads back with graphology-graphml's parser to the export graph`, () => {
      const result = make();
      const graph = buildExportGraph(result, cap);
      const back = graphml.parse(MultiDirectedGraph, buildGraphml(result, cap));
      expect(back.getAttribute('id')).toBe(visibleValues({ id: result.case.id }).id);
      const visibleExport = (g: ExportGraph) => {
        const { nodes, edges } = g.export();
        return {
          nodes: nodes.map((n) => ({ key: n.key, attributes: visibleValues(n.attributes ?? {}) })),
          edges: edges.map((e) => ({ key: e.key, source: e.source, target: e.target, attributes: visibleValues(e.attributes ?? {}) })),
        };
      };
      expect(visibleExport(back as ExportGraph)).toEqual(visibleExport(graph));
    });
    it(`${name}: graph.graphml reads back to the export graph (ids, ends, every attribute and its type, the statement)`, () => {
      const result = make();
      const graph = buildExportGraph(result, cap);
      const back = readGraphml(buildGraphml(result, cap));
      expect(back.id).toBe(visibleValues({ id: result.case.id }).id);
      expect(back.desc).toBe(graph.getAttribute('description'));
      expect(back.nodes.map((n) => n.id)).toEqual(graph.nodes());
      for (const n of back.nodes) expect(n.attributes).toEqual(visibleValues(graph.getNodeAttributes(n.id)));
      expect(back.edges.map((e) => e.id)).toEqual(graph.edges());
      for (const e of back.edges) {
        expect([e.source, e.target]).toEqual([graph.source(e.id), graph.target(e.id)]);
        expect(e.attributes).toEqual(visibleValues(graph.getEdgeAttributes(e.id)));
      }
      const type = (name: string) => back.keys.find((k) => k['@_attr.name'] === name)?.['@_attr.type'];
      expect([type('exit'), type('height'), type('fee'), type('memo')]).toEqual(['boolean', 'int', 'double', 'string']);
    });
  }

  it('the export graph holds what the trace says: per transfer its row of the columns and taint; per account its figures', () => {
    const result = syntheticTrace(3000);
    const cap = 400;
    const graph = buildExportGraph(result, cap);
    const chosen = topCarriers(result, cap);
    expect(graph.size).toBe(cap);
    for (const k of chosen) {
      const t = result.transfers.at(k)!;
      expect(graph.extremities(t.hash)).toEqual([t.sender, t.recipient]);
      const e = graph.getEdgeAttributes(t.hash);
      expect(e).toMatchObject({ height: t.height, amount: Number(xemText(t.amount)), fee: Number(xemText(t.fee)), memo: t.message ?? '' });
      for (const p of POLICIES) expect(e[`taint_${p}`]).toBe(Number(xemText(result.policies[p]!.transferTaint.get(t.hash) ?? 0n)));
    }
    for (const address of graph.nodes()) {
      for (const p of POLICIES) {
        const a = result.policies[p]!.accounts.get(address);
        const tainted = a !== undefined && a.received > 0n;
        expect(graph.getNodeAttribute(address, `${p}_received`)).toBe(tainted ? Number(xemText(a.received)) : 0);
        expect(graph.getNodeAttribute(address, `${p}_held`)).toBe(tainted ? Number(xemText(a.held)) : 0);
        expect(graph.getNodeAttribute(address, `${p}_hops`)).toBe(tainted ? a.hops : 0);
      }
    }
  });

  it('a hand-built result naming a tainted account outside its transfers: that node carries the figures of its map', () => {
    const result = coincheckMini();
    const haircut = result.policies.haircut!;
    const [inside, figures] = [...haircut.accounts].find(([, a]) => a.received > 0n && a.hops > 1)!;
    const outside = 'NOUTSIDEOFTHETRANSFERSXXXXXXXXXXXXXXXXXX';
    const handBuilt: TraceResult = {
      ...result,
      table: undefined,
      transfers: [...result.transfers],
      policies: { ...result.policies, haircut: { ...haircut, accounts: new Map([...haircut.accounts, [outside, figures]]) } },
    };
    const graph = buildExportGraph(handBuilt);
    for (const address of [inside, outside]) {
      expect(graph.getNodeAttributes(address)).toMatchObject({
        haircut_hops: figures.hops,
        haircut_received: Number(xemText(figures.received)),
        haircut_held: Number(xemText(figures.held)),
      });
    }
    expect(graph.nodes().filter((a) => a !== outside)).toEqual(buildExportGraph(result).nodes());
  });

  it('kthLargest is the k-th value of a descending sort, duplicates and pathological orders included', () => {
    const values = fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1e15, noNaN: true })), {
      minLength: 1,
      maxLength: 300,
    });
    fc.assert(
      fc.property(values, fc.nat(), (xs, pick) => {
        const k = 1 + (pick % xs.length);
        const sorted = [...xs].sort((a, b) => b - a);
        return kthLargest(Float64Array.from(xs), k) === sorted[k - 1];
      }),
    );
    const organPipe = Float64Array.from({ length: 20_001 }, (_v, i) => Math.min(i, 20_000 - i));
    expect(kthLargest(organPipe.slice(), 1)).toBe(10_000);
    expect(kthLargest(organPipe.slice(), 20_001)).toBe(0);
    expect(kthLargest(organPipe.slice(), 2)).toBe(9_999);
  });

  it('the cap ranks by the largest taint under any policy, seeds first, ties in chain order (as a comparator sort would)', () => {
    const result = syntheticTrace(3000);
    const seeds = new Set(result.seed.transfers.map((t) => t.hash));
    const score = [...result.transfers].map((t) =>
      seeds.has(t.hash) ? Infinity : Math.max(0, ...POLICIES.map((p) => Number(result.policies[p]!.transferTaint.get(t.hash) ?? 0n))),
    );
    const ranked = score.map((_s, k) => k).filter((k) => score[k] > 0);
    ranked.sort((x, y) => score[y] - score[x] || x - y);
    const scores = new Set(ranked.slice(0, 400).map((k) => score[k]));
    expect(scores.size).toBeLessThan(400); // ties at the cut are exercised
    for (const cap of [0, 1, 5, 11, 12, 100, 399, 400, ranked.length, ranked.length + 1]) {
      expect([...topCarriers(result, cap)], `cap ${cap}`).toEqual(ranked.slice(0, cap).sort((x, y) => x - y));
    }
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
