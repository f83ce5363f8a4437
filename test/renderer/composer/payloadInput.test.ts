import { describe, expect, it } from 'vitest';
import { convertPayload, MAX_PAYLOAD, parsePayload } from '../../../renderer/src/composer/payloadInput.js';
import {
  HISTORY_SIZE,
  loadHistory,
  remember,
  saveHistory,
  type SentMessage,
} from '../../../renderer/src/composer/ComposerHistory.js';

const bytes = (r: ReturnType<typeof parsePayload>): number[] => (r.ok ? [...r.bytes] : []);

describe('composer payloads', () => {
  it('sends text as UTF-8 and JSON only when it parses', () => {
    expect(bytes(parsePayload('text', 'grüß'))).toEqual([...Buffer.from('grüß')]);
    expect(bytes(parsePayload('json', '{"on": true}'))).toEqual([...Buffer.from('{"on": true}')]);
    const bad = parsePayload('json', '{on: true}');
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.error).toMatch(/^not JSON/);
  });

  it('reads hex with spaces, colons and 0x, and refuses anything else', () => {
    expect(bytes(parsePayload('hex', '01 02:ff 0x10'))).toEqual([1, 2, 255, 16]);
    expect(parsePayload('hex', 'abc')).toMatchObject({ ok: false, error: 'an odd number of hex digits' });
    expect(parsePayload('hex', 'zz').ok).toBe(false);
    expect(bytes(parsePayload('hex', ''))).toEqual([]);
  });

  it('refuses payloads over the SMQ limit', () => {
    expect(parsePayload('text', 'x'.repeat(MAX_PAYLOAD)).ok).toBe(true);
    expect(parsePayload('text', 'x'.repeat(MAX_PAYLOAD + 1)).ok).toBe(false);
  });
});

describe('composer history', () => {
  const msg = (payload: string, atMs = 0): SentMessage => ({
    nodeId: 'n1',
    target: { kind: 'topic', topic: '/t' },
    subtopic: '',
    format: 'text',
    payload,
    atMs,
  });

  it('keeps the newest first, moves a repeat to the top, and keeps at most HISTORY_SIZE', () => {
    let h: SentMessage[] = [];
    for (let i = 0; i < HISTORY_SIZE + 5; i++) h = remember(h, msg(`m${i}`, i));
    expect(h).toHaveLength(HISTORY_SIZE);
    expect(h[0]!.payload).toBe(`m${HISTORY_SIZE + 4}`);
    h = remember(h, msg('m10', 99));
    expect(h.map((m) => m.payload).filter((p) => p === 'm10')).toHaveLength(1);
    expect(h[0]).toMatchObject({ payload: 'm10', atMs: 99 });
  });

  it('survives a reload through storage, and bad storage gives an empty history', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    saveHistory(storage, [msg('a')]);
    expect(loadHistory(storage)).toEqual([msg('a')]);
    store.set([...store.keys()][0]!, '{not json');
    expect(loadHistory(storage)).toEqual([]);
    expect(loadHistory(null)).toEqual([]);
  });
});

describe('composer format switches', () => {
  it('turns text and JSON into their UTF-8 bytes in hex', () => {
    expect(convertPayload('json', 'hex', '{"a":1}')).toEqual({ payload: '7b 22 61 22 3a 31 7d', note: null });
    expect(convertPayload('text', 'hex', 'ü')).toEqual({ payload: 'c3 bc', note: null });
  });

  it('turns hex back into text when its bytes are UTF-8, and keeps text as JSON', () => {
    expect(convertPayload('hex', 'text', 'c3 bc 21')).toEqual({ payload: 'ü!', note: null });
    expect(convertPayload('hex', 'json', '7b 7d')).toEqual({ payload: '{}', note: null });
    expect(convertPayload('text', 'json', 'not json')).toEqual({ payload: 'not json', note: null });
  });

  it('clears, with a note, hex that is not valid or not UTF-8', () => {
    expect(convertPayload('hex', 'text', 'ff fe')).toEqual({
      payload: '',
      note: 'cleared: those 2 bytes are not UTF-8 text',
    });
    expect(convertPayload('hex', 'json', 'zz')).toMatchObject({
      payload: '',
      note: /^cleared: the hex was not valid/,
    });
  });
});
