/**
 * follow() against the live fixture node (tiny scenario, stepped block by block): following to the tip
 * ends with the same stored transfers, report and index as a batch crawl + trace of the final chain,
 * raises every expected exit.reached exactly once, survives a restart, and a fork retracts what it removed.
 * Defaults everywhere except sleeps (interval, retry) and rate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { EventLog, EVENTS_SUBLEVEL, type TaintEvent } from '../../src/events/index.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { follow } from '../../src/jobs/follow-job.js';
import { traceJob } from '../../src/jobs/trace-job.js';
import type { TraceUpdateStats } from '../../src/taint/index.js';
import type { TaintIndex } from '../../src/screen/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { fastRetry, freshStore, scenarioCase, tempRoot, type ScenarioCase } from '../crawl/helpers.js';

const root = tempRoot('tt-follow-');
let tiny: ScenarioCase;
afterAll(() => root.remove());
beforeAll(async () => {
  tiny = await scenarioCase('tiny', root.sub('tiny'));
});

const fast = () => ({ crawl: fastRetry(), blocks: { baseMs: 1, maxMs: 4 }, intervalMs: 5 });

/** Follow until the follower has read the node's final tip; step the node meanwhile. */
async function followToTip(node: FixtureNode, store: Store, events: TaintEvent[], stepEvery = true): Promise<void> {
  const final = tiny.bundle.scenario.tipHeight;
  const stop = new AbortController();
  const stepping = (async () => {
    while (stepEvery && !stop.signal.aborted && node.chain.step()) await new Promise((r) => setTimeout(r, 15));
  })();
  await follow({
    nodes: [node.url],
    store,
    caseFile: tiny.caseFile,
    signal: stop.signal,
    ...fast(),
    onEvents: (e) => events.push(...e),
    until: ({ height }) => height >= final,
  });
  stop.abort();
  await stepping;
}

async function batch(node: FixtureNode) {
  const store = await freshStore(root);
  await crawl({ nodes: [node.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() });
  const out = join(root.dir, `batch-${Date.now()}`);
  const job = await traceJob({ store, caseFile: tiny.caseFile, outDir: out, formats: ['json'] });
  const stats = await store.stats();
  await store.close();
  return { job, stats, report: JSON.parse(readFileSync(job.files['report.json'], 'utf8')) };
}

const exitKeys = (events: TaintEvent[]) =>
  events
    .filter((e) => e.type === 'exit.reached')
    .map((e) => e.transfer!)
    .sort();

describe('follow (live tiny scenario)', () => {
  it('ends with what a batch crawl + trace of the final chain gives; each exit.reached once', async () => {
    const scenario = tiny.bundle.scenario;
    const node = await startFixtureNode({ scenario, live: { blockMs: 0 } });
    const dir = root.sub('live');
    let store = await openStore(dir);
    const events: TaintEvent[] = [];
    // Start, follow part of the way, stop (a kill at a round boundary), restart and follow to the tip.
    const stop = new AbortController();
    for (let i = 0; i < 6; i++) node.chain.step();
    await follow({
      nodes: [node.url],
      store,
      caseFile: tiny.caseFile,
      signal: stop.signal,
      ...fast(),
      onEvents: (e) => events.push(...e),
      until: ({ round }) => round >= 2,
    });
    await store.close();
    store = await openStore(dir);
    await followToTip(node, store, events);
    const live = {
      stats: await store.stats(),
      job: await traceJob({ store, caseFile: tiny.caseFile, outDir: join(root.dir, 'live-report'), formats: ['json'], saveIndex: false }),
    };
    const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), null);
    const stored = await log.read(0);
    await store.close();

    const b = await batch(node);
    expect(live.stats.digest).toBe(b.stats.digest);
    expect(live.stats.transfers).toBe(tiny.expected.hashes.size);
    const report = JSON.parse(readFileSync(live.job.files['report.json'], 'utf8'));
    expect(report.policies).toEqual(b.report.policies);
    expect(report.seed).toEqual(b.report.seed);
    expect([...live.job.index.accounts.keys()].sort()).toEqual([...b.job.index.accounts.keys()].sort());

    // Every tainted transfer into an exit raised exit.reached exactly once; every tainted account once.
    const wantExits = [...b.job.index.transfers.values()]
      .filter((t) => b.job.index.accounts.get(t.to)?.policies.poison?.isExit)
      .map((t) => t.hash)
      .sort();
    expect(wantExits.length).toBeGreaterThan(0);
    expect(exitKeys(stored)).toEqual(wantExits);
    expect(exitKeys(events)).toEqual(wantExits);
    const tainted = stored.filter((e) => e.type === 'account.tainted').map((e) => e.account!);
    expect(new Set(tainted).size).toBe(tainted.length);
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    await node.close();
  }, 120_000);

  it('a fork retracts the stored transfers it orphaned; the store ends as a batch crawl of the new chain', async () => {
    const scenario = tiny.bundle.scenario;
    const node = await startFixtureNode({ scenario, live: { blockMs: 0 } });
    const store = await openStore(root.sub('fork'));
    const events: TaintEvent[] = [];
    while (node.chain.step());
    // Follow to the tip, then fork the last blocks: what they held is orphaned (never confirms again).
    await followToTip(node, store, events, false);
    const report = node.chain.fork(40);
    expect(report.orphaned.length).toBeGreaterThan(0);
    const stop = new AbortController();
    await follow({
      nodes: [node.url],
      store,
      caseFile: tiny.caseFile,
      signal: stop.signal,
      ...fast(),
      onEvents: (e) => events.push(...e),
      until: () => true,
    });
    const stats = await store.stats();
    await store.close();
    const retracted = events
      .filter((e) => e.type === 'transfer.retracted')
      .map((e) => e.transfer!)
      .sort();
    const storedOrphans = report.orphaned.filter((h) => tiny.expected.hashes.has(h)).sort();
    expect(storedOrphans.length).toBeGreaterThan(0);
    expect(retracted).toEqual(storedOrphans);
    const b = await batch(node);
    expect(stats.digest).toBe(b.stats.digest);
    await node.close();
  }, 120_000);
  it('re-traces incrementally: a round that read one new block sweeps only its transfers; the index equals a batch trace', async () => {
    const scenario = tiny.bundle.scenario;
    const final = scenario.tipHeight;
    const node = await startFixtureNode({ scenario, live: { blockMs: 0 } });
    const store = await openStore(root.sub('incremental'));
    for (let i = 0; i < 3; i++) node.chain.step();
    const traces: TraceUpdateStats[] = [];
    const served: { index: TaintIndex | null } = { index: null };
    await follow({
      nodes: [node.url],
      store,
      caseFile: tiny.caseFile,
      signal: new AbortController().signal,
      ...fast(),
      onTrace: (t) => traces.push(t),
      onIndex: (index) => (served.index = index),
      // one more block of the chain each round
      until: ({ height }) => height >= final || (node.chain.step(), false),
    });
    const resumed = traces.filter((t) => t.resumedAt > 0 && t.swept > 0);
    expect(traces[0].resumedAt).toBe(0);
    expect(resumed.length).toBeGreaterThan(2);
    for (const t of resumed) expect(t.swept).toBeLessThan(t.transfers);
    const batch = await traceJob({ store, caseFile: tiny.caseFile, saveIndex: false });
    await store.close();
    await node.close();
    const index = served.index!;
    expect(index.manifest).toEqual(batch.index.manifest);
    expect([...index.accounts.keys()].sort()).toEqual([...batch.index.accounts.keys()].sort());
    for (const [address, a] of batch.index.accounts) expect(index.accounts.get(address), address).toEqual(a);
    expect(new Map([...index.transfers].sort())).toEqual(new Map([...batch.index.transfers].sort()));
  }, 120_000);
});
