/**
 * The whole job on embedded defaults (`tainttrace demo`, `npm start`): the Coincheck scenario on a
 * fixture node on a free loopback port → crawl into a fresh store → trace every policy → every
 * report format → the taint index for screening. Returns what it made; the CLI prints it.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crawl, type CrawlProgress, type CrawlSummary } from '../crawl/index.js';
import { startFixtureNode, loadScenario } from '../fixture/index.js';
import { loadCase } from '../labels/index.js';
import { REPORT_FORMATS } from '../report/index.js';
import { openStore } from '../store/index.js';
import { traceJob, type TraceJobResult } from './trace-job.js';

/** The Coincheck case shipped in the package (fixtures/ sits beside src/ and dist/). */
export const DEMO_CASE_FILE = fileURLToPath(new URL('../../fixtures/coincheck/case.json', import.meta.url));

export interface DemoOptions {
  /** Working folder: `store/` (recreated) and `report/` go inside. */
  dir: string;
  /** Fixture node faults for the crawl (e.g. "5xx=0.1,429=0.05,seed=1"); none by default. */
  faults?: string;
  signal?: AbortSignal;
  onProgress?: (p: CrawlProgress) => void;
  /** Called between stages with a short line ("crawling http://127.0.0.1:…"). */
  onStage?: (line: string) => void;
}

export interface DemoResult extends TraceJobResult {
  nodeUrl: string;
  storeDir: string;
  reportDir: string;
  crawl: CrawlSummary;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const dir = resolve(options.dir);
  const storeDir = join(dir, 'store');
  const reportDir = join(dir, 'report');
  const stage = options.onStage ?? (() => {});

  const scenario = loadScenario('coincheck');
  const node = await startFixtureNode({ scenario, port: 0, faults: options.faults });
  try {
    stage(`fixture node for the Coincheck scenario at ${node.url} (${scenario.txs.length} transactions, tip ${scenario.tipHeight})`);
    await rm(storeDir, { recursive: true, force: true });
    const { caseSpec, labels } = await loadCase(DEMO_CASE_FILE);
    const store = await openStore(storeDir);
    try {
      stage(`crawling into ${storeDir}`);
      const summary = await crawl({
        nodes: [node.url],
        store,
        caseSpec,
        labels,
        concurrency: 8,
        rate: 2000,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      stage(`tracing ${caseSpec.id} under every policy`);
      const job = await traceJob({ store, caseFile: DEMO_CASE_FILE, outDir: reportDir, formats: REPORT_FORMATS });
      return { ...job, nodeUrl: node.url, storeDir, reportDir, crawl: summary };
    } finally {
      await store.close();
    }
  } finally {
    await node.close();
  }
}
