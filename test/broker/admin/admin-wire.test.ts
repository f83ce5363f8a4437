import { describe, expect, it } from 'vitest';
import {
  clampCapture,
  encodeTapEvent,
  parseAdminRequest,
  DEFAULT_CAPTURE_BYTES,
  MAX_CAPTURE_BYTES,
  TAP_CUT_MARK,
  TAP_INFO_BYTES,
  wireEventBytes,
} from '../../../broker/src/admin/adminWire.js';
import type { TapPublishEvent, TapSessionEvent } from '../../../broker/src/node/tap.js';

describe('admin wire: parsing client frames', () => {
  it.each([
    ['{"op":"tap","on":true}', { op: 'tap', on: true }],
    ['{"op":"tap","on":false,"captureBytes":9,"id":"x"}', { op: 'tap', on: false, captureBytes: 9, id: 'x' }],
    ['{"op":"tap","on":true,"scope":"lifecycle"}', { op: 'tap', on: true, scope: 'lifecycle' }],
    ['{"op":"topics","id":1}', { op: 'topics', id: 1 }],
    ['{"op":"clients","id":"c"}', { op: 'clients', id: 'c' }],
    ['{"op":"stats","id":2,"extra":true}', { op: 'stats', id: 2 }],
  ])('accepts %s', (text, req) => {
    expect(parseAdminRequest(text)).toEqual(req);
  });

  it.each([
    ['nope', { t: 'error', message: 'not JSON' }],
    ['[1]', { t: 'error', message: 'not an object' }],
    ['{"op":"tap","id":4}', { t: 'error', id: 4, message: 'tap needs on: boolean' }],
    ['{"op":"tap","on":true,"captureBytes":"9"}', { t: 'error', message: 'captureBytes must be a number' }],
    [
      '{"op":"tap","on":true,"scope":"quiet"}',
      { t: 'error', message: 'scope must be one of all, lifecycle' },
    ],
    ['{"op":"topics"}', { t: 'error', message: 'topics needs an id (number or string)' }],
    ['{"op":"drop","id":5}', { t: 'error', id: 5, message: 'unknown op "drop"' }],
  ])('answers %s with an error frame', (text, err) => {
    expect(parseAdminRequest(text)).toEqual(err);
  });

  it('clamps captureBytes to 0..65536, default 256', () => {
    expect(clampCapture(undefined)).toBe(DEFAULT_CAPTURE_BYTES);
    expect(clampCapture(Number.NaN)).toBe(DEFAULT_CAPTURE_BYTES);
    expect(clampCapture(-5)).toBe(0);
    expect(clampCapture(10.7)).toBe(10);
    expect(clampCapture(1e9)).toBe(MAX_CAPTURE_BYTES);
  });
});

describe('admin wire: encoding tap events', () => {
  const payload = Buffer.from('00ff10203040', 'hex');
  const e: TapPublishEvent = {
    kind: 'publish',
    node: 'n',
    time: 5,
    destKind: 'etid',
    dest: 0x100002,
    topic: undefined,
    subtid: 0,
    subtopic: undefined,
    ptid: 0x100001,
    publisherUid: undefined,
    destUid: '010203040506',
    receivers: 1,
    size: 6,
    head: Buffer.alloc(0),
    truncated: true,
    payload,
    dropped: undefined,
    via: 'n1',
  };

  it('cuts the head at the socket’s captureBytes, base64, and leaves absent fields out', () => {
    expect(encodeTapEvent(e, 2)).toEqual({
      kind: 'publish',
      time: 5,
      destKind: 'etid',
      dest: 0x100002,
      subtid: 0,
      ptid: 0x100001,
      destUid: '010203040506',
      via: 'n1',
      receivers: 1,
      size: 6,
      head: 'AP8=',
      truncated: true,
    });
    expect(encodeTapEvent(e, 6)).toMatchObject({ head: 'AP8QIDBA', truncated: false });
    expect(encodeTapEvent(e, 0)).toMatchObject({ head: '', truncated: true });
  });
});

describe('admin wire: session events, whose info and detail the client chooses', () => {
  const session = (info: string, detail?: string): TapSessionEvent => ({
    kind: 'session',
    node: 'n',
    time: 5,
    event: 'close',
    etid: 0x100002,
    uid: '010203040506',
    ip: '127.0.0.1',
    transport: 'raw',
    info,
    reason: undefined,
    detail,
  });

  it('cuts info at TAP_INFO_BYTES of UTF-8 and marks the cut', () => {
    expect(encodeTapEvent(session('LED-1'), 0)).toMatchObject({ info: 'LED-1' });
    expect(encodeTapEvent(session('x'.repeat(TAP_INFO_BYTES)), 0)).toMatchObject({
      info: 'x'.repeat(TAP_INFO_BYTES),
    });
    const long = encodeTapEvent(session('x'.repeat(60_000)), 0);
    expect(long).toMatchObject({ info: 'x'.repeat(TAP_INFO_BYTES) + TAP_CUT_MARK });
    // A two-byte character across the cut is left out whole, not half.
    const split = encodeTapEvent(session('x'.repeat(TAP_INFO_BYTES - 1) + 'é'), 0);
    expect(split).toMatchObject({ info: 'x'.repeat(TAP_INFO_BYTES - 1) + TAP_CUT_MARK });
  });

  it('counts their info and detail in the byte budget', () => {
    const small = wireEventBytes(encodeTapEvent(session('a'), 0));
    const big = wireEventBytes(encodeTapEvent(session('a'.repeat(5000), 'd'.repeat(3000)), 0));
    expect(big - small).toBe(TAP_INFO_BYTES + TAP_CUT_MARK.length - 1 + 3000);
  });
});
