/**
 * validatePage with a `ValidatedItems` cache (one per crawl): an item deeply equal to one that
 * passed before skips normalisation and hash recomputation and gives the same result; anything
 * that differs — one field, one changed type — is checked in full; the page-dependent checks
 * (ownership, paging, repeats) run on every item, reused or not.
 */
import { describe, expect, it } from 'vitest';
import { ValidatedItems, validatePage, type PageContext } from '../../src/crawl/index.js';
import { isTracerError } from '../../src/errors.js';
import { generateTinyScenario } from '../../src/fixture/coincheck/index.js';
import { buildNodeIndex, pageBody, pagePositions } from '../../src/fixture/node/index.js';

const tiny = generateTinyScenario();
const index = buildNodeIndex(tiny.scenario, 0);
const NODE = 'http://127.0.0.1:1';

function page(tag: keyof typeof tiny.address, list: 'incoming' | 'outgoing', validated: ValidatedItems): { body: any; ctx: PageContext } {
  const address = tiny.address[tag];
  const body = JSON.parse(pageBody(index, pagePositions(index, address, list, null, 100)));
  return {
    body,
    ctx: {
      node: NODE,
      request: `GET /account/transfers/${list}?address=${address}`,
      address,
      list,
      pageSize: 100,
      belowId: null,
      belowHeight: null,
      validated,
    },
  };
}

function malformed(fn: () => unknown): { message: string; details: Record<string, unknown> } {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isTracerError(caught, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
  return caught as { message: string; details: Record<string, unknown> };
}

describe('validatePage with ValidatedItems', () => {
  it('a page seen again (a fresh parse of the same JSON) is answered from the cache, with the same items', () => {
    const cache = new ValidatedItems();
    const a = page('T', 'outgoing', cache);
    const first = validatePage(a.body, a.ctx);
    expect(cache.items).toBe(first.length);
    expect(cache.reused).toBe(0);
    const b = page('T', 'outgoing', cache);
    const second = validatePage(b.body, b.ctx);
    expect(cache.reused).toBe(first.length);
    expect(second).toEqual(first);
    expect(second).toEqual(validatePage(page('T', 'outgoing', new ValidatedItems()).body, a.ctx));
  });

  it("the same transfer met in the sender's outgoing and the recipient's incoming list is checked once", () => {
    const cache = new ValidatedItems();
    const out = page('T', 'outgoing', cache);
    const items = validatePage(out.body, out.ctx);
    const t = items.find((i) => i.transfer?.type === 257 && i.transfer.recipient !== tiny.address.T)!.transfer!;
    const tag = (Object.keys(tiny.address) as Array<keyof typeof tiny.address>).find((k) => tiny.address[k] === t.recipient)!;
    const inc = page(tag, 'incoming', cache);
    const before = cache.reused;
    const got = validatePage(inc.body, inc.ctx);
    expect(cache.reused).toBeGreaterThan(before);
    expect(got.find((i) => i.hash === t.hash)!.transfer).toEqual(t);
  });

  it('a repeat altered under its genuine hash is not reused: it is checked in full and rejected', () => {
    const cache = new ValidatedItems();
    const a = page('T', 'outgoing', cache);
    validatePage(a.body, a.ctx);
    const b = page('T', 'outgoing', cache);
    const plain = b.body.data.findIndex((d: any) => d.transaction.type === 257 && d.transaction.amount > 0);
    b.body.data[plain].transaction.amount += 1;
    expect(malformed(() => validatePage(b.body, b.ctx)).details.index).toBe(plain);
    const c = page('T', 'outgoing', cache);
    c.body.data[plain].transaction.fee = String(c.body.data[plain].transaction.fee); // same JSON text once printed, another type
    expect(malformed(() => validatePage(c.body, c.ctx)).message).toContain('fee');
  });

  it('ownership and paging are checked on reused items too', () => {
    const cache = new ValidatedItems();
    const a = page('A', 'incoming', cache);
    validatePage(a.body, a.ctx);
    const b = page('A', 'incoming', cache);
    malformed(() => validatePage(b.body, { ...b.ctx, address: tiny.address.B }));
    const c = page('A', 'incoming', cache);
    malformed(() => validatePage(c.body, { ...c.ctx, belowId: c.body.data[0].meta.id }));
    const d = page('A', 'incoming', cache);
    d.body.data.push(d.body.data[d.body.data.length - 1]);
    malformed(() => validatePage(d.body, d.ctx));
  });

  it('holds at most `capacity` items, forgetting the oldest', () => {
    const cache = new ValidatedItems(2);
    const a = page('T', 'outgoing', cache);
    expect(a.body.data.length).toBeGreaterThan(2);
    validatePage(a.body, a.ctx);
    const b = page('T', 'outgoing', cache);
    validatePage(b.body, b.ctx);
    expect(cache.reused).toBeLessThanOrEqual(2);
  });
});
