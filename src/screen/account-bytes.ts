/**
 * Account answers written as bytes: `AccountBytes#answer(address)` is the UTF-8 of `accountJson(index,
 * address)` (json.ts), itself byte for byte `JSON.stringify(accountView(index, address))` — written from the
 * packed arrays (packed.ts) straight into one reused scratch Buffer, then copied out. The parts every answer
 * of an index shares are rendered once per index, as bytes: the keys, each policy's opening and its untouched
 * body, the labels, the `asOf` tail; digits and dates are written by arithmetic, short fragments copied byte by
 * byte (a typed-array `set` per fragment costs more than the copy). No string is
 * built per answer (a string answer costs a rope of ~60 pieces, its flattening and a UTF-8 encoding), no object
 * per policy.
 *
 * Anything unusual takes the string path of json.ts for that part: an amount outside the safe-integer range or
 * negative, an address that is not plain ASCII (a canonical address always is). test/screen/account-bytes.test.ts
 * holds every answer to accountJson.
 */
import { formatXem, nemToUnix } from '../nem/index.js';
import { accountJson, asOfJson, isoOfNem, xemNumber } from './json.js';
import type { TaintIndex } from './packed.js';
import { POLICY_INDEX, shareNumber, shareOf } from './share.js';

const ADDRESS_LENGTH = 40;
const ZERO = '"0.000000"';
const UNTOUCHED_BODY =
  `{"tainted":false,"exit":false,"hops":null,"received":${ZERO},"held":${ZERO},"balance":${ZERO},` + '"share":0,"firstTaintedAt":null}';
/** Printable ASCII without `"` and `\`: such a string is its own JSON body. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

export class AccountBytes {
  private scratch = Buffer.allocUnsafe(16 * 1024);
  private pos = 0;
  /** Per policy of the index: `"name":{"tainted":true,"exit":` (after a `,` from the second on) and the untouched entry. */
  private readonly open: Buffer[];
  private readonly untouchedPolicy: Buffer[];
  private readonly policyBit: number[];
  private readonly poison: boolean[];
  private readonly tail: Buffer;
  private readonly unknownTail: Buffer;
  /** Label fragments by address row (a number key: the request text is not hashed), and by text for labels outside the rows. */
  private readonly labelByRow = new Map<number, Buffer>();
  private readonly labelByText = new Map<string, Buffer>();

  constructor(readonly index: TaintIndex) {
    const policies = index.policies;
    this.open = policies.map((p, i) => bytes(`${i ? ',' : ''}${JSON.stringify(p)}:{"tainted":true,"exit":`));
    this.untouchedPolicy = policies.map((p, i) => bytes(`${i ? ',' : ''}${JSON.stringify(p)}:${UNTOUCHED_BODY}`));
    this.policyBit = policies.map((p) => POLICY_INDEX[p]);
    this.poison = policies.map((p) => p === 'poison');
    this.tail = bytes(`},"asOf":${asOfJson(index.asOf)}}`);
    this.unknownTail = bytes(
      `","known":false,"label":null,"policies":{${this.untouchedPolicy.map((b) => b.toString()).join('')}},"asOf":${asOfJson(index.asOf)}}`,
    );
    for (const [address, l] of index.labels) {
      const source = l.source == null ? 'null' : JSON.stringify(l.source);
      const label = `{"label":${JSON.stringify(l.label)},"category":${JSON.stringify(l.category)},"source":${source}}`;
      const fragment = bytes(`","known":true,"label":${label},"policies":{`);
      const row = index.addressRow(address);
      if (row >= 0) this.labelByRow.set(row, fragment);
      else this.labelByText.set(address, fragment);
    }
  }

  /** The answer for a canonical address (parseAddress's form): the bytes of `accountJson(index, address)`. */
  answer(address: string): Buffer {
    if (address.length !== ADDRESS_LENGTH || !PLAIN.test(address)) return bytes(accountJson(this.index, address));
    return this.answerRow(address, this.index.addressRow(address));
  }

  /** `answer(address)` when the address's row (index.addressRow, -1 when unknown) is known already. */
  answerRow(address: string, row: number): Buffer {
    const index = this.index;
    const acct = row < 0 ? -1 : index.a.acct[row];
    const label = row >= 0 ? this.labelByRow.get(row) : this.labelByText.get(address);
    this.pos = 0;
    this.text('{"address":"');
    this.text(address);
    if (acct < 0 && label === undefined) {
      this.put(this.unknownTail);
      return this.out();
    }
    this.put(label ?? KNOWN_NO_LABEL);
    const a = index.a;
    for (let i = 0; i < this.open.length; i++) {
      const s = acct < 0 ? -1 : index.slot(acct, this.policyBit[i]);
      if (s < 0) {
        this.put(this.untouchedPolicy[i]);
        continue;
      }
      this.put(this.open[i]);
      this.frag(a.isExit[s] === 1 ? EXIT_TRUE : EXIT_FALSE);
      this.int(a.hops[s]);
      this.frag(RECEIVED);
      this.amount('received', a.received, s);
      this.frag(HELD);
      this.amount('held', a.held, s);
      this.frag(BALANCE);
      this.amount('balance', a.balance, s);
      this.frag(SHARE);
      const held = a.held[s];
      const balance = a.balance[s];
      let share: number;
      if (this.poison[i]) share = (balance === balance ? balance > 0 : index.balance(s) > 0n) ? 1 : 0;
      else share = held === held && balance === balance ? shareOf(held, balance) : shareNumber(index.held(s), index.balance(s));
      this.share(share);
      this.frag(FIRST_TAINTED);
      this.iso(a.firstTaintedAt[s]);
      this.frag(CLOSE);
    }
    this.put(this.tail);
    return this.out();
  }

  /**
   * A share q / 10^9 as JSON.stringify writes it: for 10^-6 ≤ share < 1 that is "0." and q's nine digits without
   * trailing zeros (the shortest text that reads back as the same double: nine significant digits are always
   * enough, and no shorter text names q / 10^9); anything else through the number's own text.
   */
  private share(share: number): void {
    const q = Math.round(share * 1e9);
    if (!(q >= 1000 && q < 1e9 && q / 1e9 === share)) return this.text('' + share);
    let digits = 9;
    let v = q | 0;
    while (v % 10 === 0) {
      v = (v / 10) | 0;
      digits--;
    }
    this.room(2 + digits);
    this.scratch[this.pos++] = 48; // '0'
    this.scratch[this.pos++] = 46; // '.'
    this.digits(v, digits);
  }

  /**
   * nemToIso of a NEM timestamp (isoOfNem) for years 1970–9999: the civil date of the day by arithmetic (days to
   * year, month, day as in Howard Hinnant's `civil_from_days`), the time of day as digits; any other time as isoOfNem's text.
   */
  private iso(ts: number): void {
    const unix = nemToUnix(ts);
    const day = Math.floor(unix / 86_400);
    if (!Number.isSafeInteger(unix) || day < 0 || day > 2_932_896) return this.text(isoOfNem(ts)); // before 1970, after 9999
    const z = day + 719_468; // days since 0000-03-01
    const era = (z / 146_097) | 0;
    const doe = z - era * 146_097;
    const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0;
    const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
    const mp = ((5 * doy + 2) / 153) | 0;
    const dd = doy - (((153 * mp + 2) / 5) | 0) + 1;
    const mm = mp < 10 ? mp + 3 : mp - 9;
    const yy = yoe + era * 400 + (mm <= 2 ? 1 : 0);
    const sec = unix - day * 86_400;
    const h = (sec / 3600) | 0;
    const m = ((sec - h * 3600) / 60) | 0;
    const x = sec - h * 3600 - m * 60;
    this.room(24);
    const s = this.scratch;
    const p = this.pos;
    const century = (yy / 100) | 0;
    pair(s, p, century);
    pair(s, p + 2, yy - century * 100);
    s[p + 4] = 45; // '-'
    pair(s, p + 5, mm);
    s[p + 7] = 45;
    pair(s, p + 8, dd);
    s[p + 10] = 84; // 'T'
    pair(s, p + 11, h);
    s[p + 13] = 58; // ':'
    pair(s, p + 14, m);
    s[p + 16] = 58;
    pair(s, p + 17, x);
    s[p + 19] = 46; // '.'
    s[p + 20] = 48;
    s[p + 21] = 48;
    s[p + 22] = 48;
    s[p + 23] = 90; // 'Z'
    this.pos = p + 24;
  }

  private out(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.scratch.copy(out, 0, 0, this.pos);
    return out;
  }

  private room(n: number): void {
    if (this.pos + n <= this.scratch.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.scratch.length, this.pos + n));
    this.scratch.copy(grown, 0, 0, this.pos);
    this.scratch = grown;
  }

  private put(b: Buffer): void {
    this.room(b.length);
    this.scratch.set(b, this.pos);
    this.pos += b.length;
  }

  /** A short fragment, copied byte by byte. */
  private frag(b: Uint8Array): void {
    this.room(b.length);
    const s = this.scratch;
    let p = this.pos;
    for (let k = 0; k < b.length; k++) s[p++] = b[k];
    this.pos = p;
  }

  /** ASCII text (the callers' texts are digits, punctuation and base32). */
  private text(t: string): void {
    this.room(t.length);
    const s = this.scratch;
    let p = this.pos;
    for (let k = 0; k < t.length; k++) s[p++] = t.charCodeAt(k);
    this.pos = p;
  }

  /** A safe integer in decimal: two digits at a time from a table (int32 arithmetic; above 2^31 as two parts). */
  private int(n: number): void {
    if (n >= 0 && n < 0x80000000) return this.digits(n | 0, digitCount(n | 0));
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n)) return this.text('' + n);
    const hi = Math.floor(n / 1e9); // < 2^24
    this.digits(hi, digitCount(hi));
    this.digits(n - hi * 1e9, 9);
  }

  /** A non-negative int32 `v` as exactly `count` digits (zero-padded on the left). */
  private digits(v: number, count: number): void {
    this.room(count);
    const s = this.scratch;
    const start = this.pos;
    let p = start + count;
    this.pos = p;
    while (p - start >= 2) {
      const q = (v / 100) | 0;
      const r = (v - q * 100) << 1;
      s[--p] = PAIRS[r + 1];
      s[--p] = PAIRS[r];
      v = q;
    }
    if (p > start) s[start] = 48 + v;
  }

  /** µXEM as XEM text with six decimals (xemNumber / formatXem). */
  private amount(name: 'received' | 'held' | 'balance', arr: Float64Array, i: number): void {
    const v = arr[i];
    if (!(v >= 0)) return this.text(v === v ? xemNumber(v) : formatXem(this.index.amount(name, arr, i)));
    let whole = Math.floor(v / 1_000_000); // v and whole × 10^6 are safe integers: the remainder below is exact
    let frac = v - whole * 1_000_000;
    if (frac < 0) {
      whole--;
      frac += 1_000_000;
    }
    this.int(whole);
    this.room(7);
    this.scratch[this.pos++] = 46; // '.'
    this.digits(frac | 0, 6);
  }
}

/** "00" … "99" as ASCII pairs: digits are written two at a time. */
const PAIRS = (() => {
  const t = new Uint8Array(200);
  for (let i = 0; i < 100; i++) {
    t[2 * i] = 48 + ((i / 10) | 0);
    t[2 * i + 1] = 48 + (i % 10);
  }
  return t;
})();

/** Two digits of `v` (0–99) at `p`. */
function pair(s: Uint8Array, p: number, v: number): void {
  s[p] = PAIRS[2 * v];
  s[p + 1] = PAIRS[2 * v + 1];
}

/** Decimal digits of a non-negative int32. */
function digitCount(v: number): number {
  if (v < 100_000) return v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10_000 ? 4 : 5;
  return v < 10_000_000 ? (v < 1_000_000 ? 6 : 7) : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
}

const KNOWN_NO_LABEL = bytes('","known":true,"label":null,"policies":{');
const EXIT_TRUE = bytes('true,"hops":');
const EXIT_FALSE = bytes('false,"hops":');
const RECEIVED = bytes(',"received":"');
const HELD = bytes('","held":"');
const BALANCE = bytes('","balance":"');
const SHARE = bytes('","share":');
const FIRST_TAINTED = bytes(',"firstTaintedAt":"');
const CLOSE = bytes('"}');
