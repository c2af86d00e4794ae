/**
 * `tainttrace exposure`: the answer as text and JSON from a store, and bad input as one line,
 * exit 2, the store untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../cli/helpers.js';
import { tempRoot } from '../crawl/helpers.js';
import { bundle, byLabel, firstTransfer, roles, scenarioStore } from './fixture.js';

const run = runCli;

const root = tempRoot('tt-exposure-cli-');
const db = root.sub('store');
let digest = '';
beforeAll(async () => {
  const store = await scenarioStore(db);
  digest = (await store.stats()).digest;
  await store.close();
});
afterAll(() => root.remove());

const site = byLabel('Dark-web XEM exchange');
const buyer = firstTransfer((t) => t.sender === site && roles.get(t.recipient) === 'buyer').recipient;

describe('tainttrace exposure', () => {
  it('prints the per-policy exposure, the top sources and the evidence', async () => {
    const r = await run('exposure', '--db', db, buyer);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/upstream cone: \d+ accounts within 4 hops/);
    expect(r.out).toMatch(/^ {2}haircut .*darkweb [\d.]+ % \(hop 1\)/m);
    expect(r.out).toMatch(/top sources \(haircut\)\n +1\. /);
    expect(r.out).toMatch(/evidence \(poison, source first\):\n .*→ /);
  });

  it('prints JSON with --json, honouring --hops, --policy and --categories', async () => {
    const r = await run('exposure', '--db', db, buyer, '--json', '--hops', '1', '--policy', 'haircut,fifo', '--categories', 'darkweb');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v).toMatchObject({ address: buyer, hops: 1, categories: ['darkweb'] });
    expect(Object.keys(v.policies)).toEqual(['haircut', 'fifo']);
    expect(Object.keys(v.policies.haircut.byCategory)).toEqual(['darkweb']);
    expect(v.policies.haircut.exposed).toMatch(/^\d+\.\d{6}$/);
    expect(v.coverage.complete + v.coverage.incomplete).toBe(v.cone.accounts);
  });

  it.each([
    [['exposure', '--db', db], /expected exactly one ADDRESS/, 'TRACE_INVALID_OPTION'],
    [['exposure', buyer], /--db is required/, 'TRACE_INVALID_OPTION'],
    [['exposure', '--db', db, 'NOTANADDRESS'], /./, 'TRACE_INVALID_ADDRESS'],
    [['exposure', '--db', db, buyer, '--hops', '0'], /--hops must be a whole number from 1 to 12/, 'TRACE_INVALID_OPTION'],
    [['exposure', '--db', db, buyer, '--as-of', 'soon'], /./, 'TRACE_INVALID_TIME'],
    [['exposure', '--db', db, buyer, '--policy', 'haircut,fifi'], /unknown policy "fifi"/, 'TRACE_INVALID_OPTION'],
    [['exposure', '--db', db, buyer, '--labels', root.sub('none.yaml')], /cannot read/, 'TRACE_INVALID_LABELS'],
    [['exposure', '--db', root.sub('missing'), buyer], /no store/, 'TRACE_STORE_EMPTY'],
    [['exposure', '--db', db, bundle.truth.hotWallet.replace(/.$/, 'A'), '--json'], /./, 'TRACE_INVALID_ADDRESS'],
  ])('refuses %j with one line', async (argv, message, code) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^tainttrace exposure: .*\\[${code}\\]\\n$`));
    expect(r.err).toMatch(message);
  });

  it('leaves the store as it was', async () => {
    const store = await openStore(db, { readOnly: true });
    expect((await store.stats()).digest).toBe(digest);
    await store.close();
  });
});
