/**
 * JSON text of the views, written directly: `accountJson(index, a)` is byte for byte
 * `JSON.stringify(accountView(index, a))`, `screenResultJson(r)` is `JSON.stringify(screenView(r))`
 * (same keys, same order, same numbers) — without building the view objects first and without a
 * generic serializer walking them. The HTTP server sends these strings as they are (and caches
 * the account answers); test/screen/json.test.ts holds them to the views and to the response schemas.
 *
 * Amounts go through a Number path (every µXEM amount below the supply is a safe integer), times
 * through `nemToIso`; label and rule strings, the only free text, through `JSON.stringify`.
 */
import { formatXem } from '../nem/amount.js';
import { nemToIso } from '../nem/time.js';
import type { TaintIndex, TaintIndexAsOf } from './index-types.js';
import type { ScreenResult } from './screen.js';
import { shareNumber } from './share.js';
import { asOfView } from './views.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const PAD = ['000000', '00000', '0000', '000', '00', '0', ''];

/** µXEM → "123.000456", exactly as formatXem. */
export function xemText(micro: bigint): string {
  if (micro < 0n || micro > MAX_SAFE) return formatXem(micro);
  const n = Number(micro);
  const frac = n % 1_000_000;
  const digits = '' + frac;
  return `${(n - frac) / 1_000_000}.${PAD[digits.length]}${digits}`;
}

const asOfTexts = new WeakMap<TaintIndexAsOf, string>();

/** `JSON.stringify(asOfView(asOf))`, computed once per asOf object. */
export function asOfJson(asOf: TaintIndexAsOf): string {
  let s = asOfTexts.get(asOf);
  if (s === undefined) asOfTexts.set(asOf, (s = JSON.stringify(asOfView(asOf))));
  return s;
}

const str = (s: string): string => JSON.stringify(s);

/** Printable ASCII without `"` and `\`: such a string is its own JSON body. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `"name":` per policy (and rule texts), written once: they repeat in every result. */
const keyTexts = new Map<string, string>();
function keyText(name: string): string {
  let t = keyTexts.get(name);
  if (t === undefined) keyTexts.set(name, (t = `${str(name)}:`));
  return t;
}
const ruleTexts = new Map<string, string>();
function ruleText(rule: string): string {
  let t = ruleTexts.get(rule);
  if (t === undefined) {
    t = str(rule);
    if (ruleTexts.size < 1024) ruleTexts.set(rule, t); // rules are a small set of texts; bounded anyway
  }
  return t;
}

/** nemToIso with a one-entry memo: a batch of deposits often shares its time. */
let memoTs = Number.NaN;
let memoIso = '';
function isoText(ts: number): string {
  if (ts !== memoTs) {
    memoIso = nemToIso(ts);
    memoTs = ts;
  }
  return memoIso;
}

/** The answer for an account nobody tainted or labelled, split around the address: [before, after]. */
const untouchedTexts = new WeakMap<TaintIndex, [string, string]>();

function untouched(index: TaintIndex): [string, string] {
  let t = untouchedTexts.get(index);
  if (!t) {
    const zero = '"0.000000"';
    const policy = `{"tainted":false,"exit":false,"hops":null,"received":${zero},"held":${zero},"balance":${zero},"share":0,"firstTaintedAt":null}`;
    const policies = index.policies.map((p) => `${str(p)}:${policy}`).join(',');
    untouchedTexts.set(
      index,
      (t = ['{"address":', `,"known":false,"label":null,"policies":{${policies}},"asOf":${asOfJson(index.asOf)}}`]),
    );
  }
  return t;
}

/** `JSON.stringify(accountView(index, address))`; `address` must already be canonical. */
export function accountJson(index: TaintIndex, address: string): string {
  const account = index.accounts.get(address);
  const l = index.labels.get(address);
  if (!account && !l) {
    const [before, after] = untouched(index);
    return before + str(address) + after;
  }
  let out = `{"address":${str(address)},"known":true,"label":${l ? `{"label":${str(l.label)},"category":${str(l.category)},"source":${l.source == null ? 'null' : str(l.source)}}` : 'null'},"policies":{`;
  let lastTs = -1;
  let lastIso = '';
  for (let i = 0; i < index.policies.length; i++) {
    const policy = index.policies[i];
    const e = account?.policies[policy];
    if (i > 0) out += ',';
    out += keyText(policy);
    if (!e) {
      out +=
        '{"tainted":false,"exit":false,"hops":null,"received":"0.000000","held":"0.000000","balance":"0.000000","share":0,"firstTaintedAt":null}';
      continue;
    }
    if (e.firstTaintedAt !== lastTs) lastIso = nemToIso((lastTs = e.firstTaintedAt));
    const share = policy === 'poison' ? (e.balance > 0n ? 1 : 0) : shareNumber(e.held, e.balance);
    out += `{"tainted":true,"exit":${e.isExit},"hops":${e.hops},"received":"${xemText(e.received)}","held":"${xemText(e.held)}","balance":"${xemText(e.balance)}","share":${share},"firstTaintedAt":"${lastIso}"}`;
  }
  return `${out}},"asOf":${asOfJson(index.asOf)}}`;
}

/** `JSON.stringify(screenView(r))`. */
export function screenResultJson(r: ScreenResult): string {
  let out = `{"from":${str(r.from)},"amount":${r.amount === null ? 'null' : `"${xemText(r.amount)}"`},"time":${r.time === null ? 'null' : `"${isoText(r.time)}"`},"risk":"${r.risk}","score":${r.score},"rule":${ruleText(r.rule)},"perPolicy":{`;
  let first = true;
  for (const policy in r.perPolicy) {
    const p = r.perPolicy[policy as keyof ScreenResult['perPolicy']]!;
    out += `${first ? '' : ','}${keyText(policy)}{"tainted":${p.tainted},"share":${p.share},"taintedAmount":${p.taintedAmount === null ? 'null' : `"${xemText(p.taintedAmount)}"`},"hops":${p.hops}}`;
    first = false;
  }
  out += `},"hops":${r.hops},"exits":${strings(r.exits)},"labels":[`;
  for (let i = 0; i < r.labels.length; i++) {
    const l = r.labels[i];
    out += `${i ? ',' : ''}{"address":${str(l.address)},"label":${str(l.label)},"category":${str(l.category)}}`;
  }
  const c = r.coverage;
  return `${out}],"evidence":${strings(r.evidence)},"coverage":{"caseId":${str(c.caseId)},"tip":${c.tip},"reached":${c.reached},"provisional":${c.provisional}},"asOf":${asOfJson(r.asOf)}}`;
}

/** A JSON array of strings (hashes and addresses need no escaping: one join). */
function strings(list: readonly string[]): string {
  if (list.length === 0) return '[]';
  if (PLAIN.test(list.join(''))) return `["${list.join('","')}"]`;
  let out = '[';
  for (let i = 0; i < list.length; i++) out += (i ? ',' : '') + str(list[i]);
  return out + ']';
}
