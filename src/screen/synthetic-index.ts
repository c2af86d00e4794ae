/**
 * A seeded synthetic taint index of any size, for the server benchmark and for tests that hold
 * the JSON writers to the views over many shapes: all six policies, 1–8 history events per account
 * and policy, 1–6 hops, 1 % of the tainted accounts labelled (every third of those an exchange),
 * labels with characters JSON must escape. `addresses[0 .. tainted)` are in the index, the rest
 * are valid addresses it does not know; the first 95 % are covered (seen by the trace), the last 5 % not.
 */
import { publicKeyToAddress } from '../nem/address.js';
import { mulberry32 } from '../fixture/synthetic.js';
import { POLICIES, type Label, type Policy } from '../domain.js';
import { TAINT_INDEX_SCHEMA, type IndexedAccount, type PolicyTaintEntry, type TaintIndex } from './index-types.js';

export interface SyntheticIndex { index: TaintIndex; addresses: string[]; tainted: number }

/** `n` distinct valid mainnet addresses, the same for the same `n`. */
export function syntheticAddresses(n: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push(publicKeyToAddress((i * 2654435761).toString(16).padStart(64, '0')));
  return out;
}

export function syntheticTaintIndex(options: { accounts: number; seed: number; taintedShare?: number; addresses?: string[] }): SyntheticIndex {
  const list = options.addresses ?? syntheticAddresses(options.accounts);
  const r = mulberry32(options.seed);
  const accounts = new Map<string, IndexedAccount>();
  const labels = new Map<string, Label>();
  const tainted = Math.floor(list.length * (options.taintedShare ?? 0.9));
  for (let i = 0; i < tainted; i++) {
    const address = list[i];
    const policies: Partial<Record<Policy, PolicyTaintEntry>> = {};
    const hops = 1 + Math.floor(r() * 6);
    const first = 89_000_000 + Math.floor(r() * 5_000_000);
    for (const p of POLICIES) {
      const n = 1 + Math.floor(r() * 8);
      const ht = new Int32Array(n), hh = new Int32Array(n), hb = new BigInt64Array(n), hx = new BigInt64Array(n);
      let t = first;
      let h = 1_500_000 + (first >> 6);
      for (let k = 0; k < n; k++) {
        ht[k] = t;
        hh[k] = h;
        t += Math.floor(r() * 100_000);
        h += Math.floor(r() * 1000);
        hb[k] = BigInt(Math.floor(r() * 1e12));
        hx[k] = p === 'poison' ? hb[k] : BigInt(Math.floor(Number(hb[k]) * r()));
      }
      policies[p] = {
        isExit: i % 300 === 0, hops, received: BigInt(Math.floor(r() * 1e12)), held: hx[n - 1], balance: hb[n - 1], firstTaintedAt: first,
        evidence: Array.from({ length: hops }, (_, k) => (i * 7 + k).toString(16).padStart(64, '0')),
        historyTime: ht, historyHeight: hh, historyBalance: hb, historyTainted: hx,
      };
    }
    accounts.set(address, { address, policies, exits: i % 50 === 1 ? [list[0]] : [] });
    if (i % 100 === 0) labels.set(address, { address, label: `Account "${i}" \\ ü\n`, category: i % 300 === 0 ? 'exchange' : 'user', ...(i % 200 === 0 ? { source: 'synthetic' } : {}) });
  }
  const index: TaintIndex = {
    schema: TAINT_INDEX_SCHEMA,
    manifest: {
      schema: 'tainttrace/manifest@1', engineVersion: 'synthetic', caseId: 'synthetic', policies: [...POLICIES], dust: '1.000000', maxHops: 10,
      exitCategories: ['exchange'], labelSetHash: '', storeDigest: '', tipHeight: 1_800_000, windowTo: null,
    },
    policies: [...POLICIES], exitCategories: ['exchange'], asOf: { height: 1_800_000, time: 95_000_000 }, accounts, transfers: new Map(), labels,
    covered: new Set(list.slice(0, Math.ceil(list.length * 0.95))),
  };
  return { index, addresses: list, tainted };
}
