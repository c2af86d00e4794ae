/**
 * `tainttrace screen --db DIR ADDRESS [--amount XEM] [--time ISO] [--json]` — screens one sender
 * against the taint index stored by `tainttrace trace` (see src/screen/RISK.md for the rule).
 */
import { TracerError } from '../../errors.js';
import { parseAddress, parseXem, isoToNem } from '../../nem/index.js';
import { loadTaintIndexFromDir, screenParsed, screenView, type ScreenView } from '../../screen/index.js';
import { parseFlags, requireFlag, writeJson, type Command } from '../args.js';
import { visible } from '../../report/index.js';

const USAGE = `
tainttrace screen --db DIR ADDRESS [--amount XEM] [--time ISO] [--json]

Screens the sender of a deposit against the stored taint index (written by tainttrace trace):
risk (severe|high|medium|low|none, or unknown when the store never saw the address: outside
coverage, not clean), score 0-100, per policy the tainted share of the sender's
balance and the tainted part of --amount, hops, exits and labels involved, evidence (transfer hashes).

  --db DIR       the store directory
  ADDRESS        the sender (dashes allowed)
  --amount XEM   the deposit amount, e.g. 100.5 (at most six decimals)
  --time ISO     the deposit time, ISO-8601 with a zone (default: latest state)
  --json         print the result as JSON
`;

export const screenCommand: Command = {
  name: 'screen',
  summary: 'screen one sender against the taint index',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { db: { type: 'string' }, amount: { type: 'string' }, time: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length !== 1)
      throw new TracerError('TRACE_INVALID_OPTION', `expected exactly one ADDRESS, got ${positionals.length} (see --help)`);
    const dir = requireFlag(values.db, 'db');
    const from = parseAddress(positionals[0]);
    const amount = values.amount === undefined ? null : parseXem(values.amount);
    const time = values.time === undefined ? null : isoToNem(values.time);
    const index = await loadTaintIndexFromDir(dir);
    const view = screenView(screenParsed(index, from, amount, time));
    if (values.json) writeJson(io, view);
    else io.stdout.write(renderScreen(view));
    return 0;
  },
};

export function renderScreen(v: ScreenView): string {
  const lines = [
    `${v.from}  risk ${v.risk.toUpperCase()}  score ${v.score ?? '-'}  (${v.rule})`,
    `  deposit ${v.amount === null ? '-' : `${v.amount} XEM`}  at ${v.time ?? 'latest'}   data as of ` +
      `height ${v.asOf.height}${v.asOf.time ? ` (${v.asOf.time})` : ''}`,
  ];
  lines.push(
    `  coverage case ${v.coverage.caseId}, tip ${v.coverage.tip}: ${
      v.coverage.reached ? 'reached' : 'NOT reached — the store never saw this address'
    }`,
  );
  if (v.coverage.provisional)
    lines.push(`  PROVISIONAL: rests on transfers at or above height ${v.asOf.provisionalFrom}, which a fork can still remove`);
  const label = v.labels.find((l) => l.address === v.from);
  if (label) lines.push(`  label   ${visible(label.label)} [${visible(label.category)}]`);
  lines.push(`  hops    ${v.hops ?? '-'}`);
  const rows = Object.entries(v.perPolicy);
  const width = Math.max(...rows.map(([p]) => p.length), 6);
  lines.push(`  ${'policy'.padEnd(width)}  tainted  share      tainted amount`);
  for (const [policy, p] of rows) {
    lines.push(
      `  ${policy.padEnd(width)}  ${(p.tainted ? 'yes' : 'no').padEnd(7)}  ${`${(p.share * 100).toFixed(2)} %`.padEnd(9)} ` +
        ` ${p.taintedAmount ?? '-'}`,
    );
  }
  if (v.exits.length) lines.push(`  exits   ${v.exits.map((e) => nameOf(v, e)).join(', ')}`);
  if (v.evidence.length) {
    lines.push('  evidence (seed first):');
    for (const h of v.evidence) lines.push(`    ${h}`);
  }
  const others = v.labels.filter((l) => l.address !== v.from);
  if (others.length) lines.push(`  labels  ${others.map((l) => `${l.address} ${visible(l.label)} [${visible(l.category)}]`).join('; ')}`);
  return `${lines.join('\n')}\n`;
}

function nameOf(v: ScreenView, address: string): string {
  const l = v.labels.find((x) => x.address === address);
  return l ? `${address} (${visible(l.label)})` : address;
}
