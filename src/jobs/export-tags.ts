/**
 * exportTags: the tainted accounts of a trace as a TagPack (the layout src/labels reads), so other
 * tools can import what tainttrace found — what the NEM Foundation did by hand in 2018. One tag per
 * account tainted under `policy` (exits excluded: they are labelled already) whose tainted share of
 * its balance at the end is at least `minShare`, with the case, policy, share, hops, taint received
 * and held, and the evidence (transfer hashes from the seed); then the accounts that taint mosaics
 * marked (src/labels/mosaics.ts). Sorted by hops, then address: the same index gives the same bytes.
 */
import { stringify } from 'yaml';
import { formatXem } from '../nem/index.js';
import type { Label, Policy } from '../taint/index.js';
import { type TaintIndex, shareNumber } from '../screen/index.js';

export interface ExportTagsOptions {
  policy: Policy;
  /** 0..1 (default 0: every account that received taint). */
  minShare: number;
  /** Extra labels to append (taint mosaics). */
  mosaicLabels?: ReadonlyMap<string, Label>;
  engineVersion: string;
}

export function exportTags(index: TaintIndex, options: ExportTagsOptions): string {
  const caseId = index.manifest.caseId;
  const rows: { hops: number; address: string; tag: Record<string, unknown> }[] = [];
  for (const [address, account] of index.accounts) {
    const e = account.policies[options.policy];
    if (!e || e.isExit) continue;
    const share = options.policy === 'poison' ? (e.balance > 0n ? 1 : 0) : shareNumber(e.held, e.balance);
    if (e.received === 0n || share < options.minShare) continue;
    const own = index.labels.get(address);
    rows.push({
      hops: e.hops,
      address,
      tag: {
        address,
        label: own ? `${own.label} (tainted, ${caseId})` : `Tainted by case ${caseId} (${options.policy}, hop ${e.hops})`,
        category: own?.category ?? 'tainted',
        confidence: Math.round(share * 100),
        case: caseId,
        policy: options.policy,
        share,
        hops: e.hops,
        received: formatXem(e.received),
        held: formatXem(e.held),
        evidence: e.evidence,
      },
    });
  }
  rows.sort((a, b) => a.hops - b.hops || (a.address < b.address ? -1 : 1));
  const tags = rows.map((r) => r.tag);
  const tagged = new Set(rows.map((r) => r.address));
  for (const l of [...(options.mosaicLabels?.values() ?? [])].sort((a, b) => (a.address < b.address ? -1 : 1))) {
    if (tagged.has(l.address)) continue; // tainted: tagged above, with this label (the index holds it)
    tags.push({ address: l.address, label: l.label, category: l.category, source: l.source, case: caseId });
  }
  const doc = {
    title: `Accounts tainted by case ${caseId} (${options.policy}${options.minShare > 0 ? `, share ≥ ${options.minShare}` : ''})`,
    creator: `tainttrace ${options.engineVersion}`,
    description:
      `Exported from the taint index of case ${caseId} at height ${index.asOf.height}; ` +
      'share = tainted share of the balance at the end; evidence = transfer hashes from the seed.',
    source: `tainttrace export-tags, store digest ${index.manifest.storeDigest}`,
    currency: 'XEM',
    tags,
  };
  return `# TagPack (GraphSense layout), readable by tainttrace src/labels/tagpack.ts.\n${stringify(doc, { lineWidth: 0 })}`;
}
