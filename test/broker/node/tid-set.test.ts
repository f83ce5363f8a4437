import { describe, expect, it } from 'vitest';
import { TidSet } from '../../../broker/src/node/Session.js';

const byValue = (x: number, y: number): number => x - y;

describe("TidSet, a session's subscriptions (one inline, a Set from the second)", () => {
  it('behaves as a Set of TIDs through none, one and many', () => {
    const s = new TidSet();
    expect([s.size, s.has(5), [...s]]).toEqual([0, false, []]);
    expect(s.delete(5)).toBe(false);
    s.add(5).add(5);
    expect([s.size, s.has(5), s.has(6), [...s]]).toEqual([1, true, false, [5]]);
    expect(s.delete(6)).toBe(false);
    s.add(6).add(7).add(6);
    expect([s.size, [...s].sort(byValue)]).toEqual([3, [5, 6, 7]]);
    expect(s.delete(5)).toBe(true);
    expect(s.delete(5)).toBe(false);
    expect([s.size, s.has(5), [...s].sort(byValue)]).toEqual([2, false, [6, 7]]);
  });

  it('visits every TID while each is deleted during the walk (a session closing)', () => {
    for (const tids of [[9], [9, 10, 11]]) {
      const s = new TidSet();
      for (const t of tids) s.add(t);
      const seen: number[] = [];
      for (const t of s) {
        seen.push(t);
        s.delete(t);
      }
      expect(seen.sort(byValue)).toEqual(tids);
      expect(s.size).toBe(0);
    }
  });
});
