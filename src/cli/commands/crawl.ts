/**
 * `tainttrace crawl --node URL[,URL…] --db DIR (--case FILE | --seed ADDR…) [--max-hops N]
 * [--concurrency N] [--rate N] [--json]` — crawls into the store (src/crawl). Every flag, the case
 * and its labels are validated before the store is opened, so bad input leaves the store untouched.
 * A progress bar on a terminal (stderr), plain log lines otherwise; Ctrl-C stops cleanly (the store
 * stays consistent; run the same command again to continue).
 */
import { TracerError } from '../../errors.js';
import { crawl, type CrawlSummary } from '../../crawl/index.js';
import { loadCase } from '../../labels/index.js';
import { parseAddress, REWRITE_LIMIT } from '../../nem/index.js';
import { openStore } from '../../store/index.js';
import type { Label, ResolvedCase } from '../../domain.js';
import { intFlag, listFlag, nodesFlag, parseFlags, rateFlag, requireFlag, writeJson, type Command } from '../args.js';
import { crawlProgressReporter } from '../progress.js';

const USAGE = `
tainttrace crawl --node URL[,URL…] --db DIR (--case FILE | --seed ADDR…) [--max-hops N]
                 [--concurrency N] [--rate N] [--json]

Walks the NEM chain outward from the seeds over NIS1 nodes and stores what it finds. Every reached
account that is not an exit gets its complete history (up to the case's window end); exits are
recorded, not expanded. Resumable (kill it and run it again) and incremental (a second run fetches
only what is new).

  --node URL[,URL…]  NIS1 node(s), e.g. http://127.0.0.1:7890; several for failover
  --db DIR           the store directory (created if missing)
  --case FILE        a case file: seeds, window, labels, exit categories, hop limit
  --seed ADDR        instead of --case: crawl from this account (repeat, or comma-separate)
  --max-hops N       hop limit (default: the case's, else 10)
  --concurrency N    requests in flight (default 4)
  --rate N           requests per second over all nodes (default 10; be polite to public nodes)
  --json             print a summary { accounts, transfers, requests, retries, failovers, elapsedMs, quarantined, chain, stats }
`;

/** What the chain check did: block positions, provisional transfers, and every transfer a fork retracted (one line each). */
function chainLines(chain: CrawlSummary['chain']): string {
  let out =
    `chain: ${chain.blocks} blocks checked, ${chain.positioned} block positions recorded, ${chain.provisional} provisional ` +
    `transfers (within ${REWRITE_LIMIT} blocks of the tip)\n`;
  if (chain.retracted.length > 0)
    out += `retracted ${chain.retracted.length} transfers a fork removed:\n${chain.retracted
      .map((r) => `  ${r.hash} (height ${r.height})\n`)
      .join('')}`;
  return out;
}

export const crawlCommand: Command = {
  name: 'crawl',
  summary: 'crawl the chain from the seeds into the store',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      node: { type: 'string', multiple: true },
      db: { type: 'string' },
      case: { type: 'string' },
      seed: { type: 'string', multiple: true },
      'max-hops': { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      json: { type: 'boolean' },
    });
    const nodes = nodesFlag(values.node);
    const dir = requireFlag(values.db, 'db');
    const seeds = (values.seed ?? []).flatMap((v) => listFlag(v)).map((a) => parseAddress(a));
    if (values.case === undefined && seeds.length === 0)
      throw new TracerError('TRACE_INVALID_OPTION', 'give --case FILE or --seed ADDR (see --help)');
    if (values.case !== undefined && seeds.length > 0)
      throw new TracerError('TRACE_INVALID_OPTION', '--case and --seed exclude each other');
    const maxHops = values['max-hops'] === undefined ? undefined : intFlag(values['max-hops'], 'max-hops', 10, 1, 1000);
    const concurrency = intFlag(values.concurrency, 'concurrency', 4, 1, 256);
    const rate = rateFlag(values.rate);
    let caseSpec: ResolvedCase | undefined;
    let labels: Map<string, Label> | undefined;
    if (values.case !== undefined) ({ caseSpec, labels } = await loadCase(values.case));

    const store = await openStore(dir);
    const progress = crawlProgressReporter(io, values.json === true);
    let summary: CrawlSummary;
    try {
      summary = await crawl({
        nodes,
        store,
        caseSpec,
        labels,
        seedAccounts: seeds,
        maxHops,
        concurrency,
        rate,
        signal: io.signal,
        onProgress: progress.update,
      });
    } finally {
      progress.stop();
      await store.close();
    }
    const { aborted, ...rest } = summary;
    if (values.json) writeJson(io, { ...rest, ...(aborted ? { aborted } : {}) });
    else {
      io.stdout.write(
        `${aborted ? 'stopped' : 'done'}: ${summary.accounts} accounts, ${summary.transfers} new transfers, ${summary.requests} requests ` +
          `(${summary.retries} retries, ${summary.failovers} failovers) in ${(summary.elapsedMs / 1000).toFixed(1)} s\n` +
          summary.quarantined
            .map(
              (q) => `quarantined ${q.node}: ${q.reason}
`,
            )
            .join('') +
          `store: ${summary.stats.transfers} transfers, ${summary.stats.accounts} accounts, tip height ${summary.stats.tipHeight}, ` +
          `digest ${summary.stats.digest}
` +
          chainLines(summary.chain),
      );
    }
    return aborted ? 130 : 0;
  },
};
