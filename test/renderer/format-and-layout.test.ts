import { describe, expect, it } from 'vitest';
import { formatMs, formatMsgRate, formatRate } from '../../renderer/src/ui/format.js';
import { readLayout, saveLayout, type LayoutStorage } from '../../renderer/src/ui/layout.js';
import { LOAD_DEFAULTS, toSpec, validateLoad } from '../../renderer/src/views/loadForm.js';

describe('message rates', () => {
  it('keeps one decimal for light traffic, so it never reads 0; k and M above', () => {
    expect(formatMsgRate(0.4)).toBe('0.4 msg/s');
    expect(formatMsgRate(0.04)).toBe('<0.1 msg/s');
    expect(formatMsgRate(0)).toBe('0 msg/s');
    expect(formatRate(2)).toBe('2.0');
    expect(formatRate(12.34)).toBe('12.3');
    expect(formatRate(99.96)).toBe('100');
    expect(formatRate(100.4)).toBe('100');
    expect(formatMsgRate(12_345)).toBe('12.3k msg/s');
    expect(formatMsgRate(250_000)).toBe('250k msg/s');
    expect(formatMsgRate(1_500_000)).toBe('1.5M msg/s');
    expect(formatRate(Number.NaN)).toBe('–');
  });

  it('formats latencies', () => {
    expect(formatMs(0.842)).toBe('0.84 ms');
    expect(formatMs(3.21)).toBe('3.2 ms');
    expect(formatMs(120.4)).toBe('120 ms');
    expect(formatMs(1500)).toBe('1.5 s');
  });
});

describe('load form', () => {
  const up = new Set(['n1', 'n2']);
  const ok = { ...LOAD_DEFAULTS, nodeIds: ['n1', 'n3'] };

  it('accepts the defaults and sends only the chosen nodes that are up', () => {
    expect(validateLoad(ok, up)).toEqual({});
    expect(toSpec(ok, up)).toEqual({
      nodeIds: ['n1'],
      publishers: 2,
      subscribers: 10,
      rate: 1000,
      payloadBytes: 64,
      durationMs: 10_000,
    });
  });

  it('names every field out of range, a missing node choice, and a total no laptop should be asked for', () => {
    const errors = validateLoad(
      {
        nodeIds: ['n3'],
        publishers: 0,
        subscribers: Number.NaN,
        rate: 1.5,
        payloadBytes: 15,
        durationSec: 601,
      },
      up,
    );
    expect(Object.keys(errors).sort()).toEqual(
      ['durationSec', 'nodeIds', 'payloadBytes', 'publishers', 'rate', 'subscribers'].sort(),
    );
    expect(errors.payloadBytes).toBe('Payload: a whole number from 16 to 65,520 bytes.');
    expect(validateLoad({ ...ok, publishers: 100, rate: 100_000, subscribers: 10 }, up).rate).toMatch(
      /100,000,000 deliveries per second/,
    );
  });
});

describe('layout in localStorage', () => {
  const memory = (): LayoutStorage & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
  };

  it('merges what each part saves, and reads back only sane values', () => {
    const s = memory();
    saveLayout({ view: 'load' }, s);
    saveLayout({ linksWidth: 500 }, s);
    expect(readLayout(s)).toEqual({
      view: 'load',
      linksWidth: 500,
      topHeight: null,
      load: null,
      inspectorFilter: null,
      composerOpen: null,
      composerDraft: null,
    });
    s.data.set(
      'smq.layout',
      JSON.stringify({ view: '<script>', linksWidth: -3, topHeight: '400', load: { nodeIds: 'n1' } }),
    );
    expect(readLayout(s)).toMatchObject({ view: null, linksWidth: null, topHeight: null, load: null });
    s.data.set('smq.layout', '{not json');
    expect(readLayout(s).view).toBeNull();
    expect(readLayout(null).view).toBeNull();
  });

  it('keeps the inspector filter and the composer draft, and drops what is not theirs', () => {
    const s = memory();
    saveLayout(
      {
        inspectorFilter: { kinds: ['publish', 'open'], topic: '/m2m/*', origin: 'link', droppedOnly: true },
        composerOpen: true,
        composerDraft: {
          kind: 'etid',
          topic: '/t',
          etid: '16777217',
          subtopic: 's',
          format: 'hex',
          payload: '01 02',
        },
      },
      s,
    );
    saveLayout({ view: 'inspector' }, s);
    expect(readLayout(s)).toMatchObject({
      view: 'inspector',
      inspectorFilter: { kinds: ['publish', 'open'], topic: '/m2m/*', origin: 'link', droppedOnly: true },
      composerOpen: true,
      composerDraft: {
        kind: 'etid',
        topic: '/t',
        etid: '16777217',
        subtopic: 's',
        format: 'hex',
        payload: '01 02',
      },
    });
    // Everything "all" is a filter too: {} must come back as {}, not as "never set".
    saveLayout({ inspectorFilter: {} }, s);
    expect(readLayout(s).inspectorFilter).toEqual({});

    s.data.set(
      'smq.layout',
      JSON.stringify({
        inspectorFilter: { kinds: ['publish', 'boom', 3], origin: 'sideways', topic: 7, nodeIds: 'n1', x: 1 },
        composerOpen: 'yes',
        composerDraft: { topic: '/t', subtopic: '', format: 'base91', payload: 'x' },
      }),
    );
    expect(readLayout(s)).toMatchObject({ inspectorFilter: {}, composerOpen: null, composerDraft: null });
    s.data.set('smq.layout', JSON.stringify({ inspectorFilter: { kinds: ['publish', 'close'] } }));
    expect(readLayout(s).inspectorFilter).toEqual({ kinds: ['publish', 'close'] });
    s.data.set('smq.layout', JSON.stringify({ inspectorFilter: [], composerDraft: 'draft' }));
    expect(readLayout(s)).toMatchObject({ inspectorFilter: null, composerDraft: null });
  });
});
