/**
 * Where a trace job's time goes (issue 10): the steps `traceJob` takes (src/jobs/trace-job.ts), each timed alone
 * over one seeded synthetic chain (src/fixture/synthetic.ts, the case and labels bench/e2e.bench.ts writes) — wall,
 * CPU and RSS after each step, and the process's peak RSS at the end. The store is built once in `--dir` and reused
 * (a later run skips the ingest), so the steps can be measured again after a change. The core's own six-policy sweep
 * over the same transfers is timed first, in the same run, as the floor. `--cpu-prof` gives node's profiler to it.
 *
 *   npx tsx bench/trace-phases.bench.ts [--n 1000000] [--seed 7] [--dir /tmp/tt-phases-<n>] [--keep-out]
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/trace-phases.bench.ts --n 1000000
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { POLICIES } from '../src/domain.js';
import { syntheticChain, syntheticLabels, syntheticTransfer } from '../src/fixture/synthetic.js';
import { addMosaicLabels, loadCase } from '../src/labels/index.js';
import { accountsCsvChunks, transfersCsvChunks } from '../src/report/csv.js';
import { gexfChunks } from '../src/report/gexf.js';
import { exportColumns } from '../src/report/graph.js';
import { graphmlChunks } from '../src/report/graphml.js';
import { buildReportHtml } from '../src/report/html/page.js';
import { buildReportJson, stringifyReportJson } from '../src/report/json.js';
import { buildReportMarkdown } from '../src/report/markdown.js';
import { writeChunks } from '../src/report/stream.js';
import { buildTaintIndex, saveTaintIndex, TAINT_INDEX_SUBLEVEL } from '../src/screen/index.js';
import { hashAt, openStore } from '../src/store/index.js';
import { runTraceColumns, tableOfColumns } from '../src/taint/index.js';
import { sweep } from '../src/taint/sweep.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const n = Number(flag('n', '1000000'));
const seed = Number(flag('seed', '7'));
const root = flag('dir', join(tmpdir(), `tt-phases-${n}-${seed}`));
const db = join(root, 'store');
const MiB = 1048576;

const chain = syntheticChain({ transfers: n, seed });
if (!existsSync(join(db, 'CURRENT'))) {
  mkdirSync(root, { recursive: true });
  const tags = [...syntheticLabels(chain).values()].map((l) => ({ address: l.address, label: l.label, category: l.category }));
  writeFileSync(join(root, 'labels.yaml'), stringify({ title: 'synthetic chain roles', creator: 'phases bench', tags }));
  const seeds: { hash: string }[] = [];
  for (let k = 0; k < chain.n; k++) if (chain.seed[k] === 1) seeds.push({ hash: syntheticTransfer(chain, k).hash });
  const spec = { id: `synthetic-${seed}`, title: `Synthetic chain (${n}, seed ${seed})`, seeds, labels: ['labels.yaml'] };
  writeFileSync(join(root, 'case.json'), JSON.stringify({ ...spec, dust: '1.000000', maxHops: 1000 }));
  const store = await openStore(db);
  for (let lo = 0; lo < n; lo += 4096) {
    const part = [];
    for (let k = lo; k < Math.min(n, lo + 4096); k++) part.push(syntheticTransfer(chain, k));
    await store.writeBatch({ transfers: part });
  }
  await store.close();
  process.stdout.write(`ingested ${n} transfers into ${db}\n`);
}

const rows: string[] = [];
async function step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const out = await fn();
  const c = process.cpuUsage(c0);
  const wall = ((performance.now() - w0) / 1000).toFixed(2).padStart(7);
  const cpu = ((c.user + c.system) / 1e6).toFixed(2).padStart(7);
  rows.push(`${name.padEnd(20)} ${wall} ${cpu} ${String(Math.round(process.memoryUsage().rss / MiB)).padStart(8)}`);
  return out;
}

await step('core sweep (floor)', () => sweep(chain, { isExit: chain.isExit, seed: chain.seed, dust: 1_000_000, log: true, history: true }));
const out = join(root, 'out');
mkdirSync(out, { recursive: true });
const { caseSpec, labels } = await loadCase(join(root, 'case.json'));
const store = await openStore(db);
const stats = await step('store stats', () => store.stats());
const { cols, transfers } = await step('load columns', () => store.loadTransferTable({ windowTo: caseSpec.windowTo }));
const result = await step('trace (6 policies)', () =>
  runTraceColumns({
    table: tableOfColumns(cols, (k) => hashAt(cols, k)),
    transfers,
    caseSpec,
    labels,
    policies: POLICIES,
    storeDigest: stats.digest,
    tipHeight: stats.tipHeight,
    engineVersion: 'bench',
  }),
);
await step('mosaic labels', () => addMosaicLabels(result));
const report = await step('report.json build', () => buildReportJson(result));
await step('report.json write', () => writeChunks(join(out, 'report.json'), [stringifyReportJson(report)]));
await step('report.md', () => writeChunks(join(out, 'report.md'), [buildReportMarkdown(report)]));
await step('transfers.csv', () => writeChunks(join(out, 'transfers.csv'), transfersCsvChunks(result)));
await step('accounts.csv', () => writeChunks(join(out, 'accounts.csv'), accountsCsvChunks(result)));
const graph = await step('graph columns', () => exportColumns(result));
await step('graph.gexf', () => writeChunks(join(out, 'graph.gexf'), gexfChunks(graph)));
await step('graph.graphml', () => writeChunks(join(out, 'graph.graphml'), graphmlChunks(graph)));
await step('report.html', async () => writeChunks(join(out, 'report.html'), [await buildReportHtml(result, { report })]));
const index = await step('index build', () => buildTaintIndex(result));
await step('index save', () => saveTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL), index));
await store.close();
if (!args.includes('--keep-out')) rmSync(out, { recursive: true, force: true });

process.stdout.write(`trace job steps at ${n} transfers (seed ${seed}; store ${db})\nstep                    wall s   cpu s  RSS MiB\n`);
process.stdout.write(
  `${rows.join('\n')}\npeak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB (includes the bench's own chain)\n`,
);
