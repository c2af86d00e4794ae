import { describe, expect, it } from 'vitest';
import { buildReportHtml, scriptJson, scriptJs } from '../../src/report/html/page.js';
import { buildHtmlData } from '../../src/report/html/data.js';
import { buildReportJson } from '../../src/report/json.js';
import fc from 'fast-check';
import { A, coincheckMini, synthetic } from './fixture.js';
import { detached, randomChain } from '../taint/helpers.js';
import { runTrace } from '../../src/taint/trace.js';
import { xemNumber } from '../../src/report/graph.js';
import { xemNum } from '../../src/report/html/util.js';

describe('buildReportHtml', () => {
  it('is one self-contained file: inline script and style, a CSP, no external references', async () => {
    const html = await buildReportHtml(coincheckMini());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)[a-z0-9.-]+\/[^\s"']*\.(js|css)/i);
    expect((html.match(/<script/g) ?? []).length).toBe(2);
  });

  it('escapes hostile labels and memos: no </script> can end the data block', async () => {
    const result = coincheckMini();
    result.labels.set(A.binance, { address: A.binance, label: '</script><script>alert(1)</script>', category: 'exchange' });
    for (const t of result.transfers) if (t.recipient === A.binance) t.message = '<!--</script>';
    const html = await buildReportHtml(result);
    expect(html).not.toContain('<script>alert(1)');
    const m = /<script type="application\/json" id="tainttrace-data">([\s\S]*?)<\/script>/.exec(html)!;
    const data = JSON.parse(m[1]);
    expect(data.report.policies.haircut.exits.find((e: { address: string }) => e.address === A.binance).label).toBe(
      '</script><script>alert(1)</script>',
    );
    expect(scriptJson({ a: '</script>\u2028' })).toBe('{"a":"\\u003c/script>\\u2028"}');
    expect(scriptJs('x="</script>"')).toBe('x="<\\/script>"');
  });
});

describe('buildHtmlData', () => {
  it('caps the graph (exits and seed senders first) but keeps the report complete', () => {
    const result = synthetic(600);
    const report = buildReportJson(result);
    const data = buildHtmlData(result, report, { maxNodes: 120 });
    expect(data.graph.nodes).toHaveLength(120);
    expect(data.graph.capped).toBe(true);
    const ids = new Set(data.graph.nodes.map((n) => n.id));
    for (const e of report.policies.haircut!.exits) expect(ids.has(e.address)).toBe(true);
    expect(ids.has(A.coincheck)).toBe(true);
    expect(data.report.policies.haircut!.accounts.length).toBe(report.policies.haircut!.accounts.length);
    for (const e of data.graph.edges) {
      expect(ids.has(e.s)).toBe(true);
      expect(ids.has(e.t)).toBe(true);
    }
  });

  it('builds flows whose exit links sum to the exited total, and a time series ending at it', () => {
    const result = coincheckMini();
    const data = buildHtmlData(result, buildReportJson(result));
    const flow = data.flows.haircut!;
    const toExits = flow.links.filter((l) => l.t.startsWith('exit:')).reduce((s, l) => s + l.v, 0);
    expect(toExits).toBeCloseTo(Number(result.policies.haircut!.totals.exited) / 1e6, 3);
    const s = data.series.haircut!;
    expect(s.exited.at(-1)).toBeCloseTo(Number(result.policies.haircut!.totals.exited) / 1e6, 3);
    expect(s.held.at(-1)).toBeCloseTo(Number(result.policies.haircut!.totals.held) / 1e6, 3);
  });

  it("reads runTrace's columns and a hand-built result's objects to the same page data", () => {
    fc.assert(
      fc.property(randomChain(), ({ transfers, caseSpec, labels }) => {
        const result = runTrace({ transfers, caseSpec, labels, storeDigest: 't', tipHeight: 0, engineVersion: 't' });
        const report = buildReportJson(result);
        const options = { maxNodes: 6, maxNodeTransfers: 3, maxSeriesPoints: 5, maxFlowExits: 1, maxFlowHops: 2 };
        expect(buildHtmlData(detached(result), report, options)).toEqual(buildHtmlData(result, report, options));
      }),
      { numRuns: 80, seed: 3 },
    );
  });
});

describe('xemNum', () => {
  it('is xemNumber without the string (the double nearest µXEM / 10^6)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 10 ** 9 }), fc.maxSafeNat()), (micro) => {
        expect(xemNum(micro)).toBe(xemNumber(micro));
      }),
      { numRuns: 2000, seed: 1 },
    );
  });
});
