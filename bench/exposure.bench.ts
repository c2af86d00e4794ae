/**
 * Exposure benchmark: latency of `exposure(store, address)` (library defaults: 4 hops, the default
 * risky categories, 10 ranked sources) on seeded synthetic chains whose upstream cones hold about 1 k,
 * 10 k and 100 k transfers, from a LevelDB store — against, in the same run, the forward trace of the
 * same cone (one runTrace over the cone's transfers, seeded with the case's theft transfers, every
 * account assembled): the ratio is what the store reads, the graphology cone and the extra sweeps
 * (all categories, each category, each ranked source) cost on top of one exact pass.
 *
 *   npx tsx --expose-gc bench/exposure.bench.ts [--sizes 1000,10000,100000] [--seed 7] [--rounds 3]
 *
 * The address is the synthetic user that received the most transfers; each figure is the median of
 * `rounds`, interleaved (exposure, forward, exposure, …). Results go to bench/results/exposure.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exposureFrom, gatherCone, storeConeSource, upstreamCone } from '../src/exposure/index.js';
import { syntheticChain, syntheticTransfers } from '../src/fixture/synthetic.js';
import { openStore } from '../src/store/index.js';
import { runTrace } from '../src/taint/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const sizes = flag('sizes', '1000,10000,100000').split(',').map(Number);
const seed = Number(flag('seed', '7'));
const rounds = Number(flag('rounds', '3'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const rows: Record<string, unknown>[] = [];
const root = mkdtempSync(join(tmpdir(), 'tt-bench-exposure-'));
try {
  for (const size of sizes) {
    // a chain a few times the cone: the cone of a busy user within 4 hops is most of a random chain
    const chain = syntheticChain({ transfers: size, seed });
    const { transfers, labels, caseSpec } = syntheticTransfers(chain);
    const store = await openStore(join(root, `store-${size}`));
    for (let i = 0; i < transfers.length; i += 1000) await store.writeBatch({ transfers: transfers.slice(i, i + 1000) });
    await store.putLabels(labels.values());
    const received = new Map<string, number>();
    for (const t of transfers) if (!labels.has(t.recipient)) received.set(t.recipient, (received.get(t.recipient) ?? 0) + 1);
    const address = [...received].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];

    // the cone, as exposure gathers it; the forward trace of the same transfers is the baseline
    const source = await storeConeSource(store);
    const { graph, transfers: gathered } = await gatherCone(source, address, 4, null);
    const depth = upstreamCone(graph, address, 4);
    const cone = gathered.filter((t) => depth.has(t.sender) || depth.has(t.recipient));
    const coneHashes = new Set(cone.map((t) => t.hash));
    const seeds = caseSpec.seeds.filter((s) => 'hash' in s && coneHashes.has(s.hash));
    const forwardCase = { ...caseSpec, seeds: seeds.length > 0 ? seeds : caseSpec.seeds.slice(0, 1) };
    const forwardTransfers =
      seeds.length > 0 ? cone : [...cone, ...transfers.filter((t) => t.hash === (caseSpec.seeds[0] as { hash: string }).hash)];

    const tExposure: number[] = [];
    const tForward: number[] = [];
    let result = await exposureFrom(await storeConeSource(store), address); // warm-up
    runTrace({ transfers: forwardTransfers, caseSpec: forwardCase, labels, storeDigest: '', tipHeight: 0, engineVersion: 'bench' });
    for (let r = 0; r < rounds; r++) {
      gc();
      let t0 = performance.now();
      result = await exposureFrom(await storeConeSource(store), address);
      tExposure.push(performance.now() - t0);
      gc();
      t0 = performance.now();
      runTrace({ transfers: forwardTransfers, caseSpec: forwardCase, labels, storeDigest: '', tipHeight: 0, engineVersion: 'bench' });
      tForward.push(performance.now() - t0);
    }
    await store.close();
    const row = {
      chain: size,
      coneTransfers: result.cone.transfers,
      coneAccounts: result.cone.accounts,
      sources: result.cone.sources,
      rankedSources: result.sources.filter((s) => s.exposure !== null).length,
      exposureMs: Math.round(median(tExposure) * 10) / 10,
      forwardMs: Math.round(median(tForward) * 10) / 10,
      ratio: Math.round((median(tExposure) / median(tForward)) * 10) / 10,
      haircutShare: result.policies.haircut!.share,
    };
    rows.push(row);
    process.stdout.write(
      `chain ${size}: cone ${row.coneTransfers} transfers / ${row.coneAccounts} accounts, ${row.sources} sources ` +
        `(${row.rankedSources} ranked): ` +
        `exposure ${row.exposureMs} ms, forward trace of the cone ${row.forwardMs} ms, ratio ${row.ratio}×\n`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'exposure.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), seed, rounds, rows }, null, 2)}\n`);
