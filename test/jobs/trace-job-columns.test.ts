/**
 * The trace job on the store's columns (issue 10) gives what the object path gave, byte for byte: every report
 * file and the taint index of `traceJob` (columns and a store-backed transfer list: store.loadTransferTable →
 * runTraceColumns) equal those of `store.loadTransfers` → runTrace on the same store — on the Coincheck scenario
 * crawled from the fixture node (block positions recorded, taint mosaics sent: the block order and the mosaic
 * labels are exercised), with the dark-web site followed, with a window cut mid-chain, and on a synthetic chain
 * written by writeBatch (no positions). Every row's fields read without an object (messageAt(k), …) equal the
 * object path's transfer's.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { POLICIES } from '../../src/domain.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { syntheticChain, syntheticLabels, syntheticTransfer } from '../../src/fixture/synthetic.js';
import { traceJob } from '../../src/jobs/trace-job.js';
import { addMosaicLabels, loadCase } from '../../src/labels/index.js';
import { REPORT_FORMATS, writeReports } from '../../src/report/index.js';
import { buildTaintIndex } from '../../src/screen/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { runTrace, type TraceResult } from '../../src/taint/index.js';
import { ENGINE_VERSION } from '../../src/version.js';
import { fastRetry, freshStore, scenarioCase, tempRoot } from '../crawl/helpers.js';
import { expectRowFields } from '../nem/row-fields.js';
import { indexDigest } from '../screen/index-digest.js';

const root = tempRoot('tt-job-columns-');
afterAll(() => root.remove());

/** The trace job as it was before the columns: every stored transfer as an object, then runTrace. */
async function objectPathJob(store: Store, caseFile: string, outDir: string): Promise<{ result: TraceResult; digest: string }> {
  const { caseSpec, labels } = await loadCase(caseFile);
  const stats = await store.stats();
  const transfers = await store.loadTransfers({ windowTo: caseSpec.windowTo ?? undefined });
  const result = runTrace({
    transfers,
    caseSpec,
    labels,
    policies: POLICIES,
    storeDigest: stats.digest,
    tipHeight: stats.tipHeight,
    engineVersion: ENGINE_VERSION,
  });
  addMosaicLabels(result);
  await writeReports(result, { outDir, formats: REPORT_FORMATS });
  return { result, digest: indexDigest(buildTaintIndex(result)) };
}

/** Both paths on one store and case: the same files, byte for byte, and the same index. */
async function expectSameOutputs(store: Store, caseFile: string, name: string): Promise<TraceResult> {
  const outNew = root.sub(`${name}-columns`);
  const outOld = root.sub(`${name}-objects`);
  const job = await traceJob({ store, caseFile, outDir: outNew, saveIndex: false });
  const old = await objectPathJob(store, caseFile, outOld);
  const files = readdirSync(outOld).sort();
  expect(readdirSync(outNew).sort()).toEqual(files);
  expect(files.length).toBeGreaterThanOrEqual(7);
  for (const f of files) {
    const [a, b] = [readFileSync(join(outNew, f)), readFileSync(join(outOld, f))];
    expect(a.equals(b), `${name}: ${f} differs (${a.length} vs ${b.length} bytes)`).toBe(true);
  }
  expect(indexDigest(job.index)).toBe(old.digest);
  expect(job.result.transfers.length).toBe(old.result.transfers.length);
  expect([...job.result.transfers]).toEqual([...old.result.transfers]);
  expect(job.result.transfers.messageAt).toBeTypeOf('function'); // the store's list reads the fields from its segments
  expectRowFields(job.result.transfers, [...old.result.transfers]);
  return job.result;
}

describe('the trace job on the store columns equals the object path', () => {
  let node: FixtureNode;
  let store: Store;
  let caseDir: string;
  let caseJson: Record<string, unknown>;

  beforeAll(async () => {
    const cc = await scenarioCase('coincheck', root.sub('case'));
    caseDir = root.sub('case');
    caseJson = cc.bundle.caseJson;
    node = await startFixtureNode({ scenario: cc.bundle.scenario });
    store = await freshStore(root);
    await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() });
  }, 300_000);
  afterAll(async () => {
    await store.close();
    await node.close();
  });

  const variant = (name: string, patch: Record<string, unknown>): string => {
    const file = join(caseDir, `case-${name}.json`);
    writeFileSync(file, JSON.stringify({ ...caseJson, ...patch }));
    return file;
  };

  it('Coincheck: the case as written (positions recorded; taint mosaics label their recipients)', async () => {
    const result = await expectSameOutputs(store, variant('as-written', {}), 'coincheck');
    expect([...result.transfers].some((t) => t.position !== undefined)).toBe(true);
    expect([...result.labels.values()].some((l) => l.source?.startsWith('taint mosaic transfer'))).toBe(true);
  }, 300_000);

  it('Coincheck with the dark-web site followed (a payment funded earlier in its own block)', async () => {
    await expectSameOutputs(store, variant('followed', { exitCategories: ['exchange'] }), 'followed');
  }, 300_000);

  it('Coincheck with a window cut mid-chain', async () => {
    const all = await store.loadTransfers();
    const seedTimes = all.filter((t) => (caseJson.seeds as { hash?: string }[]).some((s) => s.hash === t.hash)).map((t) => t.timeStamp);
    const times = all.map((t) => t.timeStamp).sort((a, b) => a - b);
    const to = Math.max(times[Math.floor(times.length / 2)], Math.max(...seedTimes) + 1);
    const result = await expectSameOutputs(store, variant('window', { window: { to } }), 'window');
    expect(result.transfers.length).toBeLessThan(all.length);
    expect(result.transfers.length).toBeGreaterThan(0);
  }, 300_000);
});

describe('the trace job on the store columns equals the object path: a synthetic chain', () => {
  it('10,000 transfers written by writeBatch (no positions), every format', async () => {
    const dir = root.sub('synthetic');
    const chain = syntheticChain({ transfers: 10_000, seed: 11 });
    const tags = [...syntheticLabels(chain).values()].map((l) => ({ address: l.address, label: l.label, category: l.category }));
    writeFileSync(root.sub('synthetic-labels.json'), JSON.stringify({ title: 'synthetic roles', creator: 'test', tags }));
    const seeds: { hash: string }[] = [];
    for (let k = 0; k < chain.n; k++) if (chain.seed[k] === 1) seeds.push({ hash: syntheticTransfer(chain, k).hash });
    const caseFile = root.sub('synthetic-case.json');
    writeFileSync(
      caseFile,
      JSON.stringify({ id: 'synthetic', title: 'Synthetic', seeds, labels: ['synthetic-labels.json'], dust: '1.000000', maxHops: 1000 }),
    );
    const store = await openStore(dir);
    try {
      for (let lo = 0; lo < chain.n; lo += 4096) {
        const part = [];
        for (let k = lo; k < Math.min(chain.n, lo + 4096); k++) part.push(syntheticTransfer(chain, k));
        await store.writeBatch({ transfers: part });
      }
      const result = await expectSameOutputs(store, caseFile, 'synthetic');
      expect(result.transfers.length).toBe(10_000);
    } finally {
      await store.close();
    }
  }, 300_000);
});
