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
  it('answers from the row it is handed, the same bytes as by address; answers are independent copies', () => {
    const writer = new AccountBytes(synthetic.index);
    const [a, b] = synthetic.addresses;
    const first = writer.answer(a);
    const copy = Buffer.from(first);
    expect(writer.answerRow(b, synthetic.index.addressRow(b)).toString()).toBe(accountJson(synthetic.index, b));
    expect(first.equals(copy)).toBe(true); // the scratch buffer was reused, the answer handed out was not
  });
});
