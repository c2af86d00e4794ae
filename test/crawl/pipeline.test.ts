/**
 * The write pipeline of the crawler: fetching never waits for a synced write (up to the queue's
 * bound), pages queued while a batch is on disk go into the next batch together, every transfer is
 * written once however many lists carry it, and the first failed batch stops the writer — nothing
 * queued after it lands — and fails the crawl with that error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, WRITE_QUEUE_PAGES, type CrawlTimings } from '../../src/crawl/index.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import type { StoreBatch } from '../../src/store/index.js';
import { fastRetry, freshStore, scenarioCase, storedHashes, tempRoot, type ScenarioCase } from './helpers.js';

const root = tempRoot('tt-pipe-');
let cc: ScenarioCase;
let node: FixtureNode;

beforeAll(async () => {
  cc = await scenarioCase('coincheck', root.sub('case'));
  node = await startFixtureNode({ scenario: cc.bundle.scenario, port: 0 });
});
afterAll(async () => {
  await node?.close();
  root.remove();
});

describe('crawl write pipeline', () => {
  it(
    "keeps fetching while the first page's write is held, then commits the queued pages in few batches, each transfer once",
    { timeout: 60_000 },
    async () => {
      const store = await freshStore(root);
      const write = store.writeBatch.bind(store);
      const batches: StoreBatch[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let held = false;
      let requestsWhileHeld = 0;
      store.writeBatch = async (b: StoreBatch) => {
        if (!held && (b.cursors?.length ?? 0) > 0) {
          held = true;
          await gate;
        }
        batches.push(b);
        return write(b);
      };
      const target = 4 * 4 + 8; // well past what `concurrency` passes could fetch if each waited for its write
      let timings: CrawlTimings | undefined;
      await crawl({
        nodes: [node.url],
        store,
        caseSpec: cc.caseSpec,
        labels: cc.labels,
        concurrency: 4,
        ...fastRetry(),
        onTimings: (t) => {
          timings = t;
        },
        onProgress: (p) => {
          if (held && requestsWhileHeld === 0 && p.requests >= target) {
            requestsWhileHeld = p.requests;
            release();
          }
        },
      });
      expect(requestsWhileHeld).toBeGreaterThanOrEqual(target);
      expect(target).toBeLessThan(WRITE_QUEUE_PAGES);
      expect(await storedHashes(store)).toEqual(cc.expected.hashes);
      expect(timings!.batches).toBeLessThan(timings!.pages); // group commit
      const written = batches.flatMap((b) => (b.transfers ?? []).map((t) => t.hash));
      expect(written.length).toBe(new Set(written).size); // no transfer written twice
      expect(written.length).toBe(cc.expected.hashes.size);
      await store.close();
    },
  );

  it(
    'a failed batch stops the writer: nothing queued after it is written, and the crawl fails with its error',
    { timeout: 60_000 },
    async () => {
      const store = await freshStore(root);
      const write = store.writeBatch.bind(store);
      const failure = new Error('disk full (injected)');
      let calls = 0;
      const after: number[] = [];
      store.writeBatch = async (b: StoreBatch) => {
        calls++;
        if (calls === 6) throw failure;
        if (calls > 6) after.push(calls);
        return write(b);
      };
      const err = await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, concurrency: 4, ...fastRetry() }).catch(
        (e) => e,
      );
      expect(err).toBe(failure);
      expect(after).toEqual([]);
      const stored = (await store.stats()).transfers;
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(cc.expected.hashes.size);
      // Run again on the same store: it completes to the same set as an uninterrupted crawl.
      store.writeBatch = write;
      await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() });
      expect(await storedHashes(store)).toEqual(cc.expected.hashes);
      await store.close();
    },
  );
});
