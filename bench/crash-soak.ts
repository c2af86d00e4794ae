/**
 * Crash soak (issue 9 item 8): the crawl CLI SIGKILLed hundreds of times at seeded random moments,
 * in rounds on fresh stores; after each round's kills one uninterrupted run must leave exactly the
 * transfers of an uninterrupted crawl — none lost, none extra, the same digest.
 *
 *   npm run build && npx tsx bench/crash-soak.ts [--kills 200] [--per-round 25] [--seed 1]
 *
 * The child is the built CLI (`node dist/cli/main.js crawl …`, what a user runs) against the
 * Coincheck scenario on a fixture node in this process; the kill loop is test/crawl/kill-loop.ts
 * (the crash test's). Prints kills, rounds, lost and extra transfers; writes bench/results/crash-soak.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crawl } from '../src/crawl/index.js';
import { startFixtureNode } from '../src/fixture/node/index.js';
import { openStore } from '../src/store/index.js';
import { scenarioCase, tempRoot } from '../test/crawl/helpers.js';
import { cliCrawl, killLoop } from '../test/crawl/kill-loop.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const kills = Number(flag('kills', '200'));
const perRound = Number(flag('per-round', '25'));
const seed = Number(flag('seed', '1'));

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const cli = join(here, '..', 'dist', 'cli', 'main.js');
  if (!existsSync(cli)) throw new Error('build first: npm run build');
  const root = tempRoot('tt-soak-');
  const cc = await scenarioCase('coincheck', root.sub('case'));
  const node = await startFixtureNode({ scenario: cc.bundle.scenario, port: 0 });
  const t0 = performance.now();
  const rounds: Array<{ round: number; kills: number; lost: number; extra: number; digestOk: boolean }> = [];
  try {
    const store = await openStore(root.sub('clean'));
    const clean = await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, rate: 1e6 });
    await store.close();
    const command = cliCrawl(node, cc.caseFile, [cli]);
    let total = 0;
    for (let round = 0; total < kills; round++) {
      const db = root.sub(`db-${round}`);
      const r = await killLoop(node, command, db, seed * 1000 + round, Math.min(perRound, kills - total));
      total += r.kills;
      const s = await openStore(db, { readOnly: true });
      const stored = new Set((await s.loadTransfers()).map((t) => t.hash));
      await s.close();
      const lost = [...cc.expected.hashes].filter((h) => !stored.has(h)).length;
      const extra = [...stored].filter((h) => !cc.expected.hashes.has(h)).length + (r.final.transfers - stored.size);
      rounds.push({ round, kills: r.kills, lost, extra, digestOk: r.final.digest === clean.stats.digest });
      process.stdout.write(
        `round ${round}: ${r.kills} kills (${total} in all), lost ${lost}, extra ${extra}, ` +
          `digest ${r.final.digest === clean.stats.digest ? 'same' : 'DIFFERENT'}\n`,
      );
    }
    const lost = rounds.reduce((a, r) => a + r.lost, 0);
    const extra = rounds.reduce((a, r) => a + r.extra, 0);
    const bad = rounds.filter((r) => !r.digestOk).length;
    const minutes = (performance.now() - t0) / 60_000;
    process.stdout.write(
      `\n${total} SIGKILLs in ${rounds.length} rounds (${minutes.toFixed(1)} min): ${lost} transfers lost, ${extra} extra, ${bad} ` +
        `rounds with another digest\n`,
    );
    const out = join(here, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, 'crash-soak.json'),
      `${JSON.stringify({ kills: total, perRound, seed, lost, extra, badRounds: bad, minutes: +minutes.toFixed(1), rounds }, null, 2)}\n`,
    );
    if (lost + extra + bad > 0) process.exitCode = 1;
  } finally {
    await node.close();
    root.remove();
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
