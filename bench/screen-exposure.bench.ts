/**
 * Screening with and without exposure, same run: POST /v1/screen (buildServer, in-process `inject`)
 * over a seeded synthetic chain traced into a taint index, the served exposure source loaded from a
 * LevelDB store of the same chain (as `tainttrace serve` loads it). One batch of `deposits` senders
 * (users that received transfers, seeded pick) is screened three ways, interleaved round by round:
 *
 *  - plain:          no deposit asks exposure (the path every screening took before exposure);
 *  - flag false:     every deposit says `exposure: false` (the plain path through the new field);
 *  - exposure:       every deposit says `exposure: true` (each sender's exposure as of the deposit,
 *                    default options: 4 hops, the default risky categories, 10 ranked sources).
 *
 *   npx tsx --expose-gc bench/screen-exposure.bench.ts [--transfers 10000] [--deposits 10] [--rounds 5] [--seed 7]
 *
 * Figures: medians over the rounds (a plain timing is the mean of 100 requests; the order of the variants
 * alternates by round), per request and per deposit; ratios against plain. The per-request
 * cap is raised to the whole chain for the bench (its default, 200,000 transfers, is a server limit,
 * not a cost). Results go to bench/results/screen-exposure.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConeSource } from '../src/exposure/index.js';
import { mulberry32, syntheticChain, syntheticTransfers } from '../src/fixture/synthetic.js';
import { buildTaintIndex } from '../src/screen/index.js';
import { buildServer } from '../src/server/index.js';
import { openStore } from '../src/store/index.js';
import { runTrace } from '../src/taint/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TRANSFERS = flag('transfers', 10_000);
const DEPOSITS = flag('deposits', 10);
const ROUNDS = flag('rounds', 5);
const SEED = flag('seed', 7);
const REPS = 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const root = mkdtempSync(join(tmpdir(), 'tt-bench-screen-exposure-'));
try {
  const chain = syntheticChain({ transfers: TRANSFERS, seed: SEED });
  const { transfers, labels, caseSpec } = syntheticTransfers(chain);
  const store = await openStore(join(root, 'store'));
  for (let i = 0; i < transfers.length; i += 4096) await store.writeBatch({ transfers: transfers.slice(i, i + 4096) });
  await store.putLabels(labels.values());
  const source = await loadConeSource(store);
  await store.close();
  const tipHeight = Math.max(...transfers.map((t) => t.height));
  const index = buildTaintIndex(runTrace({ transfers, caseSpec, labels, storeDigest: 'bench', tipHeight, engineVersion: 'bench' }));

  const users = [...new Set(transfers.filter((t) => !labels.has(t.recipient)).map((t) => t.recipient))].sort();
  const rng = mulberry32(SEED);
  const senders = Array.from({ length: DEPOSITS }, () => users[Math.floor(rng() * users.length)]);
  const batch = (exposure: boolean | undefined) =>
    senders.map((from, i) => ({ from, amount: `${1 + i}.5`, ...(exposure === undefined ? {} : { exposure }) }));
  const variants = { plain: batch(undefined), flagFalse: batch(false), exposure: batch(true) };

  const app = buildServer({ index, exposure: source, rateLimit: false, limits: { exposureTransfers: TRANSFERS * DEPOSITS } });
  const run = async (deposits: object[]) => {
    const t0 = performance.now();
    const res = await app.inject({ method: 'POST', url: '/v1/screen', payload: { deposits } });
    const ms = performance.now() - t0;
    if (res.statusCode !== 200) throw new Error(`screen answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    return { ms, bytes: res.rawPayload.length };
  };
  // plain batches are fast: each timing is the mean of REPS requests
  for (let i = 0; i < REPS; i++) await run(variants.plain); // warm-up
  await run(variants.exposure);
  const times: Record<keyof typeof variants, number[]> = { plain: [], flagFalse: [], exposure: [] };
  const bytes: Record<string, number> = {};
  const names = Object.keys(variants) as (keyof typeof variants)[];
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      gc();
      const n = name === 'exposure' ? 1 : REPS;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const { ms, bytes: b } = await run(variants[name]);
        total += ms;
        bytes[name] = b;
      }
      times[name].push(total / n);
    }
  }
  await app.close();

  const row = (name: keyof typeof variants) => ({
    msPerRequest: Math.round(median(times[name]) * 100) / 100,
    usPerDeposit: Math.round((median(times[name]) / DEPOSITS) * 1000),
    answerBytes: bytes[name],
    vsPlain: Math.round((median(times[name]) / median(times.plain)) * 100) / 100,
  });
  const result = {
    date: new Date().toISOString(),
    transfers: TRANSFERS,
    deposits: DEPOSITS,
    rounds: ROUNDS,
    seed: SEED,
    loadAverage: loadavg()[0],
    plain: row('plain'),
    flagFalse: row('flagFalse'),
    exposure: row('exposure'),
  };
  for (const name of Object.keys(variants) as (keyof typeof variants)[]) {
    const x = result[name];
    process.stdout.write(
      `${name.padEnd(10)} ${String(x.msPerRequest).padStart(10)} ms/request  ${String(x.usPerDeposit).padStart(9)} µs/deposit  ` +
        `${String(x.answerBytes).padStart(9)} bytes  ${x.vsPlain}× plain\n`,
    );
  }
  process.stdout.write(`(${TRANSFERS} transfers, ${DEPOSITS} deposits per batch, ${ROUNDS} rounds, load average ${result.loadAverage})\n`);
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'screen-exposure.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
