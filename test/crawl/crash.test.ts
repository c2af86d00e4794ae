/**
 * Crash safety, end to end: the crawl CLI runs as a child process against a fixture node in this
 * process and is killed with SIGKILL at seeded random moments — a random number of node requests
 * into the run plus a random few milliseconds — again and again, restarting each time; a final
 * uninterrupted run must leave the store identical (same digest, same accounts) to an
 * uninterrupted crawl. The same procedure run on the deliberately broken variant
 * (TAINTTRACE_CRAWL_UNSAFE_CURSOR=1: the cursor is written in its own batch before the page data)
 * must be caught: in at least one of a few seeded runs the final store differs.
 *
 * Reproduce one run: the seed is in the test name; the child command is printed on failure.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';
import { openStore } from '../../src/store/index.js';
import { fastRetry, freshStore, scenarioCase, tempRoot, type ScenarioCase } from './helpers.js';

const KILLS = 24;
const root = tempRoot('tt-crash-');
let cc: ScenarioCase;
let node: FixtureNode;
let clean: { digest: string; accounts: string[] };

beforeAll(async () => {
  cc = await scenarioCase('coincheck', root.sub('case'));
  node = await startFixtureNode({ scenario: cc.bundle.scenario, port: 0 });
  const store = await freshStore(root);
  const s = await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() });
  clean = { digest: s.stats.digest, accounts: [...(await store.loadAccounts()).keys()].sort() };
  await store.close();
});
afterAll(async () => {
  await node?.close();
  root.remove();
});

interface ChildResult { code: number | null; signal: NodeJS.Signals | null; killed: boolean; stderr: string }

function args(db: string): string[] {
  return ['--import', 'tsx', 'src/cli/main.ts', 'crawl', '--node', node.url, '--db', db, '--case', cc.caseFile, '--rate', '100000', '--concurrency', '4', '--json'];
}

/** Runs the crawl CLI; with `killAt`, SIGKILLs it once the node has seen that many requests, after `extraMs`. */
function runChild(db: string, env: NodeJS.ProcessEnv, killAt: { requests: number; extraMs: number } | null): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args(db), { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d) => { stderr += d; });
    let poll: NodeJS.Timeout | undefined;
    if (killAt) {
      poll = setInterval(() => {
        if (node.stats().requests >= killAt.requests) {
          clearInterval(poll);
          setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, killAt.extraMs);
        }
      }, 1);
    }
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, killed: killed && signal === 'SIGKILL', stderr });
    });
  });
}

async function finalState(db: string): Promise<{ digest: string; accounts: string[]; transfers: number }> {
  const store = await openStore(db, { readOnly: true });
  try {
    const s = await store.stats();
    return { digest: s.digest, accounts: [...(await store.loadAccounts()).keys()].sort(), transfers: s.transfers };
  } finally {
    await store.close();
  }
}

/** KILLS seeded kills in a row, then one run to completion. */
async function killLoop(seed: number, env: NodeJS.ProcessEnv): Promise<{ kills: number; beforeFinal: number; final: Awaited<ReturnType<typeof finalState>> }> {
  const rng = mulberry32(seed);
  const db = root.sub(`db-${seed}-${env.TAINTTRACE_CRAWL_UNSAFE_CURSOR ?? 'safe'}`);
  let kills = 0;
  for (let i = 0; i < KILLS; i++) {
    const target = node.stats().requests + 1 + Math.floor(rng() * 16);
    const r = await runChild(db, env, { requests: target, extraMs: Math.floor(rng() * 8) });
    if (r.killed) kills++;
    else if (r.code !== 0) throw new Error(`child exited ${r.code} (${r.signal}): ${r.stderr}\n  node ${args(db).join(' ')}`);
  }
  const beforeFinal = (await finalState(db)).transfers;
  const last = await runChild(db, env, null);
  if (last.code !== 0) throw new Error(`final run exited ${last.code}: ${last.stderr}\n  node ${args(db).join(' ')}`);
  return { kills, beforeFinal, final: await finalState(db) };
}

describe('crawl CLI under SIGKILL', () => {
  it(`killed ${KILLS} times in a row at seeded random moments (seed 11), it ends identical to an uninterrupted crawl`, { timeout: 900_000 }, async () => {
    const { kills, beforeFinal, final } = await killLoop(11, {});
    expect(kills).toBeGreaterThanOrEqual(20);
    expect(beforeFinal).toBeLessThan(cc.expected.hashes.size); // the kills all fell inside the crawl
    expect(final.digest).toBe(clean.digest);
    expect(final.accounts).toEqual(clean.accounts);
    expect(final.transfers).toBe(cc.expected.hashes.size);
  });

  it('the deliberately broken variant (cursor written before the page data) is caught by the same check', { timeout: 1_800_000 }, async () => {
    const outcomes: Array<{ seed: number; kills: number; same: boolean }> = [];
    for (const seed of [21, 22, 23, 24]) {
      const { kills, final } = await killLoop(seed, { TAINTTRACE_CRAWL_UNSAFE_CURSOR: '1' });
      outcomes.push({ seed, kills, same: final.digest === clean.digest && final.transfers === cc.expected.hashes.size });
      if (!outcomes[outcomes.length - 1].same) break;
    }
    expect(outcomes.some((o) => !o.same)).toBe(true);
  });
});
