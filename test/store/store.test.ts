import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { openStore, type Store } from '../../src/store/index.js';
import { buildTaintIndex, loadTaintIndex, loadTaintIndexFromDir, saveTaintIndex, saveTaintIndexToDir } from '../../src/screen/index.js';
import { smallResult } from '../screen/fixture.js';
import { indexDigest } from '../screen/index-digest.js';
import { storeContract, transfer } from './store.contract.js';
import { encodeTransfer } from '../../src/store/records.js';
import { chainKey } from '../../src/store/keys.js';

const root = mkdtempSync(join(tmpdir(), 'tt-store-'));
let n = 0;
const fresh = () => join(root, `db${n++}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

storeContract('classic-level (temp dir)', {
  open: () => openStore(fresh()),
  reopen: async (store: Store) => {
    await store.close();
    return openStore(store.dir);
  },
});

describe('openStore (classic-level specifics)', () => {
  it('throws TRACE_STORE_LOCKED when the directory is open elsewhere in this process', async () => {
    const dir = fresh();
    const a = await openStore(dir);
    const err = await openStore(dir).catch((e) => e);
    expect(isTracerError(err, 'TRACE_STORE_LOCKED')).toBe(true);
    await a.close();
  });

  it('throws TRACE_STORE_LOCKED when another process holds the directory', async () => {
    const dir = fresh();
    const script =
      `import { Level } from 'level'; const db = new Level(${JSON.stringify(dir)}); await db.open(); ` +
      `process.stdout.write('open\\n'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    try {
      const err = await openStore(dir).catch((e) => e);
      expect(isTracerError(err, 'TRACE_STORE_LOCKED')).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const s = await openStore(dir); // the lock dies with the process
    await s.close();
  });

  it('readOnly: a missing store is TRACE_STORE_EMPTY and the directory is not created; writes are refused', async () => {
    const dir = fresh();
    const err = await openStore(dir, { readOnly: true }).catch((e) => e);
    expect(isTracerError(err, 'TRACE_STORE_EMPTY')).toBe(true);
    expect(existsSync(dir)).toBe(false);
    const w = await openStore(dir);
    await w.writeBatch({ transfers: [transfer(1)] });
    await w.close();
    const r = await openStore(dir, { readOnly: true });
    expect((await r.stats()).transfers).toBe(1);
    await expect(r.writeBatch({ transfers: [transfer(2)] })).rejects.toThrow(TypeError);
    await r.close();
  });

  it('store.sublevel("taint-index") holds the taint index in the bytes src/screen/open-index.ts reads, both ways', async () => {
    const dir = fresh();
    const index = buildTaintIndex(smallResult());
    let store = await openStore(dir);
    await saveTaintIndex(store.sublevel('taint-index'), index);
    await store.close();
    // equal indexes: the same bytes and figures, and the same transfers as objects (the loaded one keeps its messages packed)
    const same = (loaded: typeof index) => {
      expect(indexDigest(loaded)).toBe(indexDigest(index));
      expect([...loaded.transfers.values()]).toEqual([...index.transfers.values()]);
    };
    same(await loadTaintIndexFromDir(dir));
    const dir2 = fresh();
    await saveTaintIndexToDir(dir2, index);
    store = await openStore(dir2);
    same(await loadTaintIndex(store.sublevel('taint-index')));
    await store.close();
  });
});

describe('Store.deleteTransfers (a fork took them back)', () => {
  it('removes transfers, their index entries, given accounts and cursors in one batch: the store is as if they never came', async () => {
    const all = [0, 1, 2, 3, 4].map((i) => transfer(i));
    const a = await openStore(fresh());
    const b = await openStore(fresh());
    const acct = { address: all[4].recipient, hop: 2, reachedAt: 0, exit: false, seed: false, expanded: true };
    await a.writeBatch({ transfers: all, accounts: [acct], cursors: [{ address: acct.address, list: 'in', pass: null, completeTo: '' }] });
    await a.loadTransfers(); // packed segments written: they must go stale
    await b.writeBatch({ transfers: all.slice(0, 3) });
    const gone = await a.deleteTransfers([all[3].hash, all[4].hash, 'f'.repeat(64)], { follow: { height: 7 } }, [acct.address]);
    expect(gone.map((t) => t.hash)).toEqual([all[3].hash, all[4].hash]);
    expect((await a.stats()).digest).toBe((await b.stats()).digest);
    expect((await a.loadTransfers()).map((t) => t.hash)).toEqual(all.slice(0, 3).map((t) => t.hash));
    expect(await a.accountTransfers(all[4].recipient, 'in')).toEqual([]);
    expect(await a.getAccount(acct.address)).toBeUndefined();
    expect(await a.getCursor(acct.address, 'in')).toBeUndefined();
    expect(await a.getMeta('follow')).toEqual({ height: 7 });
    await a.close();
    await b.close();
  });
});

describe('Store.writeNewTransfers (the import write pass)', () => {
  it('with the records the caller already encoded writes the same store as without them (same digest, same columns)', async () => {
    const ts = Array.from({ length: 30 }, (_, i) => transfer(i));
    const a = await openStore(fresh());
    const b = await openStore(fresh());
    await a.writeNewTransfers(ts);
    await b.writeNewTransfers(ts, ts.map(encodeTransfer));
    expect((await b.stats()).digest).toBe((await a.stats()).digest);
    expect((await b.loadColumns()).amount).toEqual((await a.loadColumns()).amount);
    await a.close();
    await b.close();
  });

  it('with the chain keys the caller already made too: the same store (same digest, columns, lookups by hash and account)', async () => {
    const ts = Array.from({ length: 30 }, (_, i) => transfer(i));
    const a = await openStore(fresh());
    const b = await openStore(fresh());
    await a.writeNewTransfers(ts);
    await b.writeNewTransfers(ts, ts.map(encodeTransfer), ts.map(chainKey));
    expect((await b.stats()).digest).toBe((await a.stats()).digest);
    expect(await b.loadColumns()).toEqual(await a.loadColumns());
    expect(await b.getTransfer(ts[7].hash)).toEqual(await a.getTransfer(ts[7].hash));
    expect(await b.accountTransfers(ts[3].recipient, 'in')).toEqual(await a.accountTransfers(ts[3].recipient, 'in'));
    await a.close();
    await b.close();
  });

  it('refuses records that do not pair with the transfers, writing nothing', async () => {
    const s = await openStore(fresh());
    const ts = [transfer(1), transfer(2)];
    await expect(s.writeNewTransfers(ts, [encodeTransfer(ts[0])])).rejects.toThrow(/1 records for 2 transfers/);
    await expect(s.writeNewTransfers(ts, ts.map(encodeTransfer), [chainKey(ts[0])])).rejects.toThrow(/1 keys for 2 transfers/);
    expect((await s.stats()).transfers).toBe(0);
    await s.close();
  });
});

describe('openStore({ bulk: true })', () => {
  it('writes a store that opens and reads the same without it (the write buffer is a LevelDB tuning, not a format)', async () => {
    const dir = fresh();
    const ts = Array.from({ length: 20 }, (_, i) => transfer(i));
    const bulk = await openStore(dir, { bulk: true });
    await bulk.writeNewTransfers(ts);
    const digest = (await bulk.stats()).digest;
    await bulk.close();
    const plain = await openStore(dir, { readOnly: true });
    expect((await plain.stats()).digest).toBe(digest);
    expect((await plain.loadColumns()).n).toBe(20);
    await plain.close();
  });
});
