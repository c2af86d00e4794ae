/**
 * The JSON writers are the views, byte for byte, and what they write is what the route schemas
 * (and so the OpenAPI document) promise: Ajv validates every text against the 200 schema, and
 * fastify's serializer for that schema (fast-json-stringify, which the server used before it sent
 * the text as it is) writes the same bytes from the parsed text.
 */
import { Ajv } from 'ajv';
import fc from 'fast-check';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { formatXem, SUPPLY_MICRO } from '../../src/nem/amount.js';
import { nemToIso } from '../../src/nem/time.js';
import { buildTaintIndex, screenParsed } from '../../src/screen/index.js';
import { accountJson, asOfJson, isoOfNem, screenResultJson, xemNumber, xemText } from '../../src/screen/json.js';
import { syntheticTaintIndex } from '../../src/fixture/synthetic-index.js';
import { accountView, asOfView, screenView } from '../../src/screen/views.js';
import { accountSchema, screenResponseSchema, screenResultSchema } from '../../src/server/schemas.js';
import { A, B, C, D, T, U, V, X_, smallResult } from './fixture.js';

const small = buildTaintIndex(smallResult());
const synthetic = syntheticTaintIndex({ accounts: 3000, seed: 11 });
const ajv = new Ajv({ coerceTypes: false, allErrors: true });
const validAccount = ajv.compile(accountSchema);
const validResult = ajv.compile(screenResultSchema);
const validResponse = ajv.compile(screenResponseSchema);
// the schemas are `as const` (readonly arrays); fast-json-stringify's types want mutable ones
const serializeAccount = fastJson(accountSchema as unknown as fastJson.AnySchema) as (doc: unknown) => string;
const serializeResult = fastJson(screenResultSchema as unknown as fastJson.AnySchema) as (doc: unknown) => string;

function expectValid(validate: ReturnType<typeof ajv.compile>, text: string): void {
  const ok = validate(JSON.parse(text));
  expect(ok, `${ajv.errorsText(validate.errors)} in ${text.slice(0, 300)}`).toBe(true);
}

describe('xemText', () => {
  it('is formatXem for edge amounts', () => {
    for (const v of [
      0n,
      1n,
      9n,
      10n,
      999_999n,
      1_000_000n,
      1_000_001n,
      123_456_789n,
      SUPPLY_MICRO,
      SUPPLY_MICRO - 1n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 63n - 1n,
      -1n,
      -1_500_000n,
    ]) {
      expect(xemText(v)).toBe(formatXem(v));
    }
  });
  it('is formatXem for any amount (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), (v) => xemText(v) === formatXem(v)),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: SUPPLY_MICRO }), (v) => xemText(v) === formatXem(v)),
      { numRuns: 20_000 },
    );
  });
});

describe('isoOfNem and xemNumber', () => {
  it('isoOfNem is nemToIso for every 32-bit NEM timestamp, also across days, years and the int32 ends', () => {
    const edges = [0, 1, 59, 60, 3599, 3600, 86_399, 86_400, -1, -1_427_587_585, 0x7fffffff, -0x80000000, 89_000_000];
    for (const ts of edges) expect(isoOfNem(ts), String(ts)).toBe(nemToIso(ts));
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (ts) => isoOfNem(ts) === nemToIso(ts)),
      { numRuns: 20_000 },
    );
  });
  it('xemNumber is formatXem for safe integers', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => xemNumber(n) === formatXem(BigInt(n))));
  });
});

describe('accountJson', () => {
  it('is JSON.stringify(accountView) for every fixture account, labelled or not, tainted or not', () => {
    for (const a of [V, T, A, B, C, D, X_, U]) expect(accountJson(small, a)).toBe(JSON.stringify(accountView(small, a)));
  });
  it('is JSON.stringify(accountView) across a synthetic index (six policies, exits, escaped labels, unknown addresses)', () => {
    let labelled = 0;
    for (const a of synthetic.addresses) {
      expect(accountJson(synthetic.index, a)).toBe(JSON.stringify(accountView(synthetic.index, a)));
      if (synthetic.index.labels.has(a)) labelled++;
    }
    expect(labelled).toBeGreaterThan(20);
    expect(accountJson(synthetic.index, synthetic.addresses[0])).toContain('\\"0\\" \\\\ ü\\n'); // the label's quote, backslash, newline
  });
  it('validates against the account response schema and is what its serializer writes', () => {
    for (const [index, list] of [
      [small, [V, T, A, B, C, D, X_, U]],
      [synthetic.index, synthetic.addresses],
    ] as const) {
      for (const a of list) {
        const text = accountJson(index, a);
        expectValid(validAccount, text);
        expect(serializeAccount(JSON.parse(text))).toBe(text);
      }
    }
  });
  it('the schema check can fail: a broken answer is refused', () => {
    const good = JSON.parse(accountJson(small, A));
    expect(validAccount({ ...good, policies: { ...good.policies, haircut: { ...good.policies.haircut, held: '1.5' } } })).toBe(false);
    expect(validAccount({ ...good, policies: { ...good.policies, mystery: good.policies.haircut } })).toBe(false);
    expect(validAccount({ ...good, known: 'yes' })).toBe(false);
  });
});

describe('screenResultJson', () => {
  const deposits = (list: readonly string[], n: number) =>
    Array.from({ length: n }, (_, i) => ({
      from: list[(i * 7919) % list.length],
      amount: i % 5 === 0 ? null : BigInt(1 + ((i * 104_729) % 1e12)),
      time: i % 3 === 0 ? null : [500, 1500, 2600, 3100, 89_500_000, 92_000_000, 99_000_000][i % 7],
    }));
  it('is JSON.stringify(screenView) and validates against the screen schemas', () => {
    for (const [index, list] of [
      [small, [V, T, A, B, C, D, X_, U]],
      [synthetic.index, synthetic.addresses],
    ] as const) {
      const texts: string[] = [];
      for (const d of deposits(list, 1500)) {
        const r = screenParsed(index, d.from, d.amount, d.time);
        const text = screenResultJson(r);
        expect(text).toBe(JSON.stringify(screenView(r)));
        expectValid(validResult, text);
        expect(serializeResult(JSON.parse(text))).toBe(text);
        texts.push(text);
      }
      expectValid(validResponse, `{"results":[${texts.join(',')}],"asOf":${asOfJson(index.asOf)}}`);
    }
  });
  it('escapes what needs escaping in rules, exits and evidence', () => {
    const r = screenParsed(small, A, 7n, null);
    const odd = { ...r, rule: 'say "hi"\n', exits: ['a"b', 'c\\d'], evidence: ['\u0001', 'ok', '漢'] };
    expect(screenResultJson(odd)).toBe(JSON.stringify(screenView(odd)));
    expect(JSON.parse(screenResultJson(odd)).exits).toEqual(['a"b', 'c\\d']);
  });
  it('covers every risk level on the synthetic index', () => {
    const risks = new Set(deposits(synthetic.addresses, 1500).map((d) => screenParsed(synthetic.index, d.from, d.amount, d.time).risk));
    expect([...risks].sort()).toEqual(['high', 'low', 'medium', 'none', 'severe', 'unknown']);
  });
});

describe('asOfJson', () => {
  it('is JSON.stringify(asOfView), also without a time', () => {
    expect(asOfJson(small.asOf)).toBe(JSON.stringify(asOfView(small.asOf)));
    expect(JSON.parse(asOfJson(small.asOf))).toEqual({ height: 40, time: nemToIso(3500), provisionalFrom: 1 });
    expect(asOfJson({ height: 1, time: null })).toBe('{"height":1,"time":null,"provisionalFrom":1}');
    expect(asOfView({ height: 1_000_000, time: null }).provisionalFrom).toBe(1_000_000 - 359);
  });
});
