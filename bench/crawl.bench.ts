/**
 * Crawl benchmark: end-to-end crawl throughput against the fixture node on loopback, with its
 * baseline measured in the same run — the raw page-fetch rate of the same requests (same node,
 * same undici client settings, same concurrency, JSON-parsed, nothing validated or stored). The
 * ratio is what validation, reach bookkeeping and the synced atomic batches cost. The same run also
 * crawls without signature verification (an injected verifier that accepts everything — never an
 * option a user gets), so the cost of verification is measured against the same node and moment;
 * each verified crawl gets a fresh SignatureVerifier (no signature cached from an earlier run).
 *
 *   npx tsx bench/crawl.bench.ts [--background 1500] [--buyers 120] [--seed 20180126] [--concurrency 4] [--runs 3]
 *
 * The scenario is the generated Coincheck case (bigger with --background / --buyers). The request
 * list for the baseline is taken from the crawl itself (every list page the crawl fetched), so both
 * sides make exactly the same requests. Prints a table (transfers/s, requests/s, ratio to the raw
 * fetch rate) and where the crawl's time went (summed request time, validation, synced writes, group
 * commit size); results go to bench/results/crawl.json. The fixture node runs in this process, so
 * its work shares the thread with the crawl (and with the baseline) — as a loopback node would
 * share the machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { crawl, type CrawlTimings } from '../src/crawl/index.js';
import { NodeClient } from '../src/crawl/client.js';
import { generateCoincheckScenario } from '../src/fixture/coincheck/index.js';
import { startFixtureNode } from '../src/fixture/node/index.js';
import { parseLabels } from '../src/labels/index.js';
import { openStore } from '../src/store/index.js';
import { parseCase } from '../src/labels/case.js';
import { SignatureVerifier } from '../src/nem/verify-pool.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const background = Number(flag('background', '1500'));
const buyers = Number(flag('buyers', '120'));
const seed = Number(flag('seed', '20180126'));
const concurrency = Number(flag('concurrency', '4'));
const runs = Number(flag('runs', '3'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  let t = performance.now();
  const bundle = generateCoincheckScenario({ seed, buyers, backgroundTransfers: background });
  const caseSpec = parseCase(bundle.caseJson, 'case.json');
  const labels = parseLabels(bundle.labelsYaml, 'labels.yaml');
  process.stdout.write(
    `scenario: coincheck seed ${seed}, ${bundle.scenario.txs.length} txs (${Math.round(performance.now() - t)} ms); ` +
      `concurrency ${concurrency}, runs ${runs}\n`,
  );

  // Record every path the crawl asks for, to replay them in the baseline.
  const node = await startFixtureNode({ scenario: bundle.scenario, port: 0 });
  const root = mkdtempSync(join(tmpdir(), 'tt-crawl-bench-'));
  const crawlMs: number[] = [];
  const timings: CrawlTimings[] = [];
  const busy: number[] = [];
  const rawMs: number[] = [];
  const unverifiedMs: number[] = [];
  let transfers = 0;
  let requests = 0;
  let digest = '';
  const paths: string[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const store = await openStore(join(root, `db${r}`));
      t = performance.now();
      const elu = performance.eventLoopUtilization();
      const verifier = new SignatureVerifier();
      const s = await crawl({
        nodes: [node.url],
        store,
        caseSpec,
        labels,
        concurrency,
        rate: 1e6,
        verifier,
        onTimings: (tm) => timings.push(tm),
      });
      crawlMs.push(performance.now() - t);
      await verifier.close();
      busy.push(performance.eventLoopUtilization(elu).utilization);
      transfers = s.stats.transfers;
      requests = s.requests;
      if (digest && s.stats.digest !== digest) throw new Error('digest differs between runs');
      digest = s.stats.digest;
      if (r === 0) {
        // The crawl's requests: /chain/height, the seed window pages, every page of each expanded account.
        paths.push('/chain/height');
        const cursors = await store.loadCursors();
        for (const c of cursors.values()) {
          const list = c.list === 'in' ? 'incoming' : 'outgoing';
          const client = new NodeClient(node.url, {
            userAgent: 'bench',
            connectTimeoutMs: 10_000,
            headersTimeoutMs: 30_000,
            requestTimeoutMs: 60_000,
            connections: 1,
            maxBodyBytes: 1 << 24,
          });
          let id: number | null = null;
          for (;;) {
            const path = `/account/transfers/${list}?address=${c.address}&pageSize=100${id === null ? '' : `&id=${id}`}`;
            paths.push(path);
            const body = (await client.getJson(path)) as { data: Array<{ meta: { id: number }; transaction: { timeStamp: number } }> };
            if (body.data.length < 100) break;
            if (
              c.list === 'seed' &&
              body.data[body.data.length - 1].transaction.timeStamp < (caseSpec.seeds[0] as { from: number }).from - 87_000
            )
              break;
            id = body.data[body.data.length - 1].meta.id;
          }
          await client.close();
        }
      }
      await store.close();

      // The same crawl without signature verification.
      const bare = await openStore(join(root, `bare${r}`));
      t = performance.now();
      const u = await crawl({
        nodes: [node.url],
        store: bare,
        caseSpec,
        labels,
        concurrency,
        rate: 1e6,
        verifier: { firstBad: () => Promise.resolve(null) },
      });
      unverifiedMs.push(performance.now() - t);
      if (u.stats.digest !== digest) throw new Error('the unverified crawl stored something else');
      await bare.close();

      // Baseline: the same requests, fetched and parsed only, same client settings and concurrency.
      const client = new NodeClient(node.url, {
        userAgent: 'bench',
        connectTimeoutMs: 10_000,
        headersTimeoutMs: 30_000,
        requestTimeoutMs: 60_000,
        connections: concurrency,
        maxBodyBytes: 1 << 24,
      });
      const limit = pLimit(concurrency);
      t = performance.now();
      await Promise.all(paths.map((p) => limit(() => client.getJson(p))));
      rawMs.push(performance.now() - t);
      await client.close();
    }
  } finally {
    await node.close();
    rmSync(root, { recursive: true, force: true });
  }
  const c = median(crawlMs);
  const b = median(rawMs);
  const tm = timings[crawlMs.indexOf(c)];
  const util = busy[crawlMs.indexOf(c)];
  const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);
  const row = (cells: Array<string | number>) =>
    `${String(cells[0]).padEnd(10)}${cells
      .slice(1)
      .map((x) => String(x).padStart(14))
      .join('')}`;
  const lines = [
    row(['', 'ms (median)', 'transfers/s', 'requests/s', 'vs raw']),
    row(['crawl', c.toFixed(0), rate(transfers, c), rate(requests, c), (b / c).toFixed(2)]),
    row([
      'no verify',
      median(unverifiedMs).toFixed(0),
      rate(transfers, median(unverifiedMs)),
      rate(requests, median(unverifiedMs)),
      (b / median(unverifiedMs)).toFixed(2),
    ]),
    row(['raw fetch', b.toFixed(0), rate(transfers, b), rate(paths.length, b), '1.00']),
    '',
    `crawl breakdown (median run; request and write times overlap each other and the ${c.toFixed(0)} ms):`,
    `  thread    ${(util * 100).toFixed(0).padStart(5)} %  of the run the main thread was busy (crawl and the in-process fixture node)`,
    `  fetch     ${tm.fetchMs.toFixed(0).padStart(6)} ms summed over ${requests} requests (${(tm.fetchMs / requests).toFixed(2)} ms ` +
      `each, ${(tm.fetchMs / c).toFixed(2)} in flight on average)`,
    `  validate  ${tm.validateMs.toFixed(0).padStart(6)} ms, ${tm.items} items (${tm.itemsReused} repeats checked by equality)`,
    `  verify    ${tm.verifyMs.toFixed(0).padStart(6)} ms of it waiting for signature checks (worker threads)`,
    `  write     ${tm.writeMs.toFixed(0).padStart(6)} ms writer busy, ${tm.pages} pages in ${tm.batches} synced batches ` +
      `(${(tm.pages / Math.max(1, tm.batches)).toFixed(1)} pages/batch)`,
    '',
    `${transfers} transfers, ${requests} requests, concurrency ${concurrency}, ${runs} runs; digest ${digest.slice(0, 16)}…`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'crawl.json'),
    `${JSON.stringify(
      {
        seed,
        background,
        buyers,
        concurrency,
        runs,
        transfers,
        requests,
        baselineRequests: paths.length,
        crawlMs,
        unverifiedMs,
        rawMs,
        unverifiedTps: rate(transfers, median(unverifiedMs)),
        verifyCost: +(c / median(unverifiedMs)).toFixed(3),
        crawlTps: rate(transfers, c),
        crawlRps: rate(requests, c),
        rawTps: rate(transfers, b),
        rawRps: rate(paths.length, b),
        ratio: +(b / c).toFixed(3),
        breakdown: tm,
        mainThreadBusy: +util.toFixed(3),
        timings,
        digest,
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
