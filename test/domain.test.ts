/**
 * The shared vocabulary (src/domain.ts): the exit rule has one home, and it reads labels and categories only.
 */
import { describe, expect, it } from 'vitest';
import { AMOUNT_POLICIES, DEFAULT_EXIT_CATEGORIES, POLICIES, exitTest, isExitLabel, type Label } from '../src/domain.js';

const label = (address: string, category: string): Label => ({ address, label: address, category });

describe('isExitLabel', () => {
  it('is an exit when the label category is one of the exit categories', () => {
    expect(isExitLabel(label('A', 'exchange'), DEFAULT_EXIT_CATEGORIES)).toBe(true);
    expect(isExitLabel(label('A', 'darkweb'), ['exchange'])).toBe(false);
  });
  it('is never an exit without a label, or with no exit categories', () => {
    expect(isExitLabel(undefined, DEFAULT_EXIT_CATEGORIES)).toBe(false);
    expect(isExitLabel(null, DEFAULT_EXIT_CATEGORIES)).toBe(false);
    expect(isExitLabel(label('A', 'exchange'), [])).toBe(false);
  });
  it('compares categories exactly (no case folding, no prefix)', () => {
    expect(isExitLabel(label('A', 'Exchange'), ['exchange'])).toBe(false);
    expect(isExitLabel(label('A', 'exchange-hot'), ['exchange'])).toBe(false);
  });
});

describe('exitTest', () => {
  it('binds the rule to a label set and agrees with isExitLabel for every address', () => {
    const labels = new Map([label('E', 'exchange'), label('M', 'mixer'), label('V', 'victim')].map((l) => [l.address, l]));
    const isExit = exitTest(labels, ['exchange', 'mixer']);
    for (const a of ['E', 'M', 'V', 'unknown']) expect(isExit(a)).toBe(isExitLabel(labels.get(a), ['exchange', 'mixer']));
    expect(['E', 'M', 'V', 'unknown'].filter(isExit)).toEqual(['E', 'M']);
  });
});

describe('policies', () => {
  it('lists the six policies in canonical order, the amount policies being all but poison', () => {
    expect(POLICIES).toEqual(['poison', 'haircut', 'fifo', 'lifo', 'taint-first', 'clean-first']);
    expect(AMOUNT_POLICIES).toEqual(POLICIES.filter((p) => p !== 'poison'));
  });
});
