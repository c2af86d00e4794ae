/**
 * `writeReports`: writes the chosen report formats of one TraceResult into `outDir`
 * (created if missing). Each file is written to a temporary name and renamed into place, so a
 * reader never sees half a report; the CSV files are streamed there (stream.ts), never held as one string.
 * The HTML page is loaded only when asked for.
 *
 * Files: report.json, report.md, report.html, graph.gexf, graph.graphml, transfers.csv + accounts.csv.
 */
import { mkdir } from 'node:fs/promises';
import type { HtmlOptions } from './html/page.js';
import type { ExportColumns } from './graph.js';
import { join, resolve } from 'node:path';
import { TracerError } from '../errors.js';
import type { TraceResult } from '../taint/index.js';
import { accountsCsvChunks, transfersCsvChunks } from './csv.js';
import { buildReportJson, stringifyReportJson } from './json.js';
import { buildReportMarkdown } from './markdown.js';
import { writeChunks } from './stream.js';

export const REPORT_FORMATS = ['json', 'md', 'html', 'gexf', 'graphml', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Record<ReportFormat, string[]> = {
  json: ['report.json'],
  md: ['report.md'],
  html: ['report.html'],
  gexf: ['graph.gexf'],
  graphml: ['graph.graphml'],
  csv: ['transfers.csv', 'accounts.csv'],
};

export interface WriteReportsOptions {
  outDir: string;
  formats: readonly ReportFormat[];
  /** HTML page options (graph node cap …). */
  html?: HtmlOptions;
}

/** Validate a `--format` list ("json,md,html"): TRACE_INVALID_OPTION naming the unknown format. */
export function parseFormats(list: string | readonly string[]): ReportFormat[] {
  const items = (typeof list === 'string' ? list.split(',') : [...list]).map((s) => s.trim()).filter((s) => s !== '');
  const out: ReportFormat[] = [];
  for (const f of items) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      throw new TracerError(
        'TRACE_INVALID_OPTION',
        `--format: unknown format ${JSON.stringify(f)}; expected some of ${REPORT_FORMATS.join(', ')}`,
        { details: { option: 'format', received: f } },
      );
    }
    if (!out.includes(f as ReportFormat)) out.push(f as ReportFormat);
  }
  if (out.length === 0)
    throw new TracerError('TRACE_INVALID_OPTION', `--format: no format given; expected some of ${REPORT_FORMATS.join(', ')}`, {
      details: { option: 'format' },
    });
  return out;
}

/** Write the reports; returns `{ files: { "report.json": "/abs/out/report.json", … } }`. */
export async function writeReports(result: TraceResult, options: WriteReportsOptions): Promise<{ files: Record<string, string> }> {
  const formats = parseFormats(options.formats);
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const files: Record<string, string> = {};
  const put = async (name: string, content: string | Iterable<string | Uint8Array>) => {
    const path = join(outDir, name);
    await writeChunks(path, typeof content === 'string' ? [content] : content);
    files[name] = path;
  };
  const needsJson = formats.some((f) => f === 'json' || f === 'md' || f === 'html');
  const report = needsJson ? buildReportJson(result) : null;
  let exportGraph: ExportColumns | undefined; // the export graph's columns, read once for graph.gexf and graph.graphml
  const graphOf = async (): Promise<ExportColumns> => (exportGraph ??= (await import('./graph.js')).exportColumns(result));
  for (const f of formats) {
    switch (f) {
      case 'json':
        await put('report.json', stringifyReportJson(report!));
        break;
      case 'md':
        await put('report.md', buildReportMarkdown(report!));
        break;
      case 'csv':
        await put('transfers.csv', transfersCsvChunks(result)); // streamed: the complete lists
        await put('accounts.csv', accountsCsvChunks(result));
        break;
      case 'gexf': {
        const { gexfChunks } = await import('./gexf.js');
        await put('graph.gexf', gexfChunks(await graphOf())); // streamed
        break;
      }
      case 'graphml': {
        const { graphmlChunks } = await import('./graphml.js');
        await put('graph.graphml', graphmlChunks(await graphOf())); // streamed
        break;
      }
      case 'html': {
        const { buildReportHtml } = await import('./html/page.js');
        await put('report.html', await buildReportHtml(result, { ...options.html, report: report! }));
        break;
      }
    }
  }
  return { files };
}
