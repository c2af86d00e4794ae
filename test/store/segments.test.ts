/**
 * Packed segments (src/store/segments.ts) and how the store uses them: a segment decodes to exactly
 * the Transfer objects the records decode to; `loadTransfers` reads segments only while their stamp
 * is current, falls back to the records (and rewrites the segments) otherwise, never writes when
 * read-only, and gives the same answer either way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import { nemToIso } from '../../src/nem/time.js';
import type { Transfer } from '../../src/nem/types.js';
import { chainKey, openStore, RESERVED_SUBLEVELS } from '../../src/store/index.js';
import { decodeTransfer, encodeTransfer } from '../../src/store/records.js';
import { decodeSegment, encodeSegment, SEGMENT_SIZE, SegmentView } from '../../src/store/segments.js';
import { fieldsOf } from '../nem/row-fields.js';
import { address, hashOf, transfer } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'tt-store-seg-'));
let n = 0;
const fresh = () => join(root, `db${n++}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const addr = fc.oneof(fc.integer({ min: 0, max: 5 }).map(address), fc.stringMatching(/^[A-Z2-7]{40}$/));
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }),
  hex64.map((h) => `hex:${h}`),
  fc.constantFrom(
    '',
    'deposit 12345',
    '\ud800 lone',
    'tail \udfff',
    '\udc00\ud800',
    'ends high \ud83d',
    '\ude80 starts low',
    '日本語 memo 🚀',
    'a\u0000b',
  ),
);
const mosaic = fc.oneof(
  fc.constantFrom(
    { namespaceId: 'nem', name: 'xem', quantity: '1000000' },
    { namespaceId: 'dim', name: 'coin', quantity: '12345678901234567890' },
  ),
  fc.record({ namespaceId: text, name: text, quantity: fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String) }),
);
const arbTransfer: fc.Arbitrary<Transfer> = fc
  .record({
    hash: hex64,
    innerHash: fc.option(hex64),
    height: fc.integer({ min: 0, max: 9_999_999_999 }),
    timeStamp: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    sender: addr,
    recipient: addr,
    amount: fc.maxSafeNat(),
    fee: fc.maxSafeNat(),
    message: fc.option(text),
    messageType: fc.oneof(fc.constantFrom(0, 1, 2), fc.maxSafeNat()),
    mosaics: fc.array(mosaic, { maxLength: 4 }),
    type: fc.oneof(fc.constantFrom(257, 4100), fc.maxSafeNat()),
    signer: addr,
  })
  .map((r) => ({
    hash: r.hash,
    innerHash: r.innerHash,
    height: r.height,
    timeStamp: r.timeStamp,
    time: nemToIso(r.timeStamp),
    sender: r.sender,
    recipient: r.recipient,
    amount: r.amount,
    fee: r.fee,
    message: r.message,
    messageType: r.messageType,
    mosaics: r.mosaics,
    type: r.type,
    signer: r.signer,
  }));

/** What the record path yields for `t`: the reference a segment must reproduce. */
const viaRecord = (t: Transfer) => decodeTransfer(encodeTransfer(t), chainKey(t));

describe('encodeSegment / decodeSegment', () => {
  it('round-trip to exactly the Transfer objects the records decode to (random transfers)', () => {
    fc.assert(
      fc.property(fc.array(arbTransfer, { maxLength: 30 }), (ts) => {
        const out: Transfer[] = [];
        expect(decodeSegment(encodeSegment(ts), 'k', out)).toBe(ts.length);
        expect(out).toStrictEqual(ts.map(viaRecord));
      }),
      { numRuns: 300 },
    );
  });

  it('strings whose halves of a surrogate pair meet in the string table stay apart', () => {
    const ts = [
      transfer(1, { message: 'ends high \ud83d' }),
      transfer(2, { message: '\ude80 starts low' }),
      transfer(3, { message: '🚀' }),
    ];
    const out: Transfer[] = [];
    decodeSegment(encodeSegment(ts), 'k', out);
    expect(out.map((t) => t.message)).toEqual(['ends high \ud83d', '\ude80 starts low', '🚀']);
  });

  it('windowTo keeps exactly the transfers with timeStamp < windowTo, in order', () => {
    fc.assert(
      fc.property(fc.array(arbTransfer, { maxLength: 30 }), fc.integer({ min: 0, max: 2 ** 31 }), (ts, windowTo) => {
        const out: Transfer[] = [];
        decodeSegment(encodeSegment(ts), 'k', out, windowTo);
        expect(out).toStrictEqual(ts.filter((t) => t.timeStamp < windowTo).map(viaRecord));
      }),
      { numRuns: 200 },
    );
  });

  it('a full segment of SEGMENT_SIZE transfers round-trips; damaged bytes are TRACE_STORE_CORRUPT', () => {
    const ts = Array.from({ length: SEGMENT_SIZE }, (_, i) =>
      transfer(
        i,
        i % 5 === 0 ? { innerHash: hashOf(i + 1e6), type: 4100, mosaics: [{ namespaceId: 'nem', name: 'xem', quantity: String(i) }] } : {},
      ),
    );
    const buf = encodeSegment(ts);
    const out: Transfer[] = [];
    decodeSegment(buf, 'k', out);
    expect(out).toStrictEqual(ts.map(viaRecord));
    for (const damaged of [
      buf.subarray(0, buf.length - 1),
      Buffer.concat([buf, Buffer.from([0])]),
      Buffer.from([9, ...buf.subarray(1)]),
      buf.subarray(0, 10),
    ]) {
      expect(() => decodeSegment(damaged, 'k', [])).toThrow(expect.objectContaining({ code: 'TRACE_STORE_CORRUPT' }));
    }
    // Any truncation or stray byte of a segment with innerHashes and mosaics: corrupt, never another error.
    const small = encodeSegment(ts.slice(0, 12));
    for (let cut = 0; cut < small.length; cut += 7) {
      expect(() => decodeSegment(small.subarray(0, cut), 'k', [])).toThrow(expect.objectContaining({ code: 'TRACE_STORE_CORRUPT' }));
    }
    const nan = Buffer.from(buf);
    nan.writeDoubleLE(Number.NaN, 14); // the first height
    expect(() => decodeSegment(nan, 'k', [])).toThrow(expect.objectContaining({ code: 'TRACE_STORE_CORRUPT' }));
  });
});

describe('SegmentView: row fields read in place', () => {
  /** Row i's fields as the view reads them equal the fields of the transfer decodeSegment makes of row i. */
  const expectViewFields = (ts: readonly Transfer[]) => {
    const buf = encodeSegment(ts);
    const objects: Transfer[] = [];
    decodeSegment(buf, 'k', objects);
    const view = new SegmentView(buf, 'k');
    expect(view.n).toBe(ts.length);
    objects.forEach((t, i) => {
      const { message, messageType, innerHash, type, time, mosaics, signer } = t;
      expect(fieldsOf(view, i)).toStrictEqual({ message, messageType, innerHash, type, time, mosaics, signer });
    });
  };

  it("each field of each row equals the decoded transfer's (random transfers: ASCII, UTF-8 and UTF-16LE string tables)", () => {
    fc.assert(
      fc.property(fc.array(arbTransfer, { maxLength: 30 }), (ts) => expectViewFields(ts)),
      { numRuns: 300 },
    );
  });

  it('all three ways of reading strings: ASCII and UTF-16LE from the bytes, other UTF-8 from the text decoded once', () => {
    const base = Array.from({ length: 40 }, (_, i) =>
      transfer(
        i,
        i % 4 === 0 ? { innerHash: hashOf(i + 1e6), type: 4100, mosaics: [{ namespaceId: 'ts', name: 'w', quantity: `${i}` }] } : {},
      ),
    );
    const encodings: number[] = [];
    for (const memo of ['plain ascii memo', '日本語 memo 🚀', 'lone \ud800 surrogate']) {
      const ts = base.map((t, i) => (i === 7 ? { ...t, message: memo, messageType: 1 } : t));
      encodings.push(encodeSegment(ts)[1]);
      expectViewFields(ts);
    }
    expect(encodings).toEqual([0, 0, 1]);
    // a timeStamp past year 9999 takes nemToIso's path, as decodeSegment does
    expectViewFields([transfer(1, { timeStamp: 2 ** 31 - 1 }), transfer(2, { timeStamp: 2 ** 33 })]);
  });

  it('a damaged segment fails whole when the view is made (the rules decodeSegment applies), whichever row is wanted', () => {
    const ts = Array.from({ length: 12 }, (_, i) => transfer(i, i % 3 === 0 ? { innerHash: hashOf(i + 1e6), message: 'm' } : {}));
    const buf = encodeSegment(ts);
    const damaged = [buf.subarray(0, buf.length - 1), Buffer.concat([buf, Buffer.from([0])]), Buffer.from([9, ...buf.subarray(1)])];
    const neg = Buffer.from(buf);
    neg.writeDoubleLE(-1, 14 + 8 * 5 * 12); // the type of row 0 (a column no field check would reach but type)
    damaged.push(neg);
    const flag = Buffer.from(buf);
    flag[14 + 8 * 6 * 12 + 4 * 5 * 12 + 11] = 2; // row 11's innerHash flag
    damaged.push(flag);
    for (let cut = 0; cut < buf.length; cut += 13) damaged.push(buf.subarray(0, cut));
    for (const bad of damaged) {
      expect(() => new SegmentView(bad, 'k')).toThrow(expect.objectContaining({ code: 'TRACE_STORE_CORRUPT' }));
      expect(() => decodeSegment(bad, 'k', [])).toThrow(expect.objectContaining({ code: 'TRACE_STORE_CORRUPT' }));
    }
  });
});

/** Every raw key/value under `!seg!` (the store must be closed). */
async function rawSeg(dir: string): Promise<Map<string, Buffer>> {
  const db = new Level<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  const got = new Map<string, Buffer>();
  for await (const [k, v] of db.iterator({ gte: '!seg!', lt: '!seg"' })) got.set(k, v);
  await db.close();
  return got;
}

async function rawDo(dir: string, fn: (db: Level<string, string>) => Promise<void>): Promise<void> {
  const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await fn(db);
  await db.close();
}

/** 9,000 transfers (three segments), some multisig with mosaics, written in shuffled pages. */
const many = Array.from({ length: 9000 }, (_, i) =>
  transfer(i, {
    height: 1_475_000 + Math.floor(i / 3),
    ...(i % 11 === 0
      ? { innerHash: hashOf(i + 1e6), type: 4100, mosaics: [{ namespaceId: 'nem', name: 'xem', quantity: String(i) }] }
      : {}),
  }),
);

async function filled(dir: string, ts: readonly Transfer[] = many): Promise<void> {
  const store = await openStore(dir);
  for (let i = 0; i < ts.length; i += 1000) await store.writeBatch({ transfers: ts.slice(i, i + 1000) });
  await store.close();
}

describe('Store.loadTransfers with segments', () => {
  it("'seg' is reserved", () => {
    expect(RESERVED_SUBLEVELS).toContain('seg');
  });

  it('the first load writes the segments and a stamp; later loads read them and give the same transfers', async () => {
    const dir = fresh();
    await filled(dir);
    let store = await openStore(dir);
    const records = await store.loadTransfers({ segments: false });
    expect(records).toHaveLength(9000);
    expect(await store.loadTransfers()).toStrictEqual(records); // records path, writes the segments
    await store.close();
    const seg = await rawSeg(dir);
    expect([...seg.keys()]).toEqual(
      ['a', 'c', 'd', 'h'].flatMap((kind) => [0, 1, 2].map((i) => `!seg!${kind}:000000000${i}`)).concat('!seg!stamp'),
    );
    expect(JSON.parse(seg.get('!seg!stamp')!.toString())).toMatchObject({ segments: 3, transfers: 9000 });
    // Change a record under the API (the stamp stays): a load that still shows the old amount read the segments.
    const t = records[100];
    await rawDo(dir, (db) => db.put(`!tx!${chainKey(t)}`, encodeTransfer({ ...t, amount: t.amount + 1 })));
    store = await openStore(dir);
    expect(await store.loadTransfers()).toStrictEqual(records);
    expect((await store.loadTransfers({ segments: false }))[100].amount).toBe(t.amount + 1);
    await store.close();
  });

  it('an empty store loads [] and stamps zero segments', async () => {
    const dir = fresh();
    const store = await openStore(dir);
    expect(await store.loadTransfers()).toEqual([]);
    expect(await store.loadTransfers()).toEqual([]);
    await store.close();
    const seg = await rawSeg(dir);
    expect([...seg.keys()]).toEqual(['!seg!stamp']);
    expect(JSON.parse(seg.get('!seg!stamp')!.toString())).toMatchObject({ segments: 0, transfers: 0 });
  });

  it('windowTo gives the same transfers from the segments as from the records', async () => {
    const dir = fresh();
    await filled(dir);
    const store = await openStore(dir);
    await store.loadTransfers();
    for (const windowTo of [
      0,
      many[0].timeStamp,
      many[1].timeStamp,
      many[4096].timeStamp,
      many[5000].timeStamp + 1,
      many[8999].timeStamp,
      2 ** 31,
      null,
    ]) {
      const fromRecords = await store.loadTransfers({ windowTo, segments: false });
      expect(await store.loadTransfers({ windowTo })).toStrictEqual(fromRecords);
      expect(fromRecords.every((t) => windowTo === null || t.timeStamp < windowTo)).toBe(true);
    }
    await store.close();
    expect((await rawSeg(dir)).has('!seg!stamp')).toBe(true);
  });

  it('a writeBatch with transfers deletes the stamp in its own batch; the next load reads the records and restamps', async () => {
    const dir = fresh();
    const inner = many[2500]; // not the first or last chain key: only the deleted stamp can tell
    await filled(
      dir,
      many.slice(0, 5001).filter((t) => t !== inner),
    );
    let store = await openStore(dir);
    await store.loadTransfers();
    await store.writeBatch({ cursors: [{ address: address(1), list: 'in', pass: null, completeTo: '' }] }); // no transfers: stamp kept
    await store.writeBatch({ transfers: [inner] });
    await store.close();
    expect((await rawSeg(dir)).has('!seg!stamp')).toBe(false);
    store = await openStore(dir);
    const got = await store.loadTransfers();
    expect(got).toHaveLength(5001);
    expect(got).toStrictEqual(await store.loadTransfers({ segments: false }));
    await store.close();
    expect(JSON.parse((await rawSeg(dir)).get('!seg!stamp')!.toString())).toMatchObject({ segments: 2, transfers: 5001 });
  });

  it('segments without a stamp (a crash before the stamp) are not used', async () => {
    const dir = fresh();
    await filled(dir, many.slice(0, 100));
    // Segments for a different set, as a rewrite cut off before its stamp would leave them.
    await rawDo(dir, async (db) => {
      const seg = db.sublevel<string, Buffer>('seg', { valueEncoding: 'buffer' });
      await seg.put('d:0000000000', encodeSegment(many.slice(0, 50).map((t) => ({ ...t, amount: 1 }))));
    });
    const store = await openStore(dir);
    const got = await store.loadTransfers();
    expect(got).toStrictEqual(many.slice(0, 100).map(viaRecord));
    expect(await store.loadTransfers()).toStrictEqual(got); // now from fresh segments
    await store.close();
  });

  it('a stamp that no longer names the first and last stored chain key (tx written without the Store) is ignored', async () => {
    const dir = fresh();
    await filled(dir, many.slice(0, 100));
    let store = await openStore(dir);
    await store.loadTransfers();
    await store.close();
    const extra = transfer(20_000);
    await rawDo(dir, (db) => db.put(`!tx!${chainKey(extra)}`, encodeTransfer(extra)));
    store = await openStore(dir);
    const got = await store.loadTransfers();
    expect(got).toHaveLength(101);
    expect(got[100]).toStrictEqual(extra);
    await store.close();
  });

  it('a damaged segment falls back to the records (and is rewritten)', async () => {
    const dir = fresh();
    await filled(dir, many.slice(0, 5000));
    let store = await openStore(dir);
    const want = await store.loadTransfers();
    await store.close();
    await rawDo(dir, (db) => db.sublevel<string, Buffer>('seg', { valueEncoding: 'buffer' }).put('d:0000000001', Buffer.from([1, 0, 0])));
    store = await openStore(dir);
    expect(await store.loadTransfers()).toStrictEqual(want);
    await store.close();
    expect((await rawSeg(dir)).get('!seg!d:0000000001')!.length).toBeGreaterThan(3);
  });

  it('a read-only store never writes segments, but reads current ones', async () => {
    const dir = fresh();
    let store = await openStore(dir);
    await store.writeBatch({ transfers: many.slice(150, 300) }); // appended to the (empty) segments
    await store.writeBatch({ transfers: many.slice(0, 150) }); // before them: the stamp goes
    await store.close();
    expect((await rawSeg(dir)).has('!seg!stamp')).toBe(false);
    const before = await rawSeg(dir);
    store = await openStore(dir, { readOnly: true });
    const want = await store.loadTransfers();
    expect(want).toHaveLength(300);
    const cols = await store.loadColumns();
    expect(cols.n).toBe(300);
    await store.close();
    expect(await rawSeg(dir)).toEqual(before);
    store = await openStore(dir);
    await store.loadTransfers();
    await store.close();
    const t = want[7];
    await rawDo(dir, (db) => db.put(`!tx!${chainKey(t)}`, encodeTransfer({ ...t, fee: t.fee + 1 })));
    store = await openStore(dir, { readOnly: true });
    expect(await store.loadTransfers()).toStrictEqual(want); // from the segments
    await store.close();
  });

  it('a load racing transfer batches never leaves a stale stamp behind', async () => {
    const dir = fresh();
    // Even transfers stored; the odd ones arrive while loads run (interior keys: first/last unchanged).
    await filled(
      dir,
      many.filter((_, i) => i % 2 === 0 || i === 8999),
    );
    let store = await openStore(dir);
    const odd = many.filter((_, i) => i % 2 === 1 && i !== 8999);
    const chunk = (k: number) => odd.filter((_, i) => i % 16 === k);
    for (let k = 0; k < 16; k += 2) {
      await store.writeBatch({ transfers: chunk(k) }); // no current stamp now
      // The load is called first: its scan usually starts before the batch is written, and ends after.
      await Promise.all([store.loadTransfers(), store.writeBatch({ transfers: chunk(k + 1) })]);
      expect(await store.loadTransfers()).toStrictEqual(await store.loadTransfers({ segments: false }));
    }
    await store.close();
    store = await openStore(dir);
    const fromRecords = await store.loadTransfers({ segments: false });
    expect(fromRecords).toHaveLength(9000);
    expect(await store.loadTransfers()).toStrictEqual(fromRecords);
    expect(await store.loadTransfers()).toStrictEqual(fromRecords);
    await store.close();
  });
});
