/**
 * tainttrace as a library (`import { … } from 'tainttrace'`): the same functions the CLI uses.
 *
 *   const store = await openStore('./store');
 *   await crawl({ nodes: ['http://127.0.0.1:7890'], store, caseSpec, labels });
 *   const { result, index } = await traceJob({ store, caseFile: 'case.json', outDir: 'report' });
 *   screenDeposit(index, { from: 'NDCQVOU23DBAFWGW5J4RPD32RGXHTIQ6G7UORIDF', amount: '1000' }); // the demo's thief stand-in
 *   const app = buildServer({ index }); await app.listen({ port: 8080 });
 *
 * Re-exports only; each stage's own index.ts is its public surface.
 */
export { TracerError, isTracerError, ERRORS, type ErrorCode } from './errors.js';
export { ENGINE_VERSION } from './version.js';
export * from './nem/index.js';
export * from './taint/index.js';
export * from './labels/index.js';
export * from './graph/index.js';
export * from './report/index.js';
export * from './screen/index.js';
export * from './exposure/index.js';
export * from './server/index.js';
export * from './store/index.js';
export { crawl, CRAWL_DEFAULTS, parseNodeUrl, type CrawlOptions, type CrawlProgress, type CrawlSummary } from './crawl/index.js';
export * from './jobs/index.js';
export { startFixtureNode, parseFaultSpec, loadScenario, SCENARIOS, ChainBuilder } from './fixture/index.js';
export type { Scenario, ChainTx, ChainBlock, ScenarioAccount } from './fixture/index.js';
