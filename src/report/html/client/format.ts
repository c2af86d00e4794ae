/** Number and text formats of the report page's client. */

export const groupInt = (s: string): string => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "168197405.343966" → "168,197,405.343966" */
export const fmtXem = (x: string): string => {
  const [w, d] = x.split('.');
  return `${groupInt(w)}.${d}`;
};

/** number (XEM) → "168.2M" */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(a >= 1e10 ? 1 : 2)}B`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 1 : 2)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(a >= 1e4 ? 1 : 2)}k`;
  return v.toFixed(a >= 10 ? 0 : 2);
}

export const short = (a: string): string => `${a.slice(0, 6)}…${a.slice(-4)}`;

/** Graph labels stay short (the panel shows the full name): at most n characters, cut at a word. */
export const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n).replace(/[\s(;,:-]+\S*$/, '')}…`);

export const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
