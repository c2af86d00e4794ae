/**
 * `report.md`: the investigator's readable report, rendered from the same `ReportJson` that is
 * written as report.json, so every figure in it agrees with the JSON by construction.
 * Shares of seed and valuations are exact (bigint); nothing goes through floating point.
 */
import { policyOf, type Policy } from '../domain.js';
import { group, groupXem, microOf, percent, valuate } from './format.js';
import { countsOf, memoCountOf, type ReportJson, type ReportPolicy } from './json.js';
import { mdText } from './safe-text.js';

export interface MarkdownOptions {
  /** Accounts listed per policy before pointing to accounts.csv / report.json (default 25). */
  maxAccounts?: number;
  /** Deposit memos shown per exit (default 5). */
  maxMemos?: number;
}

/** A value for a Markdown table cell or line: mdText (safe-text.ts) — visible, one line, inert. */
export function mdCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return mdText(String(value));
}

function table(head: string[], rows: (string | number | null)[][], align?: ('l' | 'r')[]): string {
  const sep = head.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  const line = (cells: (string | number | null)[]) => `| ${cells.map((c) => mdCell(c)).join(' | ')} |`;
  return [`| ${head.map((h) => mdCell(h)).join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map(line)].join('\n');
}

export function buildReportMarkdown(report: ReportJson, options: MarkdownOptions = {}): string {
  const maxAccounts = options.maxAccounts ?? 25;
  const maxMemos = options.maxMemos ?? 5;
  const policies = Object.keys(report.policies) as Policy[];
  const seed = microOf(report.seed.amount);
  const m = report.manifest;
  const out: string[] = [];

  out.push(`# Trace report — ${mdCell(report.case.title)}`, '');
  const cur = report.valuation ? mdText(report.valuation.currency) : '';
  out.push(
    `Case ${mdCell(report.case.id)}: ${report.seed.transfers.length} seed transfer(s) moving **${groupXem(report.seed.amount)} XEM**` +
      `${report.valuation ? ` (${group(report.valuation.seed)} ${cur} at ${report.valuation.rate} ${cur}/XEM)` : ''}, ` +
      `traced under ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} (${policies.join(', ')}).`,
    '',
  );

  out.push('## Manifest', '');
  out.push(
    table(
      ['field', 'value'],
      [
        ['engine', m.engineVersion],
        ['case', m.caseId],
        ['policies', m.policies.join(', ')],
        ['window end', m.windowTo ?? 'open'],
        ['dust threshold (XEM)', m.dust],
        ['max hops', m.maxHops],
        ['exit categories', m.exitCategories.join(', ')],
        ['label set hash', m.labelSetHash],
        ['store digest', m.storeDigest],
        ['tip height', m.tipHeight],
      ],
    ),
    '',
  );

  out.push('## Totals', '');
  const totalsRows: (string | number)[][] = [
    ['seed', ...policies.map((p) => policyOf(report, p).totals.seed)],
    ['held in accounts', ...policies.map((p) => policyOf(report, p).totals.held)],
    ['reached exits', ...policies.map((p) => policyOf(report, p).totals.exited)],
    ['paid as fees', ...policies.map((p) => policyOf(report, p).totals.fees)],
    ['exited, share of seed', ...policies.map((p) => `${percent(microOf(policyOf(report, p).totals.exited), seed)} %`)],
    ['exits reached', ...policies.map((p) => countsOf(policyOf(report, p)).exits)],
    ['tainted accounts', ...policies.map((p) => countsOf(policyOf(report, p)).accounts)],
  ];
  if (report.valuation) {
    const v = report.valuation;
    totalsRows.push([`reached exits (${v.currency})`, ...policies.map((p) => group(policyOf(v, p).exited))]);
    totalsRows.push([`held (${v.currency})`, ...policies.map((p) => group(policyOf(v, p).held))]);
  }
  out.push(table(['XEM', ...policies], totalsRows, ['l', ...policies.map(() => 'r' as const)]), '');
  if (report.policies.poison) {
    out.push(
      '`poison` is binary: it counts whole amounts that flowed out of poisoned accounts, carries no conserved mass, ' +
        'and its totals do not balance (they are the upper bound of every other policy). For the amount policies, ' +
        'seed = held + exited + fees exactly.',
      '',
    );
  }

  out.push('## Seed transfers', '');
  out.push(
    table(
      ['#', 'time (UTC)', 'height', 'from', 'to', 'XEM', 'hash'],
      report.seed.transfers.map((t, i) => [i + 1, t.time, t.height, t.from, t.to, t.amount, t.hash]),
      ['r', 'l', 'r', 'l', 'l', 'r', 'l'],
    ),
    '',
  );

  for (const p of policies) out.push(...policySection(p, policyOf(report, p), seed, report, maxAccounts, maxMemos));

  out.push('## Dust', '');
  out.push(
    `Threshold ${report.dust.threshold} XEM: under \`poison\`, ${report.dust.transfers} transfer(s) out of poisoned accounts ` +
      `moving ${report.dust.amount} XEM in total were below it and did not poison their recipients. Amount policies are exact and ` +
      `unaffected.`,
    '',
  );

  if (report.valuation) {
    const v = report.valuation;
    out.push('## Valuation', '');
    out.push(`At ${v.rate} ${mdText(v.currency)}/XEM (exact decimal multiplication, rounded to the ${mdText(v.currency)} minor unit):`, '');
    out.push(
      table(
        ['policy', `seed (${v.currency})`, `reached exits (${v.currency})`, `held (${v.currency})`],
        policies.map((p) => [p, group(v.seed), group(policyOf(v, p).exited), group(policyOf(v, p).held)]),
        ['l', 'r', 'r', 'r'],
      ),
      '',
    );
  }
  const caps = report.caps;
  out.push(
    caps === undefined
      ? 'Full lists: `report.json`, `accounts.csv`, `transfers.csv`; graph: `graph.gexf`, `graph.graphml`; interactive: `report.html`.'
      : `Lists here and in \`report.json\` are capped: per policy the ${caps.exits} exits and the ${caps.accounts} accounts that ` +
          `received the most, ${caps.memos} memos per exit. Complete lists: \`accounts.csv\`, \`transfers.csv\`; graph: ` +
          '`graph.gexf`, `graph.graphml` (capped, the cap stated inside); interactive: `report.html`.',
    '',
  );
  return out.join('\n');
}

function policySection(p: Policy, pr: ReportPolicy, seed: bigint, report: ReportJson, maxAccounts: number, maxMemos: number): string[] {
  const out: string[] = [`## Policy \`${p}\``, ''];
  out.push(`Seed ${pr.totals.seed} XEM · held ${pr.totals.held} · exited ${pr.totals.exited} · fees ${pr.totals.fees}.`, '');
  const counts = countsOf(pr);
  out.push(
    `### Exits (${counts.exits}${counts.exits > pr.exits.length ? `, the ${pr.exits.length} that received the most shown` : ''})`,
    '',
  );
  if (pr.exits.length === 0) out.push('No taint reached an exit.', '');
  else {
    const v = report.valuation;
    out.push(
      table(
        [
          '#',
          'exit',
          'label',
          'category',
          'XEM',
          'share of seed',
          ...(v ? [v.currency] : []),
          'first arrival (UTC)',
          'min hops',
          'transfers',
          'deposit memos',
        ],
        pr.exits.map((e, i) => [
          i + 1,
          e.address,
          e.label,
          e.category,
          e.amount,
          `${percent(microOf(e.amount), seed)} %`,
          ...(v ? [group(valuate(microOf(e.amount), v.rate, v.currency))] : []),
          e.firstAt,
          e.minHops,
          e.transfers,
          memoText(e.memos, maxMemos, memoCountOf(e)),
        ]),
        ['r', 'l', 'l', 'l', 'r', 'r', ...(v ? ['r' as const] : []), 'l', 'r', 'r', 'l'],
      ),
      '',
    );
  }
  out.push('### Hops', '');
  out.push(
    table(
      ['hop', 'accounts', 'XEM received', 'share of seed'],
      pr.hops.map((h) => [h.hop, h.accounts, h.amount, `${percent(microOf(h.amount), seed)} %`]),
      ['r', 'r', 'r', 'r'],
    ),
    '',
  );
  const shown = Math.min(maxAccounts, pr.accounts.length);
  const of =
    pr.accounts.length < counts.accounts ? ` of the ${pr.accounts.length} that received the most, closest first; all in accounts.csv` : '';
  out.push(`### Tainted accounts (${counts.accounts}${counts.accounts > shown ? `, first ${shown} shown${of}` : ''})`, '');
  out.push(
    table(
      ['address', 'label', 'hops', 'received', 'held', 'first tainted (UTC)'],
      pr.accounts.slice(0, maxAccounts).map((a) => [a.address, a.label, a.hops, a.received, a.held, a.firstTaintedAt]),
      ['l', 'l', 'r', 'r', 'r', 'l'],
    ),
    '',
  );
  return out;
}

function memoText(memos: { memo: string; amount: string; count: number }[], max: number, total: number): string {
  if (memos.length === 0) return '';
  const shown = memos.slice(0, max).map((m) => `${m.memo === '' ? '(none)' : `"${m.memo}"`} ${m.amount} ×${m.count}`);
  if (total > shown.length) shown.push(`… ${total - shown.length} more`);
  return shown.join('; ');
}
