import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { isTracerError } from '../../src/errors.js';
import { expectedCrawl, scenarioTransfers } from '../../src/fixture/expected-crawl.js';
import { isProvisional } from '../../src/nem/finality.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { fastRetry, freshStore, scenarioCase, storedHashes, tempRoot, type ScenarioCase } from './helpers.js';

const root = tempRoot('tt-crawl-');
let cc: ScenarioCase;
let tiny: ScenarioCase;
let node: FixtureNode;
let tinyNode: FixtureNode;
let cleanDigest: string;

beforeAll(async () => {
  cc = await scenarioCase('coincheck', root.sub('coincheck'));
  tiny = await scenarioCase('tiny', root.sub('tiny'));
  node = await startFixtureNode({ scenario: cc.bundle.scenario, port: 0 });
  tinyNode = await startFixtureNode({ scenario: tiny.bundle.scenario, port: 0 });
});
afterAll(async () => {
  await node?.close();
  await tinyNode?.close();
  root.remove();
});

const exitsOf = (c: ScenarioCase) =>
  new Set([...c.labels.values()].filter((l) => c.caseSpec.exitCategories.includes(l.category)).map((l) => l.address));

describe('crawl: what it stores', () => {
  it('a full crawl of the Coincheck scenario stores exactly expectedCrawl(...).hashes, and the digest is the same run to run', async () => {
    const digests: string[] = [];
    for (let run = 0; run < 2; run++) {
      const store = await freshStore(root);
      const summary = await crawl({
        nodes: [node.url],
        store,
        caseSpec: cc.caseSpec,
        labels: cc.labels,
        ...fastRetry(run),
        concurrency: run === 0 ? 4 : 7,
      });
      expect([...(await storedHashes(store))].sort()).toEqual([...cc.expected.hashes].sort());
      // where stored transfers share a height, each carries its position in the block (DESIGN §4 "Order")
      const inBlock = new Map(scenarioTransfers(cc.bundle.scenario).map(({ transfer }) => [transfer.hash, transfer.position]));
      const loaded = await store.loadTransfers();
      const atHeight = new Map<number, number>();
      for (const t of loaded) atHeight.set(t.height, (atHeight.get(t.height) ?? 0) + 1);
      for (const t of loaded) expect(t.position, t.hash).toBe(atHeight.get(t.height)! >= 2 ? inBlock.get(t.hash) : undefined);
      expect(summary.chain.positioned).toBe(loaded.filter((t) => t.position !== undefined).length);
      expect(summary.chain.positioned).toBeGreaterThan(50);
      const accounts = await store.loadAccounts();
      expect(new Set(accounts.keys())).toEqual(cc.expected.accounts);
      for (const [a, rec] of accounts) {
        expect(rec.hop).toBe(cc.expected.hops.get(a));
        expect(rec.expanded).toBe(cc.expected.expanded.has(a));
        expect(rec.exit).toBe(!cc.expected.expanded.has(a));
      }
      expect(summary).toMatchObject({
        accounts: cc.expected.accounts.size,
        transfers: cc.expected.hashes.size,
        aborted: false,
        failovers: 0,
      });
      expect(summary.stats).toMatchObject({
        transfers: cc.expected.hashes.size,
        accounts: cc.expected.accounts.size,
        tipHeight: cc.bundle.scenario.tipHeight,
      });
      expect((await store.loadLabels()).size).toBe(cc.labels.size);
      digests.push(summary.stats.digest);
      await store.close();
    }
    expect(digests[1]).toBe(digests[0]);
    cleanDigest = digests[0];
  });

  it('the tiny scenario: every case of the reach rule (before-reach history, dust, 0 XEM, exits, multisig cosignatories)', async () => {
    const store = await freshStore(root);
    await crawl({ nodes: [tinyNode.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() });
    expect([...(await storedHashes(store))].sort()).toEqual([...tiny.expected.hashes].sort());
    expect(new Set((await store.loadAccounts()).keys())).toEqual(tiny.expected.accounts);
    await store.close();
  });

  it("honours a hop limit below the case's (--max-hops)", async () => {
    for (const maxHops of [1, 2, 3]) {
      const want = expectedCrawl(cc.bundle.scenario, {
        seeds: cc.caseSpec.seeds,
        exits: exitsOf(cc),
        maxHops,
        windowTo: cc.caseSpec.windowTo,
      });
      const store = await freshStore(root);
      await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, maxHops, ...fastRetry() });
      expect([...(await storedHashes(store))].sort()).toEqual([...want.hashes].sort());
      await store.close();
    }
  });

  it('plain seed accounts (--seed): the account is expanded at hop 0 and everything it paid reaches hop 1', async () => {
    const T = (tiny.bundle as unknown as { address: Record<string, string> }).address.T;
    const store = await freshStore(root);
    await crawl({ nodes: [tinyNode.url], store, seedAccounts: [T], labels: tiny.labels, maxHops: 1, ...fastRetry() });
    const accounts = await store.loadAccounts();
    expect(accounts.get(T)).toMatchObject({ hop: 0, seed: true, expanded: true });
    // Complete history of T (no window: no case), and nothing from accounts at hop 1 (maxHops 1: they are expanded too).
    const listed = scenarioTransfers(tiny.bundle.scenario)
      .filter(({ tx }) => tx.incoming.includes(T) || tx.outgoing.includes(T))
      .map(({ tx }) => tx.hash);
    expect(listed.length).toBeGreaterThan(3);
    const stored = await storedHashes(store);
    for (const h of listed) expect(stored.has(h)).toBe(true);
    const transfers = await store.loadTransfers();
    for (const t of transfers.filter((x) => x.sender === T && x.amount > 0 && x.recipient !== T))
      expect(accounts.get(t.recipient)?.hop).toBe(1);
    await store.close();
  });
});

describe('crawl: incremental', () => {
  it('recrawling an unchanged chain: chain height + 1 per seed window + 2 per expanded account + 1 per provisional block', async () => {
    const store = await freshStore(root);
    await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() });
    node.resetStats();
    const again = await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() });
    const seedWindows = cc.caseSpec.seeds.filter((s) => !('hash' in s)).length;
    // Re-checking provisional transfers (above tip − 360) costs one block each; positions are recorded once.
    const tip = cc.bundle.scenario.tipHeight;
    const provisionalBlocks = new Set(
      cc.bundle.scenario.txs.filter((t) => cc.expected.hashes.has(t.hash) && isProvisional(t.height, tip)).map((t) => t.height),
    ).size;
    expect(provisionalBlocks).toBeGreaterThan(0);
    expect(again.chain).toMatchObject({ blocks: provisionalBlocks, positioned: 0, retracted: [] });
    const minimal = 1 + seedWindows + 2 * cc.expected.expanded.size + provisionalBlocks;
    expect(node.stats().requests).toBe(minimal);
    expect(again).toMatchObject({ requests: minimal, transfers: 0, retries: 0 });
    expect(again.stats.digest).toBe(cleanDigest);
    await store.close();
  });
});

describe('crawl: stopping and resuming', () => {
  it('stops cleanly on the signal (aborted: true) and a second run ends identical to an uninterrupted crawl', async () => {
    const store = await freshStore(root);
    for (const stopAfter of [3, 40, 150]) {
      const ac = new AbortController();
      const s = await crawl({
        nodes: [node.url],
        store,
        caseSpec: cc.caseSpec,
        labels: cc.labels,
        ...fastRetry(),
        signal: ac.signal,
        onProgress: (p) => {
          if (p.requests >= stopAfter) ac.abort();
        },
      });
      expect(s.aborted).toBe(true);
      expect(s.stats.transfers).toBeLessThan(cc.expected.hashes.size);
    }
    const done = await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() });
    expect(done.aborted).toBe(false);
    expect(done.stats.digest).toBe(cleanDigest);
    expect(new Set((await store.loadAccounts()).keys())).toEqual(cc.expected.accounts);
    await store.close();
  });
});

describe('crawl: options', () => {
  it('rejects bad options with TRACE_INVALID_OPTION before touching the store', async () => {
    const store = await freshStore(root);
    const base = { store, caseSpec: cc.caseSpec, labels: cc.labels };
    for (const bad of [
      { ...base, nodes: [] },
      { ...base, nodes: ['ftp://x'] },
      { ...base, nodes: ['not a url'] },
      { ...base, nodes: [node.url], concurrency: 0 },
      { ...base, nodes: [node.url], rate: -1 },
      { ...base, nodes: [node.url], pageSize: 101 },
      { nodes: [node.url], store },
      { ...base, nodes: [node.url], bogus: 1 },
    ]) {
      const err = await crawl(bad as never).catch((e) => e);
      expect(isTracerError(err, 'TRACE_INVALID_OPTION')).toBe(true);
    }
    expect((await store.stats()).transfers).toBe(0);
    await store.close();
  });
});
