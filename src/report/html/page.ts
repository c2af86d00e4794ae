/**
 * report.html: one self-contained, offline page (no network: a CSP forbids it). Static tables are
 * rendered here (readable without JS, parseable by tests: amount cells carry `data-xem`), and the
 * client bundle (flow diagram, time chart, sigma.js graph, policy selector, click panel) is inlined
 * with the page data as `<script type="application/json">`, escaped so `</script>` cannot end it.
 * Outside text is shown visibly (safe-text.ts) in the static tables and in the data the client
 * draws; the CSP names the page's one script and one style by hash.
 */
import { createHash } from 'node:crypto';
import type { TraceResult } from '../../taint/index.js';
import { policyOf, type Policy } from '../../domain.js';
import { group, microOf, percent, valuate } from '../format.js';
import { buildReportJson, countsOf, memoCountOf, type ReportJson, type ReportPolicy } from '../json.js';
import { bundleClient } from './bundle.js';
import { buildHtmlData, type HtmlDataOptions } from './data.js';
import { PAGE_CSS } from './style.js';
import { htmlText, visibleDeep } from '../safe-text.js';

export interface HtmlOptions extends HtmlDataOptions {
  /** Pre-built report JSON (saves rebuilding it). */
  report?: ReportJson;
  /** Account rows rendered statically per policy (default 200; the page can show the rest). */
  staticAccountRows?: number;
}

/** Text in the page: htmlText (safe-text.ts) — controls and bidi shown visibly, then HTML-escaped. */
export const escapeHtml = htmlText;

/** JSON safe inside <script type="application/json">: no `<` (so no `</script>` / `<!--`), no U+2028/9. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline JS safe inside <script>: a literal `</script` would end the element. */
export function scriptJs(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const e = escapeHtml;

/**
 * The page's policy: nothing from the network, and only the page's own script and style run —
 * named by their SHA-256 (no 'unsafe-inline': an injected <script> or style attribute would not run).
 */
export function contentSecurityPolicy(css: string, js: string): string {
  const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  return (
    `default-src 'none'; script-src ${sha(js)}; style-src ${sha(css)}; img-src data: blob:; connect-src 'none'; worker-src blob:;` +
    ` base-uri 'none'; form-action 'none'`
  );
}

/** A share bar drawn as SVG geometry (a style attribute would need 'unsafe-inline'). */
function shareBar(pct: string): string {
  return (
    `<svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"><rect ` +
    `width="${Math.min(100, Math.max(0, Number(pct)))}" height="6"/></svg>`
  );
}
/** An XEM amount cell: grouped whole part, muted decimals, exact value in data-xem. */
function amountCell(x: string): string {
  const [w, d] = x.split('.');
  return `<td class="num" data-xem="${x}">${group(w)}<span class="dec">.${d}</span></td>`;
}
function addr(a: string, label: string | null): string {
  return `<span class="addr" title="${e(a)}">${label ? `<b>${e(label)}</b> ` : ''}<code>${e(a)}</code></span>`;
}
function catBadge(cat: string | null): string {
  return cat ? `<span class="badge cat-${e(cat)}" data-cat="${e(cat)}">${e(cat)}</span>` : '<span class="muted">—</span>';
}

export async function buildReportHtml(result: TraceResult, options: HtmlOptions = {}): Promise<string> {
  const report = options.report ?? buildReportJson(result);
  const data = buildHtmlData(result, report, options);
  const js = await bundleClient();
  return renderPage(report, scriptJson(visibleDeep(data)), scriptJs(js), options.staticAccountRows ?? 200);
}

function renderPage(report: ReportJson, dataJson: string, js: string, accountRows: number): string {
  const policies = Object.keys(report.policies) as Policy[];
  const seed = microOf(report.seed.amount);
  const v = report.valuation;
  const m = report.manifest;
  const defaultPolicy: Policy = policies.includes('haircut') ? 'haircut' : policies[0];
  const hiddenUnless = (p: Policy) => (p === defaultPolicy ? '' : ' hidden');

  const tabs = policies
    .map(
      (p) =>
        `<button type="button" class="tab${p === defaultPolicy ? ' active' : ''}" data-policy="${p}" ` +
        `aria-pressed="${p === defaultPolicy}">${p}</button>`,
    )
    .join('');

  const kpis = policies
    .map((p) => {
      const t = policyOf(report, p).totals;
      const card = (label: string, x: string, sub: string, cls = '') =>
        `<div class="kpi ${cls}"><div class="kpi-label">${label}</div><div class="kpi-value" ` +
        `data-xem="${x}">${group(x.split('.')[0])}<span class="dec">.${x.split('.')[1]}</span><span ` +
        `class="unit"> XEM</span></div><div class="kpi-sub">${sub}</div></div>`;
      const money = (x: string) => (v ? ` · ${group(valuate(microOf(x), v.rate, v.currency))} ${e(v.currency)}` : '');
      return (
        `<div class="kpis" data-policy="${p}"${hiddenUnless(p)}>` +
        card('Seed', t.seed, `${report.seed.transfers.length} theft transfer(s)${money(t.seed)}`) +
        card(
          'Reached exits',
          t.exited,
          `${percent(microOf(t.exited), seed)} % of seed · ${countsOf(policyOf(report, p)).exits} exit(s)${money(t.exited)}`,
          'kpi-exit',
        ) +
        card(
          'Still held',
          t.held,
          `${percent(microOf(t.held), seed)} % · ${countsOf(policyOf(report, p)).accounts} tainted account(s)`,
          'kpi-held',
        ) +
        card(
          'Paid as fees',
          t.fees,
          p === 'poison' ? 'poison: fees of tainted transfers' : `${percent(microOf(t.fees), seed, 4)} % of seed`,
        ) +
        `</div>`
      );
    })
    .join('');

  const totalsRows =
    (['seed', 'held', 'exited', 'fees'] as const)
      .map(
        (k) =>
          `<tr><th>${
            { seed: 'Seed', held: 'Held in accounts', exited: 'Reached exits', fees: 'Paid as fees' }[k]
          }</th>${policies.map((p) => amountCell(policyOf(report, p).totals[k])).join('')}</tr>`,
      )
      .join('') +
    `<tr><th>Exited, share of seed</th>${policies
      .map((p) => `<td class="num">${percent(microOf(policyOf(report, p).totals.exited), seed)} %</td>`)
      .join('')}</tr>` +
    `<tr><th>Exits reached</th>${policies.map((p) => `<td class="num">${countsOf(policyOf(report, p)).exits}</td>`).join('')}</tr>` +
    `<tr><th>Tainted accounts</th>${policies.map((p) => `<td class="num">${countsOf(policyOf(report, p)).accounts}</td>`).join('')}</tr>` +
    (v
      ? `<tr><th>Reached exits (${e(v.currency)})</th>${policies
          .map((p) => `<td class="num">${group(policyOf(v, p).exited)}</td>`)
          .join('')}</tr>`
      : '');

  const perPolicy = policies.map((p) => policyTables(p, policyOf(report, p), report, seed, accountRows, p === defaultPolicy)).join('');

  const seedRows = report.seed.transfers
    .map(
      (t, i) =>
        `<tr><td class="num">${i + 1}</td><td>${e(t.time)}</td><td class="num">${t.height}</td><td><code>${e(t.from)}</code></td><td>` +
        `<code>${e(t.to)}</code></td>${amountCell(t.amount)}<td><code class="hash">${e(t.hash)}</code>` +
        `</td></tr>`,
    )
    .join('');
  const manifestRows = (
    [
      ['engine', m.engineVersion],
      ['case', m.caseId],
      ['policies', m.policies.join(', ')],
      ['window end', m.windowTo ?? 'open'],
      ['dust threshold', `${m.dust} XEM`],
      ['max hops', String(m.maxHops)],
      ['exit categories', m.exitCategories.join(', ')],
      ['label set hash', m.labelSetHash],
      ['store digest', m.storeDigest],
      ['tip height', String(m.tipHeight)],
    ] as [string, string][]
  )
    .map(([k, val]) => `<tr><th>${e(k)}</th><td><code>${e(val)}</code></td></tr>`)
    .join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(PAGE_CSS, js)}">
<meta name="generator" content="tainttrace ${e(m.engineVersion)}">
<title>${e(report.case.title)} — tainttrace report</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="top">
  <div class="wrap">
    <div class="eyebrow">tainttrace · trace report · <code>${e(report.case.id)}</code></div>
    <h1>${e(report.case.title)}</h1>
    <p class="lede">${report.seed.transfers.length} seed transfer(s) moving <b
      data-xem="${report.seed.amount}">${group(report.seed.amount.split('.')[0])} XEM</b>${
        v
          ? ` (${group(v.seed)} ${e(v.currency)}
      at ${e(v.rate)} ${e(v.currency)}/XEM)`
          : ''
      }, traced through up to ${report.case.maxHops} hops under ${policies.length}
      policies. Store tip height ${m.tipHeight}; window ${m.windowTo ? `ends ${e(m.windowTo)}` : 'open'}.</p>
  </div>
</header>
<nav class="toolbar"><div class="wrap"><span class="toolbar-label">Policy</span><div class="tabs" role="group"
  aria-label="policy">${tabs}</div><span class="toolbar-hint" id="policy-hint"></span></div></nav>
<main class="wrap">
  <section>${kpis}</section>
  <section class="card">
    <h2>Policies side by side</h2>
    <div class="scroll"><table class="data totals"><thead><tr><th>XEM</th>${policies
      .map(
        (p) => `<th class="num"
      data-policy-col="${p}">${p}</th>`,
      )
      .join('')}</tr></thead><tbody>${totalsRows}</tbody></table></div>
    ${
      report.policies.poison
        ? '<p class="note"><b>poison</b> is binary: it counts whole amounts that flowed out of poisoned accounts,' +
          ' carries no conserved mass and does not balance — it is the upper bound of every other policy. ' +
          'Amount policies balance exactly: seed = held + exited + fees.</p>'
        : ''
    }
  </section>
  <div class="grid2">
    <section class="card"><h2>Flow of tainted XEM <span class="h-sub" id="flow-sub"></span></h2><div id="flow"
      class="chart"></div><p class="note" id="flow-note"></p></section>
    <section class="card"><h2>Tainted mass over time</h2><div id="timeline" class="chart"></div><p class="note">Stacked: taint
      still held in accounts, and taint that has reached exits. Markers: first arrival at the largest exits.</p></section>
  </div>
  <section class="card graph-card">
    <div class="graph-head"><h2>Traced subgraph</h2>
      <div class="controls">
        <label>Max hop <input type="range" id="hop-filter" min="1" max="1" value="1"> <output id="hop-value"></output></label>
        <label><input type="checkbox" id="untainted" checked> untainted context</label>
        <button type="button" id="reset-view">Reset view</button>
      </div>
    </div>
    <div class="graph-body">
      <div id="graph" class="graph"></div>
      <aside id="panel" class="panel"><p class="muted">Click a node to see its taint, evidence path and transfers.</p></aside>
    </div>
    <div class="graph-foot"><div id="legend" class="legend"></div><p class="note" id="graph-note"></p></div>
  </section>
  ${perPolicy}
  <section class="card"><h2>Seed transfers</h2><div class="scroll"><table class="data"><thead><tr><th class="num">#</th><th>time
    (UTC)</th><th class="num">height</th><th>from</th><th>to</th><th
    class="num">XEM</th><th>hash</th></tr></thead><tbody>${seedRows}</tbody></table></div></section>
  <div class="grid2">
    <section class="card"><h2>Dust</h2><p>Threshold <b data-xem="${report.dust.threshold}">${group(report.dust.threshold)}</b>
      XEM. Under <code>poison</code>, <b>${report.dust.transfers}</b> transfer(s) out of poisoned accounts, moving <b
      data-xem="${report.dust.amount}">${group(report.dust.amount)}</b> XEM, were below it and did not poison their recipients.
      Amount policies are exact and unaffected.</p>
    ${
      v
        ? `<h2>Valuation</h2><p>At <b>${e(v.rate)} ${e(v.currency)}/XEM</b>, exact decimal arithmetic rounded to the
      ${e(v.currency)} unit: seed ${group(v.seed)} ${e(v.currency)}.</p>`
        : ''
    }</section>
    <section class="card"><h2>Manifest</h2><table class="data kv"><tbody>${manifestRows}</tbody></table></section>
  </div>
  <footer class="foot">Generated by tainttrace ${e(m.engineVersion)} · same manifest on the same store gives byte-identical
    results · full data: report.json, accounts.csv, transfers.csv, graph.gexf, graph.graphml</footer>
</main>
<script type="application/json" id="tainttrace-data">${dataJson}</script>
<script>${js}</script>
</body>
</html>
`;
}

function policyTables(p: Policy, pr: ReportPolicy, report: ReportJson, seed: bigint, accountRows: number, visible: boolean): string {
  const v = report.valuation;
  const exitRows = pr.exits
    .map((x, i) => {
      const memos =
        x.memos
          .slice(0, 6)
          .map(
            (mm) =>
              `<span class="memo" title="${mm.count} transfer(s)">${mm.memo === '' ? '<i>no memo</i>' : `<code>${e(mm.memo)}</code>`} ` +
              `<span data-xem="${mm.amount}">${group(mm.amount.split('.')[0])}</span>${mm.count > 1 ? ` ×${mm.count}` : ''}</span>`,
          )
          .join('') + (memoCountOf(x) > 6 ? `<span class="muted">+${memoCountOf(x) - 6} more</span>` : '');
      return (
        `<tr data-address="${x.address}"><td class="num">${i + 1}</td><td>${addr(x.address, x.label)}</td>` +
        `<td>${catBadge(x.category)}</td>${amountCell(x.amount)}` +
        `<td class="num">${shareBar(percent(microOf(x.amount), seed))}${percent(microOf(x.amount), seed)} %</td>` +
        `${v ? `<td class="num">${group(valuate(microOf(x.amount), v.rate, v.currency))}</td>` : ''}<td>${e(x.firstAt)}</td><td ` +
        `class="num">${x.minHops}</td><td class="num">${x.transfers}</td><td class="memos">${memos}</td>` +
        `</tr>`
      );
    })
    .join('');
  const hopRows = pr.hops
    .map(
      (h) =>
        `<tr><td class="num">${h.hop}</td><td class="num">${h.accounts}</td>${amountCell(h.amount)}<td ` +
        `class="num">${percent(microOf(h.amount), seed)} %</td></tr>`,
    )
    .join('');
  const accRows = pr.accounts
    .slice(0, accountRows)
    .map(
      (a) =>
        `<tr data-address="${a.address}"><td>${addr(a.address, a.label)}</td><td ` +
        `class="num">${a.hops}</td>${amountCell(a.received)}${amountCell(a.held)}<td>${e(a.firstTaintedAt)}</td>` +
        `</tr>`,
    )
    .join('');
  const counts = countsOf(pr);
  const exitsListed = pr.exits.length < counts.exits ? ` (the ${pr.exits.length} that received the most)` : '';
  const listed = pr.accounts.length < counts.accounts ? ` (the ${pr.accounts.length} that received the most; all in accounts.csv)` : '';
  const more =
    pr.accounts.length > accountRows
      ? `<button type="button" class="more" data-more="${p}" data-shown="${accountRows}">Show all ${pr.accounts.length} accounts</button>`
      : '';
  return `<section class="card" data-policy="${p}"${visible ? '' : ' hidden'}>
    <h2>Exits reached <span class="h-sub">${p} · ${counts.exits} exit(s)${exitsListed} · ${percent(microOf(pr.totals.exited), seed)} % of
      seed</span></h2>
    ${
      pr.exits.length === 0
        ? '<p class="muted">No taint reached an exit under this policy.</p>'
        : `<div class="scroll"><table
      class="data exits" data-table="exits"><thead><tr><th class="num">#</th><th>exit</th><th>category</th><th
      class="num">XEM</th><th class="num">share of seed</th>${v ? `<th class="num">${e(v.currency)}</th>` : ''}<th>first arrival
      (UTC)</th><th class="num">min hops</th><th class="num">transfers</th><th>deposit
      memos</th></tr></thead><tbody>${exitRows}</tbody></table></div>`
    }
  </section>
  <div class="grid12" data-policy="${p}"${visible ? '' : ' hidden'}>
    <section class="card"><h2>Hops <span class="h-sub">${p}</span></h2><div class="scroll"><table class="data"
      data-table="hops"><thead><tr><th class="num">hop</th><th class="num">accounts</th><th class="num">XEM received</th><th
      class="num">share of seed</th></tr></thead><tbody>${hopRows}</tbody></table></div></section>
    <section class="card"><h2>Tainted accounts <span class="h-sub">${p} · ${counts.accounts}${listed}</span></h2><div
      class="scroll tall"><table class="data" data-table="accounts" data-policy-table="${p}"><thead><tr><th>account</th><th
      class="num">hops</th><th class="num">received</th><th class="num">held</th><th>first tainted
      (UTC)</th></tr></thead><tbody>${accRows}</tbody></table></div>${more}</section>
  </div>`;
}
