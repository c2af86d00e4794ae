/** GET /v1/events: JSON after a seq, long-poll, server-sent events; 404 on a server that follows nothing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, EVENTS_SUBLEVEL, type NewEvent } from '../../src/events/index.js';
import { buildServer } from '../../src/server/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { expectError, fixtureIndex } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'tt-events-route-'));
let store: Store;
let log: EventLog;
let app: ReturnType<typeof buildServer>;
const ev = (n: number): NewEvent => ({
  key: `k${n}`,
  event: { type: 'account.tainted', at: '2018-01-26T00:00:00.000Z', height: n, final: false, caseId: 'small', account: `A${n}` },
});

beforeAll(async () => {
  store = await openStore(join(tmp, 'store'));
  log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), null);
  await log.append([ev(1), ev(2), ev(3)]);
  app = buildServer({ index: fixtureIndex, events: log });
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('GET /v1/events', () => {
  it('answers the events after a seq, and the head', async () => {
    const all = (await app.inject('/v1/events')).json();
    expect(all.head).toBe(3);
    expect(all.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(all.events[0]).toEqual({
      seq: 1,
      type: 'account.tainted',
      at: '2018-01-26T00:00:00.000Z',
      height: 1,
      final: false,
      caseId: 'small',
      account: 'A1',
    });
    expect((await app.inject('/v1/events?after=1&limit=1')).json().events.map((e: { seq: number }) => e.seq)).toEqual([2]);
    expect((await app.inject('/v1/events?after=3')).json()).toEqual({ events: [], head: 3 });
  });
  it('long-polls: answers as soon as an event after the seq is appended', async () => {
    const pending = app.inject('/v1/events?after=3&wait=30');
    setTimeout(() => void log.append([ev(4)]), 50);
    const body = (await pending).json();
    expect(body.events.map((e: { seq: number }) => e.seq)).toEqual([4]);
  });
  it('streams server-sent events from Last-Event-ID on, new ones as they come', async () => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const stop = new AbortController();
    const res = await request(`${url}/v1/events`, { headers: { accept: 'text/event-stream', 'last-event-id': '2' }, signal: stop.signal });
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    let text = '';
    setTimeout(() => void log.append([ev(5)]), 50);
    try {
      for await (const chunk of res.body) {
        text += chunk;
        if (text.includes('id: 5\n')) break;
      }
    } finally {
      stop.abort();
    }
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual([3, 4, 5]);
    expect(text).toMatch(/event: account.tainted\ndata: \{"seq":3,/);
  });
  it('rejects a bad query with 400, and is 404 on a server without events', async () => {
    expectError(await app.inject('/v1/events?after=x'), 'TRACE_INVALID_OPTION');
    expectError(await app.inject('/v1/events?wait=61'), 'TRACE_INVALID_OPTION');
    expectError(await app.inject('/v1/events?limit=0'), 'TRACE_INVALID_OPTION');
    const plain = buildServer({ index: fixtureIndex });
    expectError(await plain.inject('/v1/events'), 'TRACE_NOT_FOUND');
    await plain.close();
  });
});
