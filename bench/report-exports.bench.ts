/**
 * The report's graph exports and page data at scale (issue 10): CPU time of each writer over one trace of a
 * seeded synthetic chain (src/fixture/synthetic.ts, maxHops 1000 as in bench/e2e.bench.ts), the core's trace of
 * the same transfers timed in the same run as the floor. `--digest` prints a SHA-256 of each output (to check
 * that a change keeps them byte-identical).
 *
 *   npx tsx bench/report-exports.bench.ts [--n 200000] [--seed 7] [--digest] [--only export,gexf,graphml,html]
 */
import { createHash } from 'node:crypto';
import { syntheticChain, syntheticTransfers } from '../src/fixture/synthetic.js';
import { exportColumns } from '../src/report/graph.js';
import { buildGexf } from '../src/report/gexf.js';
import { buildGraphml } from '../src/report/graphml.js';
import { buildHtmlData } from '../src/report/html/data.js';
import { buildReportJson } from '../src/report/json.js';
import { runTrace } from '../src/taint/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const n = Number(flag('n', '200000'));
const seed = Number(flag('seed', '7'));
const digest = args.includes('--digest');
const only = flag('only', '');
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
const result = timed('trace (floor)', () =>
  runTrace({ transfers, caseSpec: { ...caseSpec, maxHops: 1000 }, labels, storeDigest: 'bench', tipHeight: 0, engineVersion: 'bench' }),
);
console.log(`${n} transfers, ${result.transfers.length} traced`);
const report = buildReportJson(result);
if (run('export')) timed('export columns', () => exportColumns(result).nodes.length);
if (run('gexf')) timed('graph.gexf', () => buildGexf(result));
if (run('graphml')) timed('graph.graphml', () => buildGraphml(result));
if (run('html')) timed('report.html data', () => JSON.stringify(buildHtmlData(result, report)));
