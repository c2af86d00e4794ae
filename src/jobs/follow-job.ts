/**
 * follow(options) — the follow job, `tainttrace follow` as a library call (docs/contracts.md §6 "Follow mode"): one
 * long-running writer over an open store.
 *
 * 1. Catch up: a crawl through the account lists, exactly as `tainttrace crawl` (resumable, incremental);
 *    then blocks are read from 360 below the chain height read before it (their signatures, for forks).
 * 2. Each round (every `intervalMs`): read `/chain/height`; check the last block read is still the
 *    node's (its signature); on a fork, walk back (≤ 360 blocks) to the common block, delete the stored
 *    transfers above it and read those heights again. Then read every new block once (`BlockReader`:
 *    signatures verified, hashes computed) and store the transfers a batch crawl of the case would store:
 *    those of reached accounts that are not exits (both directions), the seed transfers, and those of
 *    watched accounts — with the follow position in the same synced batch. A transfer from a reached
 *    account to an account without a record means a newly reached account: the crawl runs again and
 *    backfills its complete history (docs/nis1.md §7 rules, incremental for everyone else).
 * 3. When anything changed: re-trace (all six policies, index saved) incrementally (src/taint/incremental.ts):
 *    a round that only stored new blocks' transfers hands just those to the trace, whose sweep resumes
 *    where it stopped; after a backfill crawl or a fork the store's transfers are read again and the sweep
 *    resumes from the first chain position that changed (a checkpoint at or below it). Then derive the events,
 *    release the fire-once keys whose facts a fork undid, append (one synced batch), hand the new index
 *    to `onIndex` (the server swaps it) and the new events to `onEvents`.
 *
 * Watched accounts: each round first reads the true balance (`/account/get`) of every watched account without
 * one — when following starts, and when the watch list gains an account — as its opening (meta `watch.openings`),
 * which `watch.drained` is measured against (src/events/watch-balance.ts).
 *
 * Killed at any moment, it restarts where the store says: transfers are keyed by hash (a block read
 * twice writes the same bytes), the position is written with the transfers, and the events are derived
 * from the stored state with fire-once keys — nothing lost, nothing duplicated.
 */
import { addMosaicLabels, loadCase } from '../labels/index.js';
import { crawl, parseAccountBalance, Reach, type CrawlOptions, defaultSleep as sleep } from '../crawl/index.js';
import {
  deriveEvents,
  FINALITY_DEPTH,
  isFinal,
  EventLog,
  EVENTS_SUBLEVEL,
  type NewEvent,
  type TaintEvent,
  type WatchList,
  type WatchOpening,
  watchConflicts,
} from '../events/index.js';
import { isTracerError } from '../errors.js';
import { storeTraceIndex } from './trace-job.js';
import { IncrementalTrace, type TraceChange, type TraceUpdateStats } from '../taint/index.js';
import { ENGINE_VERSION } from '../version.js';
import { formatXem, nemToIso, type Transfer } from '../nem/index.js';
import type { TaintIndex } from '../screen/index.js';
import type { Store, AccountRecord } from '../store/index.js';
import { BlockReader, type ReadBlock } from '../follow/index.js';

export interface FollowState {
  /** Last block height read (or covered by the catch-up crawl). */
  height: number;
  /** Signatures of the last blocks read, by height (for fork checks). */
  blocks: Record<string, string>;
}

export interface FollowOptions {
  nodes: string[];
  /** An open store (the one writer). */
  store: Store;
  caseFile: string;
  watch?: WatchList;
  /** The store's event log, when the caller already opened it (webhooks, the server read the same one). */
  events?: EventLog;
  /** Between rounds, ms (default 15,000: NIS1 makes a block a minute). */
  intervalMs?: number;
  signal: AbortSignal;
  /** Options passed to the catch-up and backfill crawls (rate, concurrency, retry, …). */
  crawl?: Partial<Omit<CrawlOptions, 'nodes' | 'store' | 'caseSpec' | 'labels' | 'signal'>>;
  /** The block reader's retry and deadline settings. */
  blocks?: { attempts?: number; baseMs?: number; maxMs?: number; timeoutMs?: number };
  onEvents?: (events: TaintEvent[]) => void;
  onIndex?: (index: TaintIndex) => void;
  /** After each re-trace: what the incremental trace swept (tests, benches). */
  onTrace?: (stats: TraceUpdateStats) => void;
  /** After each round; return true to stop (tests, demo). */
  until?: (r: { height: number; tip: number; round: number }) => boolean;
  log?: (line: string) => void;
}

export interface FollowSummary {
  rounds: number;
  height: number;
  blocks: number;
  events: number;
  retraces: number;
  retracted: number;
}

/** Signatures kept for fork checks: the rewrite limit and some. */
const KEEP_BLOCKS = 400;
/** The incremental trace checkpoints its sweep every this many blocks (a fork re-sweeps at most this many more). */
const CHECKPOINT_BLOCKS = 50;
const FOLLOW_META = 'follow';
/** The watched accounts' openings: address → { height, balance (µXEM, decimal string), node }. */
const OPENINGS_META = 'watch.openings';
type StoredOpenings = Record<string, { height: number; balance: string; node: string }>;

export async function follow(options: FollowOptions): Promise<FollowSummary> {
  const { store, signal } = options;
  const say = options.log ?? (() => undefined);
  const { caseSpec, labels } = await loadCase(options.caseFile);
  const watch: WatchList = options.watch ?? new Map();
  const log = options.events ?? (await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), store.dir));
  const reader = new BlockReader({ nodes: options.nodes, ...options.blocks });
  const seeds = new Reach({
    seeds: caseSpec.seeds,
    seedAccounts: [],
    isExit: () => false,
    maxHops: caseSpec.maxHops,
    windowTo: caseSpec.windowTo,
  });
  const summary: FollowSummary = { rounds: 0, height: 0, blocks: 0, events: 0, retraces: 0, retracted: 0 };
  const runCrawl = () => crawl({ ...options.crawl, nodes: options.nodes, store, caseSpec, labels, signal });
  let accounts: Map<string, AccountRecord> = await store.loadAccounts();

  const relevant = (t: Transfer): boolean => {
    if (watch.has(t.sender) || watch.has(t.recipient)) return true;
    if (caseSpec.windowTo !== null && t.timeStamp >= caseSpec.windowTo) return false;
    const s = accounts.get(t.sender);
    const r = accounts.get(t.recipient);
    return (s !== undefined && !s.exit) || (r !== undefined && !r.exit) || seeds.isSeed(t);
  };
  const reachesNew = (t: Transfer): boolean => {
    const s = accounts.get(t.sender);
    return t.amount > 0 && t.recipient !== t.sender && !accounts.has(t.recipient) && ((s !== undefined && !s.exit) || seeds.isSeed(t));
  };

  /**
   * After a fork: accounts that only a retracted transfer reached are reached no more — their records,
   * cursors and the transfers only they brought in go, so the store is what a batch crawl of the new
   * chain holds (those transfers are still on the chain: no transfer.retracted for them).
   */
  const unreach = async (): Promise<void> => {
    const all = await store.loadTransfers({ segments: false });
    const exitCats = new Set(caseSpec.exitCategories);
    const isExit = (a: string) => exitCats.has(labels.get(a)?.category ?? '');
    const reach = new Reach({ seeds: caseSpec.seeds, seedAccounts: [], isExit, maxHops: caseSpec.maxHops, windowTo: caseSpec.windowTo });
    reach.add(all);
    const gone = [...accounts.values()].filter((a) => !a.seed && !reach.accounts.has(a.address)).map((a) => a.address);
    if (gone.length === 0) return;
    const goneSet = new Set(gone);
    for (const a of gone) accounts.delete(a);
    const drop = all.filter((t) => !relevant(t) || (goneSet.has(t.sender) && goneSet.has(t.recipient))).map((t) => t.hash);
    await store.deleteTransfers(drop, {}, gone);
    accounts = await store.loadAccounts();
    say(`fork: ${gone.length} account(s) no longer reached, ${drop.length} transfer(s) of theirs dropped`);
  };

  // The watched accounts' true balances (src/events/watch-balance.ts): read from the node when following starts
  // and when the watch list gains an account, at the height read; dropped when a fork replaces blocks below that
  // height or the stored transfers contradict them, and read again.
  const openings = new Map<string, WatchOpening>(
    Object.entries((await store.getMeta<StoredOpenings>(OPENINGS_META)) ?? {}).map(([a, o]) => [a, { ...o, balance: BigInt(o.balance) }]),
  );
  const saveOpenings = () =>
    store.writeBatch({
      meta: { [OPENINGS_META]: Object.fromEntries([...openings].map(([a, o]) => [a, { ...o, balance: o.balance.toString() }])) },
    });
  /** Reads the missing openings, all at one height (the chain height before and after them; else again, then next round). */
  const readOpenings = async (): Promise<void> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const missing = [...watch.keys()].filter((a) => !openings.has(a));
      if (missing.length === 0) return;
      const height = await reader.height(signal);
      const read: [string, WatchOpening][] = [];
      for (const address of missing) {
        try {
          const { node, body } = await reader.get(`/account/get?address=${address}`, signal);
          read.push([
            address,
            { height, balance: parseAccountBalance(body, address, `${node} GET /account/get?address=${address}`), node },
          ]);
        } catch (err) {
          if (signal.aborted || !isTracerError(err)) throw err;
          say(`watch: no balance for ${address} yet: ${err.message} [${err.code}]; no drain alarm for it until a node answers`);
        }
      }
      if (read.length === 0) return;
      if ((await reader.height(signal)) !== height) continue; // a block came meanwhile
      for (const [a, o] of read) openings.set(a, o);
      await saveOpenings();
      return;
    }
  };
  /** Openings the stored (verified) transfers contradict are set aside, said, and read again next round. */
  const checkOpenings = async (transfers: readonly Transfer[]): Promise<void> => {
    const conflicts = watchConflicts(transfers, new Map([...openings].filter(([a]) => watch.has(a))));
    for (const c of conflicts) {
      openings.delete(c.address);
      say(
        `watch: the balance ${c.opening.node} gave for ${c.address} at height ${c.opening.height} (${formatXem(c.opening.balance)} XEM) ` +
          `contradicts stored transfer ${c.transfer.hash} at height ${c.transfer.height}, which debits ${formatXem(c.debit)} XEM ` +
          `with ${formatXem(c.balance)} XEM carried: set aside, read again [TRACE_MALFORMED_RESPONSE]`,
      );
    }
    if (conflicts.length > 0) await saveOpenings();
  };

  // The trace kept between rounds; `pending.fresh` holds the transfers stored since the last re-trace while
  // only new blocks were read (null: read the store's transfers again — after a crawl, a fork, a restart).
  const tracer = new IncrementalTrace({
    caseSpec,
    labels,
    engineVersion: ENGINE_VERSION,
    checkpointBlocks: CHECKPOINT_BLOCKS,
    keepBlocks: FINALITY_DEPTH + CHECKPOINT_BLOCKS,
  });
  const pending: { fresh: Transfer[] | null } = { fresh: null };

  const retrace = async (tip: number, retracted: Transfer[], forked: boolean): Promise<void> => {
    const stats = await store.stats();
    const change: TraceChange =
      pending.fresh === null ? { all: await store.loadTransfers({ windowTo: caseSpec.windowTo ?? undefined }) } : { add: pending.fresh };
    let update;
    try {
      update = tracer.update(change, { storeDigest: stats.digest, tipHeight: stats.tipHeight });
      pending.fresh = [];
      addMosaicLabels(update.result); // as the trace job does
      options.onTrace?.(update.stats);
    } catch (err) {
      pending.fresh = null;
      if (isTracerError(err, 'TRACE_STORE_EMPTY')) return; // no seed transfer on the chain yet
      throw err;
    }
    const { result } = update;
    summary.retraces++;
    const index = await storeTraceIndex(store, result);
    await checkOpenings(result.transfers);
    // only what the re-trace changed can raise an event that has not fired (derive.ts `changed`)
    const changed = update.changed && { accounts: update.changed.accounts, transfers: result.transfers.slice(update.changed.from) };
    const derived = deriveEvents({ index, transfers: result.transfers, watch, tip, openings, ...(changed ? { changed } : {}) });
    const release = staleKeys(log, index, result.transfers, forked ? null : changed);
    const retractions: NewEvent[] = retracted.map((t) => ({
      key: null,
      event: {
        type: 'transfer.retracted',
        at: nemToIso(t.timeStamp),
        height: t.height,
        final: isFinal(t.height, tip),
        caseId: index.manifest.caseId,
        account: t.sender,
        amount: formatXem(t.amount),
        transfer: t.hash,
      },
    }));
    const appended = await log.append([...retractions, ...derived], release);
    summary.events += appended.length;
    options.onIndex?.(index);
    if (appended.length) options.onEvents?.(appended);
  };

  try {
    let state = await store.getMeta<FollowState>(FOLLOW_META);
    while (!signal.aborted) {
      const tip = await reader.height(signal);
      let changed = false;
      let retracted: Transfer[] = [];
      await readOpenings(); // before the catch-up: what the account holds when following starts
      if (!state) {
        say(`catching up through the account lists (chain height ${tip})`);
        await runCrawl();
        accounts = await store.loadAccounts();
        pending.fresh = null;
        // The last 360 blocks are read again (their transfers are already stored: same bytes) to learn
        // their signatures, so a fork among them is seen.
        state = { height: Math.max(0, tip - FINALITY_DEPTH), blocks: {} };
        await store.writeBatch({ meta: { [FOLLOW_META]: state } });
        changed = true;
      } else if (summary.rounds === 0) changed = true; // a restart: derive what may not have been appended
      // A fork: the last block read is no longer the node's.
      const fork = await findFork(reader, state, signal);
      if (fork !== null) {
        const above = (await store.loadTransfers({ segments: false })).filter((t) => t.height > fork);
        state = { height: fork, blocks: pruneBlocks(state.blocks, fork) };
        retracted = await store.deleteTransfers(
          above.map((t) => t.hash),
          { [FOLLOW_META]: state },
        );
        say(`fork: blocks above ${fork} replaced; ${retracted.length} stored transfer(s) taken back`);
        const stale = [...openings].filter(([, o]) => o.height > fork);
        for (const [a] of stale) openings.delete(a); // read on the replaced blocks: read again
        if (stale.length > 0) await saveOpenings();
        changed = true;
        pending.fresh = null;
      }
      let backfill = false;
      for (let h = state.height + 1; h <= tip && !signal.aborted; h++) {
        const block: ReadBlock = await reader.block(h, signal);
        summary.blocks++;
        const keep = block.transfers.filter(relevant);
        if (keep.some(reachesNew)) backfill = true;
        state.height = h;
        state.blocks[h] = block.signature;
        if (keep.length > 0 || h === tip || h % 500 === 0) {
          state.blocks = pruneBlocks(state.blocks, h);
          // (a block read again, after a restart or the catch-up, holds transfers already stored)
          const stored = await store.hasTransfers(keep.map((t) => t.hash));
          await store.writeBatch({ transfers: keep, meta: { [FOLLOW_META]: state } });
          pending.fresh?.push(...keep.filter((_t, i) => !stored[i]));
        }
        if (keep.length > 0) changed = true;
      }
      if (backfill && !signal.aborted) {
        await runCrawl();
        accounts = await store.loadAccounts();
        pending.fresh = null;
      }
      if (fork !== null) await unreach();
      if (retracted.length) {
        const back = new Set(
          (await store.hasTransfers(retracted.map((t) => t.hash))).flatMap((has, i) => (has ? [retracted[i].hash] : [])),
        );
        retracted = retracted.filter((t) => !back.has(t.hash)); // a re-read block holds it again: not retracted
        summary.retracted += retracted.length;
      }
      if (changed && !signal.aborted) await retrace(tip, retracted, fork !== null);
      summary.rounds++;
      summary.height = state.height;
      if (options.until?.({ height: state.height, tip, round: summary.rounds })) break;
      await sleep(options.intervalMs ?? 15_000, signal);
    }
  } catch (err) {
    if (signal.aborted && isTracerError(err) && (err.details as { aborted?: boolean }).aborted) return summary;
    if (signal.aborted && isTracerError(err, 'TRACE_NODE_UNAVAILABLE')) return summary;
    throw err;
  } finally {
    await reader.close();
  }
  return summary;
}

/**
 * Fire-once keys whose fact no longer holds (a fork undid it), so the event may fire again when the
 * fact returns: accounts no longer tainted, transfers no longer stored. `changed`: what the re-trace
 * changed in a round without a fork — only those accounts can have lost their taint, and no transfer left
 * the store; null: look at every fired key.
 */
function staleKeys(
  log: EventLog,
  index: TaintIndex,
  transfers: readonly Transfer[],
  changed: { accounts: Iterable<string> } | null,
): string[] {
  const out: string[] = [];
  if (changed !== null) {
    for (const a of changed.accounts) if (log.hasFired(`account.tainted:${a}`) && !index.accounts.has(a)) out.push(`account.tainted:${a}`);
    return out;
  }
  const stored = new Set(transfers.map((t) => t.hash));
  for (const key of log.firedKeys('account.tainted:')) if (!index.accounts.has(key.slice('account.tainted:'.length))) out.push(key);
  for (const prefix of ['exit.reached:', 'watch.moved:']) {
    for (const key of log.firedKeys(prefix)) if (!stored.has(key.slice(prefix.length))) out.push(key);
  }
  for (const key of log.firedKeys('watch.drained:')) if (!stored.has(key.slice(key.lastIndexOf(':') + 1))) out.push(key);
  return out;
}

/** The highest height whose stored signature the node still has, when the last one read changed; else null. */
async function findFork(reader: BlockReader, state: FollowState, signal: AbortSignal): Promise<number | null> {
  const last = state.blocks[state.height];
  if (last === undefined) return null;
  if ((await reader.block(state.height, signal)).signature === last) return null;
  const heights = Object.keys(state.blocks)
    .map(Number)
    .filter((h) => h < state.height)
    .sort((a, b) => b - a);
  for (const h of heights) if ((await reader.block(h, signal)).signature === state.blocks[String(h)]) return h;
  return Math.max(0, (heights.at(-1) ?? state.height) - 1); // deeper than the signatures kept: re-read what is kept
}

function pruneBlocks(blocks: Record<string, string>, height: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [h, sig] of Object.entries(blocks)) if (Number(h) > height - KEEP_BLOCKS && Number(h) <= height) out[h] = sig;
  return out;
}
