/**
 * Acceptance (issue 9 item 4, docs/contracts.md §6): one node answering with the fault loads the issue names,
 * 20 seeded crawls each, every one ending with the digest of a clean crawl — with the retry options
 * a user gets by default. Only the sleep is sped up (the retry budget still counts the time asked
 * for) and the request rate cap lifted; the fixture node serves the Coincheck scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';
import { freshStore, scenarioCase, tempRoot, type ScenarioCase } from './helpers.js';

const CRAWLS = 20;
const root = tempRoot('tt-faults-');
let cc: ScenarioCase;
let clean: FixtureNode;
let cleanDigest: string;
const fast = { sleep: () => new Promise<void>((r) => setImmediate(r)), rate: 1e6 };

beforeAll(async () => {
  cc = await scenarioCase('coincheck', root.sub('coincheck'));
  clean = await startFixtureNode({ scenario: cc.bundle.scenario, port: 0 });
  const store = await freshStore(root);
  cleanDigest = (await crawl({ nodes: [clean.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fast })).stats.digest;
  await store.close();
});
afterAll(async () => {
  await clean?.close();
  root.remove();
});

describe.each([['5xx=0.2,429=0.1,reset=0.05'], ['truncate=0.02,inconsistent=0.01,5xx=0.1']])('a single node at --faults "%s"', (faults) => {
  it(`${CRAWLS} seeded crawls with the default retry options each end with the clean digest`, { timeout: 1_800_000 }, async () => {
    const node = await startFixtureNode({ scenario: cc.bundle.scenario, port: 0, faults: `${faults},seed=1` });
    try {
      let retries = 0;
      for (let seed = 1; seed <= CRAWLS; seed++) {
        node.setFaults(`${faults},seed=${seed}`);
        const store = await freshStore(root);
        const s = await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, rng: mulberry32(seed), ...fast });
        expect(s.stats.digest, `seed ${seed}`).toBe(cleanDigest);
        expect(s.quarantined, `seed ${seed}`).toEqual([]);
        retries += s.retries;
        await store.close();
      }
      expect(retries).toBeGreaterThan(CRAWLS * 10);
    } finally {
      await node.close();
    }
  });
});
