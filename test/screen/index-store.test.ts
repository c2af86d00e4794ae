import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTaintIndex, loadTaintIndex, saveTaintIndex, screenDeposit, type JsonSublevel } from '../../src/screen/index.js';
import { isTracerError } from '../../src/errors.js';
import { syntheticAddresses } from '../../src/fixture/synthetic-index.js';
import { A, D, smallResult } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-index-'));
const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
const sub = (name: string) => db.sublevel<string, unknown>(name, { valueEncoding: 'json' });
const _typeCheck: JsonSublevel = db.sublevel<string, unknown>('x', { valueEncoding: 'json' });
void _typeCheck;
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('saveTaintIndex / loadTaintIndex', () => {
  it('round-trips the index exactly', async () => {
    const index = buildTaintIndex(smallResult());
    await saveTaintIndex(sub('taint'), index);
    const loaded = await loadTaintIndex(sub('taint'));
    expect(loaded).toEqual(index);
    expect(screenDeposit(loaded, { from: A, amount: '12.345678' })).toEqual(screenDeposit(index, { from: A, amount: '12.345678' }));
  });
  it('replaces the previous index (no stale keys left)', async () => {
    const result = smallResult();
    result.policies.poison!.accounts.delete(D);
    result.policies.poison!.transferTaint.clear();
    const smaller = buildTaintIndex(result);
    await saveTaintIndex(sub('taint'), smaller);
    const loaded = await loadTaintIndex(sub('taint'));
    expect(loaded.accounts.has(D)).toBe(false);
    expect(loaded).toEqual(smaller);
  });
  it('keeps the coverage (chunks of 4,096 addresses); an index saved without it loads with none', async () => {
    const index = buildTaintIndex(smallResult());
    const many = new Set([...index.covered!, ...syntheticAddresses(5000)]);
    await saveTaintIndex(sub('cov'), { ...index, covered: many });
    expect((await loadTaintIndex(sub('cov'))).covered).toEqual(many);
    await saveTaintIndex(sub('old'), { ...index, covered: null });
    expect((await loadTaintIndex(sub('old'))).covered).toBeNull();
    await db.sublevel<string, unknown>('cov', { valueEncoding: 'json' }).del('c:000001');
    await expect(loadTaintIndex(sub('cov'))).rejects.toSatisfy((e) => isTracerError(e, 'TRACE_STORE_CORRUPT'));
  });
  it('throws TRACE_STORE_EMPTY when nothing was saved, TRACE_STORE_CORRUPT on a bad record', async () => {
    await expect(loadTaintIndex(sub('empty'))).rejects.toSatisfy((e) => isTracerError(e, 'TRACE_STORE_EMPTY'));
    await saveTaintIndex(sub('bad'), buildTaintIndex(smallResult()));
    await db.sublevel<string, unknown>('bad', { valueEncoding: 'json' }).put(`a:${A}`, { p: 5 });
    await expect(loadTaintIndex(sub('bad'))).rejects.toSatisfy((e) => isTracerError(e, 'TRACE_STORE_CORRUPT'));
  });
});
