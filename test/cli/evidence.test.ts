/**
 * `stats`, `screen` and `serve` on evidence media (issue 9 item 10): they read a store without
 * changing a byte of its directory, so they work on a write-protected copy. Tests run as root, where
 * `chmod a-w` stops no write, so the proof is byte for byte: every file's bytes before and after.
 * The control at the end shows the check can fail: a plain LevelDB open of the same directory
 * (in place) does change its files.
 */
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { main } from '../../src/cli/main.js';
import { crawl } from '../../src/crawl/index.js';
import { startFixtureNode } from '../../src/fixture/node/index.js';
import { traceJob } from '../../src/jobs/trace-job.js';
import { openStore } from '../../src/store/index.js';
import { fastRetry, scenarioCase, tempRoot } from '../crawl/helpers.js';
import { runCli } from './helpers.js';

const root = tempRoot('tt-evidence-');
const db = root.sub('store');
let thief: string;
let digest: string;

/** name → sha256 of every file under dir (and its mode bits, which must not change either). */
function fingerprint(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isFile()) out.set(name, `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${st.mode.toString(8)}`);
  }
  return out;
}

function chmodTree(dir: string, mode: (m: number) => number): void {
  for (const name of ['', ...(readdirSync(dir, { recursive: true }) as string[])]) {
    const p = join(dir, name);
    chmodSync(p, mode(statSync(p).mode));
  }
}

beforeAll(async () => {
  const tiny = await scenarioCase('tiny', root.sub('case'));
  const node = await startFixtureNode({ scenario: tiny.bundle.scenario });
  const store = await openStore(db);
  digest = (await crawl({ nodes: [node.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() })).stats.digest;
  await traceJob({ store, caseFile: tiny.caseFile });
  await store.close();
  await node.close();
  thief = tiny.bundle.truth.thief;
  chmodTree(db, (m) => m & ~0o222); // a write-protected copy, as evidence media are
}, 120_000);
afterAll(() => {
  chmodTree(db, (m) => m | 0o200);
  root.remove();
});

describe('read-only commands leave the store untouched, byte for byte', () => {
  it('stats, screen and serve answer from a write-protected store without changing a file', async () => {
    const before = fingerprint(db);
    expect(before.size).toBeGreaterThan(3);

    const stats = await runCli('stats', '--db', db, '--json');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.out).digest).toBe(digest);

    const screen = await runCli('screen', '--db', db, thief, '--amount', '10', '--json');
    expect(screen.code, screen.err).toBe(0);
    expect(JSON.parse(screen.out).risk).not.toBe('unknown');

    let out = '';
    const stdout = new PassThrough();
    stdout.on('data', (d) => {
      out += d;
    });
    const stop = new AbortController();
    const serving = main(['serve', '--db', db, '--port', '0', '--json'], { stdout, stderr: new PassThrough(), signal: stop.signal });
    while (!out.includes('\n')) await new Promise((r) => setTimeout(r, 10));
    const { url } = JSON.parse(out) as { url: string };
    const res = await request(`${url}/v1/accounts/${thief}`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    stop.abort();
    expect(await serving).toBe(0);

    expect(fingerprint(db)).toEqual(before);
  });

  it('control: opening the same directory in place (LevelDB) does change its files', async () => {
    chmodTree(db, (m) => m | 0o200);
    const before = fingerprint(db);
    const store = await openStore(db, { readOnly: true });
    await store.close();
    expect(fingerprint(db)).not.toEqual(before);
  });
});
