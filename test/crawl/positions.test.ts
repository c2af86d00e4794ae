/**
 * Blocks as evidence (src/crawl/positions.ts): a `/block/at/public` answer is verified transaction by
 * transaction — hash recomputed, signature (and a 4100's cosignatures) checked — before its order is
 * used; each lie below is rejected with TRACE_MALFORMED_RESPONSE.
 */
import { describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { blockJson, buildNodeIndex, forkView } from '../../src/fixture/node/index.js';
import { heightsToPosition, positionsIn, verifyBlock } from '../../src/crawl/positions.js';
import { smallScenario } from '../fixture/node/scenario-fixture.js';

const s = smallScenario();
const index = buildNodeIndex(s.scenario);
const multiHeight = s.scenario.txs.find(
  (t, i, all) => all.filter((u) => u.height === t.height).length >= 2 && t.transaction.type === 257,
)!.height;
const msHeight = s.scenario.txs.find((t) => t.transaction.type === 4100 && (t.transaction.signatures ?? []).length > 0)!.height;
const block = (h: number) => JSON.parse(blockJson(index, h)!) as { height: number; signer: string; transactions: Record<string, any>[] };
const where = 'POST /block/at/public';

function rejects(body: unknown, height: number, pattern: RegExp): void {
  let err: unknown = null;
  try {
    verifyBlock(body, height, where);
  } catch (e) {
    err = e;
  }
  expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE'), String(err)).toBe(true);
  expect((err as Error).message).toMatch(pattern);
}

describe('verifyBlock', () => {
  it("returns the transactions' hashes in block order", () => {
    expect(verifyBlock(block(multiHeight), multiHeight, where).hashes).toEqual(
      s.scenario.txs.filter((t) => t.height === multiHeight).map((t) => t.hash),
    );
    expect(verifyBlock(block(msHeight), msHeight, where).hashes).toEqual(
      s.scenario.txs.filter((t) => t.height === msHeight).map((t) => t.hash),
    );
  });

  it('rejects a transaction whose fields were changed (its signature no longer verifies)', () => {
    const b = block(multiHeight);
    b.transactions[0].amount += 1;
    rejects(b, multiHeight, /valid signature/);
  });

  it('rejects a forged signature and a signature moved from another transaction', () => {
    const b = block(multiHeight);
    b.transactions[0].signature = '0'.repeat(128);
    rejects(b, multiHeight, /valid signature/);
    const c = block(multiHeight);
    c.transactions[0].signature = c.transactions[1].signature;
    rejects(c, multiHeight, /valid signature/);
  });

  it('rejects a block whose transactions were reordered, each one intact (only the block signature covers the order)', () => {
    const b = block(multiHeight);
    [b.transactions[0], b.transactions[1]] = [b.transactions[1], b.transactions[0]];
    rejects(b, multiHeight, /block's signature does not verify/);
  });

  it('rejects a forged or missing block signature, another harvester, and a block dropping a transaction', () => {
    const b = block(multiHeight) as Record<string, any>;
    rejects({ ...b, signature: '0'.repeat(128) }, multiHeight, /block's signature does not verify/);
    rejects({ ...b, signature: undefined }, multiHeight, /block\.signature must be 128 hex/);
    rejects({ ...b, signer: block(msHeight === multiHeight ? multiHeight + 1 : msHeight).signer }, multiHeight, /block's signature/);
    rejects({ ...b, transactions: b.transactions.slice(1) }, multiHeight, /block's signature does not verify/);
    rejects({ ...b, timeStamp: b.timeStamp + 1 }, multiHeight, /block's signature does not verify/);
  });

  it('accepts the blocks of a fork, signed by their new harvester', () => {
    const forked = buildNodeIndex(s.scenario);
    const tip = forked.view.tip;
    forkView(forked, 2);
    const b = JSON.parse(blockJson(forked, tip)!) as { signer: string; height: number };
    expect(b.signer).not.toBe(block(tip).signer);
    expect(verifyBlock(b, tip, where).height).toBe(tip);
  });

  it('rejects a 4100 whose cosignature is forged', () => {
    const b = block(msHeight);
    const ms = b.transactions.find((t) => t.type === 4100 && t.signatures.length > 0)!;
    ms.signatures[0].signature = 'ab'.repeat(64);
    rejects(b, msHeight, /signatures\[0\]/);
  });

  it('rejects another height, a missing list, a repeated transaction and more than 120 transactions', () => {
    rejects(block(multiHeight), multiHeight + 1, /asked for block/);
    rejects({ height: multiHeight }, multiHeight, /no transactions array/);
    rejects(null, multiHeight, /not a JSON object/);
    const b = block(multiHeight);
    b.transactions.push(b.transactions[0]);
    rejects(b, multiHeight, /listed twice/);
    rejects({ height: multiHeight, transactions: Array.from({ length: 121 }, () => ({})) }, multiHeight, /120/);
    rejects({ height: multiHeight, transactions: [{ type: 257 }] }, multiHeight, /does not serialise/);
  });
});

describe('heightsToPosition and positionsIn', () => {
  const t = (hash: string, height: number, position?: number) => ({
    hash,
    height,
    timeStamp: 0,
    ...(position === undefined ? {} : { position }),
  });
  it('asks for the heights where two or more transfers meet and a position is missing', () => {
    expect(heightsToPosition([t('a', 5), t('b', 5), t('c', 6), t('d', 7, 0), t('e', 7, 1), t('f', 8, 0), t('g', 8)])).toEqual([5, 8]);
  });
  it('reads positions from the block and names the transfers it does not hold', () => {
    const r = positionsIn({ height: 5, hashes: ['x', 'b', 'a'] }, [t('a', 5), t('b', 5), t('z', 5)]);
    expect(r.positions.map((p) => [p.hash, p.position])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(r.absent.map((p) => p.hash)).toEqual(['z']);
  });
});
