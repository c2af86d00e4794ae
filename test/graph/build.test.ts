/**
 * buildTraceGraph (both scopes) and evidencePath on a small hand-made trace.
 */
import { bfsFromNode } from 'graphology-traversal';
import { describe, expect, it } from 'vitest';
import { buildTraceGraph, evidencePath, tracedAccounts, tracedAddresses } from '../../src/graph/index.js';
import type { TraceResult } from '../../src/taint/index.js';
import { labelsOf, makeCase, trace, tx } from '../taint/helpers.js';

// V →(seed 100) T; C → T 300 (clean); T → U 200; U → X 50 (exchange, memo "m1"); Z → Q 7 (unrelated)
const seed = tx('V', 'T', 100, { at: 1 });
const toExit = tx('U', 'X', 50, { at: 4, memo: 'm1' });
const result = trace(
  [tx('Z', 'Q', 7, { at: 5 }), toExit, tx('T', 'U', 200, { at: 3 }), tx('C', 'T', 300, { at: 2 }), seed],
  makeCase([{ hash: seed.hash }]),
  labelsOf({ X: 'exchange', V: 'victim' }),
);

describe('buildTraceGraph', () => {
  const graph = buildTraceGraph(result);

  it('holds the tainted accounts and the transfers that carried taint, in a fixed order', () => {
    expect(graph.type).toBe('directed');
    expect(graph.multi).toBe(true);
    expect(graph.nodes()).toEqual(['T', 'U', 'V', 'X']);
    expect(graph.edges()).toEqual([seed.hash, result.transfers.at(2)!.hash, toExit.hash]);
    expect(graph.hasNode('C')).toBe(false); // its transfer carried no taint
    expect(graph.hasNode('Z')).toBe(false);
  });

  it('carries labels and per-policy taint on nodes, in XEM', () => {
    expect(graph.getNodeAttributes('X')).toMatchObject({ isExit: true, category: 'exchange', label: 'X' });
    expect(graph.getNodeAttribute('U', 'policies').haircut).toEqual({
      hops: 2,
      received: '0.000050',
      held: '0.000038',
      firstTaintedAt: '2015-03-29T00:09:25.000Z',
    });
    expect(graph.getNodeAttribute('U', 'policies').lifo).toBeUndefined();
    expect(graph.getNodeAttribute('V', 'policies')).toEqual({});
  });

  it('keys edges by transfer hash with amount, memo and per-policy taint', () => {
    const e = graph.getEdgeAttributes(toExit.hash);
    expect(graph.source(toExit.hash)).toBe('U');
    expect(e).toMatchObject({ amount: '0.000050', memo: 'm1', seed: false });
    // haircut: T gave U floor(100·200/400) = 50 tainted of 200; U pays X 50 → floor(50·50/200) = 12
    expect(e.taint.haircut).toBe('0.000012');
    expect(graph.getEdgeAttribute(seed.hash, 'seed')).toBe(true);
  });

  it('works with graphology-traversal', () => {
    const seen: string[] = [];
    bfsFromNode(graph, 'V', (node) => {
      seen.push(node);
    });
    expect(seen).toEqual(['V', 'T', 'U', 'X']);
  });
});

describe('tracedAddresses (from the columns)', () => {
  it('lists every transfer end, sorted, each with its account index in the table', () => {
    const { addresses, account } = tracedAccounts(result);
    expect(addresses).toEqual(['C', 'Q', 'T', 'U', 'V', 'X', 'Z']);
    expect(Array.from(account, (a) => result.table!.addresses[a])).toEqual(addresses);
  });

  it('adds the seed ends and policy accounts a hand-built result names outside its transfers (index −1)', () => {
    const haircut = result.policies.haircut!;
    const handBuilt: TraceResult = {
      ...result,
      table: undefined,
      transfers: [...result.transfers],
      seed: { ...result.seed, transfers: [...result.seed.transfers, { ...result.seed.transfers[0], from: 'A', to: 'T' }] },
      policies: { haircut: { ...haircut, accounts: new Map([...haircut.accounts, ['W', haircut.accounts.get('U')!]]) } },
    };
    const { addresses, account } = tracedAccounts(handBuilt);
    expect(addresses).toEqual(['A', 'C', 'Q', 'T', 'U', 'V', 'W', 'X', 'Z']);
    expect([...account].map((a) => a === -1)).toEqual([true, false, false, false, false, false, true, false, false]);
    expect(tracedAddresses(handBuilt)).toEqual(addresses);
  });
});

describe('evidencePath', () => {
  it('lists the transfers that first brought taint, seed first', () => {
    // taint-first: T → U carries min(100, 200) = 100; U → X carries min(100, 50) = 50
    expect(evidencePath(result, 'taint-first', 'X').map((s) => [s.from, s.to, Number(s.taint)])).toEqual([
      ['V', 'T', 100],
      ['T', 'U', 100],
      ['U', 'X', 50],
    ]);
    // fifo: U's lots are [100 clean, 100 tainted]; its oldest 50 are clean, so X gets none
    expect(evidencePath(result, 'fifo', 'X')).toEqual([]);
  });
});
