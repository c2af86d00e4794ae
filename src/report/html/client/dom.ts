/** DOM helpers of the report page's client: queries and element builders (styles via CSSOM, for the page's CSP). */

const SVGNS = 'http://www.w3.org/2000/svg';
type Attrs = Record<string, string | number | boolean | null | undefined>;

export const $ = <T extends Element = HTMLElement>(sel: string): T => {
  const n = document.querySelector<T>(sel);
  if (n === null) throw new Error(`report page: ${sel} is missing`);
  return n;
};
export const $$ = <T extends Element = HTMLElement>(sel: string): T[] => Array.from(document.querySelectorAll<T>(sel));

/** An HTML element; `class`, `text` and `style` (CSSOM: a style attribute would need CSP 'unsafe-inline') are special. */
export function el(tag: string, attrs: Attrs = {}, ...kids: (Node | string | null | undefined)[]): HTMLElement {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') n.className = String(v);
    else if (k === 'text') n.textContent = String(v);
    else if (k === 'style') n.style.cssText = String(v);
    else n.setAttribute(k, String(v));
  }
  for (const k of kids) if (k !== null && k !== undefined) n.append(k);
  return n;
}

/** An SVG element with attributes and optional text. */
export function svg(tag: string, attrs: Attrs = {}, text?: string): SVGElement {
  const n = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}
