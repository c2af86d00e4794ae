/**
 * Test helpers: tiny transfers and cases for hand-worked examples, a canonical serialisation of
 * TraceResult for equality checks, and the random-chain arbitrary for property tests.
 */
import fc from 'fast-check';
import type { Transfer } from '../../src/nem/types.js';
import { runTrace } from '../../src/taint/trace.js';
import {
  DEFAULT_EXIT_CATEGORIES,
  POLICIES,
  type Label,
  type Policy,
  type ResolvedCase,
  type SeedSpec,
  type TraceResult,
} from '../../src/taint/types.js';
import { policyOf } from '../../src/domain.js';

let counter = 0;
/** A transfer; amounts in µXEM. `at` is the block height, also used as the NEM timestamp unless given. */
export function tx(
  from: string,
  to: string,
  amount: number,
  opts: { fee?: number; at?: number; ts?: number; hash?: string; memo?: string } = {},
): Transfer {
  const at = opts.at ?? ++counter;
  const ts = opts.ts ?? at * 60;
  const hash = opts.hash ?? `${from}-${to}-${at}-${amount}-${++counter}`.toLowerCase().padEnd(8, '0');
  return {
    hash,
    innerHash: null,
    height: at,
    timeStamp: ts,
    time: '',
    sender: from,
    recipient: to,
    amount,
    fee: opts.fee ?? 0,
    message: opts.memo ?? null,
    messageType: opts.memo === undefined ? 0 : 1,
    mosaics: [],
    type: 257,
    signer: from,
  };
}

export function makeCase(seeds: SeedSpec[], opts: Partial<ResolvedCase> = {}): ResolvedCase {
  return {
    id: 'test',
    title: 'test case',
    seeds,
    windowTo: null,
    labelFiles: [],
    exitCategories: [...DEFAULT_EXIT_CATEGORIES],
    dust: 0n,
    maxHops: 10,
    valuation: null,
    ...opts,
  };
}

export function labelsOf(tags: Record<string, string>): Map<string, Label> {
  return new Map(Object.entries(tags).map(([address, category]) => [address, { address, label: address, category }]));
}

export function trace(transfers: Transfer[], caseSpec: ResolvedCase, labels: Map<string, Label> = new Map()): TraceResult {
  return runTrace({ transfers, caseSpec, labels, storeDigest: 'sha256:test', tipHeight: 0, engineVersion: 'test' });
}

/** Per-account figures of one policy as plain numbers (µXEM), for readable expectations. */
export function figures(result: TraceResult, policy: Policy): Record<string, { hops: number; received: number; held: number }> {
  const out: Record<string, { hops: number; received: number; held: number }> = {};
  for (const a of [...policyOf(result, policy).accounts.values()].sort((x, y) => (x.address < y.address ? -1 : 1))) {
    out[a.address] = { hops: a.hops, received: Number(a.received), held: Number(a.held) };
  }
  return out;
}

export function totals(result: TraceResult, policy: Policy): { seed: number; held: number; exited: number; fees: number } {
  const t = policyOf(result, policy).totals;
  return { seed: Number(t.seed), held: Number(t.held), exited: Number(t.exited), fees: Number(t.fees) };
}

/** Canonical JSON of a TraceResult: maps sorted by key, bigints as strings. */
export function canon(result: TraceResult): string {
  return JSON.stringify(result, (k, v: unknown) => {
    if (k === 'table') return undefined; // the transfers again, as columns (`tableOf`): `transfers` is compared
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Map) return [...v.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    return v;
  });
}

// ---------------------------------------------------------------------------------------------
// Random chains

export interface RandomChain {
  transfers: Transfer[];
  caseSpec: ResolvedCase;
  labels: Map<string, Label>;
}

const ACCOUNTS = ['VICTIM', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'EXCH', 'DARK'];

/**
 * Random chains over a few accounts: a victim whose outflows in a time range are the seeds
 * (plus, sometimes, a seed by hash), mixed with arbitrary traffic, cycles, fees, self-transfers,
 * ties in height and time, and two exits. Amounts up to 2^46 µXEM, so haircut products pass 2^53.
 */
export function randomChain(opts: { dust?: boolean } = {}): fc.Arbitrary<RandomChain> {
  const amount = fc.oneof(
    fc.integer({ min: 0, max: 1000 }),
    fc.integer({ min: 0, max: 2 ** 46 }),
    fc.constantFrom(0, 1, 2 ** 46, 99_999_999, 100_000_000),
  );
  const fee = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 ** 30 }));
  const edge = fc.record({
    from: fc.constantFrom(...ACCOUNTS),
    to: fc.constantFrom(...ACCOUNTS),
    amount,
    fee,
    dh: fc.integer({ min: 0, max: 2 }),
    dt: fc.integer({ min: -5, max: 30 }),
    memo: fc.option(fc.constantFrom('alice', 'bob', ''), { nil: undefined }),
  });
  return fc
    .record({
      edges: fc.array(edge, { minLength: 1, maxLength: 40 }),
      seedFrom: fc.integer({ min: 0, max: 200 }),
      seedLen: fc.integer({ min: 1, max: 400 }),
      extraSeed: fc.option(fc.nat(), { nil: undefined }),
      dust: opts.dust === false ? fc.constant(0) : fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2000 })),
      hashSalt: fc.nat(),
    })
    .map(({ edges, seedFrom, seedLen, extraSeed, dust, hashSalt }) => {
      let height = 1;
      let ts = 100;
      const transfers: Transfer[] = edges.map((e, i) => {
        height += e.dh;
        ts = Math.max(0, ts + e.dt);
        const hash = ((hashSalt * 2654435761 + i * 40503) >>> 0).toString(16).padStart(8, '0') + i.toString(16).padStart(4, '0');
        const self = e.from === e.to;
        return {
          hash,
          innerHash: null,
          height,
          timeStamp: ts,
          time: '',
          sender: e.from,
          recipient: e.to,
          amount: self ? 0 : e.amount,
          fee: e.fee,
          message: e.memo ?? null,
          messageType: e.memo === undefined ? 0 : 1,
          mosaics: [],
          type: 257,
          signer: e.from,
        };
      });
      // the victim sends at least one seed
      transfers.push({
        ...transfers[0],
        hash: 'ffff' + hashSalt.toString(16),
        sender: 'VICTIM',
        recipient: 'A1',
        amount: 2 ** 40,
        fee: 100,
        height: 1,
        timeStamp: 100 + seedFrom,
      });
      const seeds: SeedSpec[] = [{ account: 'VICTIM', from: 100 + seedFrom, to: 100 + seedFrom + seedLen, exclude: ['A6'] }];
      if (extraSeed !== undefined) seeds.push({ hash: transfers[extraSeed % transfers.length].hash });
      const caseSpec = makeCase(seeds, { dust: BigInt(dust) });
      return { transfers, caseSpec, labels: labelsOf({ EXCH: 'exchange', DARK: 'darkweb', A6: 'user' }) };
    });
}

/**
 * The same result as a hand-built one: plain Maps of detached AccountTaint objects, per-transfer taint by hash, no
 * columns (what a consumer sees from a result it did not get from runTrace; tableOf and carriedOf project it).
 */
export function detached(result: TraceResult): TraceResult {
  const policies: TraceResult['policies'] = {};
  for (const p of POLICIES) {
    const pr = result.policies[p];
    if (pr === undefined) continue;
    policies[p] = {
      policy: pr.policy,
      totals: pr.totals,
      accounts: new Map([...pr.accounts].map(([a, x]) => [a, { ...x, evidence: [...x.evidence], history: [...x.history] }])),
      transferTaint: new Map(pr.transferTaint),
    };
  }
  return { ...result, transfers: [...result.transfers], table: undefined, policies };
}
