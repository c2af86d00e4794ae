/**
 * The taint index straight from runTrace's sweep (issue 10): per account and policy the figures from the sweep's
 * arrays, the history from its history log, the evidence by following the first-taint pointers (`firstK`) — no
 * AccountTaint object, no bigint per amount, no lookup by text. Packs the same bytes as the build from objects
 * (index-build.ts; test/screen/index-build.test.ts holds the two to one digest), so it keeps that build's orders:
 *  - transfers: every policy's tainted transfers (policy order, then chain order), then the seeds not among them;
 *  - accounts: grouped by the first policy they are tainted under, by address within a group;
 *  - address rows as first named: transfer ends (sender, recipient), then the other covered addresses;
 *  - evidence trie nodes as the accounts' paths are added, root first; a path is the sender's path under the
 *    same policy and then the transfer, so each (account, policy) path is found once and kept (`node`).
 */
import { POLICIES, type Policy } from '../domain.js';
import { rowFields } from '../nem/index.js';
import {
  NP,
  balanceOf,
  heldOf,
  hopsOf,
  receivedNumberOf,
  receivedOf,
  tableOf,
  type TraceColumns,
  type TraceResult,
} from '../taint/index.js';
import { TaintIndexPacker, type EntryRow, type HistoryRows } from './pack.js';
import type { TaintIndex } from './packed.js';

const UNKNOWN = -2;

export function buildFromColumns(result: TraceResult, trace: TraceColumns): TaintIndex {
  const table = tableOf(result);
  const { res, isExit, seed, carried } = trace;
  const { sender, recipient, timeStamp, height, addresses } = table;
  const A = res.accounts;
  const firstK = res.firstK;
  const policies = POLICIES.map((p, i) => (result.policies[p] === undefined ? -1 : i)).filter((p) => p >= 0);

  // ── transfers: rows in the build's order, each policy's taint by row ──
  const rowOfK = new Int32Array(table.n).fill(-1);
  const order: number[] = [];
  for (const p of policies) {
    const c = carried[p];
    for (let i = 0; i < c.length; i++) {
      const k = c.k[i];
      if (c.amount[i] > 0 && rowOfK[k] < 0) {
        rowOfK[k] = order.length;
        order.push(k);
      }
    }
  }
  const tainted = order.length;
  for (let k = 0; k < table.n; k++)
    if (seed[k] === 1 && rowOfK[k] < 0) {
      rowOfK[k] = order.length;
      order.push(k);
    }
  const taintOf = new Float64Array(order.length * NP);
  for (const p of policies) {
    const c = carried[p];
    for (let i = 0; i < c.length; i++) if (c.amount[i] > 0) taintOf[rowOfK[c.k[i]] * NP + p] = c.amount[i];
  }

  let time: number | null = null;
  const tip = result.manifest.tipHeight;
  for (let k = 0; k < table.n; k++) if (height[k] <= tip && (time === null || timeStamp[k] > time)) time = timeStamp[k];
  const packer = new TaintIndexPacker({
    manifest: result.manifest,
    policies: policies.map((p): Policy => POLICIES[p]),
    exitCategories: [...result.case.exitCategories],
    asOf: { height: tip, time },
    labels: new Map(result.labels),
    hasCoverage: true,
  });
  const rowOfA = new Int32Array(A).fill(-1);
  const rowOf = (a: number): number => (rowOfA[a] >= 0 ? rowOfA[a] : (rowOfA[a] = packer.newAddressRow(addresses[a])));
  const taint: (number | undefined)[] = new Array<number | undefined>(NP);
  const hashes = table.hashes;
  const fields = rowFields(result.transfers);
  for (let row = 0; row < order.length; row++) {
    const k = order[row];
    const hashRow = hashes === undefined ? packer.newHashRow(table.hashAt(k)) : packer.newHashRowBytes(hashes, k * 32);
    for (let p = 0; p < NP; p++) {
      const v = taintOf[row * NP + p];
      taint[p] = v > 0 ? v : undefined;
    }
    // a seed that carried no taint is described as the case's seed list does (no message)
    const message = row < tainted ? fields.messageAt(k) : null;
    const t = { height: height[k], timeStamp: timeStamp[k], amount: table.amount[k], fee: table.fee[k] };
    packer.addTransferRow(hashRow, rowOf(sender[k]), rowOf(recipient[k]), t, taint, message);
  }

  // ── accounts: tainted under some policy; grouped by the first such policy, by address within ──
  const firstPolicy = new Int8Array(A).fill(-1);
  for (let a = 0; a < A; a++)
    for (const p of policies)
      if (firstK[a * NP + p] >= 0) {
        firstPolicy[a] = p;
        break;
      }
  const accounts: number[] = [];
  const byAddress = accountsByAddress(firstPolicy, addresses);
  for (const p of policies) for (const a of byAddress) if (firstPolicy[a] === p) accounts.push(a);

  // exits each account sent taint to: the index's transfers into an indexed exit from an indexed account
  const exitsOf = new Map<number, number[]>();
  for (const k of order) {
    const s = sender[k];
    const r = recipient[k];
    if (isExit[r] !== 1 || firstPolicy[r] < 0 || firstPolicy[s] < 0) continue;
    const list = exitsOf.get(s);
    if (list === undefined) exitsOf.set(s, [r]);
    else if (!list.includes(r)) list.push(r);
  }

  const history = groupedHistory(trace, timeStamp, height);
  const scratch = policiesScratch();
  const node = new Int32Array(A * NP).fill(UNKNOWN);
  const nodeHash: number[] = [];
  const nodeParent: number[] = [];
  const path: number[] = [];
  /** The evidence node of account a under policy p: its sender's path, then the transfer that first tainted it. */
  const evidenceNode = (a: number, p: number): number => {
    path.length = 0;
    let cur = a;
    let parent = -1;
    for (;;) {
      const known = node[cur * NP + p];
      if (known !== UNKNOWN) {
        parent = known;
        break;
      }
      path.push(cur);
      const k = firstK[cur * NP + p];
      if (seed[k] === 1) break;
      const s = sender[k];
      const before = firstK[s * NP + p];
      if (before < 0 || before >= k) break; // the taint core's guard: a path only goes back in the chain
      cur = s;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const b = path[i];
      const hashRow = rowOfK[firstK[b * NP + p]];
      // the same step from the same parent under another policy is the same node (the trie stores it once)
      let made = -1;
      for (let q = 0; q < NP && made < 0; q++) {
        const m = node[b * NP + q];
        if (m >= 0 && nodeHash[m] === hashRow && nodeParent[m] === parent) made = m;
      }
      if (made < 0) {
        made = packer.newNode(parent, hashRow);
        nodeHash.push(hashRow);
        nodeParent.push(parent);
      }
      node[b * NP + p] = made;
      parent = made;
    }
    return parent;
  };

  const entries: (EntryRow | undefined)[] = new Array<EntryRow | undefined>(NP);
  for (const a of accounts) {
    const exit = isExit[a] === 1;
    entries.fill(undefined);
    for (const p of policies) {
      const key = a * NP + p;
      if (firstK[key] < 0) continue;
      const e = scratch[p];
      const received = receivedNumberOf(res, a, p);
      e.received = received === received ? received : receivedOf(res, a, p);
      e.held = heldOf(res, a, p, exit);
      e.balance = balanceOf(res, a);
      e.hops = hopsOf(res, a, p);
      e.isExit = exit;
      e.firstTaintedAt = timeStamp[firstK[key]];
      e.evidence = evidenceNode(a, p);
      const h = e.history;
      h.length = 0;
      if (history !== null) {
        const { start, rows } = history;
        const from = start[key];
        const n = start[key + 1] - from;
        if (h.time.length < n) grow(h, n);
        let max = -1;
        for (let j = 0, o = from * 4; j < n; j++, o += 4) {
          if (rows[o] > max) max = rows[o];
          h.time[j] = max;
          h.height[j] = rows[o + 1];
          h.balance[j] = rows[o + 2];
          h.tainted[j] = rows[o + 3];
        }
        h.length = n;
      }
      entries[p] = e;
    }
    const exits = exitsOf.get(a);
    const exitRows = exits === undefined ? [] : exits.sort((x, y) => (addresses[x] < addresses[y] ? -1 : 1)).map(rowOf);
    packer.addAccountRow(rowOf(a), exitRows, entries);
  }

  for (let k = 0; k < table.n; k++) {
    packer.addCoveredRow(rowOf(sender[k]));
    packer.addCoveredRow(rowOf(recipient[k]));
  }
  return packer.finish();
}

/**
 * The accounts tainted under some policy (`firstPolicy` ≥ 0), in their addresses' order: the addresses sorted as text
 * (the engine's own sort, no comparator call), then each found by a map of the tainted accounts only.
 */
function accountsByAddress(firstPolicy: Int8Array, addresses: readonly string[]): Int32Array {
  const accountOf = new Map<string, number>();
  for (let a = 0; a < firstPolicy.length; a++) if (firstPolicy[a] >= 0) accountOf.set(addresses[a], a);
  const sorted = [...accountOf.keys()].sort();
  const out = new Int32Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) out[i] = accountOf.get(sorted[i])!;
  return out;
}

/**
 * The sweep's history rows in (account, policy) order, chain order within, each as four numbers: the transfer's
 * timestamp and height, the balance and the tainted balance after it. Rows of one pair are then read in one run
 * instead of gathered from four columns scattered over the chain. null when the trace kept no history.
 */
function groupedHistory(trace: TraceColumns, timeStamp: Int32Array, height: Int32Array): { start: Int32Array; rows: Float64Array } | null {
  const h = trace.res.history;
  if (h === null) return null;
  const start = new Int32Array(trace.res.accounts * NP + 1);
  for (let i = 0; i < h.length; i++) start[h.account[i] * NP + (h.code[i] & 7) + 1]++;
  for (let i = 1; i < start.length; i++) start[i] += start[i - 1];
  const fill = start.slice(0, -1);
  const rows = new Float64Array(h.length * 4);
  for (let i = 0; i < h.length; i++) {
    const code = h.code[i];
    const k = code >>> 3;
    const o = fill[h.account[i] * NP + (code & 7)]++ * 4;
    rows[o] = timeStamp[k];
    rows[o + 1] = height[k];
    rows[o + 2] = h.balance[i];
    rows[o + 3] = h.tainted[i];
  }
  return { start, rows };
}

/** One reusable entry per policy index (the packer copies what it keeps). */
function policiesScratch(): (EntryRow & { history: HistoryRows })[] {
  return Array.from({ length: NP }, () => ({
    hops: 0,
    isExit: false,
    received: 0,
    held: 0,
    balance: 0,
    firstTaintedAt: 0,
    evidence: -1,
    history: {
      length: 0,
      time: new Int32Array(16),
      height: new Int32Array(16),
      balance: new Float64Array(16),
      tainted: new Float64Array(16),
    },
  }));
}

function grow(h: HistoryRows, n: number): void {
  const size = Math.max(n, h.time.length * 2);
  h.time = new Int32Array(size);
  h.height = new Int32Array(size);
  h.balance = new Float64Array(size);
  h.tainted = new Float64Array(size);
}
