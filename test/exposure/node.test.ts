/**
 * `tainttrace exposure --node URL`: an empty store, the Coincheck scenario's fixture node, the
 * default options (only the politeness rate raised, a sleep): the command crawls the buyer's upstream
 * cone through the crawler (verified pages, complete histories to the hop limit) and answers exactly
 * what the whole chain answers, with every cone account complete. A second run fetches nothing new;
 * bad input is one line and creates no store.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { exposure, exposureView, type ExposureView } from '../../src/exposure/index.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { loadLabelFiles } from '../../src/labels/index.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../cli/helpers.js';
import { tempRoot } from '../crawl/helpers.js';
import { bundle, byLabel, firstTransfer, roles, scenarioStore } from './fixture.js';

const root = tempRoot('tt-exposure-node-');
const labelsFile = 'fixtures/coincheck/labels.yaml';
const site = byLabel('Dark-web XEM exchange');
const buyer = firstTransfer((t) => t.sender === site && roles.get(t.recipient) === 'buyer').recipient;
let node: FixtureNode;
let whole: ExposureView;

beforeAll(async () => {
  node = await startFixtureNode({ scenario: bundle.scenario });
  const store = await scenarioStore(root.sub('whole'));
  whole = JSON.parse(JSON.stringify(exposureView(await exposure(store, buyer, { labels: await loadLabelFiles([labelsFile]) }))));
  await store.close();
});
afterAll(async () => {
  await node.close();
  root.remove();
});

describe('tainttrace exposure --node', () => {
  const db = root.sub('crawled');
  const run = (...extra: string[]) =>
    runCli('exposure', '--db', db, '--node', node.url, '--rate', '1000', '--labels', labelsFile, buyer, ...extra);

  it('crawls the upstream cone into an empty store, then answers as the whole chain does, every cone account complete', async () => {
    const r = await run('--json');
    expect(r.code, r.err).toBe(0);
    const v = JSON.parse(r.out) as ExposureView;
    const { coverage, ...answer } = v;
    const { coverage: _c, ...expected } = whole;
    expect(answer).toEqual(expected);
    expect(v.policies.haircut!.byCategory.darkweb.hops).toBe(1);
    expect(coverage).toMatchObject({ complete: v.cone.accounts, incomplete: 0 });
  });

  it('fetches nothing new the second time, and says what it crawled', async () => {
    const r = await run();
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/crawled the upstream cone within 4 hops: \d+ accounts, 0 new transfers, \d+ requests/);
    expect(r.out).toMatch(/coverage: (\d+) of \1 cone accounts complete/);
  });

  it('records the cone’s accounts only, each within the hop limit and complete', async () => {
    const store = await openStore(db, { readOnly: true });
    const accounts = await store.loadAccounts();
    await store.close();
    expect([...accounts.values()].every((a) => a.hop <= 4 && a.expanded)).toBe(true);
    expect(accounts.get(buyer)).toMatchObject({ hop: 0, expanded: true });
  });

  it.each([
    [['--rate', '5'], /--concurrency and --rate go with --node/],
    [['--node', 'ftp://x'], /--node must be http\(s\) URLs/],
    [['--node', 'http://127.0.0.1:1', 'NOTANADDRESS'], /./],
  ])('refuses %j with one line and no store', async (extra, message) => {
    const dir = root.sub(`bad-${Math.random().toString(36).slice(2)}`);
    const r = await runCli('exposure', '--db', dir, ...(extra.includes('NOTANADDRESS') ? extra : [...extra, buyer]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tainttrace exposure: .*\[TRACE_INVALID_(OPTION|ADDRESS)\]\n$/);
    expect(r.err).toMatch(message);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses an upstream crawl with seeds, or without hops', async () => {
    const store = await openStore(root.sub('opts'));
    const base = { nodes: [node.url], store };
    await expect(crawl({ ...base, upstream: { address: buyer, hops: 2 }, seedAccounts: [buyer] })).rejects.toMatchObject({
      code: 'TRACE_INVALID_OPTION',
    });
    await expect(crawl({ ...base, upstream: { address: buyer } as never })).rejects.toMatchObject({ code: 'TRACE_INVALID_OPTION' });
    await store.close();
  });
});
