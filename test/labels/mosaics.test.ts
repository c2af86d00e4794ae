/**
 * mosaicLabels, addMosaicLabels: taint mosaics become labels on a trace's accounts after the trace, never exits (issue 11
 * item 4); with a trace's table, read from the columns and the rows' fields (issue 10).
 */
import { describe, expect, it } from 'vitest';
import { addMosaicLabels, mosaicLabels } from '../../src/labels/index.js';
import { nemToIso } from '../../src/nem/time.js';
import { rowFields, type Transfer } from '../../src/nem/index.js';
import { tableOfTransfers } from '../../src/taint/table.js';
import type { Label } from '../../src/domain.js';
import { A, B, C, T } from '../screen/fixture.js';

const tagging = (hash: string, sender: string, recipient: string, ns: string | null = 'ts'): Transfer => ({
  hash,
  innerHash: null,
  height: 10,
  timeStamp: 100,
  time: nemToIso(100),
  sender,
  recipient,
  amount: 0,
  fee: 50_000,
  message: null,
  messageType: 0,
  mosaics:
    ns === null
      ? []
      : [{ namespaceId: ns, name: ns === 'ts' ? 'warning_dont_accept_stolen_funds' : 'owner_of_this_account_is_hacker', quantity: '1' }],
  type: 257,
  signer: sender,
});

function result(exitCategories: string[]) {
  const labels = new Map<string, Label>([
    [C, { address: C, label: 'ts tagger', category: 'tagger' }],
    [B, { address: B, label: 'Known thief', category: 'thief' }],
  ]);
  return {
    transfers: [tagging('1'.repeat(64), C, A), tagging('2'.repeat(64), C, B), tagging('3'.repeat(64), T, C)],
    labels,
    case: { exitCategories },
  };
}

describe('addMosaicLabels', () => {
  it("labels the tagger's mosaic recipients as thieves in the trace's labels; labelled accounts keep theirs", () => {
    const r = result(['exchange', 'darkweb']);
    expect(addMosaicLabels(r)).toBe(1);
    expect(r.labels.get(A)).toMatchObject({ category: 'thief', label: 'Tagged by ts tagger with ts:warning_dont_accept_stolen_funds' });
    expect(r.labels.get(A)!.source).toMatch(/^taint mosaic transfer 1{64} \(height 10, /);
    expect(r.labels.get(B)!.label).toBe('Known thief');
    expect(r.labels.has(T)).toBe(false);
  });
  it("with the trace's table: the same labels, read from the columns and the rows' fields, never a Transfer object", () => {
    const byObjects = result(['exchange']);
    addMosaicLabels(byObjects);
    const r = result(['exchange']);
    const objects = [tagging('0'.repeat(64), C, T, null), ...r.transfers];
    const noObjects = (): never => {
      throw new Error('a Transfer object was asked for');
    };
    const transfers = { length: objects.length, at: noObjects, [Symbol.iterator]: noObjects, ...rowFields(objects) };
    expect(addMosaicLabels({ ...r, transfers, table: tableOfTransfers(objects) })).toBe(1);
    expect(r.labels).toEqual(byObjects.labels);
  });
  it('adds none when the case counts thief as an exit category (a mosaic label never stops taint)', () => {
    const r = result(['exchange', 'thief']);
    expect(addMosaicLabels(r)).toBe(0);
    expect(r.labels.has(A)).toBe(false);
  });
});

describe('mosaicLabels', () => {
  it('labels the recipients of mosaics from taggers as thieves, keeping existing labels', () => {
    const labels = new Map([
      [C, { address: C, label: 'Mizunashi', category: 'tagger' }],
      [B, { address: B, label: 'Known', category: 'user' }],
    ]);
    const got = mosaicLabels(
      [
        tagging('1'.repeat(64), C, A, 'mizunashi.stolen'),
        tagging('2'.repeat(64), C, B, 'mizunashi.stolen'),
        tagging('3'.repeat(64), T, C, 'x.y'),
        tagging('4'.repeat(64), C, T, null),
      ],
      labels,
    );
    expect([...got.keys()]).toEqual([A]);
    expect(got.get(A)).toMatchObject({
      category: 'thief',
      label: 'Tagged by Mizunashi with mizunashi.stolen:owner_of_this_account_is_hacker',
    });
  });
});
