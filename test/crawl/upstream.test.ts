/**
 * UpstreamReach: the accounts an upstream crawl expands are exactly the exposure cone
 * (src/exposure/cone.ts, graphology BFS inbound) of the whole chain, with the same hop distances,
 * whatever order the transfers arrive in.
 */
import { MultiDirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { upstreamCone } from '../../src/exposure/index.js';
import { UpstreamReach } from '../../src/crawl/upstream.js';
import { seededShuffle } from '../../src/fixture/synthetic.js';
import { byLabel, transfers } from '../exposure/fixture.js';

describe('UpstreamReach', () => {
  it('reaches the exposure cone with its depths on the Coincheck scenario, for any hop limit and arrival order', () => {
    const graph = new MultiDirectedGraph({ allowSelfLoops: true });
    for (const t of transfers) graph.mergeEdge(t.sender, t.recipient);
    for (const address of [byLabel('Dark-web XEM exchange'), transfers[transfers.length - 1].recipient]) {
      for (const hops of [1, 2, 4]) {
        const want = upstreamCone(graph, address, hops);
        for (const seed of [1, 2]) {
          const reach = new UpstreamReach(address, hops);
          const order = seededShuffle(transfers, seed * 10 + hops);
          for (let i = 0; i < order.length; i += 37) reach.add(order.slice(i, i + 37));
          expect(new Map([...reach.accounts].map(([a, s]) => [a, s.hop]))).toEqual(want);
          expect(reach.toExpand()).toEqual([...want.keys()].sort());
        }
      }
    }
  });
});
