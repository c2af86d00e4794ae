/**
 * The on-disk bytes of `writeBatch`, read back with plain `level` (no Store code): one entry per
 * sublevel as docs/architecture.md §1 lays them out — `!tx!` chain key → canonical record, `!hash!` hash → chain
 * key, `!out!`/`!in!` address:chain key → '', `!account!`, `!cursor!`, `!meta!` JSON — and nothing
 * else. Pins the format whatever way the batch is built.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type AccountRecord, type CursorRecord } from '../../src/store/index.js';
import { address, transfer } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'tt-store-format-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pad = (n: number) => String(n).padStart(10, '0');

describe('Store.writeBatch on disk', () => {
  it('writes exactly the documented keys and values, atomically in one batch', async () => {
    const dir = join(root, 'db');
    const store = await openStore(dir);
    const t1 = transfer(1);
    const t2 = transfer(2, { mosaics: [{ namespaceId: 'dim', name: 'coin', quantity: '5' }] });
    const acc: AccountRecord = { address: address(3), hop: 1, reachedAt: 89_300_060, exit: false, seed: false, expanded: true };
    const cur: CursorRecord = {
      address: address(3),
      list: 'out',
      pass: { node: 'http://n:7890', id: 42, top: t1.hash },
      completeTo: null,
      spec: 'w=-',
    };
    await store.writeBatch({ transfers: [t1, t2], accounts: [acc], cursors: [cur], meta: { chainHeight: 1_500_000 } });
    await store.close();

    const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const got: Record<string, string> = {};
    for await (const [k, v] of db.iterator()) got[k] = v;
    await db.close();
    // The batch appended to the (empty, so current) segment cache: one segment of each kind and the stamp.
    const seg = Object.keys(got).filter((k) => k.startsWith('!seg!'));
    expect(seg).toEqual(['!seg!a:0000000000', '!seg!c:0000000000', '!seg!d:0000000000', '!seg!h:0000000000', '!seg!stamp']);
    expect(JSON.parse(got['!seg!stamp'])).toMatchObject({ segments: 1, transfers: 2, addresses: 3 });
    for (const k of seg) delete got[k];

    const expected: Record<string, string> = {};
    for (const t of [t1, t2]) {
      const ck = `${pad(t.height)}:${pad(t.timeStamp)}:${t.hash}`;
      expected[`!tx!${ck}`] = JSON.stringify([
        1,
        t.hash,
        t.innerHash,
        t.height,
        t.timeStamp,
        t.sender,
        t.recipient,
        t.amount,
        t.fee,
        t.message,
        t.messageType,
        t.mosaics.map((m) => [m.namespaceId, m.name, m.quantity]),
        t.type,
        t.signer,
      ]);
      expected[`!hash!${t.hash}`] = ck;
      expected[`!out!${t.sender}:${ck}`] = '';
      expected[`!in!${t.recipient}:${ck}`] = '';
    }
    expected[`!account!${acc.address}`] = JSON.stringify(acc);
    expected[`!cursor!${cur.address}:out`] = JSON.stringify(cur);
    expected['!meta!chainHeight'] = '1500000';
    // The digest's running state after the two records (src/store/running-stats.ts), in the same batch.
    const kept = JSON.parse(got['!meta!stats.running']) as Record<string, unknown>;
    delete got['!meta!stats.running'];
    const last = `${pad(t2.height)}:${pad(t2.timeStamp)}:${t2.hash}`;
    expect(kept).toEqual({ v: 1, sha: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/), lastKey: last, transfers: 2, tip: t2.height });
    expect(got).toEqual(expected);
  });

  it('a conflicting hash in a batch writes nothing of it (not the cursor, not the other transfers)', async () => {
    const dir = join(root, 'db2');
    const store = await openStore(dir);
    await store.writeBatch({ transfers: [transfer(1)] });
    const moved = transfer(1, { height: transfer(1).height + 1 });
    const cur: CursorRecord = { address: address(3), list: 'in', pass: null, completeTo: '', spec: 'w=-' };
    await expect(store.writeBatch({ transfers: [transfer(2), moved], cursors: [cur] })).rejects.toMatchObject({
      code: 'TRACE_MALFORMED_RESPONSE',
    });
    expect(await store.getCursor(address(3), 'in')).toBeUndefined();
    expect(await store.getTransfer(transfer(2).hash)).toBeUndefined();
    expect((await store.stats()).transfers).toBe(1);
    await store.close();
  });
});
