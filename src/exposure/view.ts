/**
 * exposureView: the JSON answer of `tainttrace exposure --json` and `GET /v1/exposure/{address}` —
 * amounts as XEM decimal strings with six decimals, times ISO-8601 UTC, shares in [0, 1]; sources
 * and categories in a fixed order. Pure.
 */
import { formatXem } from '../nem/index.js';
import { nemToIso } from '../nem/index.js';
import type { Policy } from '../taint/index.js';
import type { ExposureFigures, ExposureResult } from './exposure.js';
import type { ExposureCoverage } from './load.js';

export interface FiguresView {
  exposed: string;
  share: number;
  direct: string;
  indirect: string;
  hops: number | null;
  held: string;
}
export interface EvidenceStepView {
  hash: string;
  from: string;
  to: string;
  time: string;
  amount: string;
  taint: string;
}
export interface ExposureView {
  address: string;
  label: { label: string; category: string } | null;
  hops: number;
  asOf: string | null;
  categories: string[];
  received: string;
  receivedTransfers: number;
  balance: string;
  cone: ExposureResult['cone'];
  policies: Partial<Record<Policy, FiguresView & { byCategory: Record<string, FiguresView>; evidence: EvidenceStepView[] }>>;
  sources: {
    address: string;
    label: string;
    category: string;
    depth: number;
    sent: string;
    transfers: number;
    exposure: Partial<Record<Policy, string>> | null;
  }[];
  coverage?: ExposureCoverage;
}

export function exposureView(r: ExposureResult & { coverage?: ExposureCoverage }): ExposureView {
  const figures = (f: ExposureFigures): FiguresView => ({
    exposed: formatXem(f.exposed),
    share: f.share,
    direct: formatXem(f.direct),
    indirect: formatXem(f.indirect),
    hops: f.hops,
    held: formatXem(f.held),
  });
  const policies: ExposureView['policies'] = {};
  for (const [p, e] of Object.entries(r.policies) as [Policy, NonNullable<ExposureResult['policies'][Policy]>][]) {
    policies[p] = {
      ...figures(e),
      byCategory: Object.fromEntries(
        Object.keys(e.byCategory)
          .sort()
          .map((c) => [c, figures(e.byCategory[c])]),
      ),
      evidence: e.evidence.map((s) => ({
        hash: s.hash,
        from: s.from,
        to: s.to,
        time: nemToIso(s.timeStamp),
        amount: formatXem(s.amount),
        taint: formatXem(s.taint),
      })),
    };
  }
  const view: ExposureView = {
    address: r.address,
    label: r.label === null ? null : { label: r.label.label, category: r.label.category },
    hops: r.options.hops,
    asOf: r.options.asOf === null ? null : nemToIso(r.options.asOf),
    categories: r.options.categories,
    received: formatXem(r.received),
    receivedTransfers: r.receivedTransfers,
    balance: formatXem(r.balance),
    cone: r.cone,
    policies,
    sources: r.sources.map((s) => ({
      address: s.address,
      label: s.label,
      category: s.category,
      depth: s.depth,
      sent: formatXem(s.sent),
      transfers: s.transfers,
      exposure: s.exposure === null ? null : Object.fromEntries(Object.entries(s.exposure).map(([p, v]) => [p, formatXem(v)])),
    })),
  };
  if (r.coverage !== undefined) view.coverage = r.coverage;
  return view;
}
