/**
 * Property: the exposure of an address to a single source equals the forward trace from that
 * source (its outflows as the seeds, no exits) — received, hops, held and evidence, under every
 * policy, on random chains with fees, cycles, ties, dust and amounts past 2^46 µXEM.
 */
import fc from 'fast-check';
import { MultiDirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { exposureOfGraph } from '../../src/exposure/index.js';
import type { Transfer } from '../../src/nem/types.js';
import { POLICIES } from '../../src/taint/types.js';
import { labelsOf, makeCase, trace } from '../taint/helpers.js';

const ACCOUNTS = ['S', 'A1', 'A2', 'A3', 'A4', 'A5', 'X'];

const chain = fc.record({
  edges: fc.array(
    fc.record({
      from: fc.oneof({ arbitrary: fc.constantFrom(...ACCOUNTS), weight: 3 }, { arbitrary: fc.constant('S'), weight: 1 }),
      to: fc.oneof({ arbitrary: fc.constantFrom(...ACCOUNTS), weight: 3 }, { arbitrary: fc.constant('X'), weight: 1 }),
      amount: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 ** 46 })),
      fee: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
      dh: fc.integer({ min: 0, max: 2 }),
      dt: fc.integer({ min: -3, max: 20 }),
    }),
    { minLength: 5, maxLength: 40 },
  ),
  source: fc.constantFrom('S', 'A1', 'A3'),
  dust: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500 })),
});

interface Edge {
  from: string;
  to: string;
  amount: number;
  fee: number;
  dh: number;
  dt: number;
}

function build(edges: readonly Edge[]): Transfer[] {
  let height = 1;
  let ts = 100;
  return edges.map((e, i) => {
    height += e.dh;
    ts = Math.max(0, ts + e.dt);
    return {
      hash: `h${String(i).padStart(4, '0')}`,
      innerHash: null,
      height,
      timeStamp: ts,
      time: '',
      sender: e.from,
      recipient: e.to,
      amount: e.from === e.to ? 0 : e.amount,
      fee: e.fee,
      message: null,
      messageType: 0,
      mosaics: [],
      type: 257,
      signer: e.from,
    };
  });
}

describe('exposure to a single source', () => {
  it('equals the forward trace from that source, to the µXEM', () => {
    let exposed = 0;
    fc.assert(
      fc.property(chain, ({ edges, source, dust }) => {
        const transfers = build(edges);
        const g = new MultiDirectedGraph({ allowSelfLoops: true });
        for (const a of ACCOUNTS) g.addNode(a);
        for (const t of transfers)
          g.addDirectedEdgeWithKey(t.hash, t.sender, t.recipient, {
            amount: t.amount,
            fee: t.fee,
            height: t.height,
            timeStamp: t.timeStamp,
          });
        const labels = labelsOf({ [source]: 'thief' });
        const exposure = exposureOfGraph(g, 'X', { hops: 12, dust: BigInt(dust) }, labels);
        if (exposure.policies.haircut!.exposed > 0n && exposure.policies.haircut!.indirect > 0n) exposed++;
        const hasSeed = transfers.some((t) => t.sender === source && t.recipient !== source && t.amount > 0);
        for (const policy of POLICIES) {
          const e = exposure.policies[policy]!;
          if (!hasSeed) {
            expect(e.exposed).toBe(0n);
            continue;
          }
          const forward = trace(
            transfers,
            makeCase([{ account: source, from: 0, to: 2 ** 31 - 1, exclude: [] }], { exitCategories: [], dust: BigInt(dust) }),
            labels,
          );
          const at = forward.policies[policy]!.accounts.get('X');
          expect(e.exposed, policy).toBe(at?.received ?? 0n);
          expect(e.hops, policy).toBe(at === undefined ? null : at.hops);
          expect(e.held, policy).toBe(at?.held ?? 0n);
          expect(
            e.evidence.map((s) => s.hash),
            policy,
          ).toEqual((at?.evidence ?? []).map((s) => s.hash));
        }
      }),
      { numRuns: 300 },
    );
    expect(exposed).toBeGreaterThan(20); // the property is not vacuous: indirect exposure is common
  });
});
