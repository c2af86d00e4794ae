/**
 * Finality and block order in a crawl (src/crawl/finality.ts, DESIGN §5b "Finality"), end to end
 * against the fixture node: a fork removes provisional transfers and the next crawl deletes exactly
 * those, says so, and ends with the store a fresh crawl of the new chain gives; a block that leaves
 * out a final transfer is a lie, never a deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { crawl } from '../../src/crawl/index.js';
import { checkChain } from '../../src/crawl/finality.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { isProvisional } from '../../src/nem/finality.js';
import { fastRetry, freshStore, scenarioCase, storedHashes, tempRoot, type ScenarioCase } from './helpers.js';

const root = tempRoot('tt-finality-');
let tiny: ScenarioCase;

beforeAll(async () => {
  tiny = await scenarioCase('tiny', root.sub('tiny'));
});
afterAll(() => root.remove());

describe('a fork removes provisional transfers', () => {
  let node: FixtureNode;
  afterAll(() => node?.close());

  it('the next crawl deletes exactly what the fork orphaned, reports it, and equals a fresh crawl of the new chain', async () => {
    node = await startFixtureNode({ scenario: tiny.bundle.scenario });
    const tip = tiny.bundle.scenario.tipHeight;
    const store = await freshStore(root);
    const first = await crawl({ nodes: [node.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() });
    const before = await storedHashes(store);
    expect(first.chain.provisional).toBe(before.size); // the whole tiny chain is within 360 blocks of its tip
    expect(first.chain.retracted).toEqual([]);

    // Replace the blocks holding the last stored transfers.
    const heights = [...new Set(tiny.bundle.scenario.txs.filter((t) => before.has(t.hash)).map((t) => t.height))].sort((a, b) => a - b);
    const fork = node.chain.fork(tip - heights.at(-3)! + 1);
    const removed = fork.orphaned.filter((h) => before.has(h));
    expect(removed.length).toBeGreaterThanOrEqual(2);

    const second = await crawl({ nodes: [node.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() });
    expect(second.chain.retracted.map((r) => r.hash).sort()).toEqual([...removed].sort());
    const after = await storedHashes(store);
    for (const h of removed) expect(after.has(h)).toBe(false);
    expect(after.size).toBe(before.size - removed.length);

    const clean = await freshStore(root);
    const fresh = await crawl({ nodes: [node.url], store: clean, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() });
    expect(second.stats.digest).toBe(fresh.stats.digest);
    const third = await crawl({ nodes: [node.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() });
    expect(third.chain.retracted).toEqual([]);
    await store.close();
    await clean.close();
  });
});

describe('checkChain', () => {
  const t = (hash: string, height: number) => ({ hash, height, timeStamp: 100 });

  it('treats a final transfer missing from its block as a lie of the node: nothing is deleted', async () => {
    const store = await freshStore(root);
    const writes: unknown[] = [];
    const deps = {
      store: { writeBatch: (b: unknown) => Promise.resolve(void writes.push(b)) } as never,
      tip: 10_000,
      concurrency: 2,
      fetchBlock: (height: number, check: (b: { height: number; hashes: string[] }) => void) => {
        const block = { height, hashes: [] as string[] };
        check(block);
        return Promise.resolve(block);
      },
    };
    const final = t('a'.repeat(64), 10_000 - 360);
    expect(isProvisional(final.height, deps.tip)).toBe(false);
    const err = await checkChain(deps, [final, { ...final, hash: 'b'.repeat(64) }], { recheck: true, position: true }).catch((e) => e);
    expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
    expect(writes).toEqual([]);
    // a provisional one is retracted instead
    const provisional = t('c'.repeat(64), 10_000 - 359);
    const r = await checkChain(deps, [provisional], { recheck: true, position: false });
    expect(r.retracted).toEqual([{ hash: provisional.hash, height: provisional.height }]);
    expect(writes).toEqual([{ positions: [], deletes: [provisional.hash] }]);
    await store.close();
  });
});
