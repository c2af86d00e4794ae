/**
 * Exposure on the Coincheck scenario, from a store holding the whole generated chain (as an import
 * of a dump would), with the library's default options (4 hops, the default risky categories):
 * a buyer of the dark-web site shows darkweb exposure at hop 1 and whoever a buyer then paid at hop
 * 2; a bystander of the 30 January 100-XEM spray shows a tiny thief exposure under haircut and a
 * fully tainted balance under poison; an exchange's withdrawal recipient shows none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposure, exposureView } from '../../src/exposure/index.js';
import { isTracerError } from '../../src/errors.js';
import { publicKeyToAddress } from '../../src/nem/address.js';
import type { Store } from '../../src/store/index.js';
import { POLICIES } from '../../src/taint/types.js';
import { tempRoot } from '../crawl/helpers.js';
import { bundle, byLabel, firstTransfer as firstRecipient, roles, scenarioStore, transfers } from './fixture.js';

const site = byLabel('Dark-web XEM exchange');
const binanceHot = byLabel('Binance hot wallet');

const root = tempRoot('tt-exposure-');
let store: Store;
beforeAll(async () => {
  store = await scenarioStore(root.sub('store'));
});
afterAll(async () => {
  await store.close();
  root.remove();
});

describe('exposure on the Coincheck scenario', () => {
  it('a dark-web buyer: darkweb exposure at hop 1, straight from the site', async () => {
    const buy = firstRecipient((t) => t.sender === site && roles.get(t.recipient) === 'buyer' && t.amount > 0);
    const r = await exposure(store, buy.recipient);
    for (const policy of POLICIES) {
      const d = r.policies[policy]!.byCategory.darkweb;
      expect(d, policy).toBeDefined();
      expect(d.hops, policy).toBe(1);
      expect(d.direct, policy).toBeGreaterThanOrEqual(BigInt(buy.amount));
    }
    expect(r.sources.find((s) => s.address === site)).toMatchObject({ category: 'darkweb', depth: 1 });
  });

  it('whoever a buyer paid after buying: darkweb exposure at hop 2', async () => {
    const firstBuy = new Map<string, number>();
    for (const t of transfers) if (t.sender === site && t.amount > 0 && !firstBuy.has(t.recipient)) firstBuy.set(t.recipient, t.timeStamp);
    const paid = firstRecipient(
      (t) =>
        roles.get(t.sender) === 'buyer' &&
        firstBuy.has(t.sender) &&
        t.timeStamp > firstBuy.get(t.sender)! &&
        t.amount > 0 &&
        roles.get(t.recipient) === 'user' &&
        !transfers.some((u) => u.recipient === t.recipient && u.sender === site),
    );
    const r = await exposure(store, paid.recipient);
    expect(r.policies.poison!.byCategory.darkweb.hops).toBe(2);
    expect(r.policies.poison!.byCategory.darkweb.direct).toBe(0n);
  });

  it('a bystander of the 30 January spray: a tiny thief exposure under haircut, a fully tainted balance under poison', async () => {
    const spray = new Set(bundle.truth.sprayHashes);
    const s = firstRecipient((t) => spray.has(t.hash) && t.amount > 0);
    const sprayed = transfers.filter((t) => spray.has(t.hash) && t.recipient === s.recipient).reduce((a, t) => a + BigInt(t.amount), 0n);
    const r = await exposure(store, s.recipient);
    const haircut = r.policies.haircut!;
    expect(haircut.byCategory.thief).toMatchObject({ hops: 1, direct: sprayed });
    expect(haircut.share).toBeLessThan(0.01);
    expect(Number(haircut.held) / Number(r.balance)).toBeLessThan(0.01);
    expect(r.balance).toBeGreaterThan(0n);
    expect(r.policies.poison!.held).toBe(r.balance);
  });

  it("an exchange's withdrawal recipient: none, though risky accounts sit in its cone", async () => {
    const w = firstRecipient((t) => t.sender === binanceHot && roles.get(t.recipient) === 'user' && t.amount > 0);
    const r = await exposure(store, w.recipient);
    expect(r.cone.sources).toBeGreaterThan(0);
    for (const policy of POLICIES) expect(r.policies[policy]!.exposed, policy).toBe(0n);
    expect(exposureView(r).policies.haircut!.exposed).toBe('0.000000');
  });

  it('states its coverage: without crawl cursors no cone account counts as complete', async () => {
    const r = await exposure(store, bundle.truth.thief);
    expect(r.coverage.complete + r.coverage.incomplete).toBe(r.cone.accounts);
    expect(r.coverage.incompleteAccounts[0]).toBe(bundle.truth.thief);
    expect(r.coverage.tipHeight).toBe(Math.max(...transfers.map((t) => t.height)));
  });

  it('refuses an address the store holds nothing for', async () => {
    const stranger = publicKeyToAddress('ab'.repeat(32));
    expect(roles.has(stranger)).toBe(false);
    const err = await exposure(store, stranger).catch((e: unknown) => e);
    expect(isTracerError(err, 'TRACE_NOT_FOUND')).toBe(true);
  });

  it('refuses a malformed address with TRACE_INVALID_ADDRESS', async () => {
    const err = await exposure(store, `${site.slice(0, 39)}A`).catch((e: unknown) => e);
    expect(isTracerError(err, 'TRACE_INVALID_ADDRESS')).toBe(true);
  });
});
