/**
 * buildTaintIndex's output, pinned: the packed index of a seeded synthetic chain is the same bytes whichever way
 * the trace is read — runTrace's result straight from the sweep's columns (index-from-columns.ts), the same result
 * from its objects (an AccountTaint per account), a hand-built result's map by hash — and the same bytes as the
 * build gave before it was made faster (the digest below; a change to the synthetic chain or the packed layout
 * changes it on purpose — then check the index by other means before updating it).
 */
import { describe, expect, it } from 'vitest';
import { mulberry32, syntheticChain, syntheticTransfers } from '../../src/fixture/synthetic.js';
import { buildTaintIndex } from '../../src/screen/index.js';
import { buildTaintIndexFromObjects } from '../../src/screen/index-build.js';
import { indexDigest } from './index-digest.js';
import { runTrace, traceColumnsOf, type Policy, type PolicyResult, type TraceResult } from '../../src/taint/index.js';

/** The same result as a hand-built one: per-transfer taint only as the map by hash. */
function withoutColumns(result: TraceResult): TraceResult {
  const policies: TraceResult['policies'] = {};
  for (const [policy, pr] of Object.entries(result.policies) as [keyof TraceResult['policies'], PolicyResult][]) {
    const { carried, ...rest } = pr;
    expect(carried).toBeDefined();
    policies[policy] = rest;
  }
  return { ...result, policies };
}

describe('buildTaintIndex on a synthetic chain', () => {
  const { transfers, labels, caseSpec } = syntheticTransfers(syntheticChain({ transfers: 3000, seed: 7 }));
  const tipHeight = transfers.reduce((m, t) => Math.max(m, t.height), 0);
  const result = runTrace({ transfers, caseSpec, labels, storeDigest: 'pinned', tipHeight, engineVersion: 'pinned' });

  it('packs the bytes it packed before the build was sped up', () => {
    const index = buildTaintIndex(result);
    expect(index.accountCount).toBeGreaterThan(100);
    expect(index.transferCount).toBeGreaterThan(100);
    expect(indexDigest(index)).toBe(PINNED);
  });

  it('packs the same bytes from a result without the per-transfer columns', () => {
    expect(indexDigest(buildTaintIndex(withoutColumns(result)))).toBe(indexDigest(buildTaintIndex(result)));
  });

  it("reads runTrace's result from the sweep's columns, and packs what the build from its objects packs", () => {
    expect(traceColumnsOf(result)).toBeDefined();
    expect(traceColumnsOf(withoutColumns(result))).toBeUndefined();
    expect(indexDigest(buildTaintIndexFromObjects(result))).toBe(PINNED);
  });
});

describe('the build from the columns agrees with the build from objects', () => {
  const cases: [string, { transfers: number; seed: number }, Policy[] | undefined, boolean][] = [
    ['another chain, every policy', { transfers: 12_000, seed: 11 }, undefined, false],
    ['two policies, not poison first', { transfers: 8_000, seed: 5 }, ['fifo', 'clean-first'], false],
    ['a window that ends inside the chain', { transfers: 8_000, seed: 3 }, undefined, true],
  ];
  it.each(cases)('%s', (_name, chain, policies, windowed) => {
    const { transfers, labels, caseSpec } = syntheticTransfers(syntheticChain(chain));
    const times = transfers.map((t) => t.timeStamp).sort((a, b) => a - b);
    const spec = windowed ? { ...caseSpec, windowTo: times[Math.floor(times.length * 0.7)] } : caseSpec;
    const tipHeight = transfers.reduce((m, t) => Math.max(m, t.height), 0) - (windowed ? 50 : 0);
    const traced = runTrace({ transfers, caseSpec: spec, labels, policies, storeDigest: 'd', tipHeight, engineVersion: 'e' });
    expect(traceColumnsOf(traced)).toBeDefined();
    const index = buildTaintIndex(traced);
    expect(index.accountCount).toBeGreaterThan(50);
    expect(index.policies).toEqual(policies ?? index.policies);
    expect(indexDigest(index)).toBe(indexDigest(buildTaintIndexFromObjects(traced)));
  });
});

describe("the build from the columns orders the accounts by their addresses' text", () => {
  // the synthetic chain's addresses share a long first part; real ones (hashes) do not, and some share more
  const { transfers, labels, caseSpec } = syntheticTransfers(syntheticChain({ transfers: 6000, seed: 21 }));
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const random = mulberry32(5);
  const letters = (n: number, alphabet = B32): string =>
    Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const renamed = (name: (old: string) => string): TraceResult => {
    const to = new Map<string, string>();
    const of = (a: string): string => to.get(a) ?? (to.set(a, name(a)), to.get(a)!);
    const moved = transfers.map((t) => ({ ...t, sender: of(t.sender), recipient: of(t.recipient), signer: of(t.signer) }));
    const moreLabels = new Map([...labels].map(([a, l]) => [of(a), { ...l, address: of(a) }]));
    const tipHeight = moved.reduce((m, t) => Math.max(m, t.height), 0);
    return runTrace({ transfers: moved, caseSpec, labels: moreLabels, storeDigest: 'd', tipHeight, engineVersion: 'e' });
  };
  it.each([
    ['random (as a hash gives them)', () => 'N' + letters(39)],
    ['sharing 8 and more characters in groups', () => 'NA' + letters(10, 'AB') + letters(28)],
    ['of every printable character', () => letters(40, '!"#$%&()*+,-./0123456789:;<=>?@[]^_`{|}~ABCxyz')],
  ])('%s', (_name, name) => {
    const traced = renamed(name);
    const index = buildTaintIndex(traced);
    expect(index.accountCount).toBeGreaterThan(100);
    expect(indexDigest(index)).toBe(indexDigest(buildTaintIndexFromObjects(traced)));
  });

  it('refuses an address that is not 40 printable ASCII characters, whatever its length in bytes', () => {
    for (const bad of ['N' + letters(38), 'N' + letters(38) + 'é', 'N' + letters(38) + ' ']) {
      let first = true;
      const traced = renamed(() => (first ? ((first = false), bad) : 'N' + letters(39)));
      expect(() => buildTaintIndex(traced)).toThrow(`${JSON.stringify(bad)} is not a 40-character address`);
    }
  });
});

// taken on main at 05db240, before the build read the sweep's columns (the stored arrays; main's digest with the
// lookup tables was 7b27139f…)
const PINNED = 'bf02141d9ce9ca1a13007c970b5daead7cba2cf631730e64702f414d95361bbd';
