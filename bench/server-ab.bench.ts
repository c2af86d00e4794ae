/**
 * The lookup and screening routes of this tree against those of another tree (an earlier commit), in one
 * process, alternating: server CPU per request through fastify's `inject` (no sockets: the HTTP work the two
 * share is left out, so the routes' own differences show on a shared machine where wrk's req/s swing by 2–4×).
 *
 *   git archive <commit> src fixtures package.json | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
 *   npx tsx bench/server-ab.bench.ts --before /tmp/before [--mode account|screen] [--rounds 30]
 *
 * Each tree builds the bench's seeded 100,000-account synthetic index with its own code and serves it with the
 * default options behind a loopback proxy (X-Forwarded-For from 5,000 clients, as bench/server.bench.ts); a
 * round sends 400 account lookups (random addresses) or 2 screenings of 1,000 deposits (half with a time) to
 * each; the first 3 rounds warm up. Prints medians and the median of the per-round ratios; the screening
 * answers of the two trees are compared byte for byte.
 */
import { resolve } from 'node:path';
import * as current from '../src/server/build.js';
import * as currentIndex from '../src/fixture/synthetic-index.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const before = arg('before', '');
if (!before) throw new Error('--before DIR: a tree of an earlier commit (see the header)');
const mode = arg('mode', 'account');
const ROUNDS = Number(arg('rounds', '30'));

type Build = typeof current;
type Synthetic = typeof currentIndex;
const old = (await import(resolve(before, 'src/server/build.ts'))) as Build;
const oldIndex = (await import(resolve(before, 'src/fixture/synthetic-index.ts'))) as Synthetic;
const serve = (b: Build, i: Synthetic) =>
  b.buildServer({ index: i.syntheticTaintIndex({ accounts: 100_000, seed: 7 }).index, trustProxy: 'loopback' });
const servers = { before: serve(old, oldIndex), after: serve(current, currentIndex) };
await Promise.all(Object.values(servers).map((s) => s.ready()));

const list = currentIndex.syntheticAddresses(100_000);
let seed = 0x9e3779b9;
const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const pick = () => list[Math.floor(next() * list.length)];
const deposits = Array.from({ length: 1000 }, (_, i) => ({
  from: pick(),
  amount: `${1 + (i % 997)}.${String(i).padStart(6, '0')}`,
  ...(i % 2 ? { time: '2018-02-07T00:00:00Z' } : {}),
}));
const body = JSON.stringify({ deposits });
const perRound = mode === 'account' ? 400 : 2;
const cpu: Record<string, number[]> = { before: [], after: [] };
const answers: Record<string, string> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [tree, app] of Object.entries(servers)) {
    const picks = Array.from({ length: perRound }, () => [pick(), Math.floor(next() * 5000)] as const);
    const t = process.cpuUsage();
    for (const [address, client] of picks) {
      const x =
        mode === 'account'
          ? await app.inject({
              method: 'GET',
              url: `/v1/accounts/${address}`,
              headers: { 'x-forwarded-for': `10.0.${client >> 8}.${client & 255}` },
              remoteAddress: '127.0.0.1',
            })
          : await app.inject({ method: 'POST', url: '/v1/screen', payload: body, headers: { 'content-type': 'application/json' } });
      if (x.statusCode !== 200) throw new Error(`${tree}: ${x.statusCode} ${x.body.slice(0, 200)}`);
      if (mode === 'screen') answers[tree] = x.body;
    }
    const used = process.cpuUsage(t);
    if (round >= 3) cpu[tree].push((used.user + used.system) / perRound);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(
  `${mode}: server CPU µs per request (inject), medians of ${ROUNDS - 3} rounds: before ${median(cpu.before).toFixed(0)}, ` +
    `after ${median(cpu.after).toFixed(0)}, after/before ${median(cpu.after.map((x, i) => x / cpu.before[i])).toFixed(3)}` +
    (mode === 'screen' ? `; answers ${answers.before === answers.after ? 'identical' : 'DIFFER'}` : ''),
);
process.exit(0);
