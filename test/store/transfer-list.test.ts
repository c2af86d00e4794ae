/**
 * Store.loadTransferTable (src/store/transfer-list.ts): the columns and, for row k, the very transfer
 * `loadTransfers(…).sort(compareChainOrder)` has at k — block positions included — made from the packed
 * segments kept raw, over segment boundaries, in block order, with a window that is not a prefix of the
 * chain (a later height with an earlier timestamp), read-only (in memory) as from current segments; each
 * segment decoded once when the rows are read in order; a damaged packed value is TRACE_STORE_CORRUPT. Each row's
 * fields (messageAt(k), innerHashAt(k), …) equal the transfer's, read without making one; a damaged segment fails
 * every field of every one of its rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32, seededShuffle } from '../../src/fixture/synthetic.js';
import type { Transfer } from '../../src/nem/types.js';
import { DECODED_SEGMENTS_KEPT, hashAt, openStore, type Store } from '../../src/store/index.js';
import { SEGMENT_SIZE } from '../../src/store/segments.js';
import { compareChainOrder } from '../../src/taint/index.js';
import { expectRowFields } from '../nem/row-fields.js';
import { address, hashOf, transfer } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'tt-store-list-'));
let dbs = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

// 9,000 transfers (three segments) over 900 heights; every third height's timestamps run 10 minutes early, so a
// window keeps rows after rows it cuts; most blocks have positions recorded in a shuffled block order.
const rng = mulberry32(5);
const all: Transfer[] = [];
for (let i = 0; i < 9000; i++) {
  const height = 3_000_000 + Math.floor(i / 10);
  const early = height % 3 === 0 ? 600 : 0;
  all.push(
    transfer(1000 + i, {
      height,
      timeStamp: 96_000_000 + height * 60 - early + Math.floor(rng() * 3),
      sender: address(i % 40),
      recipient: address((i * 7 + 3) % 40),
      mosaics: i % 500 === 0 ? [{ namespaceId: 'ts', name: 'warning', quantity: '1' }] : [],
      ...(i % 7 === 0 ? { message: i % 2 === 0 ? `deposit ${i}` : `入金 ${i} 🚀`, messageType: 1 } : { message: null, messageType: 0 }),
      ...(i % 13 === 0 ? { innerHash: hashOf(i + 1e6), type: 4100, signer: address(41) } : {}),
    }),
  );
}
const positions: Array<Transfer & { position: number }> = [];
for (const height of new Set(all.map((t) => t.height))) {
  if (height % 5 === 4) continue; // some blocks without positions
  seededShuffle(
    all.filter((t) => t.height === height),
    height,
  ).forEach((t, position) => positions.push({ ...t, position }));
}

async function stored(): Promise<Store> {
  const store = await openStore(join(root, `db${dbs++}`));
  await store.writeBatch({ transfers: seededShuffle(all, 2) });
  await store.writeBatch({ positions });
  return store;
}

async function expectTable(store: Store, windowTo: number | null): Promise<void> {
  const expected = (await store.loadTransfers({ segments: false, windowTo })).sort(compareChainOrder);
  const { cols, transfers } = await store.loadTransferTable({ windowTo });
  expect(transfers.length).toBe(expected.length);
  expect(cols.n).toBe(expected.length);
  for (let k = 0; k < cols.n; k++) expect(hashAt(cols, k)).toBe(expected[k].hash);
  expectRowFields(transfers, expected); // each field read without an object first
  expect(transfers.decodes).toBe(0);
  expect([...transfers]).toEqual(expected);
  expect(transfers.at(-1)).toBeUndefined();
  expect(transfers.at(expected.length)).toBeUndefined();
}

describe('Store.loadTransferTable', () => {
  it('row k is the transfer loadTransfers sorts to k: positions, segment boundaries, rebuilt and current segments', async () => {
    const store = await stored();
    const sorted = (await store.loadTransfers()).sort(compareChainOrder);
    expect(sorted.filter((t) => t.position !== undefined).length).toBe(positions.length);
    expect(sorted.map((t) => t.hash)).not.toEqual([...all].map((t) => t.hash)); // block order is not key order here
    await expectTable(store, null); // rebuilds the segments
    await expectTable(store, null); // from current ones
    await store.close();
  });

  it('a window that is not a prefix of the chain: the rows kept are the right transfers', async () => {
    const store = await stored();
    const windowTo = 96_000_000 + (3_000_000 + 450) * 60 - 300;
    const kept = all.filter((t) => t.timeStamp < windowTo);
    const cut = all.filter((t) => !(t.timeStamp < windowTo));
    expect(Math.min(...cut.map((t) => t.height))).toBeLessThan(Math.max(...kept.map((t) => t.height)));
    await expectTable(store, windowTo);
    await store.close();
    const ro = await openStore(store.dir, { readOnly: true });
    await expectTable(ro, windowTo);
    await ro.close();
  });

  it('read-only without current segments: built in memory, the same list', async () => {
    const store = await openStore(join(root, `db${dbs++}`));
    await store.writeBatch({ transfers: all });
    await store.writeBatch({ positions });
    await store.close();
    const ro = await openStore(store.dir, { readOnly: true });
    await expectTable(ro, null);
    await ro.close();
  });

  it('reading the rows in order decodes each segment once; a few decoded segments are kept', async () => {
    const store = await stored();
    const { transfers } = await store.loadTransferTable();
    const segments = Math.ceil(all.length / SEGMENT_SIZE);
    let n = 0;
    for (const t of transfers) n += t.amount > 0 ? 1 : 0;
    expect(n).toBe(all.length);
    expect(transfers.decodes).toBe(segments);
    expect(transfers.at(0)).toBe(transfers.at(0)); // kept: the same object
    expect(segments).toBeLessThanOrEqual(DECODED_SEGMENTS_KEPT);
    expect(transfers.packedBytes).toBeGreaterThan(all.length * 64);
    await store.close();
  });

  it('a damaged packed transfer value is TRACE_STORE_CORRUPT when its row is read, never a wrong transfer', async () => {
    const store = await stored();
    await store.loadTransferTable(); // segments current
    await store.close();
    const raw = new Level<string, Buffer>(store.dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    const key = '!seg!d:0000000001';
    const bad = Buffer.from(await raw.get(key));
    bad.writeDoubleLE(-5, 14); // the first height of the segment: negative
    await raw.put(key, bad);
    await raw.close();
    const again = await openStore(store.dir);
    const { transfers } = await again.loadTransferTable();
    expect(transfers.at(0)!.hash).toBeDefined(); // segment 0 is sound
    expect(() => transfers.at(SEGMENT_SIZE + 100)).toThrow(expect.objectContaining({ code: 'TRACE_STORE_CORRUPT' }) as Error);
    await again.close();
  });

  it('a damaged packed value fails every field of every row of its segment (never one read from it), others read on', async () => {
    const store = await stored();
    await store.loadTransferTable();
    await store.close();
    const raw = new Level<string, Buffer>(store.dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    const key = '!seg!d:0000000001';
    const whole = await raw.get(key);
    await raw.put(key, whole.subarray(0, whole.length - 1)); // the string table's last byte cut off

    await raw.close();
    const again = await openStore(store.dir);
    const { cols, transfers } = await again.loadTransferTable();
    const corrupt = expect.objectContaining({ code: 'TRACE_STORE_CORRUPT' }) as Error;
    for (const k of [SEGMENT_SIZE, SEGMENT_SIZE + 7, 2 * SEGMENT_SIZE - 1]) {
      expect(() => transfers.typeAt(k)).toThrow(corrupt); // a number: the segment is still checked whole
      expect(() => transfers.messageAt(k)).toThrow(corrupt);
      expect(() => transfers.innerHashAt(k)).toThrow(corrupt);
      expect(() => transfers.at(k)).toThrow(corrupt);
    }
    expect(transfers.messageAt(7)).toBe(all.find((t) => t.hash === hashAt(cols, 7))?.message);
    await again.close();
  });

  it('fields outside the rows are RangeErrors; row fields make no objects, and each segment view once when read in order', async () => {
    const store = await stored();
    const { transfers } = await store.loadTransferTable();
    for (const k of [-1, transfers.length, 0.5]) expect(() => transfers.messageAt(k)).toThrow(RangeError);
    for (let k = 0; k < transfers.length; k++) transfers.timeAt(k);
    expect(transfers.viewsMade).toBe(Math.ceil(all.length / SEGMENT_SIZE));
    expect(transfers.decodes).toBe(0);
    await store.close();
  });
});
