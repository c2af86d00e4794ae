/**
 * Account answers written as bytes: `AccountBytes#answer(address)` is the UTF-8 of `accountJson(index,
 * address)` (json.ts), itself byte for byte `JSON.stringify(accountView(index, address))` — written from the
 * packed arrays (packed.ts) straight into one reused scratch Buffer, then copied out. The parts every answer
 * of an index shares are rendered once per index, as bytes: the keys, each policy's opening and its untouched
 * body, the labels, the `asOf` tail; digits are written by arithmetic. No string is built per answer (a string
 * answer costs a rope of ~60 pieces, its flattening and a UTF-8 encoding), no object per policy.
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
  /** The date part `"YYYY-MM-DDT` of the last day written, as bytes. */
  private lastDay = Number.NaN;
  private lastDate: Buffer = Buffer.alloc(0);

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
      this.text(a.isExit[s] === 1 ? 'true' : 'false');
      this.text(',"hops":');
      this.int(a.hops[s]);
      this.text(',"received":"');
      this.amount('received', a.received, s);
      this.text('","held":"');
      this.amount('held', a.held, s);
      this.text('","balance":"');
      this.amount('balance', a.balance, s);
      this.text('","share":');
      const held = a.held[s];
      const balance = a.balance[s];
      let share: number;
      if (this.poison[i]) share = (balance === balance ? balance > 0 : index.balance(s) > 0n) ? 1 : 0;
      else share = held === held && balance === balance ? shareOf(held, balance) : shareNumber(index.held(s), index.balance(s));
      this.share(share);
      this.text(',"firstTaintedAt":"');
      this.iso(a.firstTaintedAt[s]);
      this.text('"}');
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
    let v = q;
    while (v % 10 === 0) {
      v = v / 10;
      digits--;
    }
    this.room(2 + digits);
    const s = this.scratch;
    s[this.pos] = 48; // '0'
    s[this.pos + 1] = 46; // '.'
    let p = this.pos + 2 + digits;
    this.pos = p;
    for (let k = 0; k < digits; k++) {
      const d = (v / 10) | 0;
      s[--p] = 48 + v - d * 10;
      v = d;
    }
  }

  /** nemToIso of a NEM timestamp (isoOfNem): the day's date part cached as bytes, the time of day as digits. */
  private iso(ts: number): void {
    const unix = nemToUnix(ts);
    const day = Math.floor(unix / 86_400);
    if (!Number.isSafeInteger(unix) || day < 0 || day > 2_932_896) return this.text(isoOfNem(ts)); // before 1970, after 9999
    if (day !== this.lastDay) {
      this.lastDate = Buffer.from(isoOfNem(ts).slice(0, 11), 'latin1');
      this.lastDay = day;
    }
    this.put(this.lastDate);
    const sec = unix - day * 86_400;
    this.room(12);
    const s = this.scratch;
    const p = this.pos;
    const h = (sec / 3600) | 0;
    const m = ((sec - h * 3600) / 60) | 0;
    const x = sec - h * 3600 - m * 60;
    s[p] = 48 + ((h / 10) | 0);
    s[p + 1] = 48 + (h % 10);
    s[p + 2] = 58; // ':'
    s[p + 3] = 48 + ((m / 10) | 0);
    s[p + 4] = 48 + (m % 10);
    s[p + 5] = 58;
    s[p + 6] = 48 + ((x / 10) | 0);
    s[p + 7] = 48 + (x % 10);
    s[p + 8] = 46; // '.'
    s[p + 9] = 48;
    s[p + 10] = 48;
    s[p + 11] = 48;
    this.pos = p + 12;
    this.text('Z');
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

  /** ASCII text (the callers' texts are digits, punctuation and base32). */
  private text(t: string): void {
    this.room(t.length);
    const s = this.scratch;
    let p = this.pos;
    for (let k = 0; k < t.length; k++) s[p++] = t.charCodeAt(k);
    this.pos = p;
  }

  /** A safe integer in decimal (int32 arithmetic below 2^31, the number's own text above). */
  private int(n: number): void {
    if (!(n >= 0 && n < 0x80000000)) return this.text('' + n);
    let v = n | 0;
    let digits = 1;
    for (let d = v; d >= 10; d = (d / 10) | 0) digits++;
    this.room(digits);
    const s = this.scratch;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = (v / 10) | 0;
      s[--p] = 48 + v - q * 10;
      v = q;
    } while (v > 0);
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
    const s = this.scratch;
    let p = this.pos + 7;
    this.pos = p;
    let f = frac | 0;
    for (let k = 0; k < 6; k++) {
      const q = (f / 10) | 0;
      s[--p] = 48 + f - q * 10;
      f = q;
    }
    s[p - 1] = 46; // '.'
  }
}

const KNOWN_NO_LABEL = bytes('","known":true,"label":null,"policies":{');
