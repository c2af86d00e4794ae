/**
 * Lots: the FIFO/LIFO lot list of one account (oldest first, same-kind neighbours merged).
 */
import { describe, expect, it } from 'vitest';
import { Lots } from '../../src/taint/lots.js';

describe('Lots', () => {
  it('merges adjacent lots of the same kind', () => {
    const l = new Lots(50, false);
    l.push(20, false);
    l.push(30, true);
    l.push(5, true);
    l.push(10, false);
    expect(l.toArray()).toEqual([
      { amount: 70, tainted: false },
      { amount: 35, tainted: true },
      { amount: 10, tainted: false },
    ]);
  });

  it('FIFO takes the oldest lots first, splitting the last one', () => {
    const l = new Lots(70, false);
    l.push(35, true);
    l.push(10, false);
    expect(l.takeFront(90)).toBe(20); // 70 clean, then 20 of the 35 tainted
    expect(l.toArray()).toEqual([
      { amount: 15, tainted: true },
      { amount: 10, tainted: false },
    ]);
  });

  it('LIFO takes the newest lots first', () => {
    const l = new Lots(70, false);
    l.push(35, true);
    l.push(10, false);
    expect(l.takeBack(40)).toBe(30); // 10 clean, then 30 of the 35 tainted
    expect(l.toArray()).toEqual([
      { amount: 70, tainted: false },
      { amount: 5, tainted: true },
    ]);
  });

  it('puts an implied opening balance in front, as the oldest (clean) funds', () => {
    const l = new Lots(0, false);
    l.push(35, true);
    l.prependClean(15);
    expect(l.toArray()).toEqual([
      { amount: 15, tainted: false },
      { amount: 35, tainted: true },
    ]);
    l.prependClean(5);
    expect(l.toArray()).toEqual([
      { amount: 20, tainted: false },
      { amount: 35, tainted: true },
    ]);
    expect(l.takeFront(30)).toBe(10);
    l.prependClean(1); // head > 0 after a split? the head lot is tainted now: a new clean lot goes in front
    expect(l.toArray()).toEqual([
      { amount: 1, tainted: false },
      { amount: 25, tainted: true },
    ]);
  });

  it('reuses the array when emptied and refilled', () => {
    const l = new Lots(10, true);
    expect(l.takeFront(10)).toBe(10);
    expect(l.size).toBe(0);
    l.push(4, false);
    expect(l.toArray()).toEqual([{ amount: 4, tainted: false }]);
  });
});
