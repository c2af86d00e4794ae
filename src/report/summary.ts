/**
 * `renderSummary`: the terminal summary `tainttrace trace` and `demo` print — one totals row per
 * policy (seed, held, exited, fees, exited share), then each policy's top exits. Plain text by
 * default; ANSI colour when asked. Outside text (title, labels) is shown `visible` (safe-text.ts): no
 * terminal escape or bidi control reaches the terminal. Fits `width` columns (labels are truncated, never amounts).
 */
import type { TraceResult } from '../taint/index.js';
import { policyOf, type Policy } from '../domain.js';
import { group, groupXem, microOf, percent, valuate } from './format.js';
import { buildReportJson, countsOf, type ReportJson } from './json.js';
import { visible } from './safe-text.js';

export interface SummaryOptions {
  /** ANSI colours (default false). */
  color?: boolean;
  /** Terminal width in columns (default 100, minimum 60). */
  width?: number;
  /** Exits listed per policy (default 5). */
  topExits?: number;
}

const ANSI = { bold: [1, 22], dim: [2, 22], cyan: [36, 39], yellow: [33, 39], green: [32, 39], magenta: [35, 39] } as const;
type Style = keyof typeof ANSI;

/** Visible length (ANSI escapes excluded). */
function vlen(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}
function pad(s: string, n: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, n - vlen(s)));
  return right ? fill + s : s + fill;
}
function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`;
}

export function renderSummary(result: TraceResult, options: SummaryOptions = {}): string {
  return renderSummaryFromReport(buildReportJson(result), options);
}

export function renderSummaryFromReport(report: ReportJson, options: SummaryOptions = {}): string {
  const color = options.color ?? false;
  const width = Math.max(60, options.width ?? 100);
  const topExits = options.topExits ?? 5;
  const c = (style: Style, s: string) => (color ? `\x1b[${ANSI[style][0]}m${s}\x1b[${ANSI[style][1]}m` : s);
  const policies = Object.keys(report.policies) as Policy[];
  const seed = microOf(report.seed.amount);
  // Grouped amounts when they fit, plain six-decimal strings otherwise.
  const grouped = width >= 104;
  const amt = (x: string) => (grouped ? groupXem(x) : x);
  const amtW = Math.max(12, ...policies.flatMap((p) => Object.values(policyOf(report, p).totals).map((x) => amt(x).length)));
  const polW = Math.max(6, ...policies.map((p) => p.length));
  const lines: string[] = [];

  const v = report.valuation;
  lines.push(c('bold', truncate(visible(report.case.title), width)));
  lines.push(
    c(
      'dim',
      truncate(
        `case ${visible(report.case.id)} · ${report.seed.transfers.length} seed transfer(s) · ` +
          `${groupXem(report.seed.amount, true)} XEM${v ? ` (${group(v.seed)} ${visible(v.currency)})` : ''} · ` +
          `dust ${groupXem(report.dust.threshold, true)} XEM · ` +
          `max hops ${report.case.maxHops}`,
        width,
      ),
    ),
  );
  lines.push('');

  const head = [
    pad('policy', polW),
    pad('seed', amtW, true),
    pad('held', amtW, true),
    pad('exited', amtW, true),
    pad('fees', amtW, true),
    pad('exited%', 8, true),
  ];
  const showFees = vlen(head.join('  ')) <= width;
  const cols = (cells: string[]) => (showFees ? cells : cells.filter((_, i) => i !== 4)).join('  ');
  lines.push(c('bold', cols(head)));
  for (const p of policies) {
    const t = policyOf(report, p).totals;
    lines.push(
      cols([
        c('cyan', pad(p, polW)),
        pad(amt(t.seed), amtW, true),
        pad(amt(t.held), amtW, true),
        c('yellow', pad(amt(t.exited), amtW, true)),
        pad(amt(t.fees), amtW, true),
        pad(`${percent(microOf(t.exited), seed, 1)}%`, 8, true),
      ]),
    );
  }
  if (report.policies.poison) lines.push(c('dim', 'poison counts whole amounts out of poisoned accounts; its totals do not balance.'));

  for (const p of policies) {
    const exits = policyOf(report, p).exits;
    const reached = countsOf(policyOf(report, p)).exits;
    lines.push('');
    lines.push(`${c('bold', 'top exits')} ${c('cyan', p)} ${c('dim', `(${reached} reached)`)}`);
    if (exits.length === 0) {
      lines.push(c('dim', '  none'));
      continue;
    }
    const rows = exits.slice(0, topExits).map((e, i) => ({
      rank: `${i + 1}.`,
      name: visible(e.label ?? e.address),
      cat: visible(e.category ?? ''),
      amount: amt(e.amount),
      share: `${percent(microOf(e.amount), seed, 1)}%`,
      money: v ? `${group(valuate(microOf(e.amount), v.rate, v.currency))} ${visible(v.currency)}` : '',
      hops: `hop ${e.minHops}`,
    }));
    const wAmount = Math.max(...rows.map((r) => r.amount.length));
    const wCat = Math.max(...rows.map((r) => r.cat.length));
    const wMoney = Math.max(...rows.map((r) => r.money.length));
    const fixed = 4 + 2 + wCat + 2 + wAmount + 2 + 6 + 2 + 6 + (wMoney ? 2 + wMoney : 0) + 2;
    const wName = Math.max(8, Math.min(40, width - fixed));
    for (const r of rows) {
      const parts = [
        pad(r.rank, 3, true),
        pad(truncate(r.name, wName), wName),
        c('magenta', pad(r.cat, wCat)),
        c('yellow', pad(r.amount, wAmount, true)),
        pad(r.share, 6, true),
        c('dim', pad(r.hops, 6)),
      ];
      if (wMoney) parts.push(pad(r.money, wMoney, true));
      lines.push(` ${parts.join('  ')}`.replace(/\s+$/, ''));
    }
    if (reached > topExits)
      lines.push(c('dim', `     … ${reached - topExits} more in ${reached > exits.length ? 'accounts.csv' : 'report.json'}`));
  }
  return `${lines.join('\n')}\n`;
}
