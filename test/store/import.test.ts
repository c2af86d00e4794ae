/**
 * Bulk import (src/store/import.ts, `tainttrace import`): NDJSON of NIS1 TransactionMetaDataPair items,
 * validated like crawled pages' items (normalisation, recomputed hashes), checked against the
 * store and the rest of the import, written in atomic batches. A store built by import holds what a
 * crawl of the same transfers holds (same digest) and traces the same way; every lie — a changed
 * field under a genuine hash, broken JSON, a line too long, one hash at two
 * heights — is one error naming file and line, and the store is untouched.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioBundle } from '../../src/fixture/scenarios.js';
import type { CoincheckScenario } from '../../src/fixture/coincheck/generate.js';
import { expectedCrawl, scenarioTransfers } from '../../src/fixture/expected-crawl.js';
import { buildNodeIndex } from '../../src/fixture/node/index.js';
import { traceJob } from '../../src/jobs/index.js';
import { importTransactions, openStore } from '../../src/store/index.js';
import { parseCase } from '../../src/labels/case.js';
import { runCli } from '../cli/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'tt-import-'));
let dbs = 0;
const fresh = () => join(root, `db${dbs++}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let cc: CoincheckScenario;
/** The items (NDJSON lines) of the transfers a crawl of the Coincheck case stores, in chain order. */
let crawled: string[];
/** A store written with writeBatch from the same transfers, as the crawler writes them. */
let reference: { digest: string; transfers: number };
const CASE = join(process.cwd(), 'fixtures/coincheck/case.json');

beforeAll(async () => {
  cc = loadScenarioBundle('coincheck');
  const c = parseCase(cc.caseJson, 'case.json');
  const want = expectedCrawl(cc.scenario, {
    seeds: c.seeds,
    exits: new Set(cc.truth.exits),
    maxHops: c.maxHops,
    windowTo: c.windowTo,
  }).hashes;
  const index = buildNodeIndex(cc.scenario);
  crawled = cc.scenario.txs.flatMap((tx, i) => (want.has(tx.hash) ? [index.items[i]] : []));
  const dir = fresh();
  const store = await openStore(dir);
  // Without block positions: the account-list crawl and import record none (blocks are what give them).
  const transfers = scenarioTransfers(cc.scenario)
    .map((x) => ({ ...x.transfer, position: undefined }))
    .filter((t) => want.has(t.hash));
  for (let i = 0; i < transfers.length; i += 100) await store.writeBatch({ transfers: transfers.slice(i, i + 100) });
  const s = await store.stats();
  reference = { digest: s.digest, transfers: s.transfers };
  await store.close();
}, 120_000);

function file(name: string, lines: readonly string[]): string {
  const path = join(root, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function digestOf(dir: string): Promise<string> {
  const store = await openStore(dir, { readOnly: true });
  try {
    return (await store.stats()).digest;
  } finally {
    await store.close();
  }
}

/** `item` (a JSON line) changed by `edit`. */
function edited(item: string, edit: (o: { meta: Record<string, unknown>; transaction: Record<string, unknown> }) => void): string {
  const o = JSON.parse(item);
  edit(o);
  return JSON.stringify(o);
}

describe('importTransactions', () => {
  it('stores exactly what a crawl of the same transfers stores (same digest), in any line order, and the store traces', async () => {
    const dir = fresh();
    const r = await importTransactions({ store: dir, inputs: [file('crawled.ndjson', crawled)], batchSize: 500 });
    expect(r).toMatchObject({ items: crawled.length, transfers: reference.transfers, added: reference.transfers, repeated: 0, others: 0 });
    expect(r.batches).toBeGreaterThan(1);
    expect(await digestOf(dir)).toBe(reference.digest);
    const { result } = await traceJob({ store: dir, caseFile: CASE, saveIndex: false });
    expect(result.seed.amount).toBe(526_300_010_000_000n);

    // Reversed (as account lists come, newest first), every line twice, from two files: the same store.
    const other = fresh();
    const reversed = [...crawled].reverse();
    const again = await importTransactions({ store: other, inputs: [file('rev.ndjson', reversed), file('rev2.ndjson', reversed)] });
    expect(again).toMatchObject({ added: reference.transfers, repeated: reference.transfers });
    expect(await digestOf(other)).toBe(reference.digest);
    // Importing into a store that holds it all already adds nothing.
    expect(await importTransactions({ store: dir, inputs: [file('crawled.ndjson', crawled)] })).toMatchObject({
      added: 0,
      repeated: reference.transfers,
    });
  }, 120_000);

  it('checks lines on worker threads or on this one (workers: 0) alike; leaves no write-ahead log for the next open', async () => {
    const dir = fresh();
    const r = await importTransactions({ store: dir, inputs: [file('inline.ndjson', crawled)], batchSize: 500, workers: 0 });
    expect(r).toMatchObject({ added: reference.transfers, repeated: 0 });
    expect(await digestOf(dir)).toBe(reference.digest);
    // LevelDB's memory table was written out: an open replays nothing (store.flushWrites).
    const logs = readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(0);
    for (const f of logs) expect(statSync(join(dir, f)).size).toBe(0);
  });

  it("a caller's own signature verifier gets every item's signatures, and its first refusal is the error", async () => {
    let asked = 0;
    const verifier = {
      // Every item of the first block, each with its signatures; the 101st is refused.
      firstBad: async (items: readonly (readonly { signer: string }[])[]) => {
        await Promise.resolve();
        asked += items.length;
        expect(items.every((parts) => parts.length > 0 && parts.every((p) => /^[0-9a-f]{64}$/.test(p.signer)))).toBe(true);
        return asked === items.length ? { index: 100, reason: 'no' } : null;
      },
    };
    const dir = fresh();
    await expect(importTransactions({ store: dir, inputs: [file('mine.ndjson', crawled)], verifier })).rejects.toMatchObject({
      code: 'TRACE_INVALID_IMPORT',
      message: expect.stringMatching(/mine\.ndjson:101: no$/),
    });
    expect(asked).toBeGreaterThan(100);
    expect(existsSync(dir)).toBe(false);
  });

  it('counts other transaction types and skips them, as the crawler does', async () => {
    const index = buildNodeIndex(cc.scenario);
    const others = cc.scenario.txs.flatMap((tx, i) =>
      tx.transaction.type !== 257 && tx.transaction.type !== 4100 ? [index.items[i]] : [],
    );
    expect(others.length).toBeGreaterThan(0);
    const dir = fresh();
    const r = await importTransactions({ store: dir, inputs: [file('others.ndjson', [...others, '', '  '])] });
    expect(r).toMatchObject({ lines: others.length + 2, items: others.length, others: others.length, transfers: 0, added: 0 });
  });

  describe('a lie is one error naming file and line; the store is untouched', () => {
    const lies: Array<[string, (lines: string[]) => string[], RegExp | (() => RegExp)]> = [
      [
        'a forged signature',
        (l) =>
          l.map((x, i) =>
            i === 6
              ? edited(x, (o) => {
                  o.transaction.signature = `${'0'.repeat(127)}1`;
                })
              : x,
          ),
        /:7: .*signature/,
      ],
      [
        'a field changed under its genuine hash',
        (l) =>
          l.map((x, i) =>
            i === 6
              ? edited(x, (o) => {
                  o.transaction.amount = Number(o.transaction.amount) + 1;
                })
              : x,
          ),
        /:7: .*hash/,
      ],
      ['a line that is not JSON', (l) => [...l.slice(0, 9), '{"meta": {', ...l.slice(9)], /:10: not JSON/],
      [
        'a line above the length limit',
        (l) => [...l.slice(0, 3), `{"pad":"${'x'.repeat(2 << 20)}"}`, ...l.slice(3)],
        /:4: line longer than/,
      ],
      [
        'one hash at two heights',
        (l) => [
          ...l,
          edited(l[5], (o) => {
            o.meta.height = Number(o.meta.height) + 1;
          }),
        ],
        () => new RegExp(`:${crawled.length + 1}: .*height`),
      ],
      ['a transaction that is not an item', (l) => [...l.slice(0, 2), '{"data":7}', ...l.slice(2)], /:3: /],
    ];
    for (const [what, lie, message] of lies) {
      it(what, async () => {
        const dir = fresh();
        await expect(importTransactions({ store: dir, inputs: [file('lie.ndjson', lie(crawled))] })).rejects.toMatchObject({
          code: 'TRACE_INVALID_IMPORT',
          message: expect.stringMatching(typeof message === 'function' ? message() : message),
        });
        expect(existsSync(dir)).toBe(false); // not even created
      });
    }

    it('a forged signature is the error even when a later chunk holds a broken line (verified while later lines are read)', async () => {
      const forged = edited(crawled[6], (o) => {
        o.transaction.signature = `${'0'.repeat(127)}1`;
      });
      const lines = [...crawled.slice(0, 6), forged];
      while (lines.length < 6000) lines.push(...crawled); // repeats are skipped, not errors
      lines.length = 6000; // the second chunk of 4,096 lines: the first one's signatures may be in verification
      lines.push('{"meta": {');
      const dir = fresh();
      await expect(importTransactions({ store: dir, inputs: [file('late.ndjson', lines)] })).rejects.toMatchObject({
        code: 'TRACE_INVALID_IMPORT',
        message: expect.stringMatching(/late\.ndjson:7: .*signature/),
      });
      expect(existsSync(dir)).toBe(false);
    });

    it('a bad line in an earlier block is the error even when a later line is over the length limit', async () => {
      const lines = [...crawled.slice(0, 9), '{"meta": {'];
      while (lines.length < 9000) lines.push(...crawled);
      lines.length = 9000;
      lines.push(`{"pad":"${'x'.repeat(2 << 20)}"}`);
      const dir = fresh();
      await expect(importTransactions({ store: dir, inputs: [file('early.ndjson', lines)] })).rejects.toMatchObject({
        code: 'TRACE_INVALID_IMPORT',
        message: expect.stringMatching(/early\.ndjson:10: not JSON/),
      });
      expect(existsSync(dir)).toBe(false);
    });

    it('a lie after batches were written into a new directory: the directory is never made, nothing is left beside it', async () => {
      const parent = join(root, `new-${dbs++}`);
      const dir = join(parent, 'store');
      const lines = [...crawled];
      while (lines.length < 5000) lines.push(...crawled); // repeats: the lie is in the second block of lines
      lines.push('{"meta": {');
      let written = 0;
      const onProgress = (p: { phase: string; written: number }) => {
        if (p.phase === 'write') written = p.written;
      };
      const importing = importTransactions({ store: dir, inputs: [file('late-lie.ndjson', lines)], batchSize: 400, onProgress });
      await expect(importing).rejects.toMatchObject({
        code: 'TRACE_INVALID_IMPORT',
        message: expect.stringMatching(new RegExp(`late-lie\\.ndjson:${lines.length}: not JSON`)),
      });
      expect(written).toBeGreaterThan(0);
      expect(readdirSync(parent)).toEqual([]);
    });

    it('into an empty directory: made a store only when every line passed', async () => {
      const dir = fresh();
      mkdirSync(dir);
      await expect(importTransactions({ store: dir, inputs: [file('bad.ndjson', [...crawled, 'x'])] })).rejects.toThrow(/not JSON/);
      expect(readdirSync(dir)).toEqual([]);
      expect(await importTransactions({ store: dir, inputs: [file('good.ndjson', crawled)], batchSize: 100 })).toMatchObject({
        added: reference.transfers,
      });
      expect(await digestOf(dir)).toBe(reference.digest);
    });

    it('a transfer stored at another height (the store holds the truth) — existing store untouched', async () => {
      const dir = fresh();
      await importTransactions({ store: dir, inputs: [file('half.ndjson', crawled.slice(0, 200))] });
      const before = await digestOf(dir);
      const lie = [
        ...crawled.slice(200, 300),
        edited(crawled[17], (o) => {
          o.meta.height = Number(o.meta.height) + 5;
        }),
      ];
      await expect(importTransactions({ store: dir, inputs: [file('conflict.ndjson', lie)] })).rejects.toMatchObject({
        code: 'TRACE_INVALID_IMPORT',
        message: expect.stringMatching(/conflict\.ndjson:101: .*stored at/),
      });
      expect(await digestOf(dir)).toBe(before);
    });
  });
});

describe('importTransactions writing while it reads the next batch', () => {
  it('a failed batch stops the import: no batch after it is written, and its error is what the import throws', async () => {
    const store = await openStore(fresh());
    const write = store.writeNewTransfers.bind(store);
    let calls = 0;
    store.writeNewTransfers = async (transfers, records) => {
      if (++calls === 2) throw new Error('disk full');
      return write(transfers, records);
    };
    await expect(importTransactions({ store, inputs: [file('all.ndjson', crawled)], batchSize: 100 })).rejects.toThrow('disk full');
    expect(calls).toBe(2);
    const stored = (await store.stats()).transfers;
    expect(stored).toBeGreaterThanOrEqual(100);
    expect(stored).toBeLessThan(reference.transfers);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(2); // nothing left running behind the error
    await store.close();
  });
});

describe('tainttrace import', () => {
  it('imports files and stdin (-), prints a summary; --json gives the counts', async () => {
    const dir = fresh();
    const a = await runCli('import', '--db', dir, '--json', file('a.ndjson', crawled.slice(0, 300)));
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out)).toMatchObject({ added: 300, batches: 1 });
    const { main } = await import('../../src/cli/main.js');
    const { PassThrough } = await import('node:stream');
    let out = '';
    const stdout = new PassThrough().on('data', (d) => {
      out += d;
    });
    const code = await main(['import', '--db', dir, '-'], {
      stdout,
      stderr: new PassThrough(),
      stdin: Readable.from([crawled.slice(300).join('\n')]),
      signal: new AbortController().signal,
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^imported \d+ new transfer/);
    expect(await digestOf(dir)).toBe(reference.digest);
  });

  it('a bad line: one error line with file and line, non-zero exit, store untouched', async () => {
    const dir = fresh();
    await runCli('import', '--db', dir, file('ok.ndjson', crawled.slice(0, 50)));
    const before = await digestOf(dir);
    const bad = file('bad.ndjson', [...crawled.slice(50, 60), 'not json']);
    const r = await runCli('import', '--db', dir, bad);
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^tainttrace import: .*bad\.ndjson:11: not JSON.*\[TRACE_INVALID_IMPORT\]/);
    expect(await digestOf(dir)).toBe(before);
    for (const argv of [
      ['import', '--db', dir],
      ['import', '--db', dir, join(root, 'missing.ndjson')],
      ['import', '--db', dir, '-', '-'],
    ]) {
      const e = await runCli(...argv);
      expect(e.code).not.toBe(0);
      expect(e.err).toMatch(/\[TRACE_INVALID_OPTION\]/);
    }
  });
});
