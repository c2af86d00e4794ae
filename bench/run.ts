/**
 * `npm run bench [-- name…]`: runs the benchmarks one after another, each in its own process (so one
 * bench's heap and JIT state never colour the next), and prints their output. Each bench measures
 * its own baseline in the same run and reports ratios (the machines are shared and noisy).
 *
 *   npm run bench                 # all of them, default sizes
 *   npm run bench -- taint store  # only these
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const wanted = process.argv.slice(2);
const chosen = wanted.length === 0 ? all : all.filter((f) => wanted.includes(f.replace(/\.bench\.ts$/, '')));
if (chosen.length === 0) {
  process.stderr.write(`bench: nothing matches ${wanted.join(', ')}; known: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const file of chosen) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
