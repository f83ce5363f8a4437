import { describe, expect, it } from 'vitest';
import { Backoff, UrlRotation } from '../../../broker/src/client/backoff.js';

describe('Backoff', () => {
  it('doubles from the minimum up to the cap, scaled by jitter into [half, full]', () => {
    const top = new Backoff(100, 1000, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6].map(() => top.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    const bottom = new Backoff(100, 1000, () => 0);
    expect([1, 2, 3, 4, 5].map(() => bottom.next())).toEqual([50, 100, 200, 400, 500]);
  });

  it('starts over from the minimum after reset (a connection succeeded)', () => {
    const b = new Backoff(100, 1000, () => 0.999999);
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(100);
  });
});

describe('UrlRotation', () => {
  it('visits every URL once per round, in a random order', () => {
    const urls = ['a', 'b', 'c', 'd'];
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const r = new UrlRotation(urls, random);
    const rounds = Array.from({ length: 6 }, () => urls.map(() => r.next()));
    for (const round of rounds) expect([...round].sort()).toEqual(urls);
    expect(new Set(rounds.map((x) => x.join())).size).toBeGreaterThan(1);
  });

  it('refuses an empty list', () => {
    expect(() => new UrlRotation([])).toThrow(RangeError);
  });
});
