/**
 * AccountBytes writes the bytes of accountJson (and so of JSON.stringify(accountView)) for every kind of
 * account: tainted under some or all policies, labelled (with text JSON must escape), known only by its label,
 * unknown, amounts beyond the safe-integer range, an index computing only some policies, any spelling handed in.
 */
import { describe, expect, it } from 'vitest';
import { AccountBytes } from '../../src/screen/account-bytes.js';
import { buildTaintIndex, TaintIndexPacker, type TaintIndex } from '../../src/screen/index.js';
import { accountJson } from '../../src/screen/json.js';
import { syntheticTaintIndex } from '../../src/fixture/synthetic-index.js';
import { A, B, C, D, T, U, V, X_, smallResult } from './fixture.js';

const small = buildTaintIndex(smallResult());
const synthetic = syntheticTaintIndex({ accounts: 4000, seed: 13 });

function expectSame(index: TaintIndex, list: readonly string[]): void {
  const writer = new AccountBytes(index);
  for (const a of list) expect(writer.answer(a).toString('utf8'), a).toBe(accountJson(index, a));
}

/** The small index again with B's entries reshaped by `shape(entry, i)` (entry i of its policies). */
function reshapedB(shape: (i: number) => Record<string, unknown>): TaintIndex {
  const packer = new TaintIndexPacker({ ...small, labels: small.labels, policies: small.policies });
  for (const t of small.transfers.values()) packer.addTransfer(t);
  for (const account of small.accounts.values()) {
    if (account.address === B) Object.values(account.policies).forEach((e, i) => Object.assign(e, shape(i)));
    packer.addAccount(account);
  }
  return packer.finish();
}

/** The small index again, A's amounts beyond 2^53 and only some policies computed. */
function unusual(policies: TaintIndex['policies']): TaintIndex {
  const packer = new TaintIndexPacker({ ...small, labels: small.labels, policies });
  for (const t of small.transfers.values()) packer.addTransfer(t);
  for (const account of small.accounts.values()) {
    if (account.address === A)
      for (const e of Object.values(account.policies)) Object.assign(e, { received: 2n ** 60n, held: 2n ** 55n + 1n, balance: 2n ** 56n });
    if (account.address === B) {
      // shares with trailing zeros (0.5), below 10^-6 (1e-7: exponent notation), a first taint before 1970
      const shapes = [
        { held: 1n, balance: 3n, firstTaintedAt: -1_500_000_000 },
        { held: 5n, balance: 10n, firstTaintedAt: 86_399 },
        { held: 1n, balance: 10_000_000n, firstTaintedAt: 0 },
      ];
      Object.values(account.policies).forEach((e, i) => Object.assign(e, { historyTime: new Int32Array(0), ...shapes[i % 3] }));
    }
    packer.addAccount(account);
  }
  return packer.finish();
}

describe('AccountBytes', () => {
  it('is accountJson for every fixture account, labelled or not, tainted or not', () => {
    expectSame(small, [V, T, A, B, C, D, X_, U]);
  });
  it('is accountJson across a synthetic index (six policies, exits, escaped labels, unknown addresses)', () => {
    expectSame(synthetic.index, synthetic.addresses);
    expect(new AccountBytes(synthetic.index).answer(synthetic.addresses[0]).toString()).toContain('\\"0\\" \\\\ ü\\n');
  });
  it('is accountJson for amounts beyond the safe-integer range and for an index of fewer policies', () => {
    expectSame(unusual(small.policies), [A, B, D]);
    expectSame(unusual(['fifo', 'poison']), [A, B, D, U]);
    const b = new AccountBytes(unusual(small.policies)).answer(B).toString();
    expect(b).toMatch(/"share":0\.5,/);
    expect(b).toMatch(/"share":1e-7,/);
    expect(b).toMatch(/"firstTaintedAt":"1967-/);
    expect(new AccountBytes(unusual(small.policies)).answer(A).toString()).toContain(`"received":"${2n ** 60n / 1_000_000n}.`);
  });
  it('writes the date of any time the index holds from 1970 on as isoOfNem does (leap days, year ends, the last 32-bit time)', () => {
    const NEM_EPOCH = 1_427_587_585; // unix seconds of NEM time 0
    const at = (iso: string) => Date.parse(iso) / 1000 - NEM_EPOCH;
    const times = [
      ...['1970-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2000-02-29T12:00:00Z', '2000-03-01T00:00:00Z', '2080-02-29T23:59:59Z'],
      ...['2080-03-01T00:00:01Z', '2015-03-29T00:06:25Z', '2024-12-31T23:59:59Z'],
    ].map(at);
    times.push(2 ** 31 - 1); // 2083-04-16, the last time a 32-bit index field holds
    let seed = 11;
    const span = 2 ** 31 - 1 - at('1970-01-01T00:00:00Z');
    for (let i = 0; i < 300; i++)
      times.push(at('1970-01-01T00:00:00Z') + Math.floor(((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * span));
    for (let k = 0; k < times.length; k += 6) {
      const index = reshapedB((i) => ({ firstTaintedAt: times[k + i] ?? times[0] }));
      expectSame(index, [B]);
    }
    expect(new AccountBytes(reshapedB(() => ({ firstTaintedAt: at('2000-02-29T12:00:00Z') }))).answer(B).toString()).toContain(
      '"firstTaintedAt":"2000-02-29T12:00:00.000Z"',
    );
  });
  it('writes amounts of more than 2^31 whole XEM up to 2^53 µXEM digit for digit', () => {
    const big = reshapedB(() => ({ received: 2n ** 53n - 1n, held: 3_000_000_000_000_000n, balance: 5_000_000_000_000_001n }));
    expectSame(big, [B]);
    expect(new AccountBytes(big).answer(B).toString()).toContain('"received":"9007199254.740991","held":"3000000000.000000"');
  });
  it('answers from the row it is handed, the same bytes as by address; answers are independent copies', () => {
    const writer = new AccountBytes(synthetic.index);
    const [a, b] = synthetic.addresses;
    const first = writer.answer(a);
    const copy = Buffer.from(first);
    expect(writer.answerRow(b, synthetic.index.addressRow(b)).toString()).toBe(accountJson(synthetic.index, b));
    expect(first.equals(copy)).toBe(true); // the scratch buffer was reused, the answer handed out was not
  });
});
