/**
 * transfers.csv and accounts.csv are written from the trace's columns (issue 10); what they must say is the plain
 * reading of the result's objects below (each Transfer, each policy's AccountTaint and per-hash taint, every text
 * cell through csvField's one rule). Byte for byte on random chains — exits, cycles, self-transfers, dust, µXEM
 * past 2^46, hostile memos and labels — for runTrace's result and for a hand-built result of the same objects (also
 * one naming an account outside its transfers).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyOf, exitTest } from '../../src/domain.js';
import { buildAccountsCsv, buildTransfersCsv, csvLine } from '../../src/report/csv.js';
import { iso, xem } from '../../src/report/format.js';
import { policiesOf } from '../../src/report/json.js';
import { runTrace } from '../../src/taint/trace.js';
import type { TraceResult } from '../../src/taint/types.js';
import { detached, makeCase, randomChain, tx } from '../taint/helpers.js';

const HOSTILE = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', '＝1', 'a,b "q"', 'bidi\u202Eexe', '\u001b[2J', 'lone \ud800', ''];

/** Every address the result names: transfer ends, seed ends, every policy's accounts; sorted. */
function addressesOf(result: TraceResult): string[] {
  const set = new Set<string>();
  for (const t of result.transfers) set.add(t.sender).add(t.recipient);
  for (const t of result.seed.transfers) set.add(t.from).add(t.to);
  for (const p of policiesOf(result)) for (const a of policyOf(result, p).accounts.keys()) set.add(a);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function expectedAccountsCsv(result: TraceResult): string {
  const policies = policiesOf(result);
  const exitOf = exitTest(result.labels, result.case.exitCategories);
  let out = csvLine([
    'address',
    'label',
    'category',
    'exit',
    ...policies.flatMap((p) => [`${p}_hops`, `${p}_received`, `${p}_held`, `${p}_first_tainted`]),
  ]);
  for (const address of addressesOf(result)) {
    const l = result.labels.get(address);
    const figures = policies.flatMap((p) => {
      const a = policyOf(result, p).accounts.get(address);
      return a === undefined || a.received <= 0n ? ['', '', '', ''] : [a.hops, xem(a.received), xem(a.held), iso(a.firstTaintedAt)];
    });
    out += csvLine([address, l?.label ?? '', l?.category ?? '', exitOf(address) ? 1 : 0, ...figures]);
  }
  return out;
}

function expectedTransfersCsv(result: TraceResult): string {
  const policies = policiesOf(result);
  const seeds = new Set(result.seed.transfers.map((t) => t.hash));
  const label = (a: string) => result.labels.get(a)?.label ?? '';
  const head = ['hash', 'inner_hash', 'height', 'time', 'sender', 'sender_label', 'recipient', 'recipient_label', 'amount_xem', 'fee_xem'];
  let out = csvLine([...head, 'type', 'message', 'seed', ...policies.map((p) => `taint_${p}`)]);
  for (const t of result.transfers) {
    const taint = policies.map((p) => {
      const x = policyOf(result, p).transferTaint.get(t.hash);
      return x === undefined ? '' : xem(x);
    });
    out += csvLine([
      t.hash,
      t.innerHash,
      t.height,
      t.time || iso(t.timeStamp),
      t.sender,
      label(t.sender),
      t.recipient,
      label(t.recipient),
      xem(t.amount),
      xem(t.fee),
      t.type,
      t.message,
      seeds.has(t.hash) ? 1 : 0,
      ...taint,
    ]);
  }
  return out;
}

describe('transfers.csv and accounts.csv from the columns', () => {
  it('say byte for byte what the result objects say, for runTrace results and hand-built ones', () => {
    fc.assert(
      fc.property(randomChain(), fc.nat(), ({ transfers, caseSpec, labels }, salt) => {
        const hostile = transfers.map((t, i) => ({ ...t, message: i % 3 === 0 ? HOSTILE[(salt + i) % HOSTILE.length] : t.message }));
        labels.set('A2', { address: 'A2', label: HOSTILE[salt % HOSTILE.length], category: 'user' });
        const result = runTrace({ transfers: hostile, caseSpec, labels, storeDigest: 't', tipHeight: 0, engineVersion: 't' });
        // a hand-built result may name an account no transfer has (read from its map, not the columns)
        const outside = detached(result);
        const poison = outside.policies.poison!;
        const some = [...poison.accounts.values()][0];
        if (some !== undefined) poison.accounts = new Map([...poison.accounts, ['OUTSIDE', { ...some, address: 'OUTSIDE' }]]);
        for (const r of [result, detached(result), outside]) {
          expect(buildAccountsCsv(r)).toBe(expectedAccountsCsv(r));
          expect(buildTransfersCsv(r)).toBe(expectedTransfersCsv(r));
        }
      }),
      { numRuns: 150, seed: 10 },
    );
  });

  it('say the same past a block of accounts (figures gathered 4,096 accounts at a time) and for figures past 2^53', () => {
    // a seed into a hub that pays 10,000 accounts, every tenth of which pays one more: more accounts than two blocks
    const transfers = [tx('SEED', 'HUB', 10_000_000_000, { at: 1, hash: 'seed' })];
    for (let i = 0; i < 10_000; i++) {
      const to = `U${String((i * 7919) % 10_000).padStart(5, '0')}`;
      transfers.push(tx('HUB', to, 1_000_000 + i, { at: 2 + i }));
      if (i % 10 === 0) transfers.push(tx(to, `V${i}`, 500_000, { at: 20_000 + i }));
    }
    const result = runTrace({
      transfers,
      caseSpec: makeCase([{ hash: 'seed' }]),
      labels: new Map(),
      storeDigest: 't',
      tipHeight: 0,
      engineVersion: 't',
    });
    expect(policyOf(result, 'poison').accounts.size).toBeGreaterThan(2 * 4096);
    // hand-built: taint received past 2^53 (a balance, all XEM there is, stays below it), in the second block
    const big = detached(result);
    const haircut = big.policies.haircut!;
    const some = [...haircut.accounts.values()].find((a) => a.address === 'U05000')!;
    haircut.accounts = new Map([...haircut.accounts, ['U05000', { ...some, received: 2n ** 60n + 1n, held: 2n ** 52n + 3n }]]);
    for (const r of [result, big]) expect(buildAccountsCsv(r)).toBe(expectedAccountsCsv(r));
    expect(buildAccountsCsv(big)).toContain(`,${xem(2n ** 60n + 1n)},${xem(2n ** 52n + 3n)},`);
  });
});
