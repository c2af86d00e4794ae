/** Reports: report.json/md/html, GEXF/GraphML/CSV exports and the terminal summary (re-exports only). */
export { buildReportJson, stringifyReportJson, policiesOf, REPORT_SCHEMA } from './json.js';
export type {
  ReportJson,
  ReportPolicy,
  ReportExit,
  ReportAccount,
  ReportHop,
  ReportMemo,
  ReportSeedTransfer,
  ReportValuation,
} from './json.js';
export { buildReportMarkdown } from './markdown.js';
export type { MarkdownOptions } from './markdown.js';
export { renderSummary, renderSummaryFromReport } from './summary.js';
export type { SummaryOptions } from './summary.js';
export { buildTransfersCsv, buildAccountsCsv, parseCsv } from './csv.js';
export { buildExportGraph } from './graph.js';
export { buildGexf } from './gexf.js';
export { buildGraphml } from './graphml.js';
export { buildReportHtml } from './html/page.js';
export type { HtmlOptions } from './html/page.js';
export { writeReports, parseFormats, REPORT_FORMATS, REPORT_FILES } from './write.js';
export type { ReportFormat, WriteReportsOptions } from './write.js';
export { valuate, percent } from './format.js';
export { visible, csvCell, xmlText, htmlText, mdText } from './safe-text.js';
