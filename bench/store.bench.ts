/**
 * Store benchmark: write and scan throughput of src/store on a seeded synthetic chain, against a
 * baseline of plain `level` doing the same work with the same bytes (same keys, same values,
 * same batch size, same sync setting) — so the ratio is the cost of the Store layer itself
 * (record encoding, the hash-conflict check, decoding and validating on the way out).
 *
 *   npx tsx bench/store.bench.ts [--n 1000000] [--batch 100] [--sync true] [--seed 42]
 *
 * Write: `store.writeBatch({ transfers })` per `batch` transfers (a crawl page is 100) vs
 * a plain-level chained batch (`db.batch()`, `put(key, value, { sublevel })`, `write({ sync })`, the
 * fastest way level offers) of the identical 4 puts per transfer (tx, hash, out, in).
 * Scan:  `store.loadTransfers({ segments: false })` (decoded Transfer objects in chain order, one
 * record each), the first `store.loadTransfers()` (the same, plus writing the packed segments), then
 * `store.loadTransfers()` from the segments (best of 3; checked equal to the record path, transfer
 * by transfer), and `store.stats()` (sha256 digest) vs iterating the same `tx` sublevel with plain
 * `level` (`nextv(1000)`, values as strings, nothing decoded). Results go to bench/results/store.json.
 * The write phase dominates (~80 s at 1 M); `--n 200000` is a quick run. Bulk ingest (import, large
 * batches) is bench/ingest.bench.ts.
 *
 *   npx tsx --expose-gc bench/store.bench.ts --n 1000000
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Level } from 'level';
import { syntheticAddress, syntheticChain, type SyntheticChain } from '../src/fixture/synthetic.js';
import { nemToIso } from '../src/nem/time.js';
import type { Transfer } from '../src/nem/types.js';
import { chainKey, hashAt, indexKey, openStore } from '../src/store/index.js';
import { encodeTransfer } from '../src/store/records.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const n = Number(flag('n', '1000000'));
const batch = Number(flag('batch', '100'));
const sync = flag('sync', 'true') === 'true';
const seed = Number(flag('seed', '42'));

function transferAt(chain: SyntheticChain, k: number): Transfer {
  const r = chain.recipient[k];
  const memo = chain.isExit[r] === 1 ? `deposit-${chain.sender[k]}` : null;
  return {
    hash: k.toString(16).padStart(64, '0'),
    innerHash: null,
    height: chain.height[k],
    timeStamp: chain.timeStamp[k],
    time: nemToIso(chain.timeStamp[k]),
    sender: syntheticAddress(chain.sender[k]),
    recipient: syntheticAddress(r),
    amount: chain.amount[k],
    fee: chain.fee[k],
    message: memo,
    messageType: memo === null ? 0 : 1,
    mosaics: [],
    type: 257,
    signer: syntheticAddress(chain.sender[k]),
  };
}

const mb = (b: number) => (b / 1048576).toFixed(0);

const rate = (count: number, ms: number) => Math.round((count * 1000) / ms);

async function main(): Promise<void> {
  const t0 = performance.now();
  const chain = syntheticChain({ transfers: n, seed });
  process.stdout.write(
    `synthetic chain: ${n} transfers, seed ${seed} (${Math.round(performance.now() - t0)} ms); batch ${batch}, sync ${sync}\n`,
  );
  const root = mkdtempSync(join(tmpdir(), 'tt-store-bench-'));
  const results: Record<string, number | string | boolean> = { n, batch, sync, seed };
  try {
    // ---- writes, interleaved in rounds (baseline chunk, then store chunk) so disk noise hits both alike
    const rawDb = new Level<string, string>(join(root, 'raw'), { valueEncoding: 'utf8' });
    await rawDb.open();
    const subs = ['tx', 'hash', 'out', 'in'].map((name) => rawDb.sublevel<string, string>(name, { valueEncoding: 'utf8' }));
    const store = await openStore(join(root, 'store'));
    const round = Math.max(batch, Math.ceil(n / 20 / batch) * batch);
    let rawWriteMs = 0;
    let storeWriteMs = 0;
    for (let r0 = 0; r0 < n; r0 += round) {
      const r1 = Math.min(n, r0 + round);
      let t = performance.now();
      for (let k = r0; k < r1; k += batch) {
        const b = rawDb.batch();
        for (let j = k; j < Math.min(r1, k + batch); j++) {
          const tr = transferAt(chain, j);
          const key = chainKey(tr);
          b.put(key, encodeTransfer(tr), { sublevel: subs[0] });
          b.put(tr.hash, key, { sublevel: subs[1] });
          b.put(indexKey(tr.sender, tr), '', { sublevel: subs[2] });
          b.put(indexKey(tr.recipient, tr), '', { sublevel: subs[3] });
        }
        await b.write({ sync });
      }
      rawWriteMs += performance.now() - t;
      t = performance.now();
      for (let k = r0; k < r1; k += batch) {
        const page: Transfer[] = [];
        for (let j = k; j < Math.min(r1, k + batch); j++) page.push(transferAt(chain, j));
        await store.writeBatch({ transfers: page });
      }
      storeWriteMs += performance.now() - t;
    }
    process.stdout.write(
      `write  baseline (plain level chained batch): ${rate(n, rawWriteMs)} transfers/s (${(rawWriteMs / 1000).toFixed(1)} s)\n`,
    );
    process.stdout.write(
      `write  store.writeBatch:             ${rate(n, storeWriteMs)} transfers/s (${(storeWriteMs / 1000).toFixed(1)} s)  ` +
        `ratio ${(rawWriteMs / storeWriteMs).toFixed(2)} of baseline\n`,
    );

    // ---- scans
    let t = performance.now();
    let count = 0;
    let bytes = 0;
    const it = subs[0].iterator();
    for (;;) {
      const entries = await it.nextv(1000);
      if (entries.length === 0) break;
      for (const [, v] of entries) {
        count++;
        bytes += v.length;
      }
    }
    await it.close();
    const rawScanMs = performance.now() - t;
    if (count !== n) throw new Error(`baseline scan saw ${count} of ${n}`);
    process.stdout.write(
      `scan   baseline (plain level nextv):  ${rate(n, rawScanMs)} transfers/s (${(rawScanMs / 1000).toFixed(2)} s, ${mb(bytes)} MB ` +
        `of records)\n`,
    );

    const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    t = performance.now();
    const loaded = await store.loadTransfers({ segments: false });
    const loadMs = performance.now() - t;
    const heap1 = process.memoryUsage().heapUsed;
    if (loaded.length !== n) throw new Error(`loadTransfers gave ${loaded.length} of ${n}`);
    process.stdout.write(
      `scan   store.loadTransfers (records): ${rate(n, loadMs)} transfers/s (${(loadMs / 1000).toFixed(2)} s, ~${mb(heap1 - heap0)} ` +
        `MB heap)  ratio ${(rawScanMs / loadMs).toFixed(2)} of baseline\n`,
    );
    const reference = loaded.map((tr) => encodeTransfer(tr) + tr.time);
    loaded.length = 0;

    gc();
    t = performance.now();
    const first = await store.loadTransfers();
    const buildMs = performance.now() - t;
    if (first.length !== n) throw new Error(`loadTransfers (first) gave ${first.length} of ${n}`);
    first.length = 0;
    process.stdout.write(
      `scan   store.loadTransfers (records + writing segments): ${rate(n, buildMs)} transfers/s (${(buildMs / 1000).toFixed(2)} s)\n`,
    );

    const segMsAll: number[] = [];
    let segHeap = 0;
    for (let run = 0; run < 3; run++) {
      gc();
      const h0 = process.memoryUsage().heapUsed;
      t = performance.now();
      const segs = await store.loadTransfers();
      segMsAll.push(performance.now() - t);
      segHeap = process.memoryUsage().heapUsed - h0;
      if (segs.length !== n) throw new Error(`loadTransfers (segments) gave ${segs.length} of ${n}`);
      if (run === 0) {
        for (let k = 0; k < n; k++) {
          if (encodeTransfer(segs[k]) + segs[k].time !== reference[k])
            throw new Error(`loadTransfers (segments) differs from the records at ${k}`);
        }
      }
      segs.length = 0;
    }
    reference.length = 0;
    const segMs = Math.min(...segMsAll);

    // Columns straight from the column segments: no Transfer objects (the taint core's input).
    const colMsAll: number[] = [];
    let colHeap = 0;
    for (let run = 0; run < 3; run++) {
      gc();
      const h0 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      t = performance.now();
      const cols = await store.loadColumns();
      colMsAll.push(performance.now() - t);
      colHeap = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - h0;
      if (cols.n !== n) throw new Error(`loadColumns gave ${cols.n} of ${n}`);
      if (run === 0) {
        for (let k = 0; k < n; k++) {
          if (
            cols.amount[k] !== chain.amount[k] ||
            cols.addresses[cols.sender[k]] !== syntheticAddress(chain.sender[k]) ||
            cols.addresses[cols.recipient[k]] !== syntheticAddress(chain.recipient[k]) ||
            hashAt(cols, k) !== k.toString(16).padStart(64, '0')
          ) {
            throw new Error(`loadColumns differs from the chain at ${k}`);
          }
        }
      }
    }
    const colMs = Math.min(...colMsAll);
    process.stdout.write(
      `scan   store.loadColumns (column segments, with hashes): ${rate(n, colMs)} transfers/s (${(colMs / 1000).toFixed(3)} s best ` +
        `of ${colMsAll.map((x) => Math.round(x)).join('/')} ms, ~${mb(colHeap)} MB)  ` +
        `ratio ${(rawScanMs / colMs).toFixed(2)} of baseline, ${(segMs / colMs).toFixed(1)}× ` +
        `loadTransfers (segments); equal to the chain\n`,
    );
    const colNoHashMsAll: number[] = [];
    for (let run = 0; run < 3; run++) {
      t = performance.now();
      await store.loadColumns({ hashes: false });
      colNoHashMsAll.push(performance.now() - t);
    }
    const colNoHashMs = Math.min(...colNoHashMsAll);
    process.stdout.write(
      `scan   store.loadColumns({ hashes: false }): ${rate(n, colNoHashMs)} transfers/s (${(colNoHashMs / 1000).toFixed(3)} s best of ` +
        `3)  ratio ${(rawScanMs / colNoHashMs).toFixed(2)} of baseline\n`,
    );
    Object.assign(results, {
      loadColumnsMs: Math.round(colMs),
      loadColumnsNoHashesMs: Math.round(colNoHashMs),
      loadColumnsRatio: +(rawScanMs / colMs).toFixed(3),
    });
    process.stdout.write(
      `scan   store.loadTransfers (segments): ${rate(n, segMs)} transfers/s (${(segMs / 1000).toFixed(3)} s best ` +
        `of ${segMsAll.map((x) => Math.round(x)).join('/')} ms, ~${mb(segHeap)} MB heap)  ` +
        `ratio ${(rawScanMs / segMs).toFixed(2)} of baseline, ${(loadMs / segMs).toFixed(1)}× the record ` +
        `path; equal to the records\n`,
    );

    t = performance.now();
    const stats = await store.stats();
    const statsMs = performance.now() - t;
    process.stdout.write(
      `scan   store.stats (digest):          ${rate(n, statsMs)} transfers/s (${(statsMs / 1000).toFixed(2)} s)  ` +
        `ratio ${(rawScanMs / statsMs).toFixed(2)} of baseline  digest ${stats.digest.slice(0, 16)}…\n`,
    );
    await store.close();
    await rawDb.close();
    Object.assign(results, {
      rawWriteTps: rate(n, rawWriteMs),
      storeWriteTps: rate(n, storeWriteMs),
      writeRatio: +(rawWriteMs / storeWriteMs).toFixed(3),
      rawScanTps: rate(n, rawScanMs),
      loadTps: rate(n, loadMs),
      loadRatio: +(rawScanMs / loadMs).toFixed(3),
      loadWithSegmentWriteMs: Math.round(buildMs),
      loadSegmentsMs: Math.round(segMs),
      loadSegmentsTps: rate(n, segMs),
      loadSegmentsRatio: +(rawScanMs / segMs).toFixed(3),
      statsTps: rate(n, statsMs),
      statsRatio: +(rawScanMs / statsMs).toFixed(3),
      digest: stats.digest,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  saveResults(results);
}

function saveResults(results: Record<string, number | string | boolean>): void {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'store.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
