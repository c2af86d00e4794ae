/**
 * `tainttrace screen`: answers from the stored index; an address the store never saw is `unknown`
 * (outside coverage), never `none`; bad input is one line and exit 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTaintIndex, saveTaintIndexToDir } from '../../src/screen/index.js';
import { A, C, U, smallResult } from '../screen/fixture.js';
import { runCli } from './helpers.js';

const run = runCli;

const tmp = mkdtempSync(join(tmpdir(), 'tainttrace-cli-screen-'));
const db = join(tmp, 'store');
beforeAll(() => saveTaintIndexToDir(db, buildTaintIndex(smallResult())));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tainttrace screen', () => {
  it('says UNKNOWN and NOT reached for an address the store never saw', async () => {
    const r = await run('screen', '--db', db, U, '--amount', '5');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/risk UNKNOWN {2}score - {2}\(outside coverage/);
    expect(r.out).toMatch(/coverage case small, tip 40: NOT reached/);
    const j = JSON.parse((await run('screen', '--db', db, U, '--json')).out);
    expect([j.risk, j.score, j.coverage]).toEqual(['unknown', null, { caseId: 'small', tip: 40, reached: false, provisional: false }]);
  });
  it('says NONE only for a reached, untouched address, and grades a tainted one', async () => {
    const c = JSON.parse((await run('screen', '--db', db, C, '--json')).out);
    expect([c.risk, c.score, c.coverage.reached]).toEqual(['none', 0, true]);
    const a = await run('screen', '--db', db, A, '--amount', '10');
    expect(a.out).toMatch(/risk HIGH/);
    expect(a.out).toMatch(/coverage case small, tip 40: reached/);
    expect(a.out).toMatch(/PROVISIONAL: rests on transfers at or above height 1, which a fork/); // the small chain is 40 blocks long
  });
  it('rejects a bad address in one line, exit 2', async () => {
    const r = await run('screen', '--db', db, 'NOTANADDRESS');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tainttrace screen: .*\[TRACE_INVALID_ADDRESS\]\n$/);
  });
});
