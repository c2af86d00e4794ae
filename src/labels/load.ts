/**
 * File I/O for cases and labels: read TagPack files and merge them (a later file's tag for the
 * same address replaces an earlier one), and load a case file with its label files resolved
 * relative to the case file.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TracerError } from '../errors.js';
import { parseCase } from './case.js';
import type { Label, ResolvedCase } from '../domain.js';
import { parseLabels } from './tagpack.js';

export async function loadLabelFiles(paths: readonly string[]): Promise<Map<string, Label>> {
  const merged = new Map<string, Label>();
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new TracerError(
        'TRACE_INVALID_LABELS',
        `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        { cause: err },
      );
    }
    for (const [address, label] of parseLabels(text, path)) merged.set(address, label);
  }
  return merged;
}

export interface LoadedCase {
  caseSpec: ResolvedCase;
  labels: Map<string, Label>;
  /** The label files as read (resolved against the case file's folder). */
  labelPaths: string[];
}

export async function loadCase(file: string): Promise<LoadedCase> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TracerError('TRACE_INVALID_CASE', `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      cause: err,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TracerError('TRACE_INVALID_CASE', `${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const caseSpec = parseCase(json, file);
  const labelPaths = caseSpec.labelFiles.map((p) => resolve(dirname(file), p));
  const labels = await loadLabelFiles(labelPaths);
  return { caseSpec, labels, labelPaths };
}
