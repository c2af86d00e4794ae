/**
 * `tainttrace follow` end to end on its defaults (only --interval and --rate set): catches up on the
 * live tiny scenario, prints alerts, serves the current index and /v1/events, delivers a signed webhook;
 * bad input is one line, exit 2, no store created.
 */
import { createServer } from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { scenarioCase, tempRoot, type ScenarioCase } from '../crawl/helpers.js';
import { captureIo, runCli } from './helpers.js';

const root = tempRoot('tt-cli-follow-');
let tiny: ScenarioCase;
let node: FixtureNode;
beforeAll(async () => {
  tiny = await scenarioCase('tiny', root.sub('tiny'));
  node = await startFixtureNode({ scenario: tiny.bundle.scenario, live: { blockMs: 0 } });
  while (node.chain.step());
});
afterAll(async () => {
  await node.close();
  root.remove();
});

describe('tainttrace follow', () => {
  it('raises alerts, serves the index and events, and posts them to a webhook', async () => {
    const hooks: { seq: string; sig: string }[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hooks.push({ seq: String(req.headers['x-tainttrace-event']), sig: String(req.headers['x-tainttrace-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const secret = join(root.dir, 'secret');
    writeFileSync(secret, 'a-secret-of-more-than-16-bytes\n');
    const c = captureIo();
    const { stop, out: out0, err: err0 } = c;
    const db = root.sub('store');
    const running = main(
      [
        'follow',
        '--node',
        node.url,
        '--db',
        db,
        '--case',
        tiny.caseFile,
        '--interval',
        '1',
        '--rate',
        '10000',
        '--serve',
        '--port',
        '0',
        '--webhook',
        `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        '--webhook-secret-file',
        secret,
      ],
      c.io,
    );
    while (!out0().includes('index.updated')) await new Promise((r) => setTimeout(r, 20));
    expect(out0()).toMatch(/exit\.reached .* \[exchange\]/);
    const url = /serving at (\S+)/.exec(err0())![1];
    const events = (await (await request(`${url}/v1/events`)).body.json()) as { events: { seq: number; type: string }[]; head: number };
    expect(events.head).toBeGreaterThan(0);
    expect(events.events.map((e) => e.seq)).toEqual(events.events.map((_, i) => i + 1));
    const thief = tiny.bundle.truth.theftHashes.length > 0 ? [...tiny.labels.values()].find((l) => l.category === 'thief')!.address : '';
    const screen = (await (
      await request(`${url}/v1/screen`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deposits: [{ from: thief, amount: '1' }] }),
      })
    ).body.json()) as { results: { risk: string }[] };
    expect(screen.results[0].risk).toBe('severe');
    while (hooks.length < events.head) await new Promise((r) => setTimeout(r, 20));
    expect(hooks.map((h) => Number(h.seq))).toEqual(events.events.map((e) => e.seq));
    expect(hooks.every((h) => /^sha256=[0-9a-f]{64}$/.test(h.sig))).toBe(true);
    stop.abort();
    expect(await running, err0()).toBe(0);
    expect(err0()).toMatch(/stopped at height \d+/);
    // Another process reads the events from the store once the follower is gone.
    const printed = (await runCli('events', '--db', db)).out.trim().split('\n');
    expect(printed.length).toBe(events.head);
    receiver.close();
  }, 120_000);

  it('rejects bad input in one line, exit 2, without creating the store', async () => {
    const db = root.sub('never');
    const a = await runCli('follow', '--node', node.url, '--db', db);
    expect([a.code, a.err]).toEqual([2, expect.stringMatching(/^tainttrace follow: --case is required .*\[TRACE_INVALID_OPTION\]\n$/)]);
    const bad = join(root.dir, 'bad-watch.yaml');
    writeFileSync(bad, 'watch:\n  - { address: NOPE }\n');
    const b = await runCli('follow', '--node', node.url, '--db', db, '--case', tiny.caseFile, '--watch', bad);
    expect(b.err).toMatch(/watch\[0\]\.address.*\[TRACE_INVALID_WATCHLIST\]/);
    const c = await runCli('follow', '--node', node.url, '--db', db, '--case', tiny.caseFile, '--webhook', 'http://127.0.0.1:1/x');
    expect(c.err).toMatch(/--webhook and --webhook-secret-file go together/);
    expect(existsSync(db)).toBe(false);
  });
});
