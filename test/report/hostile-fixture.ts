/** The hostile corpus and a trace carrying it in labels, memos and the case title (hostile.test.ts, browser.test.ts). */
import type { TraceResult } from '../../src/taint/types.js';
import { A, MINI_CASE, MINI_LABELS, miniTrace, tx } from './fixture.js';

/** The corpus: what a stranger can put in a transfer message, a label file or a case file. */
export const HOSTILE = [
  '=HYPERLINK("http://evil.example/x","open evidence")',
  "+cmd|' /C calc'!A0",
  '-2+3+cmd|x',
  '@SUM(1+1)*cmd|x',
  '\t=1+1',
  '\r=1+1',
  '\uff1d1+1',
  'invoice\u202Egnp.exe',
  'a\u2066b\u2069c\u200Fd\u061Ce\u200Bf\uFEFF',
  '\u001b[2J\u001b]0;pwned\u0007title',
  'ctl\u0000\u0001\u0008\u000B\u000C\u007F\u0085\u009B end',
  'line\nbreak\r\nand\u2028sep',
  '</script><script>alert(1)</script><img src=x onerror=alert(2)>',
  '[open](javascript:alert(1)) ![i](http://evil.example/i.png) <b>bold</b> | cell | &amp; ~~s~~ # h',
  ']]><!-- --><?xml x?>&lt;"\'',
  `${'L'.repeat(20_000)}\u202E`,
  'lone \uD800 high',
  'lone \uDC00 low',
  'pair \uD83D\uDE00 ok',
];

/** The case title: bidi and escapes first, so the terminal's truncated title still holds them. */
export const TITLE = [...HOSTILE.slice(7), ...HOSTILE.slice(0, 7)].join(' · ');

/** Characters no output may carry raw (safe-text.ts ACTIVE), as a test of its own. */

export const RAW_ACTIVE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const FORMULA = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

export function hostileTrace(): TraceResult {
  const labels = MINI_LABELS.map((l, i) => ({ ...l, label: HOSTILE[i % HOSTILE.length] + (i >= HOSTILE.length ? '' : ` #${i}`) }));
  const memo = (i: number) => HOSTILE[i % HOSTILE.length];
  const t0 = 89_304_948;
  const transfers = [
    tx(1_445_400, t0, A.coincheck, A.thief, 10, { h: 'a'.repeat(64) }),
    tx(1_445_402, t0 + 120, A.coincheck, A.thief, 100_000_000, { h: 'b'.repeat(64) }),
    tx(1_445_600, t0 + 10_000, A.thief, A.split1, 60_000_000, { message: memo(0) }),
    tx(1_445_601, t0 + 10_060, A.thief, A.split2, 39_000_000, { message: memo(1) }),
    ...HOSTILE.map((_, i) =>
      tx(1_460_000 + i, t0 + 1_000_000 + i * 60, i % 2 ? A.split1 : A.split2, [A.darkweb, A.binance, A.yobit][i % 3], 1_000 + i, {
        message: memo(i),
      }),
    ),
  ];
  return miniTrace({ case: { ...MINI_CASE, title: TITLE }, labels, transfers, seedHashes: ['a'.repeat(64), 'b'.repeat(64)] });
}
