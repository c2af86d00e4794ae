/**
 * `tainttrace trace --db DIR --case FILE [--policy P,…] [--out DIR] [--format …] [--json]` — runs a
 * trace job over the stored transfers, writes the report files, stores the taint index for
 * screening and prints the per-policy summary.
 */
import { TracerError } from '../../errors.js';
import { formatXem } from '../../nem/index.js';
import { traceJob } from '../../jobs/index.js';
import { parseFormats, renderSummary, REPORT_FORMATS } from '../../report/index.js';
import { POLICIES, type Policy } from '../../domain.js';
import { listFlag, parseFlags, requireFlag, writeJson, type Command } from '../args.js';

const USAGE = `
tainttrace trace --db DIR --case FILE [--policy P,…] [--out DIR] [--format F,…] [--json]

Traces the case's seeds through the stored transfers under every policy in one pass, writes the
report, and stores the taint index that screen and serve answer from.

  --db DIR       the store directory (filled by tainttrace crawl)
  --case FILE    the case file (JSON; docs/contracts.md), e.g. fixtures/coincheck/case.json
  --policy P,…   policies to report: ${POLICIES.join(', ')} (default: all)
  --out DIR      where the report files go (default: tainttrace-report)
  --format F,…   ${REPORT_FORMATS.join(', ')} (default: all)
  --json         print { manifest, totals, files } as JSON instead of the summary table
`;

export function parsePolicies(value: string | undefined): Policy[] {
  if (value === undefined) return [...POLICIES];
  const out: Policy[] = [];
  for (const p of listFlag(value)) {
    if (!(POLICIES as readonly string[]).includes(p)) {
      throw new TracerError(
        'TRACE_INVALID_OPTION',
        `--policy: unknown policy ${JSON.stringify(p)}; expected some of ${POLICIES.join(', ')}`,
      );
    }
    if (!out.includes(p as Policy)) out.push(p as Policy);
  }
  if (out.length === 0) throw new TracerError('TRACE_INVALID_OPTION', `--policy: no policy given; expected some of ${POLICIES.join(', ')}`);
  return out;
}

export const traceCommand: Command = {
  name: 'trace',
  summary: 'run a trace job: report + taint index',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      db: { type: 'string' },
      case: { type: 'string' },
      policy: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
    });
    const db = requireFlag(values.db, 'db');
    const caseFile = requireFlag(values.case, 'case');
    const policies = parsePolicies(values.policy);
    const formats = values.format === undefined ? [...REPORT_FORMATS] : parseFormats(values.format);
    const outDir = values.out ?? 'tainttrace-report';
    const { result, files } = await traceJob({ store: db, caseFile, policies, outDir, formats });
    if (values.json) {
      const xem = (t: Record<string, bigint>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, formatXem(v)]));
      const totals = Object.fromEntries(Object.entries(result.policies).map(([p, r]) => [p, xem(r.totals)]));
      writeJson(io, { manifest: result.manifest, seed: formatXem(result.seed.amount), totals, files });
    } else {
      io.stdout.write(
        renderSummary(result, { color: io.stdout.isTTY === true, width: (io.stdout as { columns?: number }).columns ?? 120 }),
      );
      io.stdout.write(`\nreport: ${Object.values(files).join('\n        ')}\n`);
    }
    return 0;
  },
};
