/**
 * The report's graph exports and page data at scale (issue 10): CPU time of each writer over one trace of a
 * seeded synthetic chain (src/fixture/synthetic.ts, maxHops 1000 as in bench/e2e.bench.ts), the core's trace of
 * the same transfers timed in the same run as the floor. `--digest` prints a SHA-256 of each output (to check
 * that a change keeps them byte-identical). `files` times what the trace job does for the two graph files:
 * `writeReports` with gexf and graphml (the export's columns read once, both files streamed to disk), with their sizes.
 * `html` times the page's data (buildHtmlData, JSON-stringified), `page` the whole report.html (data, static tables,
 * embedded JSON; the client bundled before timing, as an installed package reads it prebuilt). The trace's tip height is
 * the chain's last block (as a store's would be: only the last 360 blocks' transfers are provisional).
 * `--rounds N` repeats each (the machine is shared: read the smallest).
 *
 *   npx tsx bench/report-exports.bench.ts [--n 200000] [--seed 7] [--digest] [--rounds 1] [--only export,gexf,graphml,files,html,page]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticChain, syntheticTransfers } from '../src/fixture/synthetic.js';
import { exportColumns } from '../src/report/graph.js';
import { buildGexf } from '../src/report/gexf.js';
import { buildGraphml } from '../src/report/graphml.js';
import { buildHtmlData } from '../src/report/html/data.js';
import { bundleClient } from '../src/report/html/bundle.js';
import { buildReportHtml } from '../src/report/html/page.js';
import { buildReportJson } from '../src/report/json.js';
import { runTrace } from '../src/taint/index.js';
import { writeReports } from '../src/report/write.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const n = Number(flag('n', '200000'));
const seed = Number(flag('seed', '7'));
const digest = args.includes('--digest');
const only = flag('only', '');
const rounds = Number(flag('rounds', '1'));
const run = (name: string): boolean => only === '' || only.split(',').includes(name);

function timed<T>(name: string, fn: () => T): T {
  const cpu0 = process.cpuUsage();
  const out = fn();
  const cpu = process.cpuUsage(cpu0);
  const text = typeof out === 'string' ? out : typeof out === 'number' ? String(out) : undefined;
  const sha = digest && text !== undefined ? ` sha256 ${createHash('sha256').update(text).digest('hex').slice(0, 16)}` : '';
  console.log(`${name.padEnd(22)} ${((cpu.user + cpu.system) / 1e6).toFixed(2).padStart(7)} s CPU${sha}`);
  return out;
}

const { transfers, labels, caseSpec } = syntheticTransfers(syntheticChain({ transfers: n, seed }));
const tipHeight = transfers.reduce((h, t) => Math.max(h, t.height), 0);
const result = timed('trace (floor)', () =>
  runTrace({ transfers, caseSpec: { ...caseSpec, maxHops: 1000 }, labels, storeDigest: 'bench', tipHeight, engineVersion: 'bench' }),
);
console.log(`${n} transfers, ${result.transfers.length} traced`);
const report = buildReportJson(result);
for (let r = 0; r < rounds; r++) {
  if (run('export')) timed('export columns', () => exportColumns(result).nodes.length);
  if (run('gexf')) timed('graph.gexf', () => buildGexf(result));
  if (run('graphml')) timed('graph.graphml', () => buildGraphml(result));
  if (run('files')) {
    const dir = mkdtempSync(join(tmpdir(), 'tt-report-exports-'));
    const cpu0 = process.cpuUsage();
    const { files } = await writeReports(result, { outDir: dir, formats: ['gexf', 'graphml'] });
    const cpu = process.cpuUsage(cpu0);
    const sizes = Object.entries(files).map(([name, path]) => `${name} ${(statSync(path).size / 2 ** 20).toFixed(1)} MiB`);
    console.log(`${'graph files'.padEnd(22)} ${((cpu.user + cpu.system) / 1e6).toFixed(2).padStart(7)} s CPU (${sizes.join(', ')})`);
    rmSync(dir, { recursive: true, force: true });
  }
  if (run('html')) timed('report.html data', () => JSON.stringify(buildHtmlData(result, report)));
  if (run('page')) {
    await bundleClient();
    const cpu0 = process.cpuUsage();
    const html = await buildReportHtml(result, { report });
    const cpu = process.cpuUsage(cpu0);
    const sha = digest ? ` sha256 ${createHash('sha256').update(html).digest('hex').slice(0, 16)}` : '';
    console.log(`${'report.html'.padEnd(22)} ${((cpu.user + cpu.system) / 1e6).toFixed(2).padStart(7)} s CPU${sha}`);
  }
}
