/**
 * The crawler against a hostile network: injected faults, a node that dies, a node that lies.
 * Each crawl must end with the clean crawl's digest, or fail with a clear error having stored
 * nothing of the bad page.
 */
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { isTracerError } from '../../src/errors.js';
import { buildNodeIndex, pageBody, pagePositions, startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { fastRetry, freshStore, scenarioCase, storedHashes, tempRoot, type ScenarioCase } from './helpers.js';

const root = tempRoot('tt-resil-');
let cc: ScenarioCase;
let tiny: ScenarioCase;
let cleanDigest: string;
const nodes: FixtureNode[] = [];
const start = async (c: ScenarioCase, extra: { faults?: string; idOffset?: number } = {}) => {
  const n = await startFixtureNode({ scenario: c.bundle.scenario, port: 0, ...extra });
  nodes.push(n);
  return n;
};

beforeAll(async () => {
  cc = await scenarioCase('coincheck', root.sub('coincheck'));
  tiny = await scenarioCase('tiny', root.sub('tiny'));
  const clean = await start(cc);
  const store = await freshStore(root);
  cleanDigest = (await crawl({ nodes: [clean.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() })).stats.digest;
  await store.close();
});
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  root.remove();
});

describe('crawl under injected faults', () => {
  it('20 % 5xx, 10 % 429, 5 % resets, 2 % truncated bodies and latency spikes: same digest as a clean crawl', async () => {
    const node = await start(cc, { faults: '5xx=0.2,429=0.1,reset=0.05,truncate=0.02,latency=0-60,seed=7' });
    const store = await freshStore(root);
    const summary = await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry(3), concurrency: 6 });
    const faults = node.stats().faults;
    for (const kind of ['5xx', '429', 'reset', 'truncate']) expect(faults[kind] ?? 0).toBeGreaterThan(0);
    expect(summary.retries).toBeGreaterThan(0);
    expect(summary.stats.digest).toBe(cleanDigest);
    expect(summary.stats.transfers).toBe(cc.expected.hashes.size);
    await store.close();
  });

  it('gives up with TRACE_NODE_UNAVAILABLE once the retry budget is spent when every attempt fails', async () => {
    const node = await start(tiny, { faults: '5xx=1,seed=1' });
    const store = await freshStore(root);
    const err = await crawl({ nodes: [node.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() }).catch((e) => e);
    expect(isTracerError(err, 'TRACE_NODE_UNAVAILABLE')).toBe(true);
    expect(err.message).toContain(node.url);
    expect(err.message).toMatch(/no answer within the 300 s retry budget/);
    expect((await store.stats()).transfers).toBe(0);
    await store.close();
  });
});

describe('crawl failover', () => {
  it('two nodes with different node-local ids, one dying mid-crawl: same digest as a clean crawl', async () => {
    const a = await start(cc, { idOffset: 0 });
    const b = await start(cc, { idOffset: 5_000_000 });
    const store = await freshStore(root);
    let killed: Promise<void> | null = null;
    const summary = await crawl({
      nodes: [b.url, a.url],
      store,
      caseSpec: cc.caseSpec,
      labels: cc.labels,
      ...fastRetry(),
      onProgress: () => {
        if (!killed && b.stats().requests >= 60) killed = b.close();
      },
    });
    expect(killed).not.toBeNull();
    expect(summary.failovers).toBeGreaterThan(0);
    expect(summary.stats.digest).toBe(cleanDigest);
    await store.close();
  });

  it('a lying node (every data answer inconsistent) next to an honest one: every lie is refused, same digest', async () => {
    const liar = await start(cc, { faults: 'inconsistent=1,seed=3' });
    const honest = await start(cc, { idOffset: 77 });
    const store = await freshStore(root);
    const summary = await crawl({
      nodes: [liar.url, honest.url],
      store,
      caseSpec: cc.caseSpec,
      labels: cc.labels,
      ...fastRetry(),
      nodeCooldownMs: 0,
    });
    expect(liar.stats().faults.inconsistent ?? 0).toBeGreaterThan(1);
    expect(summary.failovers).toBeGreaterThan(1);
    expect(summary.stats.digest).toBe(cleanDigest);
    await store.close();
  });
});

describe('crawl against a lying node alone', () => {
  it('fails with TRACE_MALFORMED_RESPONSE naming node and request, and stores nothing of the page', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const liar = await start(tiny, { faults: `inconsistent=1,seed=${seed}` });
      const store = await freshStore(root);
      const err = await crawl({ nodes: [liar.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() }).catch((e) => e);
      expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
      expect(err.message).toContain(liar.url);
      expect(err.message).toMatch(/GET \/account\/transfers\/(incoming|outgoing)\?address=/);
      expect((await store.stats()).transfers).toBe(0);
      await store.close();
    }
  });

  it('a bad second page: the first page is stored with its cursor, nothing of the second', async () => {
    // The Coincheck thief's outgoing list served with pageSize 5 by a MockAgent (its incoming: empty).
    const index = buildNodeIndex(cc.bundle.scenario, 0);
    const T = cc.bundle.truth.thief;
    const origin = 'http://mock.node:7890';
    const mock = new MockAgent({ connections: 1 });
    mock.disableNetConnect();
    const pool = mock.get(origin);
    pool.intercept({ path: '/chain/height' }).reply(200, { height: cc.bundle.scenario.tipHeight }).persist();
    pool.intercept({ path: `/account/transfers/incoming?address=${T}&pageSize=5` }).reply(200, '{"data":[]}');
    const first = pagePositions(index, T, 'outgoing', null, 5);
    expect(first.length).toBe(5);
    const lastId: number = JSON.parse(index.items[first[4]]).meta.id;
    const second = JSON.parse(pageBody(index, pagePositions(index, T, 'outgoing', BigInt(lastId), 5)));
    second.data[0].transaction.fee += 1; // tampered under a genuine hash
    pool
      .intercept({ path: `/account/transfers/outgoing?address=${T}&pageSize=5` })
      .reply(200, pageBody(index, first))
      .persist();
    pool
      .intercept({ path: `/account/transfers/outgoing?address=${T}&pageSize=5&id=${lastId}` })
      .reply(200, JSON.stringify(second))
      .persist();
    const store = await freshStore(root);
    const err = await crawl({
      nodes: [origin],
      store,
      seedAccounts: [T],
      maxHops: 1,
      pageSize: 5,
      concurrency: 1,
      dispatcher: mock,
      ...fastRetry(),
    }).catch((e) => e);
    expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
    expect(err.message).toContain(`id=${lastId}`);
    const firstHashes = first.map((p) => JSON.parse(index.items[p]).meta.hash.data);
    const stored = await storedHashes(store);
    for (const h of firstHashes) {
      const tx = cc.bundle.scenario.txs.find((t) => t.hash === h)!;
      if (tx.transaction.type === 257 || tx.transaction.type === 4100) expect(stored.has(h)).toBe(true);
    }
    for (const d of second.data) expect(stored.has(d.meta.hash.data)).toBe(false);
    expect(await store.getCursor(T, 'out')).toMatchObject({ pass: { node: origin, id: lastId } });
    await store.close();
    await mock.close();
  });
});
