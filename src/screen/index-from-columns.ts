/**
 * The taint index straight from runTrace's sweep (issue 10): per account and policy the figures from the sweep's
 * arrays, the history from its history log, the evidence by following the first-taint pointers (`firstK`) — no
 * AccountTaint object, no bigint per amount, no lookup by text. Packs the same bytes as the build from objects
 * (index-build.ts; test/screen/index-build.test.ts holds the two to one digest), so it keeps that build's orders:
 *  - transfers: every policy's tainted transfers (policy order, then chain order), then the seeds not among them;
 *  - accounts: grouped by the first policy they are tainted under, by address within a group;
 *  - address rows as first named: transfer ends (sender, recipient), then the other covered addresses;
 *  - evidence trie nodes as the accounts' paths are added, root first; a path is the sender's path under the
 *    same policy and then the transfer, so each (account, policy) path is found once and kept (EvidenceTrie).
 * The transfers and the address rows go to the packer as whole columns (typed arrays sized once, no call per value);
 * the history rows are grouped by (account, policy) once and each entry's rows handed over in place.
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
  type CarriedTaint,
  type TraceColumns,
  type TraceResult,
  type TraceTable,
} from '../taint/index.js';
import { TaintIndexPacker, writeHashHex, type EntryRow, type HistoryRows, type TransferColumns } from './pack.js';
import type { TaintIndex } from './packed.js';

const UNKNOWN = -2;

export function buildFromColumns(result: TraceResult, trace: TraceColumns): TaintIndex {
  const table = tableOf(result);
  const { res, isExit, seed, carried } = trace;
  const { sender, timeStamp, height, addresses } = table;
  const A = res.accounts;
  const firstK = res.firstK;
  const policies = POLICIES.map((p, i) => (result.policies[p] === undefined ? -1 : i)).filter((p) => p >= 0);

  // ── transfers: rows in the build's order, each policy's taint by row ──
  const { order, rowOfK, tainted, taint } = indexedTransfers(table.n, carried, seed, policies);
  let latest = -Infinity;
  const tip = result.manifest.tipHeight;
  for (let k = 0; k < table.n; k++) if (height[k] <= tip && timeStamp[k] > latest) latest = timeStamp[k];
  const time = latest === -Infinity ? null : latest;
  const packer = new TaintIndexPacker({
    manifest: result.manifest,
    policies: policies.map((p): Policy => POLICIES[p]),
    exitCategories: [...result.case.exitCategories],
    asOf: { height: tip, time },
    labels: new Map(result.labels),
    hasCoverage: true,
  });
  const rowOfA = addressRows(table, order, packer);
  packer.addTransferColumns(transferColumns(result, table, order, rowOfK, rowOfA, tainted, taint));

  // ── accounts: tainted under some policy; grouped by the first such policy, by address within ──
  const firstPolicy = new Int8Array(A).fill(-1);
  for (let a = 0; a < A; a++)
    for (const p of policies)
      if (firstK[a * NP + p] >= 0) {
        firstPolicy[a] = p;
        break;
      }
  const byAddress = accountsByAddress(firstPolicy, addresses);
  const accounts = new Int32Array(byAddress.length);
  const groupAt = new Int32Array(NP + 1); // a counting sort by first policy: stable, so by address within
  for (const a of byAddress) groupAt[firstPolicy[a] + 1]++;
  for (let p = 1; p <= NP; p++) groupAt[p] += groupAt[p - 1];
  for (const a of byAddress) accounts[groupAt[firstPolicy[a]]++] = a;

  const exits = exitLists(table, order, isExit, firstPolicy);
  const exitRows: number[] = [];

  const history = groupedHistory(trace, timeStamp, height);
  const scratch = policiesScratch(history);
  const evidence = new EvidenceTrie(packer, trace, sender, rowOfK);
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
      e.evidence = evidence.nodeOf(a, p);
      // the pair's rows of the grouped history, in place
      e.history.start = history === null ? 0 : history.start[key];
      e.history.length = history === null ? 0 : history.start[key + 1] - e.history.start;
      entries[p] = e;
    }
    exitRows.length = 0;
    for (let j = exits.start[a]; j < exits.start[a + 1]; j++) exitRows.push(rowOfA[exits.list[j]]);
    packer.addAccountRow(rowOfA[a], exitRows, entries);
  }

  // every account of the table is a transfer's end: every address row is covered
  for (let a = 0; a < A; a++) packer.addCoveredRow(rowOfA[a]);
  return packer.finish();
}

/**
 * The address rows, numbered as first named — the index's transfers' ends (sender, recipient) in row order, then
 * every transfer's ends in chain order — and written into the packer at once. Returns the row of each account.
 */
function addressRows(table: TraceTable, order: Int32Array, packer: TaintIndexPacker): Int32Array {
  const { sender, recipient, addresses } = table;
  const rowOfA = new Int32Array(table.accounts).fill(-1);
  const named: string[] = [];
  const name = (a: number): void => {
    if (rowOfA[a] < 0) {
      rowOfA[a] = named.length;
      named.push(addresses[a]);
    }
  };
  for (let row = 0; row < order.length; row++) {
    name(sender[order[row]]);
    name(recipient[order[row]]);
  }
  for (let k = 0; k < table.n; k++) {
    name(sender[k]);
    name(recipient[k]);
  }
  const first = packer.newAddressRows(named);
  if (first !== 0) throw new TypeError('buildFromColumns: the packer had address rows already');
  return rowOfA;
}

/**
 * The exits each account sent taint to: the index's transfers into an indexed exit from an indexed account, each exit
 * once, by address — account a's are list[start[a] .. start[a + 1]).
 */
function exitLists(
  table: TraceTable,
  order: Int32Array,
  isExit: Uint8Array,
  firstPolicy: Int8Array,
): { start: Int32Array; list: Int32Array } {
  const { sender, recipient, addresses } = table;
  const A = firstPolicy.length;
  const into = (k: number): boolean => isExit[recipient[k]] === 1 && firstPolicy[recipient[k]] >= 0 && firstPolicy[sender[k]] >= 0;
  const sent = new Int32Array(A + 1);
  for (const k of order) if (into(k)) sent[sender[k] + 1]++;
  for (let a = 0; a < A; a++) sent[a + 1] += sent[a];
  const fill = sent.slice(0, A);
  const all = new Int32Array(sent[A]);
  for (const k of order) if (into(k)) all[fill[sender[k]]++] = recipient[k];
  const start = new Int32Array(A + 1);
  let n = 0;
  for (let a = 0; a < A; a++) {
    start[a] = n;
    const mine = all.subarray(sent[a], sent[a + 1]);
    if (mine.length > 1) mine.sort((x, y) => (addresses[x] < addresses[y] ? -1 : addresses[x] > addresses[y] ? 1 : 0));
    for (let j = 0; j < mine.length; j++) if (j === 0 || mine[j] !== mine[j - 1]) all[n++] = mine[j];
  }
  start[A] = n;
  return { start, list: all };
}

/** The index's transfers as the packer's columns (row `row` is transfer order[row]). */
function transferColumns(
  result: TraceResult,
  table: TraceTable,
  order: Int32Array,
  rowOfK: Int32Array,
  rowOfA: Int32Array,
  tainted: number,
  taint: Float64Array,
): TransferColumns {
  const T = order.length;
  const { sender, recipient, height, timeStamp } = table;
  const c = {
    length: T,
    hashBytes: hashRows(table, order),
    from: new Int32Array(T),
    to: new Int32Array(T),
    height: new Int32Array(T),
    timeStamp: new Int32Array(T),
    amount: new Float64Array(T),
    fee: new Float64Array(T),
    taint,
    messages: new Array<string | null>(T).fill(null),
  };
  for (let row = 0; row < T; row++) {
    const k = order[row];
    c.from[row] = rowOfA[sender[k]];
    c.to[row] = rowOfA[recipient[k]];
    c.height[row] = height[k];
    c.timeStamp[row] = timeStamp[k];
    c.amount[row] = table.amount[k];
    c.fee[row] = table.fee[k];
  }
  // a seed that carried no taint is described as the case's seed list does (no message); read in chain order
  const fields = rowFields(result.transfers);
  for (let k = 0; k < table.n; k++) if (rowOfK[k] >= 0 && rowOfK[k] < tainted) c.messages[rowOfK[k]] = fields.messageAt(k);
  return c;
}

/**
 * The evidence trie's nodes of (account, policy) pairs, made as asked: a pair's path is its sender's path under the
 * same policy and then the transfer that first tainted it, so each pair's node is found once and kept.
 */
class EvidenceTrie {
  private readonly node: Int32Array;
  private readonly nodeHash: number[] = [];
  private readonly nodeParent: number[] = [];
  private readonly path: number[] = [];
  private readonly firstK: Int32Array;
  private readonly seed: Uint8Array;

  constructor(
    private readonly packer: TaintIndexPacker,
    trace: TraceColumns,
    private readonly sender: Int32Array,
    private readonly rowOfK: Int32Array,
  ) {
    this.node = new Int32Array(trace.res.accounts * NP).fill(UNKNOWN);
    this.firstK = trace.res.firstK;
    this.seed = trace.seed;
  }

  /** The evidence node of account a under policy p. */
  nodeOf(a: number, p: number): number {
    const { node, firstK, path, nodeHash, nodeParent } = this;
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
      if (this.seed[k] === 1) break;
      const s = this.sender[k];
      const before = firstK[s * NP + p];
      if (before < 0 || before >= k) break; // the taint core's guard: a path only goes back in the chain
      cur = s;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const b = path[i];
      const hashRow = this.rowOfK[firstK[b * NP + p]];
      // the same step from the same parent under another policy is the same node (the trie stores it once)
      let made = -1;
      for (let q = 0; q < NP && made < 0; q++) {
        const m = node[b * NP + q];
        if (m >= 0 && nodeHash[m] === hashRow && nodeParent[m] === parent) made = m;
      }
      if (made < 0) {
        made = this.packer.newNode(parent, hashRow);
        nodeHash.push(hashRow);
        nodeParent.push(parent);
      }
      node[b * NP + p] = made;
      parent = made;
    }
    return parent;
  }
}

/**
 * The index's transfers: every policy's tainted transfers (policy order, then chain order), then the seeds not among
 * them (`tainted`: how many came first). `order[row]` is the row's transfer, `rowOfK` its inverse (−1: not indexed),
 * `taint` the taint per row and policy index (NP per row, 0 = none).
 */
function indexedTransfers(
  n: number,
  carried: readonly CarriedTaint[],
  seed: Uint8Array,
  policies: readonly number[],
): { order: Int32Array; rowOfK: Int32Array; tainted: number; taint: Float64Array } {
  const rowOfK = new Int32Array(n).fill(-1);
  let rows = 0;
  for (const p of policies) {
    const c = carried[p];
    for (let i = 0; i < c.length; i++) if (c.amount[i] > 0 && rowOfK[c.k[i]] < 0) rowOfK[c.k[i]] = rows++;
  }
  const tainted = rows;
  for (let k = 0; k < n; k++) if (seed[k] === 1 && rowOfK[k] < 0) rowOfK[k] = rows++;
  const order = new Int32Array(rows);
  for (let k = 0; k < n; k++) if (rowOfK[k] >= 0) order[rowOfK[k]] = k;
  const taint = new Float64Array(rows * NP);
  for (const p of policies) {
    const c = carried[p];
    for (let i = 0; i < c.length; i++) if (c.amount[i] > 0) taint[rowOfK[c.k[i]] * NP + p] = c.amount[i];
  }
  return { order, rowOfK, tainted, taint };
}

/** The 32 hash bytes of each row's transfer: copied from the table's raw hashes (the store's), or from its hex. */
function hashRows(table: TraceTable, order: Int32Array): Buffer {
  const out = Buffer.alloc(order.length * 32);
  const raw = table.hashes;
  if (raw === undefined) {
    for (let row = 0; row < order.length; row++) writeHashHex(table.hashAt(order[row]), out, row * 32);
  } else if (raw.byteOffset % 4 === 0) {
    // eight 32-bit words a hash
    const words = new Int32Array(raw.buffer, raw.byteOffset, raw.length >>> 2);
    const into = new Int32Array(out.buffer, out.byteOffset, order.length * 8);
    for (let row = 0; row < order.length; row++) for (let w = 0, o = order[row] * 8; w < 8; w++) into[row * 8 + w] = words[o + w];
  } else for (let row = 0; row < order.length; row++) out.set(raw.subarray(order[row] * 32, order[row] * 32 + 32), row * 32);
  return out;
}

/** Characters of an address that make its sort key: printable ASCII in base 94, below 2^53 (94^8 < 2^53). */
const KEY_CHARS = 8;

/**
 * The accounts tainted under some policy (`firstPolicy` ≥ 0), in their addresses' order (the text order of
 * JavaScript's `<` and `sort()`). The addresses share a first part (at least the network's letter) and have one
 * length; each gets a number made of the KEY_CHARS characters after the shared part, the numbers are radix-sorted,
 * and addresses with the same number are then sorted by text. Addresses of other lengths, or with a character
 * outside printable ASCII among those, are sorted by text.
 */
function accountsByAddress(firstPolicy: Int8Array, addresses: readonly string[]): Int32Array {
  const ids: number[] = [];
  for (let a = 0; a < firstPolicy.length; a++) if (firstPolicy[a] >= 0) ids.push(a);
  const m = ids.length;
  const byText = (x: number, y: number): number => (addresses[x] < addresses[y] ? -1 : addresses[x] > addresses[y] ? 1 : 0);
  if (m === 0) return new Int32Array(0);
  const first = addresses[ids[0]];
  let prefix = first;
  for (let j = 1; j < m; j++) {
    const s = addresses[ids[j]];
    if (s.length !== first.length) return Int32Array.from(ids.sort(byText));
    if (s.startsWith(prefix)) continue;
    let i = 0;
    while (i < prefix.length && s.charCodeAt(i) === prefix.charCodeAt(i)) i++;
    prefix = prefix.slice(0, i);
  }
  const shared = prefix.length;
  let keys = new Float64Array(m);
  const end = Math.min(first.length, shared + KEY_CHARS);
  for (let j = 0; j < m; j++) {
    const s = addresses[ids[j]];
    let key = 0;
    for (let c = shared; c < end; c++) {
      const x = s.charCodeAt(c) - 0x21;
      if (!(x >= 0 && x < 94)) return Int32Array.from(ids.sort(byText));
      key = key * 94 + x;
    }
    keys[j] = key;
  }
  // least significant 16 bits first, four passes (94^8 < 2^64); each stable, so the last orders by the whole key
  let order = Int32Array.from(ids);
  let nextKeys = new Float64Array(m);
  let nextOrder = new Int32Array(m);
  const count = new Int32Array(65537);
  for (let pass = 0, div = 1; pass < 4; pass++, div *= 65536) {
    count.fill(0);
    for (let j = 0; j < m; j++) count[(Math.floor(keys[j] / div) % 65536) + 1]++;
    for (let d = 1; d < count.length; d++) count[d] += count[d - 1];
    for (let j = 0; j < m; j++) {
      const o = count[Math.floor(keys[j] / div) % 65536]++;
      nextKeys[o] = keys[j];
      nextOrder[o] = order[j];
    }
    [keys, nextKeys] = [nextKeys, keys];
    [order, nextOrder] = [nextOrder, order];
  }
  // runs of one key: by text
  for (let i = 0; i < m;) {
    let j = i + 1;
    while (j < m && keys[j] === keys[i]) j++;
    if (j - i > 1) order.subarray(i, j).sort(byText);
    i = j;
  }
  return order;
}

/**
 * The sweep's history rows of every (account, policy) pair, as columns in pair order (the trace's grouping,
 * `historyGroups`): rows start[a·NP + p] .. start[a·NP + p + 1] are the pair's, in chain order, each with its
 * transfer's height, the balance and tainted balance after it, and as time the running maximum of the pair's
 * timestamps (the index's event time). Each row is written in chain order straight into its place, then the times
 * are turned into running maxima pair by pair. null when the trace kept no history.
 */
function groupedHistory(trace: TraceColumns, timeStamp: Int32Array, height: Int32Array): GroupedHistory | null {
  const h = trace.res.history;
  const start = trace.historyStarts();
  if (h === null || start === null) return null;
  const fill = start.slice(0, -1);
  const out: GroupedHistory = {
    start,
    time: new Int32Array(h.length),
    height: new Int32Array(h.length),
    balance: new Float64Array(h.length),
    tainted: new Float64Array(h.length),
  };
  for (let i = 0; i < h.length; i++) {
    const code = h.code[i];
    const k = code >>> 3;
    const j = fill[h.account[i] * NP + (code & 7)]++;
    out.time[j] = timeStamp[k];
    out.height[j] = height[k];
    out.balance[j] = h.balance[i];
    out.tainted[j] = h.tainted[i];
  }
  const time = out.time;
  for (let key = 0; key < start.length - 1; key++) {
    let max = -1;
    for (let j = start[key]; j < start[key + 1]; j++) {
      if (time[j] > max) max = time[j];
      time[j] = max;
    }
  }
  return out;
}

interface GroupedHistory {
  start: Int32Array;
  time: Int32Array;
  height: Int32Array;
  balance: Float64Array;
  tainted: Float64Array;
}

/** One reusable entry per policy index, its history the grouped columns (the packer copies what it keeps). */
function policiesScratch(history: GroupedHistory | null): (EntryRow & { history: HistoryRows & { start: number } })[] {
  const none = { time: new Int32Array(0), height: new Int32Array(0), balance: new Float64Array(0), tainted: new Float64Array(0) };
  const { time, height, balance, tainted } = history ?? none;
  return Array.from({ length: NP }, () => ({
    hops: 0,
    isExit: false,
    received: 0,
    held: 0,
    balance: 0,
    firstTaintedAt: 0,
    evidence: -1,
    history: { length: 0, start: 0, time, height, balance, tainted },
  }));
}
