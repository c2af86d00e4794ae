/**
 * SIGKILL loop shared by the crash test and the crash soak (bench/crash-soak.ts): a crawl child
 * process against a fixture node in this process, killed once the node has seen a seeded number of
 * requests (plus a few ms), again and again on the same store, then run once to completion.
 */
import { spawn } from 'node:child_process';
import type { FixtureNode } from '../../src/fixture/node/index.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';
import { openStore } from '../../src/store/index.js';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  stderr: string;
}

/**
 * The real CLI, as a user runs it: by default through tsx from the sources; `entry` is the node
 * arguments that start it instead (the crash soak runs the built `dist/cli/main.js`).
 */
export function cliCrawl(
  node: FixtureNode,
  caseFile: string,
  entry: readonly string[] = ['--import', 'tsx', 'src/cli/main.ts'],
): (db: string) => string[] {
  return (db) => [
    ...entry,
    'crawl',
    '--node',
    node.url,
    '--db',
    db,
    '--case',
    caseFile,
    '--rate',
    '100000',
    '--concurrency',
    '4',
    '--json',
  ];
}

/** The deliberately broken crawler (test/crawl/crash-child.ts): cursor written before the page data. */
export function brokenCrawl(node: FixtureNode, caseFile: string): (db: string) => string[] {
  return (db) => ['--import', 'tsx', 'test/crawl/crash-child.ts', '--node', node.url, '--db', db, '--case', caseFile];
}

/** Runs the child; with `killAt`, SIGKILLs it once the node has seen that many requests, after `extraMs`. */
export function runChild(node: FixtureNode, argv: string[], killAt: { requests: number; extraMs: number } | null): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d) => {
      stderr += d;
    });
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

export async function finalState(db: string): Promise<{ digest: string; accounts: string[]; transfers: number }> {
  const store = await openStore(db, { readOnly: true });
  try {
    const s = await store.stats();
    return { digest: s.digest, accounts: [...(await store.loadAccounts()).keys()].sort(), transfers: s.transfers };
  } finally {
    await store.close();
  }
}

/** `kills` seeded kills in a row on `db`, then one run to completion; throws if a child fails on its own. */
export async function killLoop(
  node: FixtureNode,
  command: (db: string) => string[],
  db: string,
  seed: number,
  kills: number,
): Promise<{ kills: number; beforeFinal: number; final: Awaited<ReturnType<typeof finalState>> }> {
  const rng = mulberry32(seed);
  let killed = 0;
  for (let i = 0; i < kills; i++) {
    const target = node.stats().requests + 1 + Math.floor(rng() * 16);
    const r = await runChild(node, command(db), { requests: target, extraMs: Math.floor(rng() * 8) });
    if (r.killed) killed++;
    else if (r.code !== 0) throw new Error(`child exited ${r.code} (${r.signal}): ${r.stderr}\n  node ${command(db).join(' ')}`);
  }
  const beforeFinal = (await finalState(db)).transfers;
  const last = await runChild(node, command(db), null);
  if (last.code !== 0) throw new Error(`final run exited ${last.code}: ${last.stderr}\n  node ${command(db).join(' ')}`);
  return { kills: killed, beforeFinal, final: await finalState(db) };
}
