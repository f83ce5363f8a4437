import { describe, expect, it } from 'vitest';
import {
  base64Bytes,
  hexDump,
  payloadJson,
  payloadPreview,
  payloadText,
} from '../../../renderer/src/inspector/payloadView.js';

const bytes = (s: string | number[]): Uint8Array =>
  typeof s === 'string' ? new TextEncoder().encode(s) : Uint8Array.from(s);

describe('payload views', () => {
  it('decodes base64 to the exact bytes', () => {
    expect([...base64Bytes(Buffer.from([0, 1, 254, 255]).toString('base64'))]).toEqual([0, 1, 254, 255]);
  });

  it('shows UTF-8 as text, binary as not text, and a character cut by the capture limit as text', () => {
    expect(payloadText(bytes('grüß'), false)).toBe('grüß');
    expect(payloadText(bytes([0xff, 0x00]), false)).toBeNull();
    expect(payloadText(bytes([1, 1]), false)).toBeNull();
    expect(payloadText(bytes('tab\there\r\n'), false)).toBe('tab\there\r\n');
    const cut = bytes('ab€').subarray(0, 4);
    expect(payloadText(cut, false)).toBeNull();
    expect(payloadText(cut, true)).toBe('ab');
  });

  it('parses JSON only when whole', () => {
    expect(payloadJson('{"on":true}', false)).toEqual({ ok: true, value: { on: true } });
    expect(payloadJson('{"on":tr', true)).toEqual({ ok: false, reason: 'truncated: not parsed' });
    expect(payloadJson('hello', false)).toEqual({ ok: false, reason: 'not JSON' });
    expect(payloadJson('{bad}', false).ok).toBe(false);
  });

  it('dumps hex 8 bytes a line with offsets and printable ASCII', () => {
    const lines = hexDump(bytes('ABCDEFGHIJ\n'));
    expect(lines).toEqual(['0000  41 42 43 44 45 46 47 48  ABCDEFGH', '0008  49 4a 0a                 IJ.']);
  });

  it('previews text on one line, and binary as hex', () => {
    expect(payloadPreview(Buffer.from('a\nb  c').toString('base64'))).toBe('a b c');
    expect(payloadPreview(Buffer.from('x'.repeat(200)).toString('base64'), 10)).toBe('xxxxxxxxxx…');
    expect(payloadPreview(Buffer.from([0xff, 0x10]).toString('base64'))).toBe('ff 10');
    expect(payloadPreview(Buffer.from([1, 1]).toString('base64'))).toBe('01 01');
  });
});
