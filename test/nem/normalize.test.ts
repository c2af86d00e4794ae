import { describe, expect, it } from 'vitest';
import { normalizeTransaction, toTransfer } from '../../src/nem/normalize.js';
import type { NisTransactionMetaDataPair, Transfer } from '../../src/nem/types.js';
import { multisigTransfer, v1Transfer, v2Mosaics } from './examples.js';

// Addresses derived from the signer keys of docs/nis1.md §3 (checked by the address tests' algorithm).
const A_SENDER = 'NBGMQEL3UT6SWDTRY2C3UA7VJSVNIVBVD7UOVLIL'; // d7e062d8…
const B_SENDER = 'NDLHY5KMQTATAR7IBRBF32MAQWDK7333VNI2MD5W'; // 099132a4…
const ZAIF = 'NAGJG3QFWYZ37LMI7IQPSGQNYADGSJZGJRD2DIYA'; // fbae4193…, the multisig account
const ZAIF_INITIATOR = 'NCTWKWGD564GIQQCZ5X5TC4YM46VXWLT3QWD5NLZ'; // aa455d83…
const BINANCE = 'NC64UFOWRO6AVMWFV2BFX2NT6W2GURK2EOX6FFMZ';

function transfer(pair: unknown): Transfer {
  const n = normalizeTransaction(pair);
  if (n.kind !== 'transfer') throw new Error(`expected a transfer, got ${JSON.stringify(n)}`);
  return n.transfer;
}

function withTx(pair: NisTransactionMetaDataPair, patch: Record<string, unknown>): NisTransactionMetaDataPair {
  pair.transaction = { ...pair.transaction, ...patch };
  return pair;
}

function malformed(pair: unknown, path: string): void {
  expect(() => normalizeTransaction(pair, 'test')).toThrow(
    expect.objectContaining({ code: 'TRACE_MALFORMED_RESPONSE', message: expect.stringContaining(path) }),
  );
}

describe('normalizeTransaction: plain transfers (type 257)', () => {
  it('(a) v1: 1,001 XEM from the signer to the recipient, fee as given', () => {
    expect(transfer(v1Transfer())).toEqual({
      hash: '86a1a104e316b23d6b70100165a5b7398b017f9081e658ec7597a019919665eb',
      innerHash: null,
      height: 1412114,
      timeStamp: 85497762,
      time: '2017-12-12T13:29:07.000Z', // 85497762 + 1427587585 = Unix 1513085347
      sender: A_SENDER,
      recipient: 'NC2KPEXZDILXDWO6Y2OY4W7FRSVFGKYC7VB6W4D4',
      amount: 1_001_000_000,
      fee: 50_000,
      message: null,
      messageType: 0,
      mosaics: [],
      type: 257,
      signer: A_SENDER,
    });
  });

  it('v1 with a plain message: the UTF-8 memo; encrypted: no text; not UTF-8: shown as hex', () => {
    const plain = transfer(withTx(v1Transfer(), { message: { payload: Buffer.from('deposit 42 ✓').toString('hex'), type: 1 } }));
    expect(plain).toMatchObject({ message: 'deposit 42 ✓', messageType: 1, amount: 1_001_000_000 });
    expect(transfer(withTx(v1Transfer(), { message: { payload: 'a1b2c3', type: 2 } }))).toMatchObject({ message: null, messageType: 2 });
    expect(transfer(withTx(v1Transfer(), { message: { payload: 'ff00', type: 1 } }))).toMatchObject({
      message: 'hex:ff00',
      messageType: 1,
    });
    expect(transfer(withTx(v1Transfer(), { message: { payload: '', type: 1 } }))).toMatchObject({ message: '', messageType: 1 });
  });

  it('(b) v2 with multiplier: 2,000,000 × 1 XEM-unit → 2 XEM, and 2 units of nextem:nex', () => {
    expect(transfer(v2Mosaics())).toMatchObject({
      hash: 'ef33af9b121f9891717bd582cd075435a93bff7fd568816f7bf2a0a5207b9447',
      sender: B_SENDER,
      recipient: 'NDY4RHUZ3CZOZ53O5HNEXTEM7UF5X3MMDGH4IMAD',
      amount: 2_000_000,
      fee: 2_000_000,
      mosaics: [{ namespaceId: 'nextem', name: 'nex', quantity: '2' }],
    });
  });

  it('v2: amount 1,000,000 with nem:xem 2,000,000,000 → 2,000 XEM', () => {
    const pair = withTx(v2Mosaics(), {
      amount: 1_000_000,
      mosaics: [{ quantity: 2_000_000_000, mosaicId: { namespaceId: 'nem', name: 'xem' } }],
    });
    expect(transfer(pair)).toMatchObject({ amount: 2_000_000_000, mosaics: [] });
  });

  it('v2: amount 0 with nem:xem → 0 XEM', () => {
    const pair = withTx(v2Mosaics(), { amount: 0, mosaics: [{ quantity: 5_000_000, mosaicId: { namespaceId: 'nem', name: 'xem' } }] });
    expect(transfer(pair).amount).toBe(0);
  });

  it('v2 with `mosaics: []` → the plain amount (4,060.23 XEM)', () => {
    expect(transfer(withTx(v2Mosaics(), { amount: 4_060_230_000, mosaics: [] })).amount).toBe(4_060_230_000);
  });

  it('v2 with only a non-XEM mosaic → 0 XEM, the mosaic moves (GetBlock example 87e2033d…)', () => {
    const pair = withTx(v2Mosaics(), {
      amount: 1_000_000,
      fee: 300_000,
      recipient: 'NCXIQA4FF5JB6AMQ53NQ3ZMRD3X3PJEWDJJJIGHT',
      mosaics: [{ mosaicId: { name: 'ch0459804891b', namespaceId: 'asset' }, quantity: 2_000_000 }],
    });
    pair.meta.hash.data = '87e2033d75b0e9d7445d9a617f70e45e2af116aed7c6895d586822316811e318';
    expect(transfer(pair)).toMatchObject({
      amount: 0,
      fee: 300_000,
      mosaics: [{ namespaceId: 'asset', name: 'ch0459804891b', quantity: '2000000' }],
    });
  });

  it('checks both namespaceId and name: nem:foo and xem:xem are not XEM', () => {
    const pair = withTx(v2Mosaics(), {
      amount: 1_000_000,
      mosaics: [
        { quantity: 7, mosaicId: { namespaceId: 'nem', name: 'foo' } },
        { quantity: 9, mosaicId: { namespaceId: 'xem', name: 'xem' } },
      ],
    });
    expect(transfer(pair)).toMatchObject({
      amount: 0,
      mosaics: [
        { namespaceId: 'nem', name: 'foo', quantity: '7' },
        { namespaceId: 'xem', name: 'xem', quantity: '9' },
      ],
    });
  });

  it('computes products beyond 2^53 exactly and floors the division', () => {
    const big = withTx(v2Mosaics(), {
      amount: 3_000_000,
      mosaics: [{ quantity: Number.MAX_SAFE_INTEGER, mosaicId: { namespaceId: 'big', name: 'units' } }],
    });
    expect(transfer(big).mosaics).toEqual([{ namespaceId: 'big', name: 'units', quantity: '27021597764222973' }]);
    // 999,999,999 × 9,000,000,000 ≈ 9·10^18 > 2^53; exact result 8,999,999,991,000 µXEM.
    const xem = withTx(v2Mosaics(), {
      amount: 999_999_999,
      mosaics: [{ quantity: 9_000_000_000, mosaicId: { namespaceId: 'nem', name: 'xem' } }],
    });
    expect(transfer(xem).amount).toBe(8_999_999_991_000);
    // (10^6 + 1)(10^6 − 1) / 10^6 = 999,999.999999 → 999,999.
    const floor = withTx(v2Mosaics(), {
      amount: 1_000_001,
      mosaics: [{ quantity: 999_999, mosaicId: { namespaceId: 'nem', name: 'xem' } }],
    });
    expect(transfer(floor).amount).toBe(999_999);
  });

  it('a self-transfer moves nothing (XEM or mosaics) but its fee is still paid', () => {
    expect(transfer(withTx(v1Transfer(), { recipient: A_SENDER }))).toMatchObject({
      sender: A_SENDER,
      recipient: A_SENDER,
      amount: 0,
      fee: 50_000,
    });
    expect(transfer(withTx(v2Mosaics(), { recipient: B_SENDER }))).toMatchObject({ amount: 0, mosaics: [], fee: 2_000_000 });
  });
});

describe('normalizeTransaction: multisig (type 4100)', () => {
  it('(c) the multisig account is the sender; fees 0.1 + 0.5 + 0.5 = 1.1 XEM are its; innerHash kept', () => {
    expect(transfer(multisigTransfer())).toEqual({
      hash: '3eef4c05b4018d2d32c62b24dcfd2f98d50daf6be8622fa20c7eca4d9c58487c',
      innerHash: 'c74f36e32561f1e701bc078cd4aad88d9635d88697ebbb423aa277e207406069',
      height: 1562196,
      timeStamp: 94577007,
      time: '2018-03-27T15:29:52.000Z', // Unix 1522164592
      sender: ZAIF,
      recipient: BINANCE,
      amount: 868_000_000,
      fee: 1_100_000,
      message: '100918823',
      messageType: 1,
      mosaics: [],
      type: 4100,
      signer: ZAIF_INITIATOR,
    });
  });

  it('a 1-of-n multisig has no cosignatures: fee = inner + outer', () => {
    const pair = multisigTransfer();
    pair.transaction.signatures = [];
    expect(transfer(pair).fee).toBe(600_000);
  });

  it('a 4100 wrapping a non-transfer is `other`, charged to the multisig account', () => {
    const pair = multisigTransfer();
    pair.transaction.otherTrans = { ...pair.transaction.otherTrans!, type: 4097 };
    expect(normalizeTransaction(pair)).toEqual({
      kind: 'other',
      other: { hash: pair.meta.hash.data, height: 1562196, timeStamp: 94577007, type: 4097, signer: ZAIF, fee: 1_100_000 },
    });
  });
});

describe('normalizeTransaction: other types', () => {
  it.each([2049, 4097, 8193, 16385, 16386])('type %i is recorded as `other` with signer and fee', (type) => {
    const pair = withTx(v1Transfer(), { type, fee: 150_000 });
    expect(normalizeTransaction(pair)).toEqual({
      kind: 'other',
      other: { hash: pair.meta.hash.data, height: 1412114, timeStamp: 85497762, type, signer: A_SENDER, fee: 150_000 },
    });
    expect(toTransfer(pair)).toBeNull();
  });
});

describe('normalizeTransaction: malformed input → TRACE_MALFORMED_RESPONSE naming the field', () => {
  it('wrong shapes and types', () => {
    malformed(null, 'item');
    malformed([], 'item');
    malformed({ meta: v1Transfer().meta }, 'transaction');
    malformed(withTx(v1Transfer(), { amount: '1001000000' }), 'transaction.amount');
    malformed(withTx(v1Transfer(), { fee: -1 }), 'transaction.fee');
    malformed(withTx(v1Transfer(), { fee: 1.5 }), 'transaction.fee');
    malformed(withTx(v1Transfer(), { timeStamp: null }), 'transaction.timeStamp');
    malformed(withTx(v1Transfer(), { type: '257' }), 'transaction.type');
    malformed(withTx(v2Mosaics(), { mosaics: {} }), 'transaction.mosaics');
    malformed(withTx(v2Mosaics(), { mosaics: [{ quantity: 1, mosaicId: { namespaceId: 'nem' } }] }), 'transaction.mosaics[0].mosaicId');
    malformed(
      withTx(v2Mosaics(), { mosaics: [{ quantity: -1, mosaicId: { namespaceId: 'nem', name: 'xem' } }] }),
      'transaction.mosaics[0].quantity',
    );
    malformed(withTx(v1Transfer(), { mosaics: [{ quantity: 1, mosaicId: { namespaceId: 'nem', name: 'xem' } }] }), 'transaction.mosaics');
    malformed(withTx(v1Transfer(), { message: { payload: 'abc', type: 1 } }), 'transaction.message.payload');
    malformed(withTx(v1Transfer(), { message: { payload: '00', type: 3 } }), 'transaction.message.type');
    const height = v1Transfer();
    height.meta.height = 0;
    malformed(height, 'meta.height');
    const id = v1Transfer() as unknown as { meta: Record<string, unknown> };
    delete id.meta.id;
    malformed(id, 'meta.id');
  });

  it('a bad hash', () => {
    for (const data of ['86a1a104', 'zz'.repeat(32), 42]) {
      const pair = v1Transfer() as unknown as { meta: { hash: { data: unknown } } };
      pair.meta.hash.data = data;
      malformed(pair, 'meta.hash.data');
    }
    const inner = multisigTransfer() as unknown as { meta: { innerHash: unknown } };
    inner.meta.innerHash = {};
    malformed(inner, 'meta.innerHash.data');
  });

  it('a bad address or public key', () => {
    malformed(withTx(v1Transfer(), { recipient: 'NC2KPEXZDILXDWO6Y2OY4W7FRSVFGKYC7VB6W4D5' }), 'transaction.recipient'); // checksum
    malformed(withTx(v1Transfer(), { recipient: 'TC2KPEXZDILXDWO6Y2OY4W7FRSVFGKYC7VB6W4D4' }), 'transaction.recipient'); // network
    malformed(withTx(v1Transfer(), { recipient: 'NC2KPE-XZDILX-DWO6Y2-OY4W7F-RSVFGK-YC7VB6-W4D4' }), 'transaction.recipient'); // dashes
    malformed(withTx(v1Transfer(), { signer: 'd7e062d8' }), 'transaction.signer');
    const ms = multisigTransfer();
    ms.transaction.otherTrans!.signer = 'not a key';
    malformed(ms, 'transaction.otherTrans.signer');
  });

  it('an amount beyond the supply, directly or through the v2 multiplier', () => {
    malformed(withTx(v1Transfer(), { amount: 9_000_000_000_000_000 }), 'transaction.amount');
    malformed(
      withTx(v2Mosaics(), {
        amount: 2_000_000,
        mosaics: [{ quantity: 8_000_000_000_000_000, mosaicId: { namespaceId: 'nem', name: 'xem' } }],
      }),
      'transaction.amount',
    );
  });

  it('a 4100 without otherTrans or with signatures that are not an array', () => {
    const noInner = multisigTransfer();
    delete noInner.transaction.otherTrans;
    malformed(noInner, 'transaction.otherTrans');
    const sigs = multisigTransfer() as unknown as { transaction: { signatures: unknown } };
    sigs.transaction.signatures = {};
    malformed(sigs, 'transaction.signatures');
    const sigFee = multisigTransfer();
    sigFee.transaction.signatures![0].fee = -5;
    malformed(sigFee, 'transaction.signatures[0].fee');
  });
});
