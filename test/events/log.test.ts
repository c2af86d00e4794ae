/** The durable event sequence: numbered in order, fire-once keys, one synced batch, a mirror other processes read. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventLog, EVENTS_MIRROR, EVENTS_SUBLEVEL, lastMirrorSeq, type NewEvent } from '../../src/events/index.js';
import { openStore } from '../../src/store/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'tt-events-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ev = (n: number, key: string | null = `k${n}`): NewEvent => ({
  key,
  event: { type: 'account.tainted', at: '2018-01-26T00:00:00.000Z', height: n, final: false, caseId: 'c', account: `A${n}` },
});
const mirrorSeqs = (dir: string) =>
  readFileSync(join(dir, EVENTS_MIRROR), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).seq);

describe('EventLog', () => {
  it('numbers events 1, 2, … and fires each key once, across reopenings', async () => {
    const dir = join(tmp, 'a');
    let store = await openStore(dir);
    let log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    expect((await log.append([ev(1), ev(2), ev(1)])).map((e) => e.seq)).toEqual([1, 2]);
    expect(await log.append([ev(1), ev(2)])).toEqual([]);
    expect((await log.append([ev(3), ev(9, null), ev(9, null)])).map((e) => e.seq)).toEqual([3, 4, 5]);
    await store.close();
    store = await openStore(dir);
    log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    expect(log.head).toBe(5);
    expect(log.hasFired('k2')).toBe(true);
    expect((await log.append([ev(2), ev(4)])).map((e) => [e.seq, e.account])).toEqual([[6, 'A4']]);
    expect((await log.read(0)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await log.read(4, 1)).map((e) => e.seq)).toEqual([5]);
    expect(mirrorSeqs(dir)).toEqual([1, 2, 3, 4, 5, 6]);
    await store.close();
  });
  it('a released key fires again (a fork retracted what fired it)', async () => {
    const dir = join(tmp, 'b');
    const store = await openStore(dir);
    const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    await log.append([ev(1)]);
    await log.append([], ['k1']);
    expect(log.hasFired('k1')).toBe(false);
    expect((await log.append([ev(1)])).map((e) => e.seq)).toEqual([2]);
    await store.close();
  });
  it('repairs the mirror on open: a torn last line is cut, missing lines are appended', async () => {
    const dir = join(tmp, 'c');
    let store = await openStore(dir);
    const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    await log.append([ev(1), ev(2), ev(3)]);
    await store.close();
    const path = join(dir, EVENTS_MIRROR);
    truncateSync(path, statSync(path).size - 20); // the process died writing line 3
    expect(lastMirrorSeq(path)).toBe(2);
    store = await openStore(dir);
    await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    expect(mirrorSeqs(dir)).toEqual([1, 2, 3]);
    await store.close();
    appendFileSync(path, '{"seq":'); // torn again
    store = await openStore(dir);
    await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    expect(mirrorSeqs(dir)).toEqual([1, 2, 3]);
    await store.close();
  });
  it('waitAfter resolves when a later event is appended, or at the timeout', async () => {
    const dir = join(tmp, 'd');
    const store = await openStore(dir);
    const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), null);
    let woke = false;
    const waiting = log.waitAfter(0, 60_000).then(() => {
      woke = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    await log.append([ev(1)]);
    await waiting;
    expect(woke).toBe(true);
    await log.waitAfter(1, 10); // times out
    await store.close();
  });
});
