/**
 * `tainttrace paths --db DIR --case FILE --to ADDRESS [--policy P] [--max N] [--max-hops N] [--json]`
 * — the paths along which a case's taint reached an address, fewest hops first, each hop with its
 * transfer hash, time, amount and the taint it carried (src/graph/paths.ts, on the trace graph).
 */
import { TracerError } from '../../errors.js';
import { buildTraceGraph, PATHS_DEFAULTS, taintedPaths, type PathHop } from '../../graph/index.js';
import { traceJob } from '../../jobs/index.js';
import { parseAddress, formatXem, nemToIso } from '../../nem/index.js';
import { openStore } from '../../store/index.js';
import { POLICIES, type Policy } from '../../taint/index.js';
import { intFlag, parseFlags, requireFlag, writeJson, type Command } from '../args.js';

const USAGE = `
tainttrace paths --db DIR --case FILE --to ADDRESS [--policy P] [--max N] [--max-hops N] [--json]

Lists the paths along which the case's taint reached ADDRESS under one policy, fewest hops first:
every hop a transfer that carried taint, later than the hop before it, no account twice; each hop
with its hash, time, amount and the taint it carried.

  --db DIR         the store directory
  --case FILE      the case file
  --to ADDRESS     the account the paths end at
  --policy P       one of ${POLICIES.join(', ')} (default haircut)
  --max N          most paths listed (default ${PATHS_DEFAULTS.max}, at most 10000)
  --max-hops N     longest path (default: the case's hop limit)
  --json           print { to, policy, paths: [ [ { hash, from, to, height, time, amount, taint } ] ] }
`;

export const pathsCommand: Command = {
  name: 'paths',
  summary: 'tainted paths from the seeds to an address',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      db: { type: 'string' },
      case: { type: 'string' },
      to: { type: 'string' },
      policy: { type: 'string' },
      max: { type: 'string' },
      'max-hops': { type: 'string' },
      json: { type: 'boolean' },
    });
    const dir = requireFlag(values.db, 'db');
    const caseFile = requireFlag(values.case, 'case');
    const to = parseAddress(requireFlag(values.to, 'to'));
    const policy = (values.policy ?? 'haircut') as Policy;
    if (!POLICIES.includes(policy))
      throw new TracerError('TRACE_INVALID_OPTION', `unknown policy ${JSON.stringify(values.policy)} (known: ${POLICIES.join(', ')})`);
    const max = intFlag(values.max, 'max', PATHS_DEFAULTS.max, 1, 10_000);
    const maxHops = values['max-hops'] === undefined ? undefined : intFlag(values['max-hops'], 'max-hops', 1, 1, 1000);
    const store = await openStore(dir, { readOnly: true });
    try {
      const { result } = await traceJob({ store, caseFile, policies: [policy], saveIndex: false });
      const paths = taintedPaths(buildTraceGraph(result), result, to, { policy, max, maxHops });
      const view = { to, policy, paths: paths.map((p) => p.map(hopView)) };
      if (values.json) writeJson(io, view);
      else io.stdout.write(renderPaths(view));
      return 0;
    } finally {
      await store.close();
    }
  },
};

type HopView = ReturnType<typeof hopView>;

function hopView(h: PathHop) {
  return {
    hash: h.hash,
    from: h.from,
    to: h.to,
    height: h.height,
    time: nemToIso(h.timeStamp),
    amount: formatXem(h.amount),
    taint: formatXem(h.taint),
  };
}

function renderPaths(v: { to: string; policy: Policy; paths: HopView[][] }): string {
  if (v.paths.length === 0) return `no tainted path reaches ${v.to} under ${v.policy}\n`;
  const lines = [`${v.paths.length} tainted path(s) to ${v.to} under ${v.policy}, fewest hops first`];
  v.paths.forEach((p, i) => {
    lines.push('', `#${i + 1}  ${p.length} hop(s)`);
    for (const h of p) lines.push(`  ${h.time}  ${h.hash}  ${h.from} → ${h.to}  ${h.amount} XEM  taint ${h.taint}`);
  });
  return `${lines.join('\n')}\n`;
}
