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
import { formatXem, nemToIso, nemToUnix } from '../nem/index.js';
import type { TaintIndexAsOf } from './index-types.js';
import type { TaintIndex } from './packed.js';
import type { ScreenResult } from './screen.js';
import { POLICY_INDEX, shareNumber, shareOf } from './share.js';
import { asOfView } from './views.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const PAD = ['000000', '00000', '0000', '000', '00', '0', ''];

/** µXEM → "123.000456", exactly as formatXem. */
export function xemText(micro: bigint): string {
  if (micro < 0n || micro > MAX_SAFE) return formatXem(micro);
  return xemNumber(Number(micro));
}

/** µXEM as a safe non-negative integer → "123.000456", exactly as formatXem. */
export function xemNumber(n: number): string {
  if (n < 0) return formatXem(BigInt(n));
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

/**
 * nemToIso, faster: the date part is formatted once per day (Date#toISOString, kept for up to 65,536
 * days), the time of day by arithmetic. The same text as nemToIso for every timestamp in years
 * 0000–9999 with whole seconds; anything else goes to nemToIso.
 */
const dayTexts = new Map<number, string>();
export function isoOfNem(ts: number): string {
  const unix = nemToUnix(ts);
  const day = Math.floor(unix / 86_400);
  if (!Number.isSafeInteger(unix) || day < -719_528 || day > 2_932_896) return nemToIso(ts);
  let date = dayTexts.get(day);
  if (date === undefined) {
    if (dayTexts.size >= 65_536) dayTexts.clear();
    dayTexts.set(day, (date = new Date(day * 86_400_000).toISOString().slice(0, 11)));
  }
  const sec = unix - day * 86_400;
  const h = (sec / 3600) | 0;
  const m = ((sec % 3600) / 60) | 0;
  const s = sec % 60;
  return `${date}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}.000Z`;
}

/** nemToIso with a one-entry memo: a batch of deposits often shares its time. */
let memoTs = Number.NaN;
let memoIso = '';
function isoText(ts: number): string {
  if (ts !== memoTs) {
    memoIso = isoOfNem(ts);
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
    const policy =
      `{"tainted":false,"exit":false,"hops":null,"received":${zero},"held":${zero},"balance":${zero},` + '"share":0,"firstTaintedAt":null}';
    const policies = index.policies.map((p) => `${str(p)}:${policy}`).join(',');
    untouchedTexts.set(
      index,
      (t = ['{"address":', `,"known":false,"label":null,"policies":{${policies}},"asOf":${asOfJson(index.asOf)}}`]),
    );
  }
  return t;
}

const UNTOUCHED_POLICY =
  '{"tainted":false,"exit":false,"hops":null,"received":"0.000000","held":"0.000000","balance":"0.000000","share":0,"firstTaintedAt":null}';

/**
 * `JSON.stringify(accountView(index, address))`; `address` must already be canonical. Read straight
 * from the packed arrays (packed.ts): no object for the account.
 */
export function accountJson(index: TaintIndex, address: string): string {
  const acct = index.accountOf(address);
  const l = index.labels.get(address);
  if (acct < 0 && !l) {
    const [before, after] = untouched(index);
    return before + str(address) + after;
  }
  const label = l
    ? `{"label":${str(l.label)},"category":${str(l.category)},"source":${l.source == null ? 'null' : str(l.source)}}`
    : 'null';
  let out = `{"address":${str(address)},"known":true,"label":${label},"policies":{`;
  const a = index.a;
  let lastTs = -1;
  let lastIso = '';
  for (let i = 0; i < index.policies.length; i++) {
    const policy = index.policies[i];
    const s = acct < 0 ? -1 : index.slot(acct, POLICY_INDEX[policy]);
    if (i > 0) out += ',';
    out += keyText(policy);
    if (s < 0) {
      out += UNTOUCHED_POLICY;
      continue;
    }
    const first = a.firstTaintedAt[s];
    if (first !== lastTs) lastIso = isoOfNem((lastTs = first));
    const held = a.held[s];
    const balance = a.balance[s];
    let share: number;
    if (policy === 'poison') share = (balance === balance ? balance > 0 : index.balance(s) > 0n) ? 1 : 0;
    else share = held === held && balance === balance ? shareOf(held, balance) : shareNumber(index.held(s), index.balance(s));
    out +=
      `{"tainted":true,"exit":${a.isExit[s] === 1},"hops":${a.hops[s]},"received":"${amountText(index, 'received', a.received, s)}",` +
      `"held":"${amountText(index, 'held', a.held, s)}","balance":"${amountText(index, 'balance', a.balance, s)}",` +
      `"share":${share},"firstTaintedAt":"${lastIso}"}`;
  }
  return `${out}},"asOf":${asOfJson(index.asOf)}}`;
}

/** An amount of a packed array as XEM text (the exact bigint where the array holds NaN). */
function amountText(index: TaintIndex, name: 'received' | 'held' | 'balance', arr: Float64Array, i: number): string {
  const v = arr[i];
  return v === v ? xemNumber(v) : formatXem(index.amount(name, arr, i));
}

/** `JSON.stringify(screenView(r))`. */
export function screenResultJson(r: ScreenResult): string {
  const amount = r.amount === null ? 'null' : `"${xemText(r.amount)}"`;
  const time = r.time === null ? 'null' : `"${isoText(r.time)}"`;
  let out = `{"from":${str(r.from)},"amount":${amount},"time":${time},"risk":"${r.risk}","score":${r.score},`;
  out += `"rule":${ruleText(r.rule)},"perPolicy":{`;
  let first = true;
  for (const policy in r.perPolicy) {
    const p = r.perPolicy[policy as keyof ScreenResult['perPolicy']]!;
    const part = p.taintedAmount === null ? 'null' : `"${xemText(p.taintedAmount)}"`;
    out += `${first ? '' : ','}${keyText(policy)}{"tainted":${p.tainted},"share":${p.share},"taintedAmount":${part},"hops":${p.hops}}`;
    first = false;
  }
  out += `},"hops":${r.hops},"exits":${strings(r.exits)},"labels":[`;
  for (let i = 0; i < r.labels.length; i++) {
    const l = r.labels[i];
    out += `${i ? ',' : ''}{"address":${str(l.address)},"label":${str(l.label)},"category":${str(l.category)}}`;
  }
  const c = r.coverage;
  const coverage = `{"caseId":${str(c.caseId)},"tip":${c.tip},"reached":${c.reached},"provisional":${c.provisional}}`;
  return `${out}],"evidence":${strings(r.evidence)},"coverage":${coverage},"asOf":${asOfJson(r.asOf)}}`;
}

/** A JSON array of strings (hashes and addresses need no escaping: one join). */
function strings(list: readonly string[]): string {
  if (list.length === 0) return '[]';
  if (PLAIN.test(list.join(''))) return `["${list.join('","')}"]`;
  let out = '[';
  for (let i = 0; i < list.length; i++) out += (i ? ',' : '') + str(list[i]);
  return out + ']';
}
