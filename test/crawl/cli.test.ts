/**
 * `tainttrace crawl` and `tainttrace stats` through the real dispatcher (src/cli/main.ts), in process.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { openStore } from '../../src/store/index.js';
import { scenarioCase, tempRoot, type ScenarioCase } from './helpers.js';

const root = tempRoot('tt-cli-');
let tiny: ScenarioCase;
let node: FixtureNode;

beforeAll(async () => {
  tiny = await scenarioCase('tiny', root.sub('tiny'));
  node = await startFixtureNode({ scenario: tiny.bundle.scenario, port: 0 });
});
afterAll(async () => {
  await node?.close();
  root.remove();
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _e, cb) {
        f(String(chunk));
        cb();
      },
    });
  const code = await main(argv, {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

describe('tainttrace crawl', () => {
  it('--json prints the summary { accounts, transfers, requests, retries, failovers, elapsedMs, quarantined, chain, stats }', async () => {
    const db = root.sub('db-ok');
    const r = await run('crawl', '--node', node.url, '--db', db, '--case', tiny.caseFile, '--rate', '1000', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual([
      'accounts',
      'chain',
      'elapsedMs',
      'failovers',
      'quarantined',
      'requests',
      'retries',
      'stats',
      'transfers',
    ]);
    expect(out.chain).toMatchObject({ provisional: tiny.expected.hashes.size, retracted: [] });
    expect(out).toMatchObject({
      accounts: tiny.expected.accounts.size,
      transfers: tiny.expected.hashes.size,
      failovers: 0,
      quarantined: [],
    });
    expect(Object.keys(out.stats).sort()).toEqual(['accounts', 'digest', 'tipHeight', 'transfers']);
    expect(r.stderr).toBe(''); // --json: nothing but the summary
  });

  it('takes --seed accounts (repeated or comma-separated) and several --node URLs', async () => {
    const a = tiny.bundle.truth.thief;
    const r = await run(
      'crawl',
      '--node',
      `${node.url},${node.url}/`,
      '--db',
      root.sub('db-seed'),
      '--seed',
      a,
      '--max-hops',
      '1',
      '--rate',
      '1000',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^done: \d+ accounts, \d+ new transfers/);
    // Not a TTY: plain progress lines on stderr.
    expect(r.stderr).toMatch(/^crawl accounts=\d+\/\d+ transfers=\d+ requests=\d+/m);
  });

  const bad: Array<[string, string[], string]> = [
    ['a bad node URL', ['--node', 'ftp://x', '--case', 'CASE'], 'TRACE_INVALID_OPTION'],
    ['no --node', ['--case', 'CASE'], 'TRACE_INVALID_OPTION'],
    ['a bad seed address', ['--node', 'NODE', '--seed', 'NOT-AN-ADDRESS'], 'TRACE_INVALID_ADDRESS'],
    ['an unreadable case', ['--node', 'NODE', '--case', '/nonexistent/case.json'], 'TRACE_INVALID_CASE'],
    ['neither --case nor --seed', ['--node', 'NODE'], 'TRACE_INVALID_OPTION'],
    ['a bad --concurrency', ['--node', 'NODE', '--case', 'CASE', '--concurrency', '0'], 'TRACE_INVALID_OPTION'],
    ['a bad --rate', ['--node', 'NODE', '--case', 'CASE', '--rate', 'fast'], 'TRACE_INVALID_OPTION'],
  ];
  for (const [what, args, code] of bad) {
    it(`${what}: one-line ${code}, exit 2, store untouched`, async () => {
      const db = root.sub(`db-bad-${code}-${what.length}`);
      const argv = args.map((a) => (a === 'CASE' ? tiny.caseFile : a === 'NODE' ? node.url : a));
      const r = await run('crawl', ...argv, '--db', db);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`[${code}]`);
      expect(existsSync(db)).toBe(false);
    });
  }

  it('missing --db: TRACE_INVALID_OPTION', async () => {
    const r = await run('crawl', '--node', node.url, '--case', tiny.caseFile);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[TRACE_INVALID_OPTION]');
  });

  it('a store in use by another process is TRACE_STORE_LOCKED', async () => {
    const db = root.sub('db-locked');
    const holder = await openStore(db);
    const r = await run('crawl', '--node', node.url, '--db', db, '--case', tiny.caseFile);
    await holder.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[TRACE_STORE_LOCKED]');
  });
});

describe('tainttrace stats', () => {
  it('prints { transfers, accounts, tipHeight, digest } with --json, equal to Store.stats(), and the same as text', async () => {
    const db = root.sub('db-ok');
    const r = await run('stats', '--db', db, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const store = await openStore(db, { readOnly: true });
    expect(out).toEqual(await store.stats());
    await store.close();
    expect(out).toMatchObject({
      transfers: tiny.expected.hashes.size,
      accounts: tiny.expected.accounts.size,
      tipHeight: tiny.bundle.scenario.tipHeight,
    });
    const text = await run('stats', '--db', db);
    expect(text.stdout).toContain(`digest     ${out.digest}`);
    expect(text.stdout).toContain(`transfers  ${out.transfers}`);
  });

  it('a missing store is TRACE_STORE_EMPTY and creates nothing', async () => {
    const db = join(root.dir, 'nope');
    const r = await run('stats', '--db', db, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('TRACE_STORE_EMPTY');
    expect(existsSync(db)).toBe(false);
  });
});
