/**
 * parseCase: the case file of docs/contracts.md → ResolvedCase; one TRACE_INVALID_CASE line per problem.
 */
import { describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { publicKeyToAddress } from '../../src/nem/address.js';
import { isoToNem } from '../../src/nem/time.js';
import { parseCase } from '../../src/labels/case.js';

const THIEF = publicKeyToAddress('11'.repeat(32));
const COLD = publicKeyToAddress('22'.repeat(32));
const HASH = 'AB'.repeat(32);

const valid = {
  id: 'coincheck-2018',
  title: 'Coincheck theft',
  seeds: [{ hash: HASH }, { account: THIEF, from: '2018-01-26T00:02:00+09:00', to: '2018-01-26T08:27:00+09:00', exclude: [COLD] }],
  window: { to: '2018-04-01T00:00:00Z' },
  labels: ['labels.yaml'],
  dust: '1.000000',
  maxHops: 6,
  valuation: { currency: 'JPY', rate: '88.549' },
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isTracerError(err) ? `${err.code} ${err.message}` : `not a TracerError: ${String(err)}`;
  }
  return undefined;
}

describe('parseCase', () => {
  it('resolves times to NEM timestamps, dust to µXEM, and applies defaults', () => {
    const c = parseCase(valid, 'case.json');
    expect(c.seeds[0]).toEqual({ hash: HASH.toLowerCase() });
    expect(c.seeds[1]).toEqual({
      account: THIEF,
      from: isoToNem('2018-01-26T00:02:00+09:00'),
      to: isoToNem('2018-01-26T08:27:00+09:00'),
      exclude: [COLD],
    });
    expect(c.windowTo).toBe(isoToNem('2018-04-01T00:00:00Z'));
    expect(c.dust).toBe(1_000_000n);
    expect(c.maxHops).toBe(6);
    expect(c.exitCategories).toEqual(['exchange', 'darkweb', 'mixer', 'gambling']);
    expect(c.labelFiles).toEqual(['labels.yaml']);
    expect(c.valuation).toEqual({ currency: 'JPY', rate: '88.549' });
    const minimal = parseCase({ id: 'x', title: 'X', seeds: [{ hash: HASH }] }, 'm.json');
    expect(minimal).toMatchObject({ windowTo: null, labelFiles: [], dust: 0n, maxHops: 10, valuation: null });
  });

  it.each([
    ['id', { ...valid, id: '' }],
    ['title', { ...valid, title: 3 }],
    ['seeds', { ...valid, seeds: [] }],
    ['seeds[0].hash', { ...valid, seeds: [{ hash: 'xyz' }] }],
    ['seeds[0].account', { ...valid, seeds: [{ account: 'NOPE', from: '2018-01-26T00:00:00Z', to: '2018-01-27T00:00:00Z' }] }],
    ['seeds[0].from', { ...valid, seeds: [{ account: THIEF, from: 'yesterday', to: '2018-01-27T00:00:00Z' }] }],
    ['seeds[0].to', { ...valid, seeds: [{ account: THIEF, from: '2018-01-27T00:00:00Z', to: '2018-01-26T00:00:00Z' }] }],
    [
      'seeds[0].exclude[0]',
      { ...valid, seeds: [{ account: THIEF, from: '2018-01-26T00:00:00Z', to: '2018-01-27T00:00:00Z', exclude: ['bad'] }] },
    ],
    ['window.to', { ...valid, window: { to: 'soon' } }],
    ['labels', { ...valid, labels: 'labels.yaml' }],
    ['exitCategories', { ...valid, exitCategories: [1] }],
    ['dust', { ...valid, dust: 1 }],
    ['dust', { ...valid, dust: '1.0000001' }],
    ['maxHops', { ...valid, maxHops: 0 }],
    ['valuation.rate', { ...valid, valuation: { currency: 'JPY', rate: 'cheap' } }],
    ['surprise', { ...valid, surprise: true }],
  ])('throws TRACE_INVALID_CASE naming %s', (field, json) => {
    const got = codeOf(() => parseCase(json, 'case.json'));
    expect(got).toMatch(/^TRACE_INVALID_CASE case\.json: /);
    expect(got).toContain(`: ${field}: `);
    expect(got!.includes('\n')).toBe(false);
  });
});
