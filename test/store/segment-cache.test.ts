/**
 * The segment cache's column path (src/store/segment-cache.ts, column-segments.ts): `loadColumns` gives
 * the taint core's columns in chain order with addresses numbered by first appearance, the same
 * whether the segments were appended batch by batch, rebuilt from the records, or built in memory for
 * a read-only store; appending keeps the stamp current in the transfer batch itself; damaged column
 * values are TRACE_STORE_CORRUPT and fall back to the records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import { seededShuffle } from '../../src/fixture/synthetic.js';
import type { Transfer } from '../../src/nem/types.js';
import { hashAt, openStore, type Store, type StoreColumns } from '../../src/store/index.js';
import { decodeAddressesInto, decodeColumnsInto, encodeAddresses, encodeColumns } from '../../src/store/column-segments.js';
import { address, hashOf, transfer } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'tt-store-cols-'));
let dbs = 0;
const fresh = () => join(root, `db${dbs++}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 10,000 transfers over 2,500 blocks (four per block), 60 accounts, some with equal timestamps. */
const many: Transfer[] = Array.from({ length: 10_000 }, (_, i) =>
  transfer(i, {
    height: 1_475_000 + Math.floor(i / 4),
    timeStamp: 89_300_000 + 15 * Math.floor(i / 2),
    sender: address((i * 7) % 60),
    recipient: address((i * 13 + 1) % 60),
    amount: (i % 97) * 1_000_003,
  }),
);
const chainOrder = (a: Transfer, b: Transfer) =>
  a.height - b.height || a.timeStamp - b.timeStamp || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
const sorted = [...many].sort(chainOrder);

/** The columns a correct loader gives for `ts` (chain order), ids by first appearance. */
function expectColumns(cols: StoreColumns, ts: readonly Transfer[]): void {
  expect(cols.n).toBe(ts.length);
  const firstSeen: string[] = [];
  const seen = new Set<string>();
  for (const t of ts)
    for (const a of [t.sender, t.recipient])
      if (!seen.has(a)) {
        seen.add(a);
        firstSeen.push(a);
      }
  expect(cols.addresses.slice(0, firstSeen.length)).toEqual(firstSeen);
  expect(cols.accounts).toBe(cols.addresses.length);
  const rows = (f: (k: number) => unknown) => Array.from({ length: cols.n }, (_, k) => f(k));
  expect(rows((k) => hashAt(cols, k))).toEqual(ts.map((t) => t.hash));
  expect([...cols.height]).toEqual(ts.map((t) => t.height));
  expect([...cols.timeStamp]).toEqual(ts.map((t) => t.timeStamp));
  expect([...cols.amount]).toEqual(ts.map((t) => t.amount));
  expect([...cols.fee]).toEqual(ts.map((t) => t.fee));
  expect(rows((k) => cols.addresses[cols.sender[k]])).toEqual(ts.map((t) => t.sender));
  expect(rows((k) => cols.addresses[cols.recipient[k]])).toEqual(ts.map((t) => t.recipient));
}

async function rawSeg(dir: string): Promise<Map<string, Buffer>> {
  const db = new Level<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  const got = new Map<string, Buffer>();
  for await (const [k, v] of db.iterator({ gte: '!seg!', lt: '!seg"' })) got.set(k, v);
  await db.close();
  return got;
}

/** Write `ts` in batches of `size`, then close. */
async function write(dir: string, ts: readonly Transfer[], size: number): Promise<void> {
  const store = await openStore(dir);
  for (let i = 0; i < ts.length; i += size) await store.writeBatch({ transfers: ts.slice(i, i + size) });
  await store.close();
}

describe('Store.loadColumns', () => {
  it('gives the chain-ordered columns, addresses numbered by first appearance, after a rebuild from the records', async () => {
    const dir = fresh();
    await write(dir, seededShuffle(many, 5), 700);
    expect((await rawSeg(dir)).has('!seg!stamp')).toBe(false);
    const store = await openStore(dir);
    const cols = await store.loadColumns();
    expectColumns(cols, sorted);
    expect((await store.loadColumns({ hashes: false })).hashes).toHaveLength(0);
    expect(await store.loadColumns()).toStrictEqual(cols); // from the stamped segments now
    await store.close();
    expect(JSON.parse((await rawSeg(dir)).get('!seg!stamp')!.toString())).toMatchObject({ segments: 3, transfers: 10_000, addresses: 60 });
  });

  it('batches in chain order are appended in the batch itself (stamp current throughout), to the same bytes as a rebuild', async () => {
    const appended = fresh();
    const store = await openStore(appended);
    // Cut at block boundaries (4 per block): every batch comes after the last stored block.
    for (const [a, b] of [
      [0, 4],
      [4, 400],
      [400, 4100],
      [4100, 4104],
      [4104, 9000],
      [9000, 10_000],
    ]) {
      await store.writeBatch({ transfers: seededShuffle(sorted.slice(a, b), a) });
      const seg = await segOf(store);
      expect(JSON.parse(seg.get('!seg!stamp')!.toString())).toMatchObject({ transfers: b });
    }
    expectColumns(await store.loadColumns(), sorted);
    await store.close();
    const rebuilt = fresh();
    await write(rebuilt, seededShuffle(many, 9), 2000);
    const s2 = await openStore(rebuilt);
    await s2.loadColumns();
    await s2.close();
    const [x, y] = [await rawSeg(appended), await rawSeg(rebuilt)];
    expect([...x.keys()]).toEqual([...y.keys()]);
    for (const [k, v] of x) if (k !== '!seg!stamp') expect(v.equals(y.get(k)!), k).toBe(true);
  });

  it('a batch into the last stored block or before it makes the segments stale; the next load rebuilds them', async () => {
    const dir = fresh();
    const store = await openStore(dir);
    await store.writeBatch({ transfers: sorted.slice(0, 1001) }); // block 250 is partly stored
    await store.writeBatch({ transfers: sorted.slice(1001, 2000) });
    await store.close();
    expect((await rawSeg(dir)).has('!seg!stamp')).toBe(false);
    const again = await openStore(dir);
    expectColumns(await again.loadColumns(), sorted.slice(0, 2000));
    await again.close();
  });

  it('windowTo keeps the rows with timeStamp < windowTo, hashes too', async () => {
    const dir = fresh();
    const ts = sorted.slice(0, 3000).map((t, i) => (i === 1500 ? { ...t, timeStamp: 1 } : t)); // out of time order in its block
    await write(dir, ts, 3000);
    const store = await openStore(dir);
    for (const windowTo of [0, 2, ts[1000].timeStamp, ts[2999].timeStamp + 1]) {
      const cols = await store.loadColumns({ windowTo });
      const want = ts.filter((t) => t.timeStamp < windowTo);
      expect(cols.n).toBe(want.length);
      want.forEach((t, k) => expect(hashAt(cols, k)).toBe(t.hash));
      expect([...cols.timeStamp]).toEqual(want.map((t) => t.timeStamp));
    }
    await store.close();
  });

  it('read-only: builds the same columns in memory and writes nothing', async () => {
    const dir = fresh();
    await write(dir, seededShuffle(many, 2), 900);
    const before = await rawSeg(dir);
    const ro = await openStore(dir, { readOnly: true });
    expectColumns(await ro.loadColumns(), sorted);
    await ro.close();
    expect(await rawSeg(dir)).toEqual(before);
  });

  it('a damaged column value is not used: the load falls back to the records and rewrites it', async () => {
    const dir = fresh();
    await write(dir, sorted, 10_000);
    const raw = new Level<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    const key = '!seg!c:0000000001';
    const bad = Buffer.from(await raw.get(key));
    bad.writeDoubleLE(-1, 8); // a negative amount
    await raw.put(key, bad);
    await raw.close();
    const store = await openStore(dir);
    expectColumns(await store.loadColumns(), sorted);
    await store.close();
    expect((await rawSeg(dir)).get(key)!.readDoubleLE(8)).toBeGreaterThanOrEqual(0);
  });

  it('transfersAt fetches the full records of chosen rows', async () => {
    const dir = fresh();
    await write(dir, sorted.slice(0, 50), 50);
    const store = await openStore(dir);
    const cols = await store.loadColumns();
    expect(await store.transfersAt(cols, [7, 0, 49])).toStrictEqual([sorted[7], sorted[0], sorted[49]]);
    await expect(store.transfersAt(await store.loadColumns({ hashes: false }), [0])).rejects.toThrow(RangeError);
    await store.close();
  });
});

describe('column values', () => {
  it('round-trip, and reject wrong sizes, negative or fractional amounts and unknown address ids as TRACE_STORE_CORRUPT', () => {
    const n = 3;
    const cols = {
      amount: new Float64Array([1, 2, 3]),
      fee: new Float64Array([0, 5, 0]),
      height: new Int32Array([7, 7, 8]),
      timeStamp: new Int32Array([1, 2, 3]),
      sender: new Int32Array([0, 1, 2]),
      recipient: new Int32Array([1, 2, 0]),
    };
    const buf = encodeColumns(cols, n);
    const dest = () => ({
      amount: new Float64Array(n),
      fee: new Float64Array(n),
      height: new Int32Array(n),
      timeStamp: new Int32Array(n),
      sender: new Int32Array(n),
      recipient: new Int32Array(n),
    });
    const d = dest();
    expect(decodeColumnsInto(buf, 'k', d, 0, 3)).toBe(3);
    expect(d).toEqual(cols);
    const corrupt = expect.objectContaining({ code: 'TRACE_STORE_CORRUPT' });
    expect(() => decodeColumnsInto(buf, 'k', dest(), 0, 2)).toThrow(corrupt); // id 2 of 2 accounts
    expect(() => decodeColumnsInto(buf.subarray(0, buf.length - 1), 'k', dest(), 0, 3)).toThrow(corrupt);
    for (const x of [-1, 0.5, 2 ** 53, Number.NaN]) {
      const b = Buffer.from(buf);
      b.writeDoubleLE(x, 8 + 8);
      expect(() => decodeColumnsInto(b, 'k', dest(), 0, 3)).toThrow(corrupt);
    }
    const addrs = [address(1), address(2)];
    const out: string[] = [];
    decodeAddressesInto(encodeAddresses(addrs), 'a', out);
    expect(out).toEqual(addrs);
    const lower = encodeAddresses([address(1).toLowerCase()]);
    expect(() => decodeAddressesInto(lower, 'a', [])).toThrow(corrupt);
    expect(hashOf(1)).toHaveLength(64);
  });
});

/** The seg values of an open store (LevelDB allows one handle per directory: read through the store's own). */
async function segOf(store: Store): Promise<Map<string, Buffer>> {
  const db = (store as unknown as { db: Level<string, string> }).db;
  const got = new Map<string, Buffer>();
  for await (const [k, v] of db.iterator<string, Buffer>({ gte: '!seg!', lt: '!seg"', valueEncoding: 'buffer' })) got.set(k, v);
  return got;
}
