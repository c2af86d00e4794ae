/**
 * The live demo (`tainttrace demo --live`): the Coincheck scenario unfolds block by block on a fixture
 * node started in-process, and `follow` (src/jobs/follow-job.ts, library defaults) reads each block,
 * re-traces and raises the alerts as they fire — the theft transfers, the thief accounts tainted, the
 * hot wallet's drain alarm (the scenario's victim account is watched, as an exchange would watch its own
 * hot wallet), exits reached. The chain starts one block before the first theft transfer. Time is scaled:
 * one block every `blockMs` (NIS1 makes one a minute) and the follower polls four times a block, as its
 * default 15 s interval does on the real chain. It ends
 * by itself after `blocks` blocks holding transactions (or on the signal).
 *
 * Returns the events with when each arrived and when its block appeared, so a bench (bench/follow.bench.ts)
 * reads the block-to-alert latency off the same run.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TaintEvent } from '../events/index.js';
import type { WatchEntry } from '../events/index.js';
import { startFixtureNode, loadScenario } from '../fixture/index.js';
import { loadCase } from '../labels/index.js';
import { openStore } from '../store/index.js';
import { DEMO_CASE_FILE } from './demo-job.js';
import { follow, type FollowSummary } from './follow-job.js';

export interface LiveDemoOptions {
  /** Working folder: `store/` (recreated) goes inside. */
  dir: string;
  /** Blocks holding transactions to play (default 120: the theft, the split, the first moves). */
  blocks?: number;
  /** Milliseconds between blocks (default 250). */
  blockMs?: number;
  signal?: AbortSignal;
  onStage?: (line: string) => void;
  /** Each event as it fires, with the wall-clock time its block appeared (ms, `performance.now()`). */
  onEvent?: (event: TaintEvent, blockAt: number | null) => void;
}

export interface LiveDemoEvent {
  event: TaintEvent;
  /** When the follower raised it (`performance.now()`). */
  at: number;
  /** When the node first showed the event's block (null: before the demo started stepping). */
  blockAt: number | null;
}

export interface LiveDemoResult {
  nodeUrl: string;
  storeDir: string;
  /** Blocks with transactions played. */
  blocks: number;
  /** The node's tip at the end. */
  tip: number;
  events: LiveDemoEvent[];
  follow: FollowSummary;
}

export async function runLiveDemo(options: LiveDemoOptions): Promise<LiveDemoResult> {
  const dir = resolve(options.dir);
  const storeDir = join(dir, 'store');
  const blocks = options.blocks ?? 120;
  const blockMs = options.blockMs ?? 250;
  if (!Number.isSafeInteger(blocks) || blocks < 1) throw new TypeError('blocks must be a positive integer');
  if (!Number.isFinite(blockMs) || blockMs < 0) throw new TypeError('blockMs must be ≥ 0');
  const stage = options.onStage ?? (() => {});
  const scenario = loadScenario('coincheck');
  const { caseSpec, labels } = await loadCase(DEMO_CASE_FILE);
  // the chain starts just before the first theft transfer (the scenario's earlier months are background)
  let theft = scenario.tipHeight;
  for (const tx of scenario.txs) {
    for (const seed of caseSpec.seeds) {
      const ts = (tx.transaction as { timeStamp: number }).timeStamp;
      if ('account' in seed && tx.outgoing.includes(seed.account) && ts >= seed.from && ts < seed.to) theft = Math.min(theft, tx.height);
    }
  }
  const watch = new Map<string, WatchEntry>();
  for (const l of labels.values()) {
    if (l.category === 'victim') watch.set(l.address, { address: l.address, label: l.label, drainPercent: 10, drainWindow: 3600 });
  }

  const node = await startFixtureNode({ scenario, port: 0, live: { blockMs: 0, startHeight: theft - 1 } });
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const appeared = new Map<number, number>();
  const events: LiveDemoEvent[] = [];
  let played = 0;
  try {
    stage(
      `fixture node for the Coincheck scenario at ${node.url}, live from height ${node.chain.tip()}: ` +
        `${blocks} blocks with transactions, one every ${blockMs} ms`,
    );
    await rm(storeDir, { recursive: true, force: true });
    const store = await openStore(storeDir);
    // the chain moves once the follower has caught up and read the hot wallet's balance (its first round), as a
    // follower started before the theft would have
    const ready = { following: false };
    const stepping = (async () => {
      while (!ready.following && !signal.aborted) await new Promise((r) => setTimeout(r, 5));
      while (played < blocks && !signal.aborted) {
        await new Promise((r) => setTimeout(r, blockMs));
        if (!node.chain.step()) break;
        played++;
        appeared.set(node.chain.tip(), performance.now());
      }
    })();
    try {
      stage(`following into ${storeDir} (watching ${[...watch.values()].map((w) => w.label).join(', ')})`);
      const summary = await follow({
        nodes: [node.url],
        store,
        caseFile: DEMO_CASE_FILE,
        watch,
        signal,
        intervalMs: Math.max(1, Math.round(blockMs / 4)),
        crawl: { concurrency: 8, rate: 2000 },
        onEvents: (fired) => {
          const at = performance.now();
          for (const event of fired) {
            const blockAt = appeared.get(event.height) ?? null;
            events.push({ event, at, blockAt });
            options.onEvent?.(event, blockAt);
          }
        },
        until: ({ height }) => ((ready.following = true), (played >= blocks || signal.aborted) && height >= node.chain.tip()),
      });
      stop.abort();
      await stepping;
      return { nodeUrl: node.url, storeDir, blocks: played, tip: node.chain.tip(), events, follow: summary };
    } finally {
      stop.abort();
      await stepping;
      await store.close();
    }
  } finally {
    await node.close();
  }
}
