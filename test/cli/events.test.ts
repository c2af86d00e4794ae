/** `tainttrace events`: NDJSON from the store, from the mirror while the follower holds the store, and --follow. */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EventLog, EVENTS_MIRROR, EVENTS_SUBLEVEL, type NewEvent } from '../../src/events/index.js';
import { openStore } from '../../src/store/index.js';
import { captureIo, runCli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'tt-cli-events-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ev = (n: number): NewEvent => ({
  key: `k${n}`,
  event: { type: 'exit.reached', at: '2018-02-07T00:00:00.000Z', height: n, final: false, caseId: 'c' },
});
const seqs = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).seq);

describe('tainttrace events', () => {
  const dir = join(tmp, 'store');
  it('prints the stored events as NDJSON, after a seq', async () => {
    const store = await openStore(dir);
    const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    await log.append([1, 2, 3].map(ev));
    await store.close();
    expect(seqs((await runCli('events', '--db', dir)).out)).toEqual([1, 2, 3]);
    expect(seqs((await runCli('events', '--db', dir, '--after', '2')).out)).toEqual([3]);
  });
  it('reads the mirror while the follower holds the store, and --follow prints new events as they come', async () => {
    const store = await openStore(dir); // the follower
    const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    expect(seqs((await runCli('events', '--db', dir, '--after', '1')).out)).toEqual([2, 3]);
    const c = captureIo();
    const running = main(['events', '--db', dir, '--follow'], c.io);
    await log.append([4].map(ev));
    await log.append([5].map(ev));
    while (seqs(c.out()).length < 5) await new Promise((r) => setTimeout(r, 20));
    c.stop.abort();
    expect(await running).toBe(0);
    expect(seqs(c.out())).toEqual([1, 2, 3, 4, 5]);
    await store.close();
  });
  it('names a corrupt mirror (TRACE_STORE_CORRUPT) and a bad --after (TRACE_INVALID_OPTION)', async () => {
    const store = await openStore(dir);
    appendFileSync(join(dir, EVENTS_MIRROR), '{"seq":99,"type":"x"}\n');
    const r = await runCli('events', '--db', dir);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/expected seq 6, got 99 \[TRACE_STORE_CORRUPT\]/)]);
    await store.close();
    expect((await runCli('events', '--db', dir, '--after', '-1')).err).toMatch(/TRACE_INVALID_OPTION/);
  });
});
