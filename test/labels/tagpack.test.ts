/**
 * parseLabels (TagPack YAML), loadLabelFiles and loadCase (files relative to the case file).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { publicKeyToAddress } from '../../src/nem/address.js';
import { loadCase, loadLabelFiles, parseLabels } from '../../src/labels/index.js';

const A = publicKeyToAddress('31'.repeat(32));
const B = publicKeyToAddress('32'.repeat(32));
const dashed = (a: string) => a.match(/.{1,6}/g)!.join('-');

const YAML = `
title: Test tags
creator: tainttrace tests
category: exchange
source: https://example.org/list
confidence: 80
tags:
  - address: ${dashed(A)}
    label: Yobit hot wallet
    memo: "123456"
  - address: ${B}
    label: Thief 1
    category: thief
    confidence: 100
    plays: NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSZ
`;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return isTracerError(err) ? `${err.code} ${err.message}` : `not a TracerError: ${String(err)}`;
  }
  return 'no error';
}

describe('parseLabels', () => {
  it('reads tags, normalises addresses and applies header defaults', () => {
    const labels = parseLabels(YAML, 'tags.yaml');
    expect(labels.get(A)).toEqual({
      address: A,
      label: 'Yobit hot wallet',
      category: 'exchange',
      source: 'https://example.org/list',
      confidence: 80,
      memo: '123456',
    });
    expect(labels.get(B)).toEqual({
      address: B,
      label: 'Thief 1',
      category: 'thief',
      source: 'https://example.org/list',
      confidence: 100,
      plays: 'NC3BI3DNMR2PGEOOMP2NKXQGSAKMS7GYRKVA5CSZ',
    });
  });

  it.each([
    ['not YAML', 'title: [unclosed', /tags\.yaml: (line \d+|YAML): not valid YAML/],
    ['no creator', 'title: T\ntags: []', /tags\.yaml: creator: /],
    ['no tags', 'title: T\ncreator: C', /tags\.yaml: tags: /],
    [
      'bad address',
      `title: T\ncreator: C\ntags:\n  - { address: ${B}, label: x, category: user }\n  - { address: NOTANADDRESS, label: x, category: ` +
        `user }`,
      /tags\.yaml: tags\[1\]\.address: /,
    ],
    ['missing label', `title: T\ncreator: C\ntags:\n  - { address: ${B}, category: user }`, /tags\.yaml: tags\[0\]\.label: missing/],
    ['missing category', `title: T\ncreator: C\ntags:\n  - { address: ${B}, label: x }`, /tags\.yaml: tags\[0\]\.category: missing/],
    [
      'duplicate',
      `title: T\ncreator: C\ntags:\n  - { address: ${B}, label: x, category: user }\n  - { address: ${B}, label: y, category: user }`,
      /tags\[1\]\.address: .* twice/,
    ],
  ])('throws TRACE_INVALID_LABELS naming the file and tag (%s)', (_name, text, pattern) => {
    const got = errorOf(() => parseLabels(text, 'tags.yaml'));
    expect(got).toMatch(/^TRACE_INVALID_LABELS /);
    expect(got).toMatch(pattern);
    expect(got.includes('\n')).toBe(false);
  });
});

describe('loadCase', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tainttrace-labels-'));
    await writeFile(join(dir, 'one.yaml'), YAML);
    await writeFile(
      join(dir, 'two.yaml'),
      `title: Override\ncreator: C\ntags:\n  - { address: ${A}, label: Yobit deposit, category: exchange }\n`,
    );
    await writeFile(
      join(dir, 'case.json'),
      JSON.stringify({ id: 'c', title: 'C', seeds: [{ hash: 'ab'.repeat(32) }], labels: ['one.yaml', 'two.yaml'] }),
    );
    await writeFile(join(dir, 'broken.json'), '{ "id": ');
    await writeFile(
      join(dir, 'missing.json'),
      JSON.stringify({ id: 'c', title: 'C', seeds: [{ hash: 'ab'.repeat(32) }], labels: ['nope.yaml'] }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves label files relative to the case file; a later file overrides an earlier tag', async () => {
    const { caseSpec, labels, labelPaths } = await loadCase(join(dir, 'case.json'));
    expect(caseSpec.id).toBe('c');
    expect(labelPaths).toEqual([join(dir, 'one.yaml'), join(dir, 'two.yaml')]);
    expect(labels.get(A)?.label).toBe('Yobit deposit');
    expect(labels.get(B)?.category).toBe('thief');
  });

  it('throws TRACE_INVALID_CASE for unreadable or non-JSON case files, TRACE_INVALID_LABELS for missing label files', async () => {
    await expect(loadCase(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'TRACE_INVALID_CASE' });
    await expect(loadCase(join(dir, 'broken.json'))).rejects.toMatchObject({ code: 'TRACE_INVALID_CASE' });
    await expect(loadCase(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'TRACE_INVALID_LABELS' });
    await expect(loadLabelFiles([join(dir, 'nope.yaml')])).rejects.toMatchObject({ code: 'TRACE_INVALID_LABELS' });
  });

  const coincheck = join(process.cwd(), 'fixtures/coincheck/case.json');
  it.skipIf(!existsSync(coincheck))('loads the Coincheck fixture case and its labels', async () => {
    const { caseSpec, labels } = await loadCase(coincheck);
    expect(caseSpec.seeds.length).toBeGreaterThan(0);
    expect(labels.size).toBeGreaterThan(0);
    expect([...labels.values()].some((l) => caseSpec.exitCategories.includes(l.category))).toBe(true);
  });
});
