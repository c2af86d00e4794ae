/**
 * transfers.csv writer: ours (src/report/csv.ts csvLine → safe-text.ts csvCell) against csv-stringify, same
 * run, on the same rows — speed and correctness (issue 13: keep whichever wins on both).
 *
 *   npx tsx bench/csv.bench.ts [--rows 100000] [--rounds 5] [--seed 7]
 *
 * Rows: the transfers.csv columns of a seeded synthetic chain; one message in ten is taken from a hostile
 * corpus (formulas, full-width formulas, bidi overrides, terminal escapes, controls, lone surrogates).
 * Writers, interleaved per round, medians:
 *  - ours: csvLine per row (every text cell through csvCell: visible escapes, `'` before a formula);
 *  - csv-stringify: `stringify(rows, { escape_formulas: true, record_delimiter: 'windows' })`, its own
 *    formula rule alone (no control or bidi handling);
 *  - csv-stringify + visible: the same with every string cast through our `visible` first.
 * Correctness: each output parsed back with csv-parse, every cell compared with the safe rule's text
 * (csvCell of the input): the count of cells that differ (0 = as safe as ours).
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { csvLine } from '../src/report/csv.js';
import { csvCell, visible } from '../src/report/safe-text.js';
import { mulberry32, syntheticChain, syntheticTransfer } from '../src/fixture/synthetic.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROWS = flag('rows', 100_000);
const ROUNDS = flag('rounds', 5);
const SEED = flag('seed', 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const HOSTILE = [
  '=HYPERLINK("http://evil.example","open evidence")',
  '+1+1',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=1',
  '\r=1',
  '＝1+1', // full-width equals
  'invoice\u202Egnp.exe',
  '\u001b[2J\u001b]0;pwned\u0007',
  'nul\u0000byte',
  'lone \ud800 surrogate',
  'line\nbreak, "quoted"',
];

const chain = syntheticChain({ transfers: ROWS, seed: SEED });
const rng = mulberry32(SEED);
const rows: string[][] = [];
for (let k = 0; k < chain.n; k++) {
  const t = syntheticTransfer(chain, k);
  const message = rng() < 0.1 ? HOSTILE[Math.floor(rng() * HOSTILE.length)] : `deposit ${k % 977}`;
  rows.push([t.hash, String(t.height), t.time, t.sender, t.recipient, (t.amount / 1e6).toFixed(6), message, rng() < 0.5 ? '' : '1.000000']);
}
const safe = rows.map((r) => r.map((c) => csvCell(c)));

const writers: Record<string, () => string> = {
  ours: () => rows.map((r) => csvLine(r)).join(''),
  'csv-stringify': () => stringify(rows, { escape_formulas: true, record_delimiter: 'windows' }),
  'csv-stringify + visible': () =>
    stringify(rows, { escape_formulas: true, record_delimiter: 'windows', cast: { string: (s: string) => visible(s) } }),
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(writers).map((k) => [k, []]));
const outputs: Record<string, string> = {};
for (const w of Object.values(writers)) w(); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  const names = r % 2 === 0 ? Object.keys(writers) : Object.keys(writers).reverse();
  for (const name of names) {
    const t0 = performance.now();
    outputs[name] = writers[name]();
    times[name].push(performance.now() - t0);
  }
}
const ours = median(times.ours);
process.stdout.write(`transfers.csv of ${ROWS.toLocaleString('en-US')} rows (1 in 10 messages hostile), ${ROUNDS} rounds, medians:\n`);
for (const name of Object.keys(writers)) {
  const back: string[][] = parse(outputs[name], { relax_column_count: true });
  let unsafe = 0;
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < rows[i].length; j++) if (back[i]?.[j] !== safe[i][j]) unsafe++;
  const ms = median(times[name]);
  process.stdout.write(
    `  ${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  ${((ms / ours) * 100).toFixed(0).padStart(4)} % of ours' time  ` +
      `${String(unsafe).padStart(6)} cells differ from the safe rule\n`,
  );
}
