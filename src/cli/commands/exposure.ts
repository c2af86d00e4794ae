/**
 * `tainttrace exposure --db DIR ADDRESS [--node URL…] [--hops N] [--as-of TIME] [--categories C,…]
 * [--labels FILE…] [--policy P,…] [--json]` — where did an address's money come from (docs/contracts.md
 * §6, src/exposure): per policy and risky category, how much of what it received came from labelled
 * risky accounts within N hops upstream, direct or indirect, with the top sources and the evidence path.
 * With `--node` it first crawls the upstream cone into the store (src/crawl, `upstream`: the crawler's
 * nodes, verification and writes) to the hop limit; without, it reads the store as it is.
 */
import { crawl, type CrawlSummary } from '../../crawl/index.js';
import { TracerError } from '../../errors.js';
import {
  exposure,
  exposureView,
  EXPOSURE_DEFAULTS,
  EXPOSURE_LIMITS,
  DEFAULT_RISKY_CATEGORIES,
  type ExposureView,
} from '../../exposure/index.js';
import { loadLabelFiles } from '../../labels/index.js';
import { parseAddress } from '../../nem/index.js';
import { openStore, type Store } from '../../store/index.js';
import type { Policy } from '../../taint/index.js';
import { intFlag, listFlag, nodesFlag, parseFlags, rateFlag, requireFlag, writeJson, type Command, type CommandIO } from '../args.js';
import { crawlProgressReporter } from '../progress.js';

const USAGE = `
tainttrace exposure --db DIR ADDRESS [--node URL[,URL…]] [--hops N] [--as-of TIME] [--categories C,…]
                    [--labels FILE]… [--policy P,…] [--top N] [--json]

Source of funds: how much of what ADDRESS received came, within N hops upstream, from accounts
labelled with a risky category — per policy and category, direct (straight from a source) and
indirect, fewest hops, the tainted balance it holds, the top sources and the evidence path. Runs the
exact six-policy sweep seeded with the sources' outflows inside the upstream cone, over what the
store holds (coverage says how much of the cone it holds completely). Exchanges are sources of clean
funds unless their category is named. With --node it first crawls the cone it needs (incoming lists
hop by hop, then the complete history of every cone account, verified like every crawl) to the hop
limit, resumably; without, it uses what the store holds.

  --db DIR           the store directory (created with --node)
  ADDRESS            the address (dashes allowed)
  --node URL[,URL…]  crawl the upstream cone from these NIS1 node(s) first
  --concurrency N    with --node: requests in flight (default 4)
  --rate N           with --node: requests per second over all nodes (default 10)
  --hops N           upstream hops searched (default ${EXPOSURE_DEFAULTS.hops}, at most ${EXPOSURE_LIMITS.hops})
  --as-of TIME       only transfers before this ISO-8601 time
  --categories C,…   risky categories (default ${DEFAULT_RISKY_CATEGORIES.join(',')})
  --labels FILE      TagPack labels on top of the store's (repeatable)
  --policy P,…       policies to show (default: all six)
  --top N            sources ranked by their own exposure (default ${EXPOSURE_DEFAULTS.topSources})
  --json             print the answer as JSON
`;

export const exposureCommand: Command = {
  name: 'exposure',
  summary: "an address's exposure to risky sources upstream",
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        db: { type: 'string' },
        node: { type: 'string', multiple: true },
        concurrency: { type: 'string' },
        rate: { type: 'string' },
        hops: { type: 'string' },
        'as-of': { type: 'string' },
        categories: { type: 'string' },
        labels: { type: 'string', multiple: true },
        policy: { type: 'string' },
        top: { type: 'string' },
        json: { type: 'boolean' },
      },
      true,
    );
    if (positionals.length !== 1)
      throw new TracerError('TRACE_INVALID_OPTION', `expected exactly one ADDRESS, got ${positionals.length} (see --help)`);
    const dir = requireFlag(values.db, 'db');
    const hops = intFlag(values.hops, 'hops', EXPOSURE_DEFAULTS.hops, 1, EXPOSURE_LIMITS.hops);
    const topSources = intFlag(values.top, 'top', EXPOSURE_DEFAULTS.topSources, 0, EXPOSURE_LIMITS.topSources);
    const categories = values.categories === undefined ? undefined : listFlag(values.categories);
    const policies = values.policy === undefined ? undefined : (listFlag(values.policy) as Policy[]);
    const labels = values.labels === undefined ? undefined : await loadLabelFiles(values.labels);
    const address = parseAddress(positionals[0]);
    const nodes = values.node === undefined ? null : nodesFlag(values.node);
    if (nodes === null && (values.concurrency !== undefined || values.rate !== undefined))
      throw new TracerError('TRACE_INVALID_OPTION', '--concurrency and --rate go with --node');
    const concurrency = intFlag(values.concurrency, 'concurrency', 4, 1, 256);
    const rate = rateFlag(values.rate);
    const store = await openStore(dir, { readOnly: nodes === null });
    try {
      if (nodes !== null) {
        const summary = await crawlCone(io, store, { nodes, address, hops, concurrency, rate, quiet: values.json === true });
        if (summary.aborted) return 130;
      }
      const result = await exposure(store, address, { hops, asOf: values['as-of'], categories, policies, topSources, labels });
      const view = exposureView(result);
      if (values.json) writeJson(io, view);
      else io.stdout.write(renderExposure(view));
      return 0;
    } finally {
      await store.close();
    }
  },
};

/** Crawls the address's upstream cone (src/crawl `upstream`) with a progress line on stderr; one summary line unless quiet. */
async function crawlCone(
  io: CommandIO,
  store: Store,
  o: { nodes: string[]; address: string; hops: number; concurrency: number; rate: number; quiet: boolean },
): Promise<CrawlSummary> {
  const progress = crawlProgressReporter(io, o.quiet);
  let summary: CrawlSummary;
  try {
    summary = await crawl({
      nodes: o.nodes,
      store,
      upstream: { address: o.address, hops: o.hops },
      concurrency: o.concurrency,
      rate: o.rate,
      signal: io.signal,
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  if (!o.quiet) {
    const q = summary.quarantined.map((n) => `; quarantined ${n.node}: ${n.reason}`).join('');
    io.stderr.write(
      `${summary.aborted ? 'stopped' : 'crawled'} the upstream cone within ${o.hops} hops: ${summary.accounts} accounts, ` +
        `${summary.transfers} new transfers, ${summary.requests} requests in ${(summary.elapsedMs / 1000).toFixed(1)} s${q}\n`,
    );
  }
  return summary;
}

export function renderExposure(v: ExposureView): string {
  const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
  const amount = (x: string) => x.padStart(20);
  const lines = [
    `${v.address}${v.label ? `  ${v.label.label} [${v.label.category}]` : ''}`,
    `  received ${v.received} XEM in ${v.receivedTransfers} transfer(s), balance ${v.balance} XEM${v.asOf ? `, before ${v.asOf}` : ''}`,
    `  upstream cone: ${v.cone.accounts} accounts within ${v.hops} hops (per hop ${v.cone.byDepth.join('/')}), ` +
      `${v.cone.transfers} transfers, ${v.cone.sources} risky source(s) [${v.categories.join(', ')}]`,
  ];
  const c = v.coverage;
  if (c) {
    const partial = c.incomplete > 0 ? `; partial: ${c.incompleteAccounts.slice(0, 3).join(', ')}${c.incomplete > 3 ? ', …' : ''}` : '';
    lines.push(`  coverage: ${c.complete} of ${v.cone.accounts} cone accounts complete in the store (tip ${c.tipHeight})${partial}`);
  }
  const rows = Object.entries(v.policies);
  const w = Math.max(6, ...rows.map(([p]) => p.length));
  const head = [amount('exposed'), 'share'.padStart(8), amount('direct'), amount('indirect'), 'hops'].join('  ');
  lines.push('', `  ${'policy'.padEnd(w)}  ${head}  by category`);
  for (const [p, e] of rows) {
    const cats = Object.entries(e.byCategory).map(([cat, f]) => `${cat} ${pct(f.share)} (hop ${f.hops ?? '-'})`);
    const cells = [amount(e.exposed), pct(e.share).padStart(8), amount(e.direct), amount(e.indirect), String(e.hops ?? '-').padStart(4)];
    lines.push(`  ${p.padEnd(w)}  ${cells.join('  ')}  ${cats.join(', ') || '-'}`);
  }
  const ranked = v.sources.filter((s) => s.exposure !== null);
  if (ranked.length > 0) {
    const key = (Object.keys(ranked[0].exposure!) as Policy[]).find((p) => p !== 'poison') ?? 'poison';
    lines.push('', `  top sources (${key})`);
    ranked.forEach((s, i) => {
      const name = s.label.slice(0, 44).padEnd(44);
      lines.push(`  ${String(i + 1).padStart(3)}.  ${name}  ${s.category.padEnd(10)}  ${amount(s.exposure![key]!)}  hop ${s.depth}`);
    });
  }
  const first = rows.find(([, e]) => e.evidence.length > 0);
  if (first) {
    lines.push('', `  evidence (${first[0]}, source first):`);
    for (const s of first[1].evidence) lines.push(`    ${s.time}  ${s.hash}  ${s.from} → ${s.to}  ${s.amount} XEM (risky ${s.taint})`);
  }
  return `${lines.join('\n')}\n`;
}
