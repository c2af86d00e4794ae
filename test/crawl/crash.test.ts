/**
 * Crash safety, end to end: the crawl CLI runs as a child process against a fixture node in this
 * process and is killed with SIGKILL at seeded random moments — a random number of node requests
 * into the run plus a random few milliseconds — again and again, restarting each time; a final
 * uninterrupted run must leave the store identical (same digest, same accounts) to an
 * uninterrupted crawl. The same procedure run on a deliberately broken crawler (test/crawl/crash-child.ts:
 * the test injects a store that writes the cursor in its own batch before the page data; nothing of
 * it is in the library) must be caught: in at least one of a few seeded runs the final store differs.
 * bench/crash-soak.ts runs the same loop for hundreds of kills.
 *
 * Reproduce one run: the seed is in the test name; the child command is printed on failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { fastRetry, freshStore, scenarioCase, tempRoot, type ScenarioCase } from './helpers.js';
import { brokenCrawl, cliCrawl, killLoop } from './kill-loop.js';

const KILLS = 24;
const root = tempRoot('tt-crash-');
let cc: ScenarioCase;
let node: FixtureNode;
let clean: { digest: string; accounts: string[] };

beforeAll(async () => {
  cc = await scenarioCase('coincheck', root.sub('case'));
  node = await startFixtureNode({ scenario: cc.bundle.scenario, port: 0 });
  const store = await freshStore(root);
  const s = await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() });
  clean = { digest: s.stats.digest, accounts: [...(await store.loadAccounts()).keys()].sort() };
  await store.close();
});
afterAll(async () => {
  await node?.close();
  root.remove();
});

describe('crawl CLI under SIGKILL', () => {
  it(
    `killed ${KILLS} times in a row at seeded random moments (seed 11), it ends identical to an uninterrupted crawl`,
    { timeout: 900_000 },
    async () => {
      const { kills, beforeFinal, final } = await killLoop(node, cliCrawl(node, cc.caseFile), root.sub('db-11'), 11, KILLS);
      expect(kills).toBeGreaterThanOrEqual(20);
      expect(beforeFinal).toBeLessThan(cc.expected.hashes.size); // the kills all fell inside the crawl
      expect(final.digest).toBe(clean.digest);
      expect(final.accounts).toEqual(clean.accounts);
      expect(final.transfers).toBe(cc.expected.hashes.size);
    },
  );

  it(
    'the deliberately broken variant (cursor written before the page data) is caught by the same check',
    { timeout: 1_800_000 },
    async () => {
      const outcomes: Array<{ seed: number; kills: number; same: boolean }> = [];
      for (const seed of [21, 22, 23, 24]) {
        const { kills, final } = await killLoop(node, brokenCrawl(node, cc.caseFile), root.sub(`db-${seed}-broken`), seed, KILLS);
        outcomes.push({ seed, kills, same: final.digest === clean.digest && final.transfers === cc.expected.hashes.size });
        if (!outcomes[outcomes.length - 1].same) break;
      }
      expect(outcomes.some((o) => !o.same)).toBe(true);
    },
  );
});
