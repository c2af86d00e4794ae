/**
 * Swapping the served index under load (docs/contracts.md §6 "Follow mode"; src/server/state.ts): many
 * concurrent lookups over 127.0.0.1 while the index is swapped back and forth between two indexes
 * that disagree on every account. Every answer must be the whole answer of one of them — the one
 * its `asOf.height` names — byte for byte: never a mix, never a failure.
 */
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXem } from '../../src/nem/amount.js';
import { isoToNem } from '../../src/nem/time.js';
import { syntheticTaintIndex } from '../../src/fixture/synthetic-index.js';
import type { TaintIndex } from '../../src/screen/index.js';
import { screenParsed } from '../../src/screen/screen.js';
import { accountView, asOfView, screenView, transferView } from '../../src/screen/views.js';
import { buildServer, servedIndex, setServerIndex } from '../../src/server/index.js';

const OLD = syntheticTaintIndex({ accounts: 400, seed: 21, tipHeight: 1_800_000 });
const NEW = syntheticTaintIndex({ accounts: 400, seed: 22, tipHeight: 1_800_001 });
const byHeight = new Map<number, TaintIndex>([
  [OLD.index.asOf.height, OLD.index],
  [NEW.index.asOf.height, NEW.index],
]);
const addresses = OLD.addresses;
const ROUNDS = 40;

const app = buildServer({ index: OLD.index, rateLimit: false });
let pool: Pool;

beforeAll(async () => {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  pool = new Pool(url, { connections: 32, pipelining: 1 });
});
afterAll(async () => {
  await pool.close();
  await app.close();
});

describe('setServerIndex under load', () => {
  it('the two indexes disagree on every account answer (else the check below could not fail)', () => {
    for (const a of addresses.slice(0, OLD.tainted))
      expect(JSON.stringify(accountView(NEW.index, a))).not.toBe(JSON.stringify(accountView(OLD.index, a)));
  });

  it('every answer during repeated swaps is whole from the old or the new index, as its asOf says', async () => {
    let swapping = true;
    let swaps = 0;
    const swapper = (async () => {
      while (swapping) {
        setServerIndex(app, swaps % 2 === 0 ? NEW.index : OLD.index);
        swaps++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    const seen = new Map<number, number>();
    let checked = 0;
    const failures: string[] = [];
    const memo = new Map<string, string>();
    const check = (body: string, expected: (index: TaintIndex) => string, what: string) => {
      const height = (JSON.parse(body) as { asOf: { height: number } }).asOf.height;
      const index = byHeight.get(height);
      if (!index) return failures.push(`${what}: asOf.height ${height} is neither index's`);
      seen.set(height, (seen.get(height) ?? 0) + 1);
      checked++;
      const key = `${height} ${what}`;
      let want = memo.get(key);
      if (want === undefined) memo.set(key, (want = expected(index)));
      if (body !== want) failures.push(`${what}: not the answer of the index at height ${height}`);
    };

    const worker = async (w: number) => {
      for (let i = 0; i < ROUNDS; i++) {
        const address = addresses[(w * 131 + i * 17) % addresses.length];
        if (i % 10 === 9) {
          const deposits = Array.from({ length: 50 }, (_, k) => ({
            from: addresses[(w + i + k * 7) % addresses.length],
            amount: `${1 + k}.5`,
            ...(k % 2 ? { time: '2018-02-07T00:00:00Z' } : {}),
          }));
          const res = await pool.request({
            path: '/v1/screen',
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ deposits }),
          });
          const body = await res.body.text();
          if (res.statusCode !== 200) failures.push(`screen: status ${res.statusCode} ${body.slice(0, 200)}`);
          else
            check(
              body,
              (index) => {
                const results = deposits.map((d) =>
                  screenView(screenParsed(index, d.from, parseXem(d.amount), d.time === undefined ? null : isoToNem(d.time))),
                );
                return JSON.stringify({ results, asOf: asOfView(index.asOf) });
              },
              `screen ${w} ${i}`,
            );
        } else {
          const res = await pool.request({ path: `/v1/accounts/${address}`, method: 'GET' });
          const body = await res.body.text();
          if (res.statusCode !== 200) failures.push(`account: status ${res.statusCode} ${body.slice(0, 200)}`);
          else check(body, (index) => JSON.stringify(accountView(index, address)), `account ${address}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, (_, w) => worker(w)));
    swapping = false;
    await swapper;

    expect(failures.slice(0, 5)).toEqual([]);
    expect(checked).toBe(32 * ROUNDS);
    // both indexes answered, many times each, and the index was swapped many times meanwhile
    expect(seen.get(OLD.index.asOf.height) ?? 0).toBeGreaterThan(100);
    expect(seen.get(NEW.index.asOf.height) ?? 0).toBeGreaterThan(100);
    expect(swaps).toBeGreaterThan(20);
  });

  it('after a swap the server answers from the new index only, and servedIndex says which', async () => {
    setServerIndex(app, NEW.index);
    expect(servedIndex(app)).toBe(NEW.index);
    const res = await pool.request({ path: `/v1/accounts/${addresses[3]}`, method: 'GET' });
    expect(await res.body.text()).toBe(JSON.stringify(accountView(NEW.index, addresses[3])));
    expect(transferView(NEW.index, '00'.repeat(32))).toBeNull();
  });
});
