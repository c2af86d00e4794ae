/**
 * The one home of the rules that make outside text — transfer messages (memos), labels, case
 * titles: anything a stranger can write — inert for whoever reads an output.
 *
 * - `visible(s)`: characters that act instead of showing are shown as escapes (`\u202E`): C0 and C1
 *   controls (ESC, so no terminal sequences; CR, LF and tab too), DEL, bidi controls (U+061C,
 *   U+200E/F, U+202A–U+202E, U+2066–U+2069: `gnp.exe` cannot pose as `exe.png`), invisible format
 *   characters (U+200B–U+200D, U+2060, U+FEFF), line and paragraph separators, U+FFFE/U+FFFF, and
 *   lone surrogates (invalid UTF-16). Used by every writer: CSV, Markdown, terminal, HTML, XML.
 * - `csvCell(s)`: `visible`, and a cell starting with `=`, `+`, `-`, `@`, tab or CR — or their
 *   full-width forms — gets a leading `'` so spreadsheets show a formula as text (OWASP CSV injection).
 * - `xmlText(s)`: `visible`, so no character XML 1.0 forbids is left, then the five XML escapes.
 * - `mdText(s)`: `visible` (so on one line), then the Markdown metacharacters that act inside a
 *   line backslash-escaped — `\ \` * _ { } [ ] < > | & ~ #`: no link, image, HTML tag, entity or
 *   table break can be smuggled in (amounts and dates pass unchanged).
 * - `htmlText(s)`: `visible`, then the five HTML escapes.
 *
 * JSON (report.json, the HTTP API) keeps the text as it was: its readers are programs, and
 * JSON.stringify escapes controls and lone surrogates itself.
 */

const ACTIVE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escape = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Controls, bidi and invisible characters and lone surrogates shown as `\uXXXX`. */
export function visible(s: string): string {
  return s.replace(ACTIVE, escape);
}

/** First characters that make a spreadsheet cell a formula (and their full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** The text of one CSV cell: visible, and never a formula. (Quoting is the CSV writer's.) */
export function csvCell(s: string): string {
  const v = visible(s);
  return FORMULA_START.test(s) || FORMULA_START.test(v) ? `'${v}` : v;
}

/** Text that neither `visible` nor an XML escape would change (surrogates, even paired, are left to the full rule). */
const XML_PLAIN = /^[^&<>"'\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff\ud800-\udfff]*$/;

/** Whether `s` is written into XML as it is (the fast path of the XML writers: one scan). */
export const xmlPlain = (s: string): boolean => XML_PLAIN.test(s);

/** Text for an XML element or attribute: visible (so nothing XML 1.0 forbids remains), escaped. */
export function xmlText(s: string): string {
  if (XML_PLAIN.test(s)) return s;
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Text for HTML content or an attribute value: visible, escaped. */
export function htmlText(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Text for Markdown (a table cell or a line): visible, on one line, every metacharacter escaped. */
export function mdText(s: string): string {
  return visible(s).replace(/[\\`*_{}[\]<>|&~#]/g, '\\$&');
}

/** A copy of a flat record with every string value made `visible` (for writers that escape only XML's five). */
export function visibleValues<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = typeof v === 'string' ? visible(v) : v;
  return out as T;
}

/**
 * JSON-like data with every string value (not key) made `visible`: the HTML page's data. Copy on write: an array or
 * plain object none of whose strings changed is returned as it is (the page's data is mostly numbers and hashes), a
 * changed one is copied; the input is never modified.
 */
export function visibleDeep<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = visibleDeep(value[i]);
      if (out === undefined && v !== value[i]) out = value.slice(0, i);
      if (out !== undefined) out.push(v);
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    const plain = proto === Object.prototype || proto === null;
    const record = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined = plain ? undefined : {};
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) {
      const was = record[keys[i]];
      const v: unknown = visibleDeep(was);
      if (out === undefined && v !== was) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = record[keys[j]];
      }
      if (out !== undefined) out[keys[i]] = v;
    }
    return (out ?? value) as T;
  }
  return value;
}
