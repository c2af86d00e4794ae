/**
 * `tainttrace serve --db DIR` loads the taint index and, for exposure, the store's transfers; `--no-exposure` serves
 * the index alone (a screening server for millions of transfers then holds only the index: README "Benchmarks"):
 * lookups answer as before, and exposure — the route and POST /v1/screen's `exposure` — is 404 TRACE_NOT_FOUND
 * saying why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { main } from '../../src/cli/main.js';
import { crawl } from '../../src/crawl/index.js';
import { startFixtureNode } from '../../src/fixture/node/index.js';
import { traceJob } from '../../src/jobs/trace-job.js';
import { openStore } from '../../src/store/index.js';
import { fastRetry, scenarioCase, tempRoot } from '../crawl/helpers.js';
import { captureIo } from './helpers.js';

const root = tempRoot('tt-serve-cli-');
const db = root.sub('store');
let thief: string;

beforeAll(async () => {
  const tiny = await scenarioCase('tiny', root.sub('case'));
  const node = await startFixtureNode({ scenario: tiny.bundle.scenario });
  const store = await openStore(db);
  await crawl({ nodes: [node.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() });
  await traceJob({ store, caseFile: tiny.caseFile });
  await store.close();
  await node.close();
  thief = tiny.bundle.truth.thief;
}, 120_000);
afterAll(() => root.remove());

/** Runs `serve` with `flags` until `fn` is done with its URL; serve's exit code. */
async function serving(flags: string[], fn: (url: string) => Promise<void>): Promise<number> {
  const c = captureIo();
  const run = main(['serve', '--db', db, '--port', '0', '--json', ...flags], c.io);
  while (!c.out().includes('\n')) {
    if (c.err() !== '') throw new Error(c.err());
    await new Promise((r) => setTimeout(r, 10));
  }
  try {
    await fn((JSON.parse(c.out()) as { url: string }).url);
  } finally {
    c.stop.abort();
  }
  return run;
}

const get = async (url: string) => {
  const res = await request(url);
  return { status: res.statusCode, body: (await res.body.json()) as { error?: { code: string; message: string } } };
};

describe('tainttrace serve', () => {
  it('answers exposure from the store’s transfers by default', async () => {
    const code = await serving([], async (url) => {
      expect((await get(`${url}/v1/accounts/${thief}`)).status).toBe(200);
      const exposure = await get(`${url}/v1/exposure/${thief}`);
      expect(exposure.status, JSON.stringify(exposure.body)).toBe(200);
    });
    expect(code).toBe(0);
  });

  it('with --no-exposure serves the index alone: lookups answer, exposure is 404 saying why', async () => {
    const code = await serving(['--no-exposure'], async (url) => {
      expect((await get(`${url}/v1/accounts/${thief}`)).status).toBe(200);
      const exposure = await get(`${url}/v1/exposure/${thief}`);
      expect(exposure.status).toBe(404);
      expect(exposure.body.error?.code).toBe('TRACE_NOT_FOUND');
      expect(exposure.body.error?.message).toMatch(/--no-exposure/);
      const res = await request(`${url}/v1/screen`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deposits: [{ from: thief, amount: '10', exposure: true }] }),
      });
      expect(res.statusCode).toBe(404);
      expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('TRACE_NOT_FOUND');
    });
    expect(code).toBe(0);
  });
});
