/**
 * upstreamCone: the accounts within N hops upstream of an address — those with a chain of at most N
 * transfers into it — with their hop distance, by a breadth-first search against the edges
 * (graphology-traversal, `inbound` mode) that stops expanding at depth N. The address is at 0.
 */
import type { Attributes } from 'graphology-types';
import { bfsFromNode } from 'graphology-traversal';
import type { TransferGraph } from '../graph/index.js';

export function upstreamCone(graph: TransferGraph<Attributes, Attributes>, address: string, hops: number): Map<string, number> {
  const depth = new Map<string, number>();
  if (!graph.hasNode(address)) return depth;
  bfsFromNode(
    graph,
    address,
    (node, _attrs, d) => {
      depth.set(node, d);
      return d >= hops; // true: do not expand beyond the hop limit
    },
    { mode: 'inbound' },
  );
  return depth;
}
