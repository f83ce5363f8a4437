import { describe, expect, it, vi } from 'vitest';
import type { TapBatch } from '../../../../contract/hostContract.js';
import { TapRing } from '../../../../electron/host/inspector/TapRing.js';
import { TapFeed } from '../../../../electron/host/inspector/TapFeed.js';
import { publishRow } from './rows.js';

function setup(opts: { ringRows?: number; maxRows?: number } = {}) {
  const ring = new TapRing({ rows: opts.ringRows ?? 1000, bytes: 1 << 24 });
  const batches: TapBatch[] = [];
  let open = true;
  const feed = new TapFeed(
    ring,
    {},
    { maxRows: opts.maxRows ?? 100, canSend: () => open, send: (b) => batches.push(b) },
  );
  return { ring, feed, batches, block: (v: boolean) => (open = !v) };
}

describe('TapFeed', () => {
  it('sends the rows since the last batch, with running counts', () => {
    const { ring, feed, batches } = setup();
    ring.push(publishRow());
    ring.push(publishRow());
    feed.flush();
    ring.push(publishRow());
    feed.flush();
    expect(batches.map((b) => [b.rows.map((r) => r.seq), b.seen, b.matched, b.skipped, b.reset])).toEqual([
      [[1, 2], 2, 2, 0, true],
      [[3], 3, 3, 0, false],
    ]);
  });

  it('sends nothing when nothing happened', () => {
    const { feed, batches } = setup();
    feed.flush();
    feed.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.reset).toBe(true);
  });

  it('keeps the newest rows over the cap and counts the rest as skipped', () => {
    const { ring, feed, batches } = setup({ maxRows: 10 });
    for (let i = 0; i < 25; i++) ring.push(publishRow({ dest: i }));
    feed.flush();
    expect(batches[0]!.rows.map((r) => r.dest)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(batches[0]!.skipped).toBe(15);
    expect(batches[0]!.seen).toBe(25);
  });

  it('holds its batch while the receiver is backed up, bounded, and reports what it skipped', () => {
    const { ring, feed, batches, block } = setup({ maxRows: 10 });
    block(true);
    for (let tick = 0; tick < 5; tick++) {
      for (let i = 0; i < 8; i++) ring.push(publishRow());
      feed.flush();
    }
    expect(batches).toHaveLength(0);
    block(false);
    feed.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.rows).toHaveLength(10);
    expect(batches[0]!.rows.at(-1)!.seq).toBe(40);
    expect(batches[0]!.skipped).toBe(30);
    expect(batches[0]!.seen).toBe(40);
  });

  it('counts rows the ring overwrote before a flush as skipped', () => {
    const { ring, feed, batches } = setup({ ringRows: 5, maxRows: 100 });
    for (let i = 0; i < 12; i++) ring.push(publishRow());
    feed.flush();
    expect(batches[0]!.rows.map((r) => r.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(batches[0]!.skipped).toBe(7);
    expect(batches[0]!.seen).toBe(12);
  });

  it('filters, and on a new filter resets the receiver with the matching backlog', () => {
    const { ring, feed, batches } = setup();
    ring.push(publishRow({ topic: '/a' }));
    ring.push(publishRow({ topic: '/b' }));
    feed.flush();
    feed.setFilter({ topic: '/a' });
    ring.push(publishRow({ topic: '/a' }));
    ring.push(publishRow({ topic: '/b' }));
    feed.flush();
    const last = batches.at(-1)!;
    expect(last.reset).toBe(true);
    expect(last.rows.map((r) => [r.seq, r.topic])).toEqual([
      [1, '/a'],
      [3, '/a'],
    ]);
    // Tapped goes on across the change; matched counts the backlog and what matched since.
    expect([last.seen, last.matched]).toEqual([4, 2]);
  });

  it('on a new filter after the receiver cleared, resends only rows after its mark', () => {
    const { ring, feed, batches } = setup();
    ring.push(publishRow({ topic: '/temp/a' }));
    ring.push(publishRow({ topic: '/temp/b' }));
    ring.push(publishRow({ topic: '/led' }));
    feed.flush();
    // The receiver pressed Clear after this batch: its mark is the batch's throughSeq.
    const mark = batches.at(-1)!.throughSeq;
    expect(mark).toBe(3);
    ring.push(publishRow({ topic: '/temp/c' }));
    ring.push(publishRow({ topic: '/led' }));
    feed.setFilter({ topic: 'temp' }, mark);
    feed.flush();
    const last = batches.at(-1)!;
    expect(last.reset).toBe(true);
    expect(last.rows.map((r) => [r.seq, r.topic])).toEqual([[4, '/temp/c']]);
    expect([last.seen, last.matched, last.throughSeq]).toEqual([2, 1, 5]);
  });

  it('adds what a node dropped to seen and skipped', () => {
    const { feed, batches } = setup();
    feed.flush();
    feed.addSkipped(7);
    feed.flush();
    expect(batches.at(-1)).toMatchObject({ rows: [], skipped: 7, seen: 7 });
  });

  it('orders a batch by time across nodes (nodes send in batches of their own)', () => {
    const { ring, feed, batches } = setup();
    ring.push(publishRow({ nodeId: 'n1', timeMs: 10 }));
    ring.push(publishRow({ nodeId: 'n1', timeMs: 30 }));
    ring.push(publishRow({ nodeId: 'n2', timeMs: 20 }));
    feed.flush();
    expect(batches[0]!.rows.map((r) => [r.nodeId, r.timeMs])).toEqual([
      ['n1', 10],
      ['n2', 20],
      ['n1', 30],
    ]);
  });

  it('counts the lifecycle rows its kinds hide without collecting more rows than one batch', () => {
    const ring = new TapRing({ rows: 1000, bytes: 1 << 24 });
    for (let i = 0; i < 300; i++) ring.push(publishRow({ kind: i % 3 === 0 ? 'linkDown' : 'publish' }));
    const newest = vi.spyOn(ring, 'newest');
    const batches: TapBatch[] = [];
    const feed = new TapFeed(
      ring,
      { kinds: ['publish'] },
      { maxRows: 50, canSend: () => true, send: (b) => batches.push(b) },
    );
    feed.flush();
    expect(batches[0]).toMatchObject({ hiddenLifecycle: 100 });
    expect(batches[0]!.rows).toHaveLength(50);
    expect(Math.max(...newest.mock.calls.map(([limit]) => limit))).toBe(50);
  });

  it('tells which host numbered its seqs: one instance per ring, another for another ring', () => {
    const a = setup();
    const b = setup();
    a.ring.push(publishRow());
    a.feed.flush();
    a.ring.push(publishRow());
    a.feed.flush();
    b.feed.flush();
    expect(a.batches.map((x) => x.hostInstance)).toEqual([a.ring.instance, a.ring.instance]);
    expect(b.batches[0]!.hostInstance).toBe(b.ring.instance);
    expect(a.ring.instance).not.toBe(b.ring.instance);
  });
});
