/**
 * Evidence integrity of one item (src/nem/verify.ts): honest scenario items pass; every forgery a
 * node without the keys can make is rejected with TRACE_MALFORMED_RESPONSE naming what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { ChainBuilder } from '../../src/fixture/builder.js';
import { generateTinyScenario } from '../../src/fixture/coincheck/index.js';
import { forgeRecipient, foreignKey, tamperUnderHash, ZERO_SIGNATURE } from '../../src/fixture/node/lies.js';
import { buildNodeIndex } from '../../src/fixture/node/index.js';
import { transactionHash } from '../../src/nem/serialize.js';
import { checkTransactionPair, signedParts, verifyTransactionPair } from '../../src/nem/verify.js';

const tiny = generateTinyScenario();
const index = buildNodeIndex(tiny.scenario, 0);
const items = index.items.map((s) => JSON.parse(s));
const plain = items.find((i) => i.transaction.type === 257)!;
const multisig = twoOfThree();
const stranger = foreignKey('verify test').address;

/** A 2-of-3 multisig transfer: the initiator's outer signature and one 4098 cosignature. */
function twoOfThree() {
  const b = new ChainBuilder({ name: 'verify', seed: 3, startHeight: 2_000_000, startTime: 100_000_000 });
  const [m, c1, c2, c3, to] = ['m', 'c1', 'c2', 'c3', 'to'].map((t) => b.account(t));
  b.opening(m.address, 1_000_000_000n);
  b.makeMultisig(m, [c1, c2, c3], 2, 100_000_060);
  const tx = b.multisigTransfer({ multisig: m, initiator: c1, cosigners: [c2], to: to.address, amount: 5_000_000n, time: 100_000_120 });
  return structuredClone({
    meta: { innerHash: { data: tx.innerHash }, id: 9, hash: { data: tx.hash }, height: tx.height },
    transaction: tx.transaction,
  }) as any;
}

function rejects(raw: unknown): string {
  let caught: unknown;
  try {
    verifyTransactionPair(raw, 'GET /x');
  } catch (err) {
    caught = err;
  }
  expect(isTracerError(caught, 'TRACE_MALFORMED_RESPONSE'), String(caught)).toBe(true);
  return (caught as Error).message;
}

describe('verifyTransactionPair', () => {
  it('accepts every item of the scenario (plain transfers, multisig with cosignatures, other types)', () => {
    for (const raw of items) verifyTransactionPair(raw);
    expect(plain).toBeDefined();
    expect(multisig).toBeDefined();
  });

  it('rejects a substituted recipient with a recomputed hash and an all-zero signature', () => {
    for (const raw of [plain, multisig]) {
      const forged = forgeRecipient(raw, stranger);
      expect(transactionHash(forged.transaction)).toBe((forged.meta.hash as { data: string }).data); // the hash is consistent
      expect(rejects(forged)).toMatch(/transaction\.signature does not verify/);
    }
  });

  it('rejects a substituted recipient with a recomputed hash and the genuine signature', () => {
    const forged = forgeRecipient(plain, stranger);
    forged.transaction.signature = plain.transaction.signature;
    expect(rejects(forged)).toMatch(/signature does not verify/);
  });

  it('rejects a body changed under its genuine hash', () => {
    expect(rejects(tamperUnderHash(plain, stranger))).toMatch(/meta\.hash .* is not the hash of its transaction/);
    expect(rejects(tamperUnderHash(multisig, stranger))).toMatch(/meta\.innerHash .* is not the hash of its inner transaction/);
  });

  it('rejects a forged or foreign cosignature of a 4100', () => {
    const zero = structuredClone(multisig);
    zero.transaction.signatures[0].signature = ZERO_SIGNATURE;
    expect(rejects(zero)).toMatch(/transaction\.signatures\[0\]\.signature does not verify/);
    const other = structuredClone(multisig);
    other.transaction.signatures[0].otherHash = { data: plain.meta.hash.data };
    expect(rejects(other)).toMatch(/otherHash is not the inner transaction's hash/);
    const account = structuredClone(multisig);
    account.transaction.signatures[0].otherAccount = stranger;
    expect(rejects(account)).toMatch(/otherAccount is not the multisig account/);
  });

  it('rejects a missing or malformed signature', () => {
    const none = structuredClone(plain);
    delete none.transaction.signature;
    expect(rejects(none)).toMatch(/signature must be 128 hex digits/);
    const short = structuredClone(plain);
    short.transaction.signature = 'ab';
    expect(rejects(short)).toMatch(/signature must be 128 hex digits/);
  });
});

describe('checkTransactionPair / signedParts', () => {
  it('returns the outer signature and one part per cosignature, each over its own bytes', () => {
    const c = checkTransactionPair(multisig);
    expect(c.parts.map((p) => p.path)).toEqual([
      'transaction',
      ...multisig.transaction.signatures.map((_: unknown, i: number) => `transaction.signatures[${i}]`),
    ]);
    expect(c.parts[0].hash).toBe(multisig.meta.hash.data);
    expect(signedParts(plain.transaction)).toHaveLength(1);
  });
});
