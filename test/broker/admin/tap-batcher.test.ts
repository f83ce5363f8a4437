import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TapBatcher, type TapBudget } from '../../../broker/src/admin/TapBatcher.js';
import type { TapFrame } from '../../../broker/src/admin/adminWire.js';
import type { TapPublishEvent, TapSessionEvent } from '../../../broker/src/node/tap.js';

function publishEvent(payload: Buffer): TapPublishEvent {
  return {
    kind: 'publish',
    node: 'n',
    time: 1,
    destKind: 'topic',
    dest: 2,
    topic: 't',
    subtid: 0,
    subtopic: undefined,
    ptid: 0x100001,
    publisherUid: 'aabbccddeeff',
    destUid: undefined,
    receivers: 1,
    size: payload.length,
    head: Buffer.alloc(0),
    truncated: payload.length > 0,
    payload,
    dropped: undefined,
    via: undefined,
  };
}

/** A socket stand-in: what was sent, and an unsent byte count the test sets. */
function outlet(): { frames: TapFrame[]; buffered: number; send(t: string): void; bufferedAmount(): number } {
  const o = {
    frames: [] as TapFrame[],
    buffered: 0,
    send: (t: string) => void o.frames.push(JSON.parse(t) as TapFrame),
    bufferedAmount: () => o.buffered,
  };
  return o;
}

const budget: TapBudget = { maxEvents: 10, maxBytes: 64 * 1024, maxBufferedBytes: 1000, flushMs: 50 };

describe('TapBatcher', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('sends one frame per flush interval, not one per event', () => {
    const out = outlet();
    const b = new TapBatcher(out, 4, budget);
    for (let i = 0; i < 5; i++) b.push(publishEvent(Buffer.from(`event${i}`)));
    expect(out.frames).toEqual([]);
    vi.advanceTimersByTime(49);
    expect(out.frames).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out.frames).toHaveLength(1);
    expect(out.frames[0]!.events.map((e) => e.kind === 'publish' && e.head)).toEqual(
      Array(5).fill(Buffer.from('even').toString('base64')),
    );
    expect(out.frames[0]!.skipped).toBe(0);
  });

  it('skips and counts events past maxEvents, and reports them in the next frame', () => {
    const out = outlet();
    const b = new TapBatcher(out, 0, budget);
    for (let i = 0; i < 25; i++) b.push(publishEvent(Buffer.from('x')));
    vi.advanceTimersByTime(50);
    expect(out.frames).toEqual([{ t: 'tap', events: expect.any(Array), skipped: 15 }]);
    expect(out.frames[0]!.events).toHaveLength(10);
    expect(b.skippedTotal).toBe(15);
  });

  it('skips past maxBytes, but always takes one event into an empty queue', () => {
    const out = outlet();
    const b = new TapBatcher(out, 65536, { ...budget, maxBytes: 100_000 });
    const big = Buffer.alloc(60_000);
    b.push(publishEvent(big));
    b.push(publishEvent(big));
    vi.advanceTimersByTime(50);
    expect(out.frames).toHaveLength(1);
    expect(out.frames[0]!.events).toHaveLength(1);
    expect(out.frames[0]!.skipped).toBe(1);
  });

  it('holds batches while the socket has too much unsent, and sends them when it drains', () => {
    const out = outlet();
    const b = new TapBatcher(out, 0, budget);
    out.buffered = 5000;
    for (let i = 0; i < 12; i++) b.push(publishEvent(Buffer.from('x')));
    vi.advanceTimersByTime(500);
    expect(out.frames).toEqual([]);
    out.buffered = 0;
    vi.advanceTimersByTime(50);
    expect(out.frames).toHaveLength(1);
    expect(out.frames[0]).toMatchObject({ skipped: 2 });
    expect(out.frames[0]!.events).toHaveLength(10);
  });

  it('sends a frame with only a skipped count when everything was skipped', () => {
    const out = outlet();
    const b = new TapBatcher(out, 0, { ...budget, maxEvents: 0 });
    b.push(publishEvent(Buffer.from('x')));
    vi.advanceTimersByTime(50);
    expect(out.frames).toEqual([{ t: 'tap', events: [], skipped: 1 }]);
  });

  it('sends nothing after stop', () => {
    const out = outlet();
    const b = new TapBatcher(out, 0, budget);
    b.push(publishEvent(Buffer.from('x')));
    b.stop();
    b.push(publishEvent(Buffer.from('y')));
    vi.advanceTimersByTime(500);
    expect(out.frames).toEqual([]);
  });
});

describe('TapBatcher with session events', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const closeWithDetail = (detail: string): TapSessionEvent => ({
    kind: 'session',
    node: 'n',
    time: 1,
    event: 'close',
    etid: 0x100002,
    uid: 'aabbccddeeff',
    ip: '127.0.0.1',
    transport: 'raw',
    info: 'i'.repeat(60_000),
    reason: undefined,
    detail,
  });

  it('holds their queued bytes to maxBytes, however large the info and detail', () => {
    const out = outlet();
    const b = new TapBatcher(out, 0, { ...budget, maxBytes: 10_000 });
    for (let i = 0; i < 10; i++) b.push(closeWithDetail('d'.repeat(2000)));
    vi.advanceTimersByTime(50);
    const sent = out.frames[0]!;
    expect(JSON.stringify(sent.events).length).toBeLessThan(10_000);
    expect(sent.events.length).toBeGreaterThan(0);
    expect(sent.events.length + sent.skipped).toBe(10);
    expect(sent.skipped).toBeGreaterThan(0);
  });
});
