/**
 * parseLabels: a TagPack-style YAML label file (docs/contracts.md, the GraphSense layout) → labels by address.
 *
 *   title: …            creator: …          # required header
 *   category: exchange  source: …  confidence: 0.9   # optional defaults for every tag
 *   tags:
 *     - { address: NC3BI3…, label: Yobit, category: exchange, source?, confidence?, memo?, plays? }
 *
 * Header defaults apply to tags that omit the field. Addresses are validated (mainnet) and
 * normalised (dashes removed, upper case). Other TagPack fields (lastmod, is_public, currency …)
 * are ignored. Every problem is one TRACE_INVALID_LABELS line naming the file and the tag index.
 */
import { parse as parseYaml } from 'yaml';
import { TracerError } from '../errors.js';
import { parseAddress } from '../nem/index.js';
import type { Label } from '../domain.js';

export function parseLabels(text: string, source: string): Map<string, Label> {
  const fail = (where: string, problem: string): never => {
    throw new TracerError('TRACE_INVALID_LABELS', `${source}: ${where}: ${problem}`, { details: { source, field: where } });
  };
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false });
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    return fail(line === undefined ? 'YAML' : `line ${line}`, `not valid YAML (${firstLine((err as Error).message)})`);
  }
  if (!isObject(doc)) return fail('(root)', 'expected a mapping with title, creator and tags');
  for (const field of ['title', 'creator'] as const) {
    if (typeof doc[field] !== 'string' || doc[field].trim() === '') fail(field, 'expected a non-empty string');
  }
  const defaults = {
    label: optionalString(doc.label, 'label', fail),
    category: optionalString(doc.category, 'category', fail),
    source: optionalString(doc.source, 'source', fail),
    confidence: optionalConfidence(doc.confidence, 'confidence', fail),
    memo: optionalString(doc.memo, 'memo', fail),
  };
  if (!Array.isArray(doc.tags)) return fail('tags', 'expected a list of tags');
  const labels = new Map<string, Label>();
  (doc.tags as unknown[]).forEach((raw, i) => {
    const at = `tags[${i}]`;
    if (!isObject(raw)) return fail(at, 'expected a mapping { address, label, category, … }');
    if (typeof raw.address !== 'string') fail(`${at}.address`, 'missing');
    let address: string;
    try {
      address = parseAddress(raw.address as string);
    } catch (err) {
      return fail(`${at}.address`, (err as Error).message);
    }
    const label = optionalString(raw.label, `${at}.label`, fail) ?? defaults.label;
    if (label === undefined) fail(`${at}.label`, 'missing');
    const category = optionalString(raw.category, `${at}.category`, fail) ?? defaults.category;
    if (category === undefined) fail(`${at}.category`, 'missing (and no header default)');
    if (labels.has(address)) fail(`${at}.address`, `${address} is tagged twice in this file`);
    const tag: Label = { address, label: label!, category: category!.toLowerCase() };
    const src = optionalString(raw.source, `${at}.source`, fail) ?? defaults.source;
    if (src !== undefined) tag.source = src;
    const confidence = optionalConfidence(raw.confidence, `${at}.confidence`, fail) ?? defaults.confidence;
    if (confidence !== undefined) tag.confidence = confidence;
    const memo = optionalString(raw.memo, `${at}.memo`, fail) ?? defaults.memo;
    if (memo !== undefined) tag.memo = memo;
    const plays = optionalString(raw.plays, `${at}.plays`, fail);
    if (plays !== undefined) tag.plays = plays;
    labels.set(address, tag);
  });
  return labels;
}

type Fail = (where: string, problem: string) => never;

function optionalString(v: unknown, where: string, fail: Fail): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string' || v.trim() === '') return fail(where, 'expected a non-empty string');
  return v.trim();
}

function optionalConfidence(v: unknown, where: string, fail: Fail): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) return fail(where, 'expected a number from 0 to 100');
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
