import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD, parsePayload } from '../../../renderer/src/composer/payloadInput.js';
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
