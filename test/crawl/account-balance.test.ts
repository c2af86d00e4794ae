/** parseAccountBalance: `/account/get` answers are a stranger's — the account asked for, a whole µXEM balance within the supply. */
import { describe, expect, it } from 'vitest';
import { parseAccountBalance } from '../../src/crawl/index.js';

const A = 'NC4T246ALCPNBTAOCSC5EAVFMDFBOACSQAF6WKHV';
const B = 'NDCQVOU23DBAFWGW5J4RPD32RGXHTIQ6G7UORIDF';
const answer = (account: unknown) => ({
  meta: { cosignatories: [], cosignatoryOf: [], status: 'LOCKED', remoteStatus: 'INACTIVE' },
  account,
});

describe('parseAccountBalance', () => {
  it('reads account.balance in µXEM, up to the whole supply', () => {
    expect(parseAccountBalance(answer({ address: A, balance: 20_612_640_711_967, vestedBalance: 0 }), A, 'node')).toBe(20_612_640_711_967n);
    expect(parseAccountBalance(answer({ address: A, balance: 0 }), A, 'node')).toBe(0n);
    expect(parseAccountBalance(answer({ address: A, balance: 8_999_999_999_000_000 }), A, 'node')).toBe(8_999_999_999_000_000n);
  });
  it.each([
    ['not an object', [1], /\(body\) must be an AccountMetaDataPair/],
    ['no account', { meta: {} }, /account must be an AccountInfo object, got nothing/],
    ['another account', answer({ address: B, balance: 5 }), /account\.address must be the address asked for, got "NDCQ/],
    ['a string balance', answer({ address: A, balance: '5' }), /account\.balance must be a whole number/],
    ['a negative balance', answer({ address: A, balance: -1 }), /account\.balance/],
    ['a fraction', answer({ address: A, balance: 1.5 }), /account\.balance/],
    ['above the supply', answer({ address: A, balance: 8_999_999_999_000_001 }), /account\.balance/],
    ['unsafe', answer({ address: A, balance: 2 ** 60 }), /account\.balance/],
  ])('rejects %s as TRACE_MALFORMED_RESPONSE naming the node and the field', (_name, body, message) => {
    expect(() => parseAccountBalance(body, A, 'http://node:7890 GET /account/get')).toThrow(
      expect.objectContaining({ code: 'TRACE_MALFORMED_RESPONSE', message: expect.stringMatching(message) }),
    );
    expect(() => parseAccountBalance(body, A, 'http://node:7890 GET /account/get')).toThrow(/^http:\/\/node:7890 GET \/account\/get: /);
  });
});
