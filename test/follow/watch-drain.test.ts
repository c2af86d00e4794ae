/**
 * watch.drained against a live fixture node, with the follower's defaults (sleeps and retries sped up only):
 * the drain share is measured against the account's true balance, read from the node when following starts
 * (`/account/get`) and carried forward with the stored transfers — not against a balance rebuilt from the
 * stored transfers, which lacks what happened before the follow window and what no transfer shows (harvest
 * fees) and made a small debit look like "all it held". A node that lies about a balance is caught by the
 * stored history it contradicts: said, and no alarm judged on it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import type { TaintEvent, WatchEntry } from '../../src/events/index.js';
import { ChainBuilder } from '../../src/fixture/builder.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { follow } from '../../src/jobs/follow-job.js';
import { runLiveDemo } from '../../src/jobs/live-demo.js';
import { nemToIso } from '../../src/nem/index.js';
import { openStore } from '../../src/store/index.js';
import { fastRetry, tempRoot } from '../crawl/helpers.js';

const XEM = 1_000_000n;
const T0 = 89_300_000;
const H0 = 1_500_000;
const root = tempRoot('tt-watch-drain-');
afterAll(() => root.remove());

/**
 * A hot wallet holding 1,000,000 XEM from before the scenario (no transfer explains it) that paid 20,000 out,
 * and a harvester whose balance is mostly the fees of the blocks it harvested; following starts after both.
 * Then: the hot wallet sends 5 % (no alarm at 10 %), the harvester 150 of its ~2,200 XEM (no alarm at 50 %),
 * the hot wallet 300,000 more (the drain: 35 % within the hour).
 */
function drainScenario() {
  const b = new ChainBuilder({ name: 'drain', seed: 11, startHeight: H0, startTime: T0 });
  const victim = b.account('victim');
  const thief = b.account('thief');
  const hot = b.account('hot');
  const rich = b.account('rich');
  const users = [0, 1, 2].map((i) => b.account(`user-${i}`));
  const harvester = b.account(`harvester:${H0 % 8}`); // harvests block H0, whose transfer pays a 2,000 XEM fee
  b.opening(victim.address, 10_000n * XEM);
  b.opening(hot.address, 1_000_000n * XEM);
  b.opening(rich.address, 100_000n * XEM);
  b.opening(harvester.address, 200n * XEM);
  const at = (h: number) => T0 + (h - H0) * 60 + 30;
  b.transfer({ from: rich, to: users[0].address, amount: 1n * XEM, fee: 2_000n * XEM, time: at(H0) });
  b.transfer({ from: hot, to: users[0].address, amount: 20_000n * XEM, time: at(H0 + 1) });
  const seed = b.transfer({ from: victim, to: thief.address, amount: 1_000n * XEM, time: at(H0 + 2) });
  const small = b.transfer({ from: hot, to: users[1].address, amount: 50_000n * XEM, time: at(H0 + 10) });
  const fees = b.transfer({ from: harvester, to: users[2].address, amount: 150n * XEM, time: at(H0 + 11) });
  const drain = b.transfer({ from: hot, to: users[2].address, amount: 300_000n * XEM, time: at(H0 + 15) });
  const scenario = b.build();
  const dir = root.sub('case');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'case.json'),
    JSON.stringify({
      id: 'drain',
      title: 'drain alarm test',
      seeds: [{ account: victim.address, from: nemToIso(at(H0 + 2) - 30), to: nemToIso(at(H0 + 2) + 30) }],
      labels: ['labels.yaml'],
    }),
  );
  writeFileSync(
    join(dir, 'labels.yaml'),
    'title: drain test\ncreator: test\ndescription: test\ncurrency: XEM\n' +
      `tags:\n  - { address: ${victim.address}, label: victim, category: victim }\n`,
  );
  const watch = new Map<string, WatchEntry>([
    [hot.address, { address: hot.address, label: 'hot wallet', drainPercent: 10, drainWindow: 3600 }],
    [harvester.address, { address: harvester.address, label: 'harvester', drainPercent: 50, drainWindow: 3600 }],
  ]);
  return { scenario, caseFile: join(dir, 'case.json'), watch, hot: hot.address, harvester: harvester.address, seed, small, fees, drain };
}

const s = drainScenario();

interface FollowRun {
  url?: string;
  watch?: Map<string, WatchEntry>;
  /** Store directory (default: a fresh one). */
  dir?: string;
  /** Stop at this height (default: the scenario's tip). */
  to?: number;
}

/** Follows the live node (from H0 + 2) up to `to`, one block a round; the events and the follower's log lines. */
async function followLive(node: FixtureNode, run: FollowRun = {}): Promise<{ events: TaintEvent[]; log: string[] }> {
  const store = await openStore(run.dir ?? root.sub(`store-${Math.random().toString(36).slice(2)}`));
  const events: TaintEvent[] = [];
  const log: string[] = [];
  const stop = new AbortController();
  const to = run.to ?? s.scenario.tipHeight;
  try {
    await follow({
      nodes: [run.url ?? node.url],
      store,
      caseFile: s.caseFile,
      watch: run.watch ?? s.watch,
      signal: stop.signal,
      crawl: fastRetry(),
      blocks: { baseMs: 1, maxMs: 4 },
      intervalMs: 5,
      onEvents: (e) => events.push(...e),
      log: (line) => log.push(line),
      // the chain moves on one block per round, after the follower caught up (and read its openings)
      until: ({ height }) => height >= to || (node.chain.step(), false),
    });
  } finally {
    stop.abort();
    await store.close();
  }
  return { events, log };
}

const drained = (events: TaintEvent[]) => events.filter((e) => e.type === 'watch.drained').map((e) => [e.account, e.transfer]);

describe('watch.drained while following', () => {
  it('no false alarm for history before the follow window or for harvest fees; the real drain fires at its transfer', async () => {
    const node = await startFixtureNode({ scenario: s.scenario, live: { blockMs: 0, startHeight: H0 + 2 } });
    try {
      const { events, log } = await followLive(node);
      expect(log.filter((l) => l.startsWith('watch:'))).toEqual([]);
      const moved = events.filter((e) => e.type === 'watch.moved').map((e) => e.transfer);
      expect(moved).toEqual(expect.arrayContaining([s.small.hash, s.fees.hash, s.drain.hash]));
      // from stored transfers alone the 50,000 and the 150 each looked like all the account held (100 %)
      expect(drained(events)).toEqual([[s.hot, s.drain.hash]]);
      // sent within the hour: 50,000 + 300,000 XEM and two 0.75 XEM fees
      expect(events.find((e) => e.type === 'watch.drained')).toMatchObject({ amount: '350001.500000', height: H0 + 15 });
    } finally {
      await node.close();
    }
  }, 120_000);

  it('a node that understates a balance is caught by the stored transfer it contradicts: said, never an alarm', async () => {
    const node = await startFixtureNode({ scenario: s.scenario, live: { blockMs: 0, startHeight: H0 + 2 } });
    const liar = await lyingProxy(node.url, s.hot);
    try {
      const { events, log } = await followLive(node, { url: liar.url });
      expect(drained(events)).toEqual([]);
      const said = log.filter((l) => l.includes('[TRACE_MALFORMED_RESPONSE]'));
      expect(said[0]).toMatch(
        new RegExp(
          `^watch: the balance .* gave for ${s.hot} at height \\d+ \\(0\\.000001 XEM\\) contradicts stored transfer ${s.small.hash}`,
        ),
      );
      expect(said.some((l) => l.includes(s.drain.hash))).toBe(true); // read again, lied again, caught again
    } finally {
      await liar.close();
      await node.close();
    }
  }, 120_000);
});

describe('openings across restarts', () => {
  it('are kept in the store; an account the watch list gains is read when following resumes', async () => {
    const node = await startFixtureNode({ scenario: s.scenario, live: { blockMs: 0, startHeight: H0 + 2 } });
    const dir = root.sub('restarted');
    try {
      const first = await followLive(node, { dir, watch: new Map([[s.hot, s.watch.get(s.hot)!]]), to: H0 + 12 });
      const openings = async () => {
        const store = await openStore(dir);
        try {
          return await store.getMeta<Record<string, { height: number; balance: string }>>('watch.openings');
        } finally {
          await store.close();
        }
      };
      const before = await openings();
      // 1,000,000 − 20,000 − a 0.1 fee, read at the height following started from
      expect(before).toEqual({ [s.hot]: { height: H0 + 2, balance: String(980_000n * XEM - 100_000n), node: node.url } });
      const second = await followLive(node, { dir });
      const after = (await openings())!;
      expect(after[s.hot]).toEqual(before![s.hot]);
      expect(after[s.harvester].height).toBeGreaterThanOrEqual(H0 + 12);
      // the harvester's 150 XEM left before it was watched; the hot wallet's drain fires once, after the restart
      expect(drained([...first.events, ...second.events])).toEqual([[s.hot, s.drain.hash]]);
    } finally {
      await node.close();
    }
  }, 120_000);
});

describe('the live demo (Coincheck)', () => {
  it("the hot wallet's drain alarm fires at the first theft transfer (its true balance read when following started)", async () => {
    const run = await runLiveDemo({ dir: root.sub('live-demo'), blocks: 6, blockMs: 5 });
    const events = run.events.map((e) => e.event);
    const theft = events.find((e) => e.type === 'account.tainted')!; // the first theft transfer's recipient
    const alarm = events.find((e) => e.type === 'watch.drained')!;
    expect(alarm).toMatchObject({ watch: { label: expect.stringMatching(/hot wallet/) } });
    expect(Date.parse(alarm.at) - Date.parse(theft.at)).toBeLessThanOrEqual(5 * 60_000);
    expect(Date.parse(alarm.at)).toBeGreaterThanOrEqual(Date.parse(theft.at));
  }, 120_000);
});

/** A proxy to `upstream` that answers every `/account/get` of `address` with a balance of 1 µXEM. */
async function lyingProxy(upstream: string, address: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = chunks.length ? Buffer.concat(chunks).toString() : undefined;
        const r = await request(upstream + req.url, {
          method: req.method as 'GET' | 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        let text = await r.body.text();
        if (req.url?.startsWith(`/account/get?address=${address}`))
          text = text.replace(/("account":\{[^}]*"balance":)\d+/, (_all, head: string) => `${head}1`);
        res.writeHead(r.statusCode, { 'content-type': 'application/json' });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
