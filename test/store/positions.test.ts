/**
 * Block positions in the store (src/store/keys.ts `pos`, docs/taint-semantics.md §2): recorded with a
 * transfer or for a stored one, attached by loadTransfers (chain order is then src/taint/order.ts's) and
 * applied by loadColumns (its rows come in that chain order); part of the digest; deleted with their transfer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32, seededShuffle } from '../../src/fixture/synthetic.js';
import type { Transfer } from '../../src/nem/types.js';
import { hashAt, openStore, type Store } from '../../src/store/index.js';
import { compareChainOrder } from '../../src/taint/order.js';
import { transfer } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'tt-pos-'));
let n = 0;
const fresh = () => openStore(join(root, `db${n++}`));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Three transfers in one block, in the block order c, a, b; by timestamp/hash they would sort a, b, c.
const h = 1_500_000;
const a = transfer(1, { height: h, timeStamp: 90_000_000 });
const b = transfer(2, { height: h, timeStamp: 90_000_000 });
const c = transfer(3, { height: h, timeStamp: 90_000_030 });
const before = transfer(4, { height: h - 1 });
const after = transfer(5, { height: h + 1 });
const byKey = [a, b].sort((x, y) => (x.hash < y.hash ? -1 : 1));

describe('block positions', () => {
  it('without positions a height sorts by timestamp then hash', async () => {
    const store = await fresh();
    await store.writeBatch({ transfers: [after, c, b, a, before] });
    expect((await store.loadTransfers()).map((t) => t.hash)).toEqual([before, ...byKey, c, after].map((t) => t.hash));
    await store.close();
  });

  it('recorded positions order a height by the block, on both load paths, and are attached to the transfers', async () => {
    const store = await fresh();
    await store.writeBatch({ transfers: [after, c, b, a, before] });
    await store.writeBatch({
      positions: [
        { ...c, position: 0 },
        { ...a, position: 1 },
        { ...b, position: 2 },
      ],
    });
    for (const segments of [false, true, true]) {
      const loaded = (await store.loadTransfers({ segments })).sort(compareChainOrder); // the store keeps key order; the core sorts
      expect(loaded.map((t) => t.hash)).toEqual([before, c, a, b, after].map((t) => t.hash));
      expect(loaded.map((t) => t.position)).toEqual([undefined, 0, 1, 2, undefined]);
    }
    expect(await store.loadPositions()).toEqual(
      new Map([
        [c.hash, 0],
        [a.hash, 1],
        [b.hash, 2],
      ]),
    );
    await store.close();
  });

  it('records the position a transfer carries when it is written', async () => {
    const store = await fresh();
    await store.writeBatch({
      transfers: [
        { ...b, position: 0 },
        { ...a, position: 1 },
      ],
    });
    expect((await store.loadTransfers()).sort(compareChainOrder).map((t) => [t.hash, t.position])).toEqual([
      [b.hash, 0],
      [a.hash, 1],
    ]);
    await store.close();
  });

  it('puts positions in the digest (same transfers, other order → other digest)', async () => {
    const one = await fresh();
    const two = await fresh();
    await one.writeBatch({ transfers: [a, b] });
    await two.writeBatch({ transfers: [b, a] });
    expect((await one.stats()).digest).toBe((await two.stats()).digest);
    await one.writeBatch({
      positions: [
        { ...a, position: 0 },
        { ...b, position: 1 },
      ],
    });
    await two.writeBatch({
      positions: [
        { ...b, position: 0 },
        { ...a, position: 1 },
      ],
    });
    expect((await one.stats()).digest).not.toBe((await two.stats()).digest);
    await one.close();
    await two.close();
  });

  it('refuses a position for a transfer that is not stored at that chain key', async () => {
    const store = await fresh();
    await store.writeBatch({ transfers: [a] });
    await expect(store.writeBatch({ positions: [{ ...b, position: 0 }] })).rejects.toThrow(TypeError);
    await expect(store.writeBatch({ positions: [{ ...a, height: h + 7, position: 0 }] })).rejects.toThrow(TypeError);
    await expect(store.writeBatch({ positions: [{ ...a, position: -1 }] })).rejects.toThrow(TypeError);
    expect(await store.loadPositions()).toEqual(new Map());
    await store.close();
  });

  it('deletes a transfer with its index entries and position in one batch; an absent hash is ignored', async () => {
    const store = await fresh();
    await store.writeBatch({ transfers: [{ ...a, position: 0 }, { ...b, position: 1 }, before] });
    const digestWithout = await (async () => {
      const other = await fresh();
      await other.writeBatch({ transfers: [{ ...b, position: 1 }, before] });
      const d = (await other.stats()).digest;
      await other.close();
      return d;
    })();
    await store.writeBatch({ deletes: [a.hash, 'f'.repeat(64)] });
    expect((await store.loadTransfers()).map((t) => t.hash)).toEqual([before.hash, b.hash]);
    expect(await store.getTransfer(a.hash)).toBeUndefined();
    expect((await store.accountTransfers(a.sender, 'out')).map((t) => t.hash)).not.toContain(a.hash);
    expect((await store.accountTransfers(a.recipient, 'in')).map((t) => t.hash)).not.toContain(a.hash);
    expect((await store.stats()).digest).toBe(digestWithout);
    await store.close();
  });

  it('a read-only store refuses positions and deletes', async () => {
    const store = await fresh();
    await store.writeBatch({ transfers: [a] });
    await store.close();
    const ro = await openStore(store.dir, { readOnly: true });
    await expect(ro.writeBatch({ deletes: [a.hash] })).rejects.toThrow(TypeError);
    await ro.close();
  });
});

/** The rows of loadColumns as (hash, amount, fee, height, timeStamp, sender, recipient). */
async function columnRows(store: Store, options: { windowTo?: number; hashes?: boolean } = {}): Promise<unknown[][]> {
  const cols = await store.loadColumns(options);
  const rows: unknown[][] = [];
  for (let k = 0; k < cols.n; k++) {
    rows.push([
      options.hashes === false ? null : hashAt(cols, k),
      cols.amount[k],
      cols.fee[k],
      cols.height[k],
      cols.timeStamp[k],
      cols.addresses[cols.sender[k]],
      cols.addresses[cols.recipient[k]],
    ]);
  }
  return rows;
}

const rowsOf = (ts: readonly Transfer[], hashes = true): unknown[][] =>
  ts.map((t) => [hashes ? t.hash : null, t.amount, t.fee, t.height, t.timeStamp, t.sender, t.recipient]);

describe('loadColumns in chain order', () => {
  // 400 transfers over 40 heights (several per block, some at one timestamp); most blocks have every
  // position recorded in a shuffled block order, some only a few, some none.
  const rng = mulberry32(11);
  const all: Transfer[] = [];
  for (let i = 0; i < 400; i++) {
    const height = 2_000_000 + Math.floor(rng() * 40);
    all.push(transfer(100 + i, { height, timeStamp: 95_000_000 + height * 60 + Math.floor(rng() * 3) }));
  }
  const positions: Array<Transfer & { position: number }> = [];
  const heights = [...new Set(all.map((t) => t.height))].sort((x, y) => x - y);
  heights.forEach((height, i) => {
    const block = seededShuffle(
      all.filter((t) => t.height === height),
      i,
    );
    const kind = i % 4; // 0, 1: every position; 2: the first two only; 3: none
    block.forEach((t, position) => {
      if (kind < 2 || (kind === 2 && position < 2)) positions.push({ ...t, position });
    });
  });
  const windowTo = 95_000_000 + (2_000_000 + 30) * 60;

  it('gives loadTransfers sorted by compareChainOrder, row by row, on every load path and with a window', async () => {
    const store = await fresh();
    await store.writeBatch({ transfers: seededShuffle(all, 3) });
    await store.writeBatch({ positions });
    const expected = (await store.loadTransfers({ segments: false })).sort(compareChainOrder);
    expect(expected.filter((t) => t.position !== undefined)).toHaveLength(positions.length);
    // block order differs from key order here, so the test can fail
    expect(expected.map((t) => t.hash)).not.toEqual(
      [...all].sort((x, y) => x.height - y.height || x.timeStamp - y.timeStamp || (x.hash < y.hash ? -1 : 1)).map((t) => t.hash),
    );
    expect(await columnRows(store)).toEqual(rowsOf(expected)); // rebuilds the segments
    expect(await columnRows(store)).toEqual(rowsOf(expected)); // from current segments
    expect(await columnRows(store, { hashes: false })).toEqual(rowsOf(expected, false));
    expect(await columnRows(store, { windowTo })).toEqual(rowsOf(expected.filter((t) => t.timeStamp < windowTo)));
    await store.close();
    const ro = await openStore(store.dir, { readOnly: true });
    expect(await columnRows(ro)).toEqual(rowsOf(expected));
    await ro.close();
  });

  it('follows a block order recorded after the segments were written', async () => {
    const store = await fresh();
    await store.writeBatch({ transfers: all });
    await columnRows(store); // segments current, in key order
    await store.writeBatch({ positions });
    const expected = (await store.loadTransfers()).sort(compareChainOrder);
    expect(await columnRows(store)).toEqual(rowsOf(expected));
    await store.close();
  });
});
