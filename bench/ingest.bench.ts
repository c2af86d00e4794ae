/**
 * Bulk ingest benchmark (issue 10 item 4): transfers per second into the store, against plain `level`
 * (classic-level) writing the same bytes in the same run.
 *
 *   npx tsx --expose-gc bench/ingest.bench.ts [--n 200000] [--batch 16384] [--signed 4000] [--seed 42]
 *
 * Input: a seeded synthetic chain (src/fixture/synthetic.ts) as NDJSON of NIS1 `TransactionMetaDataPair`
 * items (valid NEM addresses, NEM hashes recomputed; dummy signatures except in the signed file).
 * Phases, each into an empty store:
 *  - baseline    plain classic-level writing every key and value the import left in its store (records,
 *                index entries, packed segments: read back raw, in key order), in as many synced batches,
 *                with LevelDB's defaults (what writeBatch and the queue are compared with) and with the
 *                import's 64 MiB write buffer (`bulk`, what writeNew and import are compared with);
 *  - writeNew    `store.writeNewTransfers` (the import's write pass) in the import's batches, `bulk`;
 *  - writeBatch  `store.writeBatch({ transfers })` in batches of `--batch` (conflict check included);
 *  - queue       the crawler's write path: pages of 100 transfers through `WriteQueue` (group commit);
 *  - import      `importTransactions` from the NDJSON file into a new directory, signatures not verified: the
 *                lines checked on the worker pool (parse, normalise, NEM hash recomputed, addresses checked,
 *                record encoded), repeats within the import refused, and the batches written as the blocks pass
 *                (src/store/import.ts); then the first open of the store and its columns;
 *  - importInto  the same into an existing (empty) store: every line checked against the store too and spooled
 *                before the first batch is written (the two passes one after the other);
 *  - signed      `--signed` items with real NIS1 signatures imported with and without signature
 *                verification (the default worker pool, src/nem/verify-pool.ts), to show what the
 *                signature checks cost apart from the rest;
 *  - stats       `store.stats()` on the imported store just opened: from the state kept with the records
 *                against `stats({ reread: true })` reading every record, alternating, same digest;
 *  - keccak      Keccak-256 over 180 bytes: src/nem/keccak.ts against @noble/hashes (pure JS), same run.
 * Each phase prints wall time and this process's CPU time (the machine is shared; compare ratios).
 * Results go to bench/results/ingest.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Level } from 'level';
import { WriteQueue } from '../src/crawl/index.js';
import { syntheticChain, type SyntheticChain } from '../src/fixture/synthetic.js';
import { SyntheticItems } from '../src/fixture/synthetic-items.js';
import { keccak256 } from '../src/nem/keccak.js';
import { NonceChainSigner } from '../src/nem/keys.js';
import { normalizeTransaction } from '../src/nem/normalize.js';
import type { Transfer } from '../src/nem/types.js';
import { BULK_WRITE_BUFFER, DEFAULT_IMPORT_BATCH, importTransactions, openStore } from '../src/store/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const n = Number(flag('n', '200000'));
const batch = Number(flag('batch', String(DEFAULT_IMPORT_BATCH)));
const signedN = Math.min(n, Number(flag('signed', '4000')));
const seed = Number(flag('seed', '42'));
const PAGE = 100;

interface Timing {
  wallMs: number;
  cpuMs: number;
}
async function timed(fn: () => Promise<void> | void): Promise<Timing> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const u = process.cpuUsage(c);
  return { wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 };
}
const rate = (count: number, ms: number) => Math.round((count * 1000) / ms);
const secs = (ms: number) => (ms / 1000).toFixed(2);

/** NDJSON lines of the chain's first `count` transfers; signed with real keys when `signer` is given. */
function chainItems(chain: SyntheticChain, count: number, signer: NonceChainSigner | null): string[] {
  const items = new SyntheticItems(chain, signer);
  return Array.from({ length: count }, (_, k) => items.item(k).line);
}

/** Every key and value of a LevelDB directory, raw. */
async function rawEntries(dir: string): Promise<Array<[Buffer, Buffer]>> {
  const db = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const all: Array<[Buffer, Buffer]> = [];
  for await (const entry of db.iterator()) all.push(entry);
  await db.close();
  return all;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'tt-ingest-bench-'));
  const results: Record<string, number> = { n, batch, signedN, seed };
  const report = (name: string, what: string, count: number, t: Timing, base?: Timing) => {
    const ratio =
      base === undefined ? '' : `  ratio ${(base.wallMs / t.wallMs).toFixed(2)} of baseline (CPU ${(base.cpuMs / t.cpuMs).toFixed(2)})`;
    process.stdout.write(
      `${name.padEnd(10)} ${what}: ${rate(count, t.wallMs)} transfers/s (${secs(t.wallMs)} s wall, ${secs(t.cpuMs)} s CPU, ` +
        `${rate(count, t.cpuMs)}/CPU-s)${ratio}\n`,
    );
    results[`${name}Tps`] = rate(count, t.wallMs);
    results[`${name}CpuTps`] = rate(count, t.cpuMs);
    results[`${name}WallMs`] = Math.round(t.wallMs);
    results[`${name}CpuMs`] = Math.round(t.cpuMs);
    if (base !== undefined) results[`${name}Ratio`] = +(base.wallMs / t.wallMs).toFixed(3);
  };
  try {
    let t0 = performance.now();
    const chain = syntheticChain({ transfers: n, seed });
    const lines = chainItems(chain, n, null);
    const file = join(root, 'chain.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const transfers: Transfer[] = lines.map((l) => {
      const x = normalizeTransaction(JSON.parse(l));
      if (x.kind !== 'transfer') throw new Error('not a transfer');
      return x.transfer;
    });
    lines.length = 0;
    const signedFile = join(root, 'signed.ndjson');
    writeFileSync(signedFile, `${chainItems(chain, signedN, new NonceChainSigner()).join('\n')}\n`);
    process.stdout.write(
      `input: ${n} transfers (seed ${seed}) as NDJSON, ${signedN} of them signed (${secs(performance.now() - t0)} s to make); ` +
        `batches of ${batch}, synced\n`,
    );

    // ---- import first: its store holds the bytes the baseline writes. Warm-up: the import's worker threads started and
    // their code compiled (under tsx each worker compiles the TypeScript it loads; the built CLI loads JavaScript).
    await importTransactions({ store: join(root, 'warm-up'), inputs: [signedFile], verifySignatures: false });
    const importDir = join(root, 'import');
    let imported = { batches: 0, validateMs: 0, writeMs: 0 };
    const imp = await timed(async () => {
      const r = await importTransactions({ store: importDir, inputs: [file], batchSize: batch, verifySignatures: false });
      if (r.added !== n) throw new Error(`import added ${r.added} of ${n}`);
      imported = r;
    });
    t0 = performance.now();
    const store = await openStore(importDir);
    const cols = await store.loadColumns();
    const colMs = performance.now() - t0;
    await store.close();
    if (cols.n !== n) throw new Error(`loadColumns after the import gave ${cols.n} of ${n}`);

    // ---- store.stats() after open: from the kept state, against a full read of every record, alternating
    const kept: number[] = [];
    const full: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const reread of [false, true]) {
        const st = await openStore(importDir);
        let digest = '';
        const t = await timed(async () => {
          digest = (await st.stats({ reread })).digest;
        });
        const other = (await st.stats({ reread: !reread })).digest;
        await st.close();
        if (digest !== other) throw new Error('stats() from the kept state and from a full read differ');
        (reread ? full : kept).push(t.cpuMs);
      }
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    process.stdout.write(
      `stats      store.stats() after open, CPU median of 3: ${mid(kept).toFixed(1)} ms from the kept state, ` +
        `${mid(full).toFixed(1)} ms reading every record (same digest)\n`,
    );
    results.statsKeptCpuMs = +mid(kept).toFixed(1);
    results.statsFullCpuMs = +mid(full).toFixed(1);

    const entries = await rawEntries(importDir);
    const count = entries.length;
    const bytes = entries.reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    const per = Math.ceil(entries.length / imported.batches);
    const writeRaw = async (name: string, writeBufferSize?: number) => {
      const raw = new Level<Buffer, Buffer>(join(root, name), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
      await raw.open(writeBufferSize === undefined ? {} : { writeBufferSize });
      const t = await timed(async () => {
        for (let i = 0; i < entries.length; i += per) {
          const b = raw.batch();
          for (let j = i; j < Math.min(entries.length, i + per); j++) b.put(entries[j][0], entries[j][1]);
          await b.write({ sync: true });
        }
      });
      await raw.close();
      return t;
    };
    const base = await writeRaw('raw');
    const bulkBase = await writeRaw('raw-bulk', BULK_WRITE_BUFFER);
    entries.length = 0;
    process.stdout.write(
      `store: ${count} entries, ${(bytes / 1048576).toFixed(1)} MiB (key order) in ${imported.batches} batches ` +
        `(${(bytes / n).toFixed(0)} B per transfer)\n`,
    );
    report('baseline', 'plain level, the same keys and values, LevelDB defaults', n, base);
    report('bulkBase', `plain level, the same, ${BULK_WRITE_BUFFER >> 20} MiB write buffer (import's)`, n, bulkBase, base);

    // The import's batches: ≥ batch transfers, ending where the height changes.
    const cuts: number[] = [0];
    for (let k = batch; k < n; k++) if (k - cuts[cuts.length - 1] >= batch && transfers[k].height !== transfers[k - 1].height) cuts.push(k);
    cuts.push(n);
    let s = await openStore(join(root, 'write-new'), { bulk: true });
    const writeNew = await timed(async () => {
      for (let c = 0; c + 1 < cuts.length; c++) await s.writeNewTransfers(transfers.slice(cuts[c], cuts[c + 1]));
    });
    await s.close();
    report('writeNew', 'store.writeNewTransfers (the import write pass), bulk', n, writeNew, bulkBase);

    s = await openStore(join(root, 'write-batch'));
    const writeBatch = await timed(async () => {
      for (let k = 0; k < n; k += batch) await s.writeBatch({ transfers: transfers.slice(k, k + batch) });
    });
    await s.close();
    report('writeBatch', `store.writeBatch, ${batch} a batch`, n, writeBatch, base);

    s = await openStore(join(root, 'queue'));
    let groups = 0;
    const queue = await timed(async () => {
      const q = new WriteQueue(s, (err) => {
        throw err;
      });
      const done: Array<Promise<void>> = [];
      for (let k = 0; k < n; k += PAGE) {
        await q.space();
        done.push(q.write({ transfers: transfers.slice(k, k + PAGE) }));
      }
      await Promise.all(done);
      await q.done();
      groups = q.timings.batches;
    });
    await s.close();
    report('queue', `crawler WriteQueue, pages of ${PAGE} (${groups} group commits)`, n, queue, base);

    const passes = `checks ${secs(imported.validateMs)} s with the writes beside them, then ${secs(imported.writeMs)} s of writes`;
    report('import', `importTransactions into a new directory, no signatures (${passes})`, n, imp, bulkBase);
    results.importValidateMs = imported.validateMs;
    results.importWriteMs = imported.writeMs;
    results.loadColumnsAfterImportMs = Math.round(colMs);
    process.stdout.write(`           then openStore + loadColumns: ${secs(colMs)} s (segments written by the import, no log to replay)\n`);

    const intoDir = join(root, 'import-into');
    await (await openStore(intoDir)).close();
    let into = { validateMs: 0, writeMs: 0 };
    const importInto = await timed(async () => {
      const r = await importTransactions({ store: intoDir, inputs: [file], batchSize: batch, verifySignatures: false });
      if (r.added !== n) throw new Error(`import into a store added ${r.added} of ${n}`);
      into = r;
    });
    const intoPasses = `validate ${secs(into.validateMs)} s + write ${secs(into.writeMs)} s`;
    report('importInto', `importTransactions into an existing store, no signatures (${intoPasses})`, n, importInto, bulkBase);

    // ---- signatures, apart
    for (const verify of [false, true]) {
      const dir = join(root, `signed-${verify}`);
      const t = await timed(async () => {
        const r = await importTransactions({ store: dir, inputs: [signedFile], batchSize: batch, verifySignatures: verify });
        if (r.added !== signedN) throw new Error(`signed import added ${r.added} of ${signedN}`);
      });
      const what = `importTransactions of the ${signedN} signed, verification ${verify ? 'on' : 'off'}`;
      report(verify ? 'signedOn' : 'signedOff', what, signedN, t);
    }

    // ---- Keccak-256, ours against @noble/hashes
    const data = Array.from({ length: 64 }, (_, i) => Uint8Array.from({ length: 180 }, (_, j) => (i * 31 + j * 7) & 255));
    if (bytesToHex(keccak256(data[1])) !== bytesToHex(keccak_256(data[1]))) throw new Error('keccak256 differs from noble');
    const H = 50_000;
    const ours: number[] = [];
    const noble: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [fn, out] of [
        [keccak256, ours],
        [keccak_256, noble],
      ] as const) {
        const t = await timed(() => {
          for (let i = 0; i < H; i++) fn(data[i & 63]);
        });
        out.push((t.cpuMs * 1000) / H);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    process.stdout.write(
      `keccak     Keccak-256 of 180 bytes: src/nem/keccak.ts ${median(ours).toFixed(2)} µs, @noble/hashes ${median(noble).toFixed(2)} µs ` +
        `(CPU, median of 3): ${(median(noble) / median(ours)).toFixed(1)}×\n`,
    );
    results.keccakOursUs = +median(ours).toFixed(3);
    results.keccakNobleUs = +median(noble).toFixed(3);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'ingest.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
