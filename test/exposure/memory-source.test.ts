/**
 * The server's in-memory cone source (loadConeSource) holds the store's columns, not an object per transfer
 * (issue 10: 10M transfers as objects took more than the default heap), and makes each listed transfer from its
 * row: every account's incoming and outgoing list equals the stored transfers it is in, field for field — the block
 * position included where one is recorded (the exposure's chain order reads it) — and the exposures it answers
 * equal the store path's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposure, exposureFrom, loadConeSource, type ConeSource } from '../../src/exposure/index.js';
import type { Transfer } from '../../src/nem/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { tempRoot } from '../crawl/helpers.js';
import { byLabel, labels, transfers } from './fixture.js';

const root = tempRoot('tt-exposure-memory-');
let store: Store;
let source: ConeSource;
let stored: Transfer[];

beforeAll(async () => {
  store = await openStore(root.sub('store'));
  // positions recorded for the transfers of every other height, against hash order within the block
  const byHeight = new Map<number, Transfer[]>();
  for (const t of transfers) byHeight.set(t.height, [...(byHeight.get(t.height) ?? []), t]);
  const placed = [...byHeight.values()].flatMap((block) =>
    block[0].height % 2 === 0 ? block : [...block].sort((a, b) => (a.hash < b.hash ? 1 : -1)).map((t, position) => ({ ...t, position })),
  );
  await store.writeBatch({ transfers: placed });
  await store.putLabels(labels.values());
  stored = await store.loadTransfers();
  source = await loadConeSource(store);
});
afterAll(async () => {
  await store.close();
  root.remove();
});

const byHash = (list: readonly Transfer[]) => [...list].sort((a, b) => (a.hash < b.hash ? -1 : 1));

describe('loadConeSource (the columns, a transfer made per listed row)', () => {
  it('lists every account’s incoming and outgoing transfers as the store holds them, positions included', () => {
    expect(stored.some((t) => t.position !== undefined)).toBe(true);
    const expected = { in: new Map<string, Transfer[]>(), out: new Map<string, Transfer[]>() };
    for (const t of stored) {
      expected.in.set(t.recipient, [...(expected.in.get(t.recipient) ?? []), t]);
      expected.out.set(t.sender, [...(expected.out.get(t.sender) ?? []), t]);
    }
    const accounts = new Set(stored.flatMap((t) => [t.sender, t.recipient]));
    for (const a of accounts)
      for (const which of ['in', 'out'] as const) {
        const list = source.list(a, which) as Transfer[];
        expect(byHash(list), `${a} ${which}`).toEqual(byHash(expected[which].get(a) ?? []));
      }
  });

  it('lists nothing for an address the store does not hold, and fresh objects on each call', () => {
    expect(source.list('NANEMOABLAGR72AZ2RV3V4ZHDCXW25XQ73O7OBT5', 'in')).toEqual([]);
    const a = stored[0].sender;
    const [first, again] = [source.list(a, 'out') as Transfer[], source.list(a, 'out') as Transfer[]];
    expect(again).toEqual(first);
    first[0].amount = -1; // a caller changing a listed transfer changes no later answer
    expect((source.list(a, 'out') as Transfer[])[0].amount).not.toBe(-1);
  });

  it('answers the exposures the store path answers', async () => {
    for (const address of [byLabel('Dark-web XEM exchange'), stored[stored.length - 1].recipient, stored[1000].recipient]) {
      const fromStore = await exposure(store, address);
      expect(await exposureFrom(source, address)).toEqual(fromStore);
    }
  });
});
