/**
 * The store contract, written once as `(factory) => void`: any back end that
 * `openStore` may grow must pass it. store.test.ts runs it against classic-level in temp dirs.
 */
import { describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import type { Transfer } from '../../src/nem/types.js';
import type { Store } from '../../src/store/index.js';
import type { JsonSublevel } from '../../src/screen/index-store.js';
import { seededShuffle } from '../../src/fixture/synthetic.js';
import { address, hashOf, transfer } from './transfers.js';

export { address, hashOf, transfer };

export interface StoreFactory {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** Close `store` and open the same directory again. */
  reopen(store: Store): Promise<Store>;
}

const shuffled = seededShuffle;
const chainOrder = (a: Transfer, b: Transfer) =>
  a.height - b.height || a.timeStamp - b.timeStamp || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    it('loadTransfers returns every stored transfer in chain order (height, timestamp, hash) whatever the write order', async () => {
      const store = await factory.open();
      // Same height and timestamp for 5 and 6: the hash breaks the tie.
      const all = Array.from({ length: 40 }, (_, n) => transfer(n, n === 6 ? { height: 1_475_005, timeStamp: 89_300_000 + 5 * 60 } : {}));
      const parts = shuffled(all, 1);
      for (let i = 0; i < parts.length; i += 7) await store.writeBatch({ transfers: parts.slice(i, i + 7) });
      expect(await store.loadTransfers()).toEqual([...all].sort(chainOrder));
      await store.close();
    });

    it('loadTransfers({ windowTo }) keeps transfers with timeStamp < windowTo', async () => {
      const store = await factory.open();
      const all = Array.from({ length: 10 }, (_, n) => transfer(n));
      await store.writeBatch({ transfers: all });
      const got = await store.loadTransfers({ windowTo: all[4].timeStamp });
      expect(got.map((t) => t.hash)).toEqual(all.slice(0, 4).map((t) => t.hash));
      await store.close();
    });

    it('stats digest depends on the stored set only: not on write order, batches or repeated writes', async () => {
      const all = Array.from({ length: 60 }, (_, n) => transfer(n));
      const a = await factory.open();
      await a.writeBatch({ transfers: all });
      const b = await factory.open();
      for (const t of shuffled(all, 7)) await b.writeBatch({ transfers: [t] });
      await b.writeBatch({ transfers: all.slice(10, 30) }); // again: idempotent
      const sa = await a.stats();
      const sb = await b.stats();
      expect(sb).toEqual(sa);
      expect(sa.transfers).toBe(60);
      expect(sa.tipHeight).toBe(1_475_059);
      expect(sa.digest).toMatch(/^[0-9a-f]{64}$/);
      const c = await factory.open();
      await c.writeBatch({ transfers: all.slice(1) });
      expect((await c.stats()).digest).not.toBe(sa.digest);
      const d = await factory.open();
      await d.writeBatch({ transfers: all.map((t, i) => (i === 3 ? { ...t, fee: t.fee + 1 } : t)) });
      expect((await d.stats()).digest).not.toBe(sa.digest);
      await Promise.all([a.close(), b.close(), c.close(), d.close()]);
    });

    it('an empty store has stats { 0, 0, 0, sha256("") }', async () => {
      const store = await factory.open();
      expect(await store.stats()).toEqual({
        transfers: 0,
        accounts: 0,
        tipHeight: 0,
        digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      });
      await store.close();
    });

    it('getTransfer / hasTransfers find transfers by hash', async () => {
      const store = await factory.open();
      const t = transfer(3, {
        innerHash: hashOf(99),
        type: 4100,
        mosaics: [{ namespaceId: 'ns', name: 'm', quantity: '12345678901234567890' }],
      });
      await store.writeBatch({ transfers: [t] });
      expect(await store.getTransfer(t.hash)).toEqual(t);
      expect(await store.getTransfer(hashOf(4))).toBeUndefined();
      expect(await store.hasTransfers([hashOf(4), t.hash])).toEqual([false, true]);
      await store.close();
    });

    it('a stored hash again with a different body (or so twice in a batch) is TRACE_MALFORMED_RESPONSE, nothing written', async () => {
      const store = await factory.open();
      const t = transfer(3);
      await store.writeBatch({ transfers: [t] });
      await store.writeBatch({ transfers: [t, t, transfer(4)] }); // the same body again: idempotent
      const lie = { ...t, recipient: address(50) };
      for (const transfers of [
        [transfer(5), lie],
        [transfer(5), transfer(6), { ...transfer(6), amount: 1 }],
      ]) {
        await expect(store.writeBatch({ transfers })).rejects.toMatchObject({ code: 'TRACE_MALFORMED_RESPONSE' });
      }
      expect(await store.getTransfer(t.hash)).toEqual(t);
      expect(await store.hasTransfers([transfer(5).hash, transfer(6).hash])).toEqual([false, false]);
      expect((await store.stats()).transfers).toBe(2);
      await store.close();
    });

    it('keeps per-account outgoing and incoming indexes in chain order', async () => {
      const store = await factory.open();
      const x = address(100),
        y = address(101),
        z = address(102);
      const ts = [
        transfer(1, { sender: x, recipient: y, height: 20 }),
        transfer(2, { sender: y, recipient: x, height: 10 }),
        transfer(3, { sender: x, recipient: z, height: 15 }),
        transfer(4, { sender: z, recipient: y, height: 5 }),
      ];
      await store.writeBatch({ transfers: shuffled(ts, 3) });
      expect((await store.accountTransfers(x, 'out')).map((t) => t.height)).toEqual([15, 20]);
      expect((await store.accountTransfers(x, 'in')).map((t) => t.height)).toEqual([10]);
      expect((await store.accountTransfers(y, 'in')).map((t) => t.height)).toEqual([5, 20]);
      expect(await store.accountTransfers(address(103), 'out')).toEqual([]);
      await store.close();
    });

    it('writes a page, its accounts, cursors and meta in one batch, and they survive a reopen', async () => {
      let store = await factory.open();
      const acct = { address: address(1), hop: 2, reachedAt: 89_300_123, exit: false, seed: false, expanded: false };
      const cursor = {
        address: address(1),
        list: 'out' as const,
        pass: { node: 'http://127.0.0.1:1', id: 1234, top: hashOf(5) },
        completeTo: null,
      };
      await store.writeBatch({ transfers: [transfer(5)], accounts: [acct], cursors: [cursor], meta: { chainHeight: 2_000_000 } });
      store = await factory.reopen(store);
      expect(await store.getAccount(address(1))).toEqual(acct);
      expect([...(await store.loadAccounts()).values()]).toEqual([acct]);
      expect(await store.getCursor(address(1), 'out')).toEqual(cursor);
      expect(await store.getCursor(address(1), 'in')).toBeUndefined();
      expect([...(await store.loadCursors()).keys()]).toEqual([`${address(1)}:out`]);
      expect(await store.getMeta('chainHeight')).toBe(2_000_000);
      expect((await store.stats()).tipHeight).toBe(2_000_000);
      expect((await store.stats()).accounts).toBe(1);
      await store.close();
    });

    it('a batch with a hash already stored at another chain position is TRACE_MALFORMED_RESPONSE, nothing of it written', async () => {
      const store = await factory.open();
      await store.writeBatch({ transfers: [transfer(1)] });
      const before = await store.stats();
      const err = await store
        .writeBatch({
          transfers: [transfer(2), { ...transfer(1), height: 5 }],
          accounts: [{ address: address(9), hop: 1, reachedAt: 0, exit: false, seed: false, expanded: false }],
        })
        .catch((e) => e);
      expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
      expect(await store.stats()).toEqual(before);
      expect(await store.getAccount(address(9))).toBeUndefined();
      await store.close();
    });

    it('stores labels and manifests', async () => {
      let store = await factory.open();
      await store.putLabels([
        { address: address(1), label: 'Zaif', category: 'exchange' },
        { address: address(2), label: 'thief', category: 'thief', confidence: 90 },
      ]);
      await store.putManifest('coincheck', { schema: 'tainttrace/manifest@1', storeDigest: 'x' });
      await store.putManifest('another', { n: 1 });
      store = await factory.reopen(store);
      expect((await store.loadLabels()).get(address(2))).toEqual({
        address: address(2),
        label: 'thief',
        category: 'thief',
        confidence: 90,
      });
      expect(await store.getManifest('coincheck')).toEqual({ schema: 'tainttrace/manifest@1', storeDigest: 'x' });
      expect(await store.getManifest('missing')).toBeUndefined();
      expect(await store.listManifests()).toEqual(['another', 'coincheck']);
      await store.close();
    });

    it("sublevel(name) is a JSON sublevel that satisfies the screening module's JsonSublevel", async () => {
      let store = await factory.open();
      const sub: JsonSublevel = store.sublevel('taint-index');
      await sub.batch([
        { type: 'put', key: 'meta', value: { schema: 's', n: [1, 2] } },
        { type: 'put', key: 'a:1', value: 'x' },
      ]);
      store = await factory.reopen(store);
      const keys: string[] = [];
      for await (const k of store.sublevel('taint-index').keys()) keys.push(k);
      expect(keys).toEqual(['a:1', 'meta']);
      expect(await store.sublevel('taint-index').get('meta')).toEqual({ schema: 's', n: [1, 2] });
      expect(() => store.sublevel('tx')).toThrow(TypeError);
      expect(() => store.sublevel('Bad Name')).toThrow(TypeError);
      await store.close();
    });

    it('an undecodable transfer record is TRACE_STORE_CORRUPT', async () => {
      let store = await factory.open();
      await store.writeBatch({ transfers: [transfer(1)] });
      // Reach under the API the way a damaged disk would.
      const raw = (store as unknown as { tx: { put(k: string, v: string): Promise<void> } }).tx;
      await raw.put('0001475002:0089300120:' + hashOf(2), '[1,"not a hash"]');
      expect(isTracerError(await store.stats({ reread: true }).catch((e) => e), 'TRACE_STORE_CORRUPT')).toBe(true);
      // Opened again, the kept stats state does not name the last record: stats() reads them all.
      store = await factory.reopen(store);
      for (const call of [() => store.loadTransfers(), () => store.stats()]) {
        const err = await call().catch((e) => e);
        expect(isTracerError(err, 'TRACE_STORE_CORRUPT')).toBe(true);
      }
      await store.close();
    });
  });
}
