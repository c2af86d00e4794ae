/** `tainttrace export-tags`: the tainted accounts as a TagPack the labels parser reads back (mosaics: test/labels/mosaics.test.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { traceJob } from '../../src/jobs/trace-job.js';
import { parseLabels } from '../../src/labels/index.js';
import type { TaintIndex } from '../../src/screen/index.js';
import { openStore } from '../../src/store/index.js';
import { fastRetry, scenarioCase, tempRoot, type ScenarioCase } from '../crawl/helpers.js';
import { runCli } from './helpers.js';

const root = tempRoot('tt-export-tags-');
let tiny: ScenarioCase;
let node: FixtureNode;
let index: TaintIndex;
const db = root.sub('store');
beforeAll(async () => {
  tiny = await scenarioCase('tiny', root.sub('tiny'));
  node = await startFixtureNode({ scenario: tiny.bundle.scenario });
  const store = await openStore(db);
  await crawl({ nodes: [node.url], store, caseSpec: tiny.caseSpec, labels: tiny.labels, ...fastRetry() });
  index = (await traceJob({ store, caseFile: tiny.caseFile })).index;
  await store.close();
});
afterAll(async () => {
  await node.close();
  root.remove();
});

describe('tainttrace export-tags', () => {
  it('writes every tainted non-exit account with case, policy, share and evidence, readable as labels', async () => {
    const r = await runCli('export-tags', '--db', db, '--case', tiny.caseFile);
    expect(r.code, r.err).toBe(0);
    const tags = parseLabels(r.out, 'export.yaml');
    const want = [...index.accounts.values()]
      .filter((a) => a.policies.haircut && !a.policies.haircut.isExit)
      .map((a) => a.address)
      .sort();
    expect([...tags.keys()].sort()).toEqual(want);
    expect(r.out).toMatch(/case: tiny|case: "?[\w-]+"?/);
    expect(r.out).toMatch(/policy: haircut/);
    expect(r.out).toMatch(/evidence:\n\s+- [0-9a-f]{64}/);
  });
  it('--min-share keeps only accounts holding at least that share; bad flags are one line, exit 2', async () => {
    const all = parseLabels((await runCli('export-tags', '--db', db, '--case', tiny.caseFile, '--policy', 'fifo')).out, 'x');
    const some = parseLabels(
      (await runCli('export-tags', '--db', db, '--case', tiny.caseFile, '--policy', 'fifo', '--min-share', '0.5')).out,
      'x',
    );
    expect(some.size).toBeLessThan(all.size);
    for (const a of some.keys()) expect(all.has(a)).toBe(true);
    expect((await runCli('export-tags', '--db', db, '--case', tiny.caseFile, '--min-share', '2')).err).toMatch(
      /--min-share .*\[TRACE_INVALID_OPTION\]/,
    );
    expect((await runCli('export-tags', '--db', db, '--case', tiny.caseFile, '--policy', 'fifi')).err).toMatch(
      /--policy .*\[TRACE_INVALID_OPTION\]/,
    );
  });
});
