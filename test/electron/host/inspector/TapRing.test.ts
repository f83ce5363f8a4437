import { describe, expect, it } from 'vitest';
import { TapRing, rowCost } from '../../../../electron/host/inspector/TapRing.js';
import { publishRow } from './rows.js';

describe('TapRing', () => {
  it('numbers rows without gaps and hands each reader what came after its cursor', () => {
    const ring = new TapRing({ rows: 10, bytes: 1 << 20 });
    for (let i = 0; i < 4; i++) ring.push(publishRow({ dest: i }));
    expect(ring.lastSeq).toBe(4);
    const { rows, missed } = ring.since(2);
    expect(rows.map((r) => [r.seq, r.dest])).toEqual([
      [3, 2],
      [4, 3],
    ]);
    expect(missed).toBe(0);
    expect(ring.since(4).rows).toEqual([]);
  });

  it('keeps the newest rows within its row count, and tells a late reader how many it missed', () => {
    const ring = new TapRing({ rows: 5, bytes: 1 << 20 });
    for (let i = 0; i < 12; i++) ring.push(publishRow({ dest: i }));
    expect(ring.size).toBe(5);
    const { rows, missed } = ring.since(3);
    expect(rows.map((r) => r.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(missed).toBe(4);
  });

  it('stays within its byte budget whatever the payload sizes', () => {
    const budget = 64 << 10;
    const ring = new TapRing({ rows: 100_000, bytes: budget });
    for (let i = 0; i < 5_000; i++) {
      const payload = Buffer.alloc((i * 7919) % 3000).toString('base64');
      ring.push(publishRow({ payload }));
      expect(ring.byteSize).toBeLessThanOrEqual(budget);
    }
    const rows = ring.since(0).rows;
    expect(rows.reduce((sum, r) => sum + rowCost(r), 0)).toBe(ring.byteSize);
    expect(rows.at(-1)!.seq).toBe(5_000);
    expect(rows.length).toBeGreaterThan(10);
  });

  it('keeps a row larger than the whole budget alone rather than losing the newest', () => {
    const ring = new TapRing({ rows: 10, bytes: 1000 });
    ring.push(publishRow());
    ring.push(publishRow({ payload: 'x'.repeat(5000) }));
    expect(ring.since(0).rows.map((r) => r.seq)).toEqual([2]);
  });

  it('returns the newest matching rows, oldest first, for a backlog', () => {
    const ring = new TapRing({ rows: 100, bytes: 1 << 20 });
    for (let i = 0; i < 20; i++) ring.push(publishRow({ dest: i }));
    const odd = ring.newest(3, (r) => r.dest % 2 === 1);
    expect(odd.map((r) => r.dest)).toEqual([15, 17, 19]);
  });

  it('counts the rows a predicate accepts across the wrap of its slots', () => {
    const ring = new TapRing({ rows: 5, bytes: 1 << 20 });
    for (let i = 0; i < 8; i++) ring.push(publishRow({ dest: i }));
    expect(ring.countWhere(() => true)).toBe(5);
    expect(ring.countWhere((r) => r.dest % 2 === 0)).toBe(2);
    expect(ring.countWhere((r) => r.seq > 6)).toBe(2);
  });

  it('resizes keeping the newest rows and their numbers', () => {
    const ring = new TapRing({ rows: 10, bytes: 1 << 20 });
    for (let i = 0; i < 10; i++) ring.push(publishRow({ dest: i }));
    ring.resize({ rows: 3, bytes: 1 << 20 });
    expect(ring.since(0).rows.map((r) => r.seq)).toEqual([8, 9, 10]);
    ring.push(publishRow());
    expect(ring.since(9).rows.map((r) => r.seq)).toEqual([10, 11]);
  });
});
