/**
 * `tainttrace trace` on bad input: one line naming what was wrong, exit 2, nothing created or changed.
 * (The happy path runs in test/jobs/demo-job.test.ts, through the same traceJob.)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_CASE_FILE } from '../../src/jobs/demo-job.js';
import { runCli } from './helpers.js';

const run = runCli;

const tmp = mkdtempSync(join(tmpdir(), 'tainttrace-cli-trace-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tainttrace trace — bad input', () => {
  it('requires --db and --case', async () => {
    const a = await run('trace', '--case', DEMO_CASE_FILE);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^tainttrace trace: --db is required .*\[TRACE_INVALID_OPTION\]\n$/);
    const b = await run('trace', '--db', join(tmp, 'x'));
    expect(b.err).toMatch(/--case is required/);
  });

  it('names an unknown policy and an unknown format', async () => {
    const a = await run('trace', '--db', tmp, '--case', DEMO_CASE_FILE, '--policy', 'haircut,fifi');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/unknown policy "fifi".*\[TRACE_INVALID_OPTION\]/);
    const b = await run('trace', '--db', tmp, '--case', DEMO_CASE_FILE, '--format', 'json,pdf');
    expect(b.err).toMatch(/unknown format "pdf"/);
  });

  it('does not create a store where none is (TRACE_STORE_EMPTY), and prints JSON errors with --json', async () => {
    const dir = join(tmp, 'missing-store');
    const a = await run('trace', '--db', dir, '--case', DEMO_CASE_FILE, '--json');
    expect(a.code).toBe(2);
    expect(JSON.parse(a.out)).toEqual({ error: { code: 'TRACE_STORE_EMPTY', message: expect.stringContaining('no store at') } });
    expect(existsSync(dir)).toBe(false);
  });

  it('rejects an unreadable case file before touching the store', async () => {
    const dir = join(tmp, 'also-missing');
    const a = await run('trace', '--db', dir, '--case', join(tmp, 'nope.json'));
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/cannot read .*\[TRACE_INVALID_CASE\]/);
    expect(existsSync(dir)).toBe(false);
  });
});
