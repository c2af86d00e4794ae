/**
 * The whole job (what `npm start` runs): fixture node → crawl → trace → reports → taint index.
 * Checks the Coincheck figures end to end, exact conservation per amount policy, exits with memos,
 * every report file, and that screening and a second trace work from the store the demo left.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, DEMO_CASE_FILE, type DemoResult } from '../../src/jobs/demo-job.js';
import { traceJob } from '../../src/jobs/trace-job.js';
import { REPORT_FILES, REPORT_FORMATS } from '../../src/report/index.js';
import { loadTaintIndexFromDir, screenDeposit } from '../../src/screen/index.js';
import { generateCoincheckScenario } from '../../src/fixture/coincheck/index.js';
import { AMOUNT_POLICIES, POLICIES } from '../../src/taint/types.js';
import { policyOf } from '../../src/domain.js';

const XEM = 1_000_000n;

describe('runDemo (the Coincheck demo)', () => {
  let dir: string;
  let demo: DemoResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tainttrace-demo-'));
    demo = await runDemo({ dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('traces the 11 theft transfers: 526,300,010 XEM of seed', () => {
    expect(demo.result.seed.transfers).toHaveLength(11);
    expect(demo.result.seed.amount).toBe(526_300_010n * XEM);
    const truth = generateCoincheckScenario().truth;
    expect(demo.result.seed.transfers.map((t) => t.hash).sort()).toEqual([...truth.theftHashes].sort());
  });

  it('conserves the seed exactly under every amount policy: seed = held + exited + fees', () => {
    for (const policy of AMOUNT_POLICIES) {
      const t = policyOf(demo.result, policy).totals;
      expect(t.seed, policy).toBe(526_300_010n * XEM);
      expect(t.held + t.exited + t.fees, policy).toBe(t.seed);
    }
  });

  it('finds taint at exchanges and the dark-web site, with deposit memos', () => {
    const report = JSON.parse(readFileSync(demo.files['report.json'], 'utf8'));
    for (const policy of POLICIES) {
      const exits = report.policies[policy].exits as { category: string; amount: string; memos: unknown[] }[];
      expect(exits.length, policy).toBeGreaterThan(0);
      expect(
        exits.some((e) => e.category === 'darkweb'),
        policy,
      ).toBe(true);
      expect(
        exits.some((e) => e.category === 'exchange' && e.memos.length > 0),
        policy,
      ).toBe(true);
    }
    expect(report.policies.haircut.totals.exited).not.toBe('0.000000');
  });

  it('writes every report format', () => {
    for (const f of REPORT_FORMATS) for (const name of REPORT_FILES[f]) expect(existsSync(join(demo.reportDir, name)), name).toBe(true);
  });

  it('leaves a store that screening reads and that traces again to the same report', async () => {
    const index = await loadTaintIndexFromDir(demo.storeDir);
    const thief = demo.result.seed.transfers[0].to;
    expect(screenDeposit(index, { from: thief, amount: '1000' }).risk).toBe('severe');
    // The README's examples: the real thief address is outside the demo store's coverage (its stand-in is not).
    expect(screenDeposit(index, { from: 'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG' }).risk).toBe('unknown');
    const standIn = [...index.labels.values()].find((l) => l.plays === 'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG')!;
    expect(standIn.address).toBe('NDCQVOU23DBAFWGW5J4RPD32RGXHTIQ6G7UORIDF');
    expect(screenDeposit(index, { from: standIn.address, amount: '1000' }).risk).toBe('severe');
    const again = await traceJob({
      store: demo.storeDir,
      caseFile: DEMO_CASE_FILE,
      outDir: join(dir, 'again'),
      formats: ['json'],
      saveIndex: false,
    });
    expect(readFileSync(again.files['report.json'], 'utf8')).toBe(readFileSync(demo.files['report.json'], 'utf8'));
  });
});
