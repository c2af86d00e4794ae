/**
 * The run manifest (docs/taint-semantics.md §12) and the label-set hash: sha256 over the labels
 * sorted by address, each serialised with a fixed key order, so the hash does not depend on the
 * order files listed them.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { formatXem, nemToIso } from '../nem/index.js';
import type { Label, Manifest, Policy, ResolvedCase } from './types.js';

export const MANIFEST_SCHEMA = 'tainttrace/manifest@1' as const;

export function labelSetHash(labels: ReadonlyMap<string, Label>): string {
  const rows = [...labels.values()]
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
    .map((l) => [l.address, l.label, l.category, l.source ?? null, l.confidence ?? null, l.memo ?? null, l.plays ?? null]);
  return `sha256:${bytesToHex(sha256(utf8ToBytes(JSON.stringify(rows))))}`;
}

export function buildManifest(input: {
  caseSpec: ResolvedCase;
  labels: ReadonlyMap<string, Label>;
  policies: Policy[];
  storeDigest: string;
  tipHeight: number;
  engineVersion: string;
}): Manifest {
  const c = input.caseSpec;
  return {
    schema: MANIFEST_SCHEMA,
    engineVersion: input.engineVersion,
    caseId: c.id,
    policies: [...input.policies],
    dust: formatXem(c.dust),
    maxHops: c.maxHops,
    exitCategories: [...c.exitCategories],
    labelSetHash: labelSetHash(input.labels),
    storeDigest: input.storeDigest,
    tipHeight: input.tipHeight,
    windowTo: c.windowTo === null ? null : nemToIso(c.windowTo),
  };
}
