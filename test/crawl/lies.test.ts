/**
 * Every lie the fixture node can tell (src/fixture/node/lies.ts, docs/contracts.md §6) is rejected: nothing of
 * the lying answer is stored, the lying node is quarantined, a crawl with an honest node beside it
 * ends with the clean digest, and a crawl against the liar alone ends with a clear error — after
 * which a resumed crawl against an honest node ends with the clean digest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlOptions } from '../../src/crawl/index.js';
import { isTracerError } from '../../src/errors.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { fastRetry, freshStore, scenarioCase, storedHashes, tempRoot, type ScenarioCase } from './helpers.js';

const root = tempRoot('tt-lies-');
const nodes: FixtureNode[] = [];
let tiny: ScenarioCase;
let honest: FixtureNode;
let cleanDigest: string;

const start = async (faults?: string, idOffset = 0): Promise<FixtureNode> => {
  const n = await startFixtureNode({ scenario: tiny.bundle.scenario, port: 0, faults, idOffset });
  nodes.push(n);
  return n;
};
const options = (urls: string[], store: CrawlOptions['store']): CrawlOptions => ({
  nodes: urls,
  store,
  caseSpec: tiny.caseSpec,
  labels: tiny.labels,
  ...fastRetry(),
});

beforeAll(async () => {
  tiny = await scenarioCase('tiny', root.sub('tiny'));
  honest = await start(undefined, 1000);
  const store = await freshStore(root);
  cleanDigest = (await crawl(options([honest.url], store))).stats.digest;
  await store.close();
});
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  root.remove();
});

/** The liar beside an honest node: clean digest, liar quarantined. Then the liar alone: error, and an honest resume. */
async function provesRejected(faults: string, why: RegExp): Promise<void> {
  const liar = await start(faults);
  const both = await freshStore(root);
  const s = await crawl(options([liar.url, honest.url], both));
  expect(s.stats.digest).toBe(cleanDigest);
  expect(s.quarantined.map((q) => q.node)).toEqual([liar.url]);
  expect(s.quarantined[0].reason).toMatch(why);
  await both.close();

  const alone = await freshStore(root);
  const err = await crawl(options([liar.url], alone)).catch((e) => e);
  expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE'), String(err)).toBe(true);
  expect(err.message).toMatch(/no honest node left/);
  expect(err.message).toContain(liar.url);
  for (const h of await storedHashes(alone)) expect(tiny.expected.hashes.has(h), `stored a hash no honest node lists: ${h}`).toBe(true);
  const resumed = await crawl(options([honest.url], alone));
  expect(resumed.stats.digest).toBe(cleanDigest);
  await alone.close();
}

describe('lies a node can tell', () => {
  it('a forged transfer (recipient or amount substituted, hash recomputed, all-zero signature) on every page', async () => {
    await provesRejected('forge=1,seed=1', /forged signature/);
  });

  it('a genuine transfer of other accounts substituted into a page under the replaced id and height', async () => {
    await provesRejected('substitute=1,seed=2', /malformed answers/);
  });

  it('a transfer changed under its genuine hash', async () => {
    await provesRejected('tamper=1,seed=3', /is not the hash of its/);
  });

  it("a block with two transactions swapped, each intact (only the harvester's block signature shows it)", async () => {
    // The Coincheck scenario has blocks holding several stored transfers: the crawl fetches them for positions.
    const cc = await scenarioCase('coincheck', root.sub('coincheck'));
    const node = async (faults?: string) => {
      const n = await startFixtureNode({ scenario: cc.bundle.scenario, port: 0, faults });
      nodes.push(n);
      return n;
    };
    const [good, liar] = [await node(), await node('reorder=1,seed=9')];
    const opts = (urls: string[], store: CrawlOptions['store']): CrawlOptions => ({
      nodes: urls,
      store,
      caseSpec: cc.caseSpec,
      labels: cc.labels,
      ...fastRetry(),
    });
    const clean = await freshStore(root);
    const digest = (await crawl(opts([good.url], clean))).stats.digest;
    await clean.close();

    const both = await freshStore(root);
    const s = await crawl(opts([liar.url, good.url], both));
    expect(s.stats.digest).toBe(digest);
    expect(liar.stats().faults.reorder).toBeGreaterThan(0);
    expect(s.quarantined.map((q) => q.node)).toEqual([liar.url]);
    expect(s.quarantined[0].reason).toMatch(/block's signature does not verify/);
    await both.close();

    const alone = await freshStore(root);
    const err = await crawl(opts([liar.url], alone)).catch((e) => e);
    expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE'), String(err)).toBe(true);
    expect(err.message).toMatch(/no honest node left/);
    expect((await crawl(opts([good.url], alone))).stats.digest).toBe(digest);
    await alone.close();
  });

  it('garbage pages {"data":7} on every cursor from two nodes end the crawl in bounded requests', async () => {
    const a = await start('garbage=1,seed=4');
    const b = await start('garbage=1,seed=5');
    const store = await freshStore(root);
    const err = await crawl(options([a.url, b.url], store)).catch((e) => e);
    expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
    expect(err.message).toMatch(/no honest node left/);
    expect(a.stats().requests + b.stats().requests).toBeLessThanOrEqual(20);
    expect((await store.stats()).transfers).toBe(0);
    expect((await crawl(options([honest.url], store))).stats.digest).toBe(cleanDigest);
    await store.close();
  });

  it('a tampered /transaction/get answer for a seed by hash is refused', async () => {
    const liar = await start('tamper=1,scope=all,seed=6');
    const seedHash = [...tiny.expected.hashes][0];
    const store = await freshStore(root);
    const caseSpec = { ...tiny.caseSpec, seeds: [{ hash: seedHash }] };
    const err = await crawl({ ...options([liar.url], store), caseSpec }).catch((e) => e);
    expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
    expect(err.message).toMatch(/no honest node left/);
    expect((await store.stats()).transfers).toBe(0);
    const ok = await crawl({ ...options([liar.url, honest.url], store), caseSpec });
    expect(ok.quarantined.map((q) => q.node)).toEqual([liar.url]);
    expect(await storedHashes(store)).toContain(seedHash);
    await store.close();
  });

  it('a body dripped one byte a second is cut off by the per-request deadline, and the honest node takes over', async () => {
    const liar = await start('drip=1,seed=7');
    const store = await freshStore(root);
    const s = await crawl({ ...options([liar.url, honest.url], store), timeouts: { requestMs: 300 } });
    expect(s.stats.digest).toBe(cleanDigest);
    expect(liar.stats().faults.drip).toBeGreaterThan(0);
    await store.close();
  });

  it('a 300 MB chunked body is cut off at the byte cap while streaming: memory stays flat', async () => {
    const liar = await start('oversize=1,seed=8');
    const store = await freshStore(root);
    const base = process.memoryUsage().rss;
    let peak = base;
    const probe = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const s = await crawl(options([liar.url, honest.url], store)).finally(() => clearInterval(probe));
    expect(s.stats.digest).toBe(cleanDigest);
    expect(s.quarantined.map((q) => q.node)).toEqual([liar.url]);
    expect(s.quarantined[0].reason).toMatch(/above the 8388608-byte limit/);
    expect(peak - base).toBeLessThan(200 * 1024 * 1024);
    await store.close();
  });
});
