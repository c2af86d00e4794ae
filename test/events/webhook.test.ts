/**
 * Webhooks: signed, in order, retried until 2xx, position kept in the store — the receiver killed and
 * restarted, the follower (delivery loop) stopped and restarted: every event arrives, in order, none skipped.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EventLog,
  EVENTS_SUBLEVEL,
  readPosition,
  readWebhookSecret,
  runWebhook,
  WEBHOOKS_SUBLEVEL,
  type NewEvent,
} from '../../src/events/index.js';
import { openStore } from '../../src/store/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'tt-webhook-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const secret = Buffer.from('a-shared-secret-of-32-bytes-long');
const ev = (n: number): NewEvent => ({
  key: `k${n}`,
  event: { type: 'exit.reached', at: '2018-02-07T00:00:00.000Z', height: n, final: true, caseId: 'c', transfer: String(n) },
});

/** A receiver that checks the signature, answers `plan(seq, attempt)` and records what it acknowledged. */
function receiver(port: number, plan: (seq: number) => number, seen: number[], bad: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const want = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const seq = Number(req.headers['x-tainttrace-event']);
      if (req.headers['x-tainttrace-signature'] !== want || JSON.parse(body).seq !== seq) bad.push(body);
      const status = plan(seq);
      if (status >= 200 && status < 300) seen.push(seq);
      res.writeHead(status).end();
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('runWebhook', () => {
  it('delivers every event once acknowledged, in order, through receiver faults, kills and a follower restart', async () => {
    const dir = join(tmp, 'store');
    let store = await openStore(dir);
    let log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    await log.append([1, 2, 3, 4, 5].map(ev));
    const seen: number[] = [];
    const bad: string[] = [];
    const tries = new Map<number, number>();
    // seq 2 fails twice (500, 503), seq 4 is acknowledged only after the receiver was killed and restarted.
    let server = await receiver(
      0,
      (seq) => {
        const n = (tries.get(seq) ?? 0) + 1;
        tries.set(seq, n);
        if (seq >= 4) return 503; // this receiver never acknowledges 4: it is killed first
        return seq === 2 && n <= 2 ? (n === 1 ? 500 : 503) : 200;
      },
      seen,
      bad,
    );
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/hook`;
    let stop = new AbortController();
    const attempts: { seq: number; ok: boolean }[] = [];
    let running = runWebhook(
      {
        url,
        secret,
        log,
        positions: store.sublevel(WEBHOOKS_SUBLEVEL),
        baseMs: 5,
        maxMs: 20,
        rng: () => 1,
        onAttempt: (a) => attempts.push(a),
      },
      stop.signal,
    );
    while (seen.length < 3) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([1, 2, 3]);
    expect(attempts.filter((a) => a.seq === 2).map((a) => a.ok)).toEqual([false, false, true]);

    // Kill the receiver: deliveries fail (connection refused) and are retried.
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
    await log.append([6].map(ev));
    while (attempts.filter((a) => !a.ok && a.seq === 4).length < 3) await new Promise((r) => setTimeout(r, 5));
    // Stop the follower too, then restart both.
    stop.abort();
    await running;
    await store.close();
    expect((await readPositionOf(dir, url)).delivered).toBe(3);
    server = await receiver(port, () => 200, seen, bad);
    store = await openStore(dir);
    log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), dir);
    stop = new AbortController();
    let acked = 0;
    running = runWebhook(
      {
        url,
        secret,
        log,
        positions: store.sublevel(WEBHOOKS_SUBLEVEL),
        baseMs: 5,
        maxMs: 20,
        onAttempt: (a) => {
          if (a.ok) acked = a.seq;
        },
      },
      stop.signal,
    );
    while (seen.length < 6) await new Promise((r) => setTimeout(r, 5));
    await log.append([7].map(ev)); // a new event reaches a waiting deliverer
    while (acked < 7) await new Promise((r) => setTimeout(r, 5)); // acknowledged and its position stored
    stop.abort();
    await running;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(bad).toEqual([]);
    expect(await readPosition(store.sublevel(WEBHOOKS_SUBLEVEL), url)).toMatchObject({ delivered: 7, attempts: 0, lastError: null });
    await store.close();
    await new Promise<void>((r) => server.close(() => r()));
  }, 60_000);

  it('refuses a short or missing secret file', () => {
    writeFileSync(join(tmp, 'short'), 'tooshort\n');
    expect(() => readWebhookSecret(join(tmp, 'short'))).toThrow(expect.objectContaining({ code: 'TRACE_INVALID_OPTION' }));
    expect(() => readWebhookSecret(join(tmp, 'missing'))).toThrow(/cannot read/);
    writeFileSync(join(tmp, 'ok'), 'sixteen-bytes-ok\r\n');
    expect(readWebhookSecret(join(tmp, 'ok')).toString()).toBe('sixteen-bytes-ok');
  });
});

async function readPositionOf(dir: string, url: string) {
  const store = await openStore(dir);
  try {
    return await readPosition(store.sublevel(WEBHOOKS_SUBLEVEL), url);
  } finally {
    await store.close();
  }
}
