import { describe, expect, it } from 'vitest';
import { Reach } from '../../src/crawl/index.js';
import { expectedCrawl, scenarioTransfers } from '../../src/fixture/expected-crawl.js';
import { loadScenarioBundle } from '../../src/fixture/scenarios.js';
import { seededShuffle } from '../../src/fixture/synthetic.js';
import { nemToIso } from '../../src/nem/time.js';
import type { Transfer } from '../../src/nem/types.js';
import { parseCase } from '../../src/labels/case.js';
import { parseLabels } from '../../src/labels/index.js';

const shuffle = seededShuffle;

describe('Reach', () => {
  for (const name of ['tiny', 'coincheck'] as const) {
    it(`reaches exactly expectedCrawl's accounts and hops on the ${name} scenario, for any hop limit and any arrival order`, () => {
      const bundle = loadScenarioBundle(name);
      const caseSpec = parseCase(bundle.caseJson, 'case.json');
      const labels = parseLabels(bundle.labelsYaml, 'labels.yaml');
      const exits = new Set([...labels.values()].filter((l) => caseSpec.exitCategories.includes(l.category)).map((l) => l.address));
      const transfers = scenarioTransfers(bundle.scenario).map((x) => x.transfer);
      for (const maxHops of [1, 2, 3, 5, caseSpec.maxHops]) {
        const want = expectedCrawl(bundle.scenario, { seeds: caseSpec.seeds, exits, maxHops, windowTo: caseSpec.windowTo });
        for (const seed of [1, 2]) {
          const reach = new Reach({
            seeds: caseSpec.seeds,
            seedAccounts: [],
            isExit: (a) => exits.has(a),
            maxHops,
            windowTo: caseSpec.windowTo,
          });
          const order = shuffle(transfers, seed * 100 + maxHops);
          for (let i = 0; i < order.length; i += 37) reach.add(order.slice(i, i + 37));
          expect(new Set(reach.accounts.keys())).toEqual(want.accounts);
          for (const [a, s] of reach.accounts) expect(s.hop).toBe(want.hops.get(a));
          expect(new Set(reach.toExpand())).toEqual(want.expanded);
        }
      }
    });
  }

  const addr = (c: string) => c.repeat(40);
  const t = (n: number, from: string, to: string, ts: number, amount = 1): Transfer => ({
    hash: n.toString(16).padStart(64, '0'),
    innerHash: null,
    height: ts,
    timeStamp: ts,
    time: nemToIso(ts),
    sender: addr(from),
    recipient: addr(to),
    amount,
    fee: 0,
    message: null,
    messageType: 0,
    mosaics: [],
    type: 257,
    signer: addr(from),
  });
  const seeds = [{ account: addr('V'), from: 100, to: 200, exclude: [] }];

  it('with a hop limit, follows time-respecting paths exactly: a short late path and a long early one do not combine', () => {
    // V→A@100 (hop 1); A→B@110, B→C@120 (C hop 3 @120); A→C@300 (C hop 2 @300); C→D@150.
    // D is reached only through C at hop 3 (at 120 ≤ 150): with maxHops 3 that is one hop too many.
    const transfers = [t(1, 'V', 'A', 100), t(2, 'A', 'B', 110), t(3, 'B', 'C', 120), t(4, 'A', 'C', 300), t(5, 'C', 'D', 150)];
    const r3 = new Reach({ seeds, seedAccounts: [], isExit: () => false, maxHops: 3, windowTo: null });
    r3.add(transfers);
    expect(r3.accounts.has(addr('D'))).toBe(false);
    expect(r3.accounts.get(addr('C'))).toMatchObject({ hop: 2, reachedAt: 120 });
    const r4 = new Reach({ seeds, seedAccounts: [], isExit: () => false, maxHops: 4, windowTo: null });
    r4.add(transfers);
    expect(r4.accounts.get(addr('D'))).toMatchObject({ hop: 4, reachedAt: 150 });
  });

  it('does not reach through 0-XEM transfers, self-transfers, before the sender was reached, through exits, or after the window', () => {
    const transfers = [
      t(1, 'V', 'A', 100),
      t(2, 'A', 'B', 110, 0),
      t(3, 'A', 'A', 111),
      t(4, 'E', 'F', 90),
      t(5, 'V', 'E', 100),
      t(6, 'E', 'G', 130),
      t(7, 'A', 'H', 99),
      t(8, 'A', 'I', 500),
      t(9, 'A', 'J', 100, 1),
    ];
    const r = new Reach({ seeds, seedAccounts: [], isExit: (a) => a === addr('E'), maxHops: 10, windowTo: 400 });
    expect([...r.add(transfers)].sort()).toEqual([addr('A'), addr('E'), addr('J')].sort());
    expect(r.toExpand()).toEqual([addr('A'), addr('J')].sort());
    expect(r.accounts.get(addr('E'))).toMatchObject({ exit: true, hop: 1 });
  });

  it('seed accounts are reached at hop 0 from time 0', () => {
    const r = new Reach({ seeds: [], seedAccounts: [addr('S')], isExit: () => false, maxHops: 1, windowTo: null });
    r.add([t(1, 'S', 'A', 5), t(2, 'A', 'B', 6)]);
    expect(r.accounts.get(addr('S'))).toMatchObject({ hop: 0, reachedAt: 0, seed: true });
    expect(r.accounts.get(addr('A'))).toMatchObject({ hop: 1 });
    expect(r.accounts.has(addr('B'))).toBe(false);
  });
});
