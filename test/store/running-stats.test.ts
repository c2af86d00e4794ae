/**
 * Store.stats() carried on between writes (src/store/running-stats.ts): after appends at the end, a backfill
 * below it, deletions (a fork), accounts, positions and a concurrent write, it gives exactly what a full read of
 * the same store gives (the store reopened: nothing carried), and after appends it did not read the records again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type StoreStats } from '../../src/store/index.js';
import { transfer } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'tt-running-'));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The stats of a full read: the same directory opened again (the running state is per open store). */
async function fullRead(store: Store): Promise<{ store: Store; stats: StoreStats }> {
  await store.close();
  const again = await openStore(store.dir);
  return { store: again, stats: await again.stats() };
}

/** Whether the store's stats are carried on (its transfer records were not read again). */
const carried = (store: Store) => (store as unknown as { running: { transfers(): unknown } }).running.transfers() !== null;

const account = (address: string) => ({ address, hop: 1, reachedAt: 0, exit: false, seed: false, expanded: false });

describe('Store.stats carried on between writes', () => {
  it('equals a full read after appends, a backfill, a fork, accounts and positions', async () => {
    let store = await openStore(join(root, `db${n++}`));
    const check = async (): Promise<void> => {
      const got = await store.stats();
      const full = await fullRead(store);
      store = full.store;
      expect(got).toEqual(full.stats);
      await store.stats(); // the reopened store starts carrying again
    };
    await store.writeBatch({ transfers: [10, 11, 12].map((i) => transfer(i)) });
    await check();
    // appends after the end: carried on, never read again
    for (const i of [13, 15, 17]) {
      await store.writeBatch({ transfers: [transfer(i + 1), transfer(i)] });
      expect(carried(store)).toBe(true);
      await check();
    }
    // the same block again (a restart re-reads it): nothing new
    await store.writeBatch({ transfers: [transfer(17)] });
    expect(carried(store)).toBe(true);
    await check();
    // a backfill below the end: read again, then carried on
    await store.writeBatch({ transfers: [transfer(3)] });
    expect(carried(store)).toBe(false);
    await check();
    expect(carried(store)).toBe(true);
    // a fork deletes the newest
    await store.deleteTransfers([transfer(18).hash, transfer(17).hash]);
    expect(carried(store)).toBe(false);
    await check();
    // deletes in a batch, accounts (new and overwritten), positions
    await store.writeBatch({ deletes: [transfer(16).hash], transfers: [transfer(19)] });
    await check();
    await store.writeBatch({ accounts: [account(transfer(1).sender), account(transfer(2).sender)] });
    await check();
    await store.writeBatch({ accounts: [account(transfer(1).sender)], transfers: [transfer(20)] });
    await check();
    await store.writeBatch({ transfers: [transfer(21)], positions: [{ ...transfer(21), position: 2 }] });
    await check();
    await store.close();
  });

  it('a write while a full read runs is not lost', async () => {
    const store = await openStore(join(root, `db${n++}`));
    await store.writeBatch({ transfers: Array.from({ length: 3000 }, (_, i) => transfer(i)) });
    const reading = store.stats();
    await store.writeBatch({ transfers: [transfer(5000)] });
    await reading;
    const got = await store.stats();
    const full = await fullRead(store);
    expect(got).toEqual(full.stats);
    expect(got.transfers).toBe(3001);
    await full.store.close();
  });
});
