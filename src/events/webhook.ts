/**
 * Webhook delivery (docs/contracts.md §6 "Events"): POST each event as JSON, in seq order, with
 *   X-Tainttrace-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>
 *   X-Tainttrace-Event: <seq>
 * retried with exponential backoff and full jitter until the receiver answers 2xx — at least once,
 * in order (event n+1 is not sent before n is acknowledged), idempotent by seq for the receiver.
 *
 * The delivery position (last acknowledged seq, attempts, last error) is kept per URL in the store's
 * `webhooks` sublevel and written (synced) after every acknowledgement, so a restarted follower
 * resumes after the last acknowledged event: an event may be delivered twice (killed between the 2xx
 * and the write), never skipped.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { defaultSleep as sleep } from '../crawl/index.js';
import { TracerError } from '../errors.js';
import type { StoreSublevel } from '../store/index.js';
import type { EventLog } from './log.js';
import type { TaintEvent } from './types.js';

export const WEBHOOKS_SUBLEVEL = 'webhooks';

export interface WebhookPosition {
  url: string;
  /** Last seq the receiver acknowledged (0: none). */
  delivered: number;
  /** Failed attempts at the next event. */
  attempts: number;
  lastError: string | null;
}

export interface WebhookOptions {
  url: string;
  secret: Buffer;
  log: EventLog;
  positions: StoreSublevel;
  /** Backoff: first delay and cap, ms (default 500 / 60,000). */
  baseMs?: number;
  maxMs?: number;
  /** Whole-request deadline, ms (default 10,000). */
  timeoutMs?: number;
  rng?: () => number;
  /** Called after each attempt (for logs and tests). */
  onAttempt?: (e: { seq: number; ok: boolean; status: number | null; error: string | null; delayMs: number }) => void;
}

export function signBody(body: string, secret: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function parseWebhookUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new TracerError('TRACE_INVALID_OPTION', `--webhook must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new TracerError('TRACE_INVALID_OPTION', `--webhook must be an http(s) URL, got ${JSON.stringify(text)}`);
  return u.toString();
}

/** The secret file's bytes without a trailing newline; at least 16 bytes. */
export function readWebhookSecret(path: string): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw new TracerError('TRACE_INVALID_OPTION', `cannot read --webhook-secret-file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === 0x0a || raw[end - 1] === 0x0d)) end--;
  if (end < 16) throw new TracerError('TRACE_INVALID_OPTION', `--webhook-secret-file ${path} must hold a secret of at least 16 bytes`);
  return raw.subarray(0, end);
}

export async function readPosition(positions: StoreSublevel, url: string): Promise<WebhookPosition> {
  const v = (await positions.get(url)) as WebhookPosition | undefined;
  if (v === undefined) return { url, delivered: 0, attempts: 0, lastError: null };
  if (typeof v !== 'object' || v === null || !Number.isSafeInteger(v.delivered))
    throw new TracerError('TRACE_STORE_CORRUPT', `webhook position of ${url} does not decode`);
  return v;
}

/** Delivers until `signal` aborts. Resolves then (never rejects on receiver faults: it retries). */
export async function runWebhook(options: WebhookOptions, signal: AbortSignal): Promise<void> {
  const { url, secret, log, positions } = options;
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const rng = options.rng ?? Math.random;
  const pos = await readPosition(positions, url);
  while (!signal.aborted) {
    const batch = await log.read(pos.delivered, 100);
    if (batch.length === 0) {
      await log.waitAfter(pos.delivered, 30_000, signal);
      continue;
    }
    for (const event of batch) {
      while (!signal.aborted) {
        const r = await post(url, event, secret, timeoutMs, signal);
        if (signal.aborted) return;
        if (r.ok) {
          pos.delivered = event.seq;
          pos.attempts = 0;
          pos.lastError = null;
          await positions.batch([{ type: 'put', key: url, value: pos }], { sync: true });
          options.onAttempt?.({ seq: event.seq, ok: true, status: r.status, error: null, delayMs: 0 });
          break;
        }
        pos.attempts++;
        pos.lastError = r.error;
        const delayMs = Math.floor(rng() * Math.min(maxMs, baseMs * 2 ** Math.min(pos.attempts - 1, 30)));
        await positions.batch([{ type: 'put', key: url, value: pos }]);
        options.onAttempt?.({ seq: event.seq, ok: false, status: r.status, error: r.error, delayMs });
        await sleep(delayMs, signal);
      }
      if (signal.aborted) return;
    }
  }
}

async function post(
  url: string,
  event: TaintEvent,
  secret: Buffer,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const body = JSON.stringify(event);
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  try {
    const res = await request(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'tainttrace-webhook',
        'x-tainttrace-signature': signBody(body, secret),
        'x-tainttrace-event': String(event.seq),
      },
      signal: deadline,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return { ok, status: res.statusCode, error: ok ? null : `HTTP ${res.statusCode}` };
  } catch (err) {
    return { ok: false, status: null, error: (err as Error).message || String(err) };
  }
}
