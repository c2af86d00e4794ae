/**
 * `tainttrace demo --live` on its defaults (only --block-ms shortened and --dir given): the Coincheck theft
 * unfolds block by block on an in-process live fixture node; the alerts print as they fire — the hot
 * wallet's moves and drain alarm, the theft's first recipient tainted with the whole first seed, the
 * onward split — and the run ends by itself with a summary. The store it leaves holds the same events.
 * Bad flags are one line, exit 2.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EventLog, EVENTS_SUBLEVEL } from '../../src/events/index.js';
import { openStore } from '../../src/store/index.js';
import { tempRoot } from '../crawl/helpers.js';
import { runCli } from './helpers.js';

const root = tempRoot('tt-cli-demo-live-');
afterAll(() => root.remove());

describe('tainttrace demo --live', () => {
  it('prints the alerts as the theft unfolds and ends by itself', async () => {
    const dir = root.sub('demo');
    const { code, out, err } = await runCli('demo', '--live', '--dir', dir, '--block-ms', '20');
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^fixture node for the Coincheck scenario at http:\/\/127\.0\.0\.1:\d+, live from height \d+: 120 blocks/);
    // the hot wallet's drain alarm and the theft's first recipient (the stand-in for NC4C6P…), tainted under every policy
    expect(out).toMatch(/watch\.drained .*Coincheck NEM hot wallet sent [\d.]+ XEM within its window — DRAINED/);
    const first = lines.find((l) => l.includes('account.tainted') && l.includes('NDCQVOU23DBAFWGW5J4RPD32RGXHTIQ6G7UORIDF'));
    expect(first).toMatch(
      / poison [1-9][\d.]+, haircut [1-9][\d.]+, fifo [1-9][\d.]+, lifo [1-9][\d.]+, taint-first [1-9][\d.]+, clean-first [1-9]/,
    );
    // the onward split taints more accounts; each once
    const tainted = lines.filter((l) => / account\.tainted /.test(l)).map((l) => l.split(/\s+/)[5]);
    expect(tainted.length).toBeGreaterThan(5);
    expect(new Set(tainted).size).toBe(tainted.length);
    const summary = lines.find((l) => l.startsWith('120 blocks played up to height'));
    expect(summary).toMatch(/account\.tainted/);

    // what printed is what the store holds
    const store = await openStore(`${dir}/store`);
    const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), null);
    const stored = await log.read(0);
    await store.close();
    expect(stored.filter((e) => e.type === 'account.tainted').map((e) => e.account)).toEqual(tainted);
  }, 300_000);

  it('refuses --blocks without --live and a bad --blocks, in one line', async () => {
    const a = await runCli('demo', '--blocks', '5');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^tainttrace demo: --blocks and --block-ms go with --live \[TRACE_INVALID_OPTION\]\n$/);
    const b = await runCli('demo', '--live', '--blocks', '0');
    expect(b.code).toBe(2);
    expect(b.err.trim().split('\n')).toHaveLength(1);
    expect(b.err).toMatch(/TRACE_INVALID_OPTION/);
  });
});
