/**
 * `tainttrace paths`: tainted paths from the case's seeds to an address, as text and JSON; bad input
 * as one line and exit 2.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRoot } from '../crawl/helpers.js';
import { bundle, byLabel, scenarioStore } from '../exposure/fixture.js';
import { runCli } from './helpers.js';

const root = tempRoot('tt-paths-cli-');
const db = root.sub('store');
const caseFile = root.sub('case.json');
const yobit = byLabel('Yobit');
beforeAll(async () => {
  writeFileSync(caseFile, JSON.stringify(bundle.caseJson));
  writeFileSync(root.sub('labels.yaml'), bundle.labelsYaml);
  await (await scenarioStore(db)).close();
});
afterAll(() => root.remove());

describe('tainttrace paths', () => {
  it('lists the paths to an exit, fewest hops first', async () => {
    const r = await runCli('paths', '--db', db, '--case', caseFile, '--to', yobit, '--max', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^3 tainted path\(s\) to \w+ under haircut, fewest hops first\n\n#1 {2}\d hop\(s\)\n {2}2018-01-25T/);
  });

  it('prints JSON with --json and honours --policy', async () => {
    const r = await runCli('paths', '--db', db, '--case', caseFile, '--to', yobit, '--policy', 'poison', '--max', '2', '--json');
    const v = JSON.parse(r.out);
    expect(v).toMatchObject({ to: yobit, policy: 'poison' });
    expect(v.paths).toHaveLength(2);
    expect(v.paths[0][0].amount).toMatch(/^\d+\.\d{6}$/);
    expect(bundle.truth.theftHashes).toContain(v.paths[0][0].hash);
  });

  it.each([
    [['paths', '--db', db, '--case', caseFile], /--to is required/, 'TRACE_INVALID_OPTION'],
    [['paths', '--db', db, '--case', caseFile, '--to', yobit, '--policy', 'fifi'], /unknown policy "fifi"/, 'TRACE_INVALID_OPTION'],
    [['paths', '--db', db, '--case', caseFile, '--to', 'NOPE'], /./, 'TRACE_INVALID_ADDRESS'],
    [['paths', '--db', db, '--case', caseFile, '--to', yobit, '--max', '0'], /--max must be/, 'TRACE_INVALID_OPTION'],
    [['paths', '--db', db, '--case', root.sub('none.json'), '--to', yobit], /cannot read/, 'TRACE_INVALID_CASE'],
  ])('refuses %j with one line', async (argv, message, code) => {
    const r = await runCli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^tainttrace paths: .*\\[${code}\\]\\n$`));
    expect(r.err).toMatch(message);
  });
});
