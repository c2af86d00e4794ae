import { describe, expect, it } from 'vitest';
import { validatePage, type PageContext } from '../../src/crawl/index.js';
import { isTracerError } from '../../src/errors.js';
import { generateTinyScenario } from '../../src/fixture/coincheck/index.js';
import { buildNodeIndex, pageBody, pagePositions } from '../../src/fixture/node/index.js';

const tiny = generateTinyScenario();
const index = buildNodeIndex(tiny.scenario, 0);
const NODE = 'http://127.0.0.1:1';

function page(tag: keyof typeof tiny.address, list: 'incoming' | 'outgoing'): { body: any; ctx: PageContext } {
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
    },
  };
}

function rejects(body: unknown, ctx: PageContext): Record<string, unknown> {
  let caught: unknown;
  try {
    validatePage(body, ctx);
  } catch (err) {
    caught = err;
  }
  expect(isTracerError(caught, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
  const e = caught as { message: string; details: Record<string, unknown> };
  expect(e.message).toContain(NODE);
  expect(e.message).toContain(ctx.request);
  return e.details;
}

describe('validatePage', () => {
  it('accepts a genuine page, newest first, and normalises its items (other types kept as non-transfers)', () => {
    const { body, ctx } = page('T', 'outgoing');
    const items = validatePage(body, ctx);
    expect(items.length).toBe(body.data.length);
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort((a, b) => b - a));
    expect(items.every((i) => i.transfer === null || i.transfer.sender === tiny.address.T)).toBe(true);
  });

  it("accepts a 4100 listed in the outgoing list of a cosignatory (K lists M's and N's transfers)", () => {
    const { body, ctx } = page('K', 'outgoing');
    const items = validatePage(body, ctx);
    const wrapped = items.filter((i) => i.transfer?.type === 4100);
    expect(wrapped.length).toBeGreaterThanOrEqual(2);
    expect(wrapped.every((i) => i.transfer!.sender !== tiny.address.K)).toBe(true);
  });

  it('rejects ids that do not go strictly backwards', () => {
    const { body, ctx } = page('T', 'outgoing');
    [body.data[0], body.data[1]] = [body.data[1], body.data[0]];
    rejects(body, ctx);
  });

  it('rejects a first id that is not below the requested id', () => {
    const { body, ctx } = page('T', 'outgoing');
    rejects(body, { ...ctx, belowId: body.data[0].meta.id });
  });

  it('rejects a repeated item', () => {
    const { body, ctx } = page('T', 'outgoing');
    body.data.splice(1, 0, body.data[0]);
    rejects(body, ctx);
  });

  it('rejects more items than pageSize', () => {
    const { body, ctx } = page('T', 'outgoing');
    rejects(body, { ...ctx, pageSize: body.data.length - 1 });
  });

  it('rejects a plain transfer in an outgoing list that the account did not sign', () => {
    const { body, ctx } = page('T', 'outgoing');
    rejects(body, { ...ctx, address: tiny.address.A });
  });

  it('rejects an incoming item that pays someone else', () => {
    const { body, ctx } = page('A', 'incoming');
    rejects(body, { ...ctx, address: tiny.address.B });
  });

  it('rejects a field of the wrong type, and an amount changed under a genuine hash', () => {
    const a = page('T', 'outgoing');
    a.body.data[0].transaction.amount = String(a.body.data[0].transaction.amount);
    rejects(a.body, a.ctx);
    const b = page('T', 'outgoing');
    const plain = b.body.data.findIndex((d: any) => d.transaction.type === 257 && d.transaction.amount > 0);
    b.body.data[plain].transaction.amount += 1;
    expect(rejects(b.body, b.ctx).index).toBe(plain);
  });

  it('rejects an amount above the supply and a body that is not { data: [...] }', () => {
    const { body, ctx } = page('T', 'outgoing');
    const plain = body.data.findIndex((d: any) => d.transaction.type === 257);
    body.data[plain].transaction.amount = 9_000_000_000_000_000;
    rejects(body, ctx);
    rejects({ data: {} }, ctx);
    rejects([], ctx);
  });

  it('rejects heights that rise as ids fall', () => {
    const { body, ctx } = page('T', 'outgoing');
    rejects(body, { ...ctx, belowHeight: body.data[0].meta.height - 1 });
  });
});
