/**
 * The risk rule: a screened deposit's facts → risk level and score. Documented in RISK.md; every
 * threshold is a field of `RiskRules`, which a case or the server can override (`resolveRiskRules`).
 */
import { TracerError } from '../errors.js';
import { POLICIES, type Policy } from '../domain.js';

export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'severe'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
/** A screening's answer: a level, or `unknown` — the address is outside the index's coverage (no score). */
export type ScreenRisk = RiskLevel | 'unknown';

export interface RiskRules {
  /** The policy whose share drives high/medium (default haircut: the proportional view). */
  sharePolicy: Policy;
  /** Sender label categories that are severe by themselves (default: thief). */
  severeCategories: string[];
  /** Sender label categories that are at least high (default: darkweb, mixer). */
  highCategories: string[];
  /** A sender tainted at this hop count or below (any policy) is severe (default 1: got seed funds). */
  severeMaxHops: number;
  /** sharePolicy share at or above this is high (default 0.5). */
  highShare: number;
  /** sharePolicy share at or above this is medium (default 0.05). */
  mediumShare: number;
  /** Any amount policy's share at or above this is at least medium (default 0.5). */
  mediumAnyShare: number;
  /** A sender tainted (amount policy) at this hop count or below is at least medium (default 2). */
  mediumMaxHops: number;
  /**
   * Sender label categories whose risk is capped at `exemptCap` (default exchange, victim): an
   * exchange is an exit — taint stops there and its withdrawals pool many customers' funds; the
   * victim's own funds are not taint (the seed sender is never tainted), and taint that returns to
   * it is restitution.
   */
  exemptCategories: string[];
  exemptCap: RiskLevel;
  /** Score band [min, max] per level; the position inside the band follows the sharePolicy share. */
  bands: Record<RiskLevel, [number, number]>;
}

export const DEFAULT_RISK_RULES: Readonly<RiskRules> = Object.freeze({
  sharePolicy: 'haircut',
  severeCategories: ['thief'],
  highCategories: ['darkweb', 'mixer'],
  severeMaxHops: 1,
  highShare: 0.5,
  mediumShare: 0.05,
  mediumAnyShare: 0.5,
  mediumMaxHops: 2,
  exemptCategories: ['exchange', 'victim'],
  exemptCap: 'low',
  bands: { none: [0, 0], low: [10, 39], medium: [40, 69], high: [70, 89], severe: [90, 100] },
} satisfies RiskRules);

/** Merge overrides onto the defaults, checking each field (TRACE_INVALID_OPTION naming it). */
export function resolveRiskRules(overrides: Partial<RiskRules> = {}): RiskRules {
  const known = new Set(Object.keys(DEFAULT_RISK_RULES));
  for (const key of Object.keys(overrides)) if (!known.has(key)) bad(key, 'a known risk rule', overrides[key as keyof RiskRules]);
  const r: RiskRules = { ...DEFAULT_RISK_RULES, bands: { ...DEFAULT_RISK_RULES.bands }, ...overrides };
  if (!(POLICIES as readonly string[]).includes(r.sharePolicy)) bad('sharePolicy', `one of ${POLICIES.join(', ')}`, r.sharePolicy);
  for (const k of ['severeCategories', 'highCategories', 'exemptCategories'] as const) {
    if (!Array.isArray(r[k]) || r[k].some((c) => typeof c !== 'string')) bad(k, 'a list of category names', r[k]);
  }
  for (const k of ['highShare', 'mediumShare', 'mediumAnyShare'] as const) {
    if (typeof r[k] !== 'number' || !(r[k] >= 0 && r[k] <= 1)) bad(k, 'a number from 0 to 1', r[k]);
  }
  for (const k of ['severeMaxHops', 'mediumMaxHops'] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 0) bad(k, 'a whole number ≥ 0', r[k]);
  }
  if (!RISK_LEVELS.includes(r.exemptCap)) bad('exemptCap', `one of ${RISK_LEVELS.join(', ')}`, r.exemptCap);
  for (const level of RISK_LEVELS) {
    const b = r.bands[level];
    if (!Array.isArray(b) || b.length !== 2 || !b.every((x) => Number.isInteger(x) && x >= 0 && x <= 100) || b[0] > b[1])
      bad(`bands.${level}`, '[min, max] whole numbers in 0..100', b);
  }
  return r;
}

function bad(field: string, expected: string, got: unknown): never {
  throw new TracerError('TRACE_INVALID_OPTION', `risk rule ${field} must be ${expected}, got ${JSON.stringify(got)}`);
}

export interface RiskFacts {
  /** Category of the sender's label, or null. */
  category: string | null;
  /** Tainted before the deposit under any policy. */
  taintedAny: boolean;
  /** Tainted before the deposit under an amount policy (not poison only). */
  taintedAmount: boolean;
  /** Minimum hop count over the policies tainted at the time, or null. */
  hops: number | null;
  /** Minimum hop count over the amount policies tainted at the time, or null. */
  amountHops: number | null;
  /** sharePolicy share at the time (0 when untainted or not computed). */
  share: number;
  /** Maximum share over the amount policies. */
  maxAmountShare: number;
  /** The address is inside the index's coverage (appears in a transfer the trace considered). */
  covered: boolean;
}

/** `score` is null exactly when `risk` is `unknown`. */
export type RiskVerdict = { risk: RiskLevel; score: number; rule: string } | { risk: 'unknown'; score: null; rule: string };

export function classifyRisk(f: RiskFacts, rules: RiskRules = DEFAULT_RISK_RULES): RiskVerdict {
  let risk: RiskLevel;
  let rule: string;
  if (f.category !== null && rules.severeCategories.includes(f.category)) [risk, rule] = ['severe', `sender labelled ${f.category}`];
  else if (!f.taintedAny && f.category !== null && rules.highCategories.includes(f.category))
    [risk, rule] = ['high', `sender labelled ${f.category}`];
  else if (!f.taintedAny && !f.covered) return { risk: 'unknown', score: null, rule: 'outside coverage: the store never saw this address' };
  else if (!f.taintedAny) [risk, rule] = ['none', 'untouched by taint'];
  else if (f.hops !== null && f.hops <= rules.severeMaxHops) [risk, rule] = ['severe', `tainted at hop ${f.hops}`];
  else if (f.category !== null && rules.highCategories.includes(f.category)) [risk, rule] = ['high', `sender labelled ${f.category}`];
  else if (f.taintedAmount && f.share >= rules.highShare) [risk, rule] = ['high', `${rules.sharePolicy} share ≥ ${rules.highShare}`];
  else if (f.taintedAmount && f.share >= rules.mediumShare) [risk, rule] = ['medium', `${rules.sharePolicy} share ≥ ${rules.mediumShare}`];
  else if (f.taintedAmount && f.maxAmountShare >= rules.mediumAnyShare)
    [risk, rule] = ['medium', `an amount policy's share ≥ ${rules.mediumAnyShare}`];
  else if (f.amountHops !== null && f.amountHops <= rules.mediumMaxHops) [risk, rule] = ['medium', `tainted at hop ${f.amountHops}`];
  else [risk, rule] = ['low', f.taintedAmount ? 'small tainted share' : 'poison only'];

  if (f.category !== null && rules.exemptCategories.includes(f.category) && rank(risk) > rank(rules.exemptCap)) {
    risk = rules.exemptCap;
    rule = `sender labelled ${f.category} (capped at ${rules.exemptCap})`;
  }
  const [lo, hi] = rules.bands[risk];
  const position = risk === 'severe' && f.category !== null && rules.severeCategories.includes(f.category) ? 1 : f.share;
  return { risk, score: lo + Math.round((hi - lo) * Math.min(1, Math.max(0, position))), rule };
}

function rank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}
