import { describe, expect, it } from 'vitest';
import { tapDestination, type TapFilter, type TapRow } from '../../../../contract/hostContract.js';
import { tapPredicate } from '../../../../electron/host/inspector/tapFilter.js';
import { publishRow } from './rows.js';

const row = (over: Partial<TapRow> = {}): TapRow => ({ ...publishRow(over), seq: 1 });
const passes = (filter: TapFilter, r: TapRow): boolean => tapPredicate(filter)(r);

describe('tapPredicate', () => {
  it('matches everything when empty', () => {
    expect(passes({}, row())).toBe(true);
    expect(passes({ topic: '', nodeIds: [], kinds: [] }, row())).toBe(true);
  });

  it('matches topic substrings ignoring case, and globs over the whole name', () => {
    const r = row({ topic: '/m2m/led/device' });
    expect(passes({ topic: 'LED/dev' }, r)).toBe(true);
    expect(passes({ topic: 'display' }, r)).toBe(false);
    expect(passes({ topic: '/m2m/*' }, r)).toBe(true);
    expect(passes({ topic: '*/led/?evice' }, r)).toBe(true);
    expect(passes({ topic: 'led/*' }, r)).toBe(false);
    expect(passes({ topic: '/m2m/led.device' }, r)).toBe(false);
    expect(passes({ topic: '/m2m/led?device' }, r)).toBe(true);
  });

  it('matches one-to-one rows by their "→ ETID" label', () => {
    const r = row({ topic: null, destKind: 'etid', dest: 77, destUid: 'aa:bb' });
    expect(tapDestination(r)).toBe('→ ETID 0x0000004D (aa:bb)');
    expect(passes({ topic: 'etid 0x0000004d' }, r)).toBe(true);
    expect(passes({ target: 'etid' }, r)).toBe(true);
    expect(passes({ target: 'topic' }, r)).toBe(false);
  });

  it('filters by node, origin, drops, kinds, sub-topic and publisher', () => {
    const linked = row({ nodeId: 'n2', via: 'n1', subtopic: 'temp', dropped: 'NoSubscribers', etid: 42 });
    expect(passes({ nodeIds: ['n1'] }, linked)).toBe(false);
    expect(passes({ nodeIds: ['n1', 'n2'] }, linked)).toBe(true);
    expect(passes({ origin: 'link' }, linked)).toBe(true);
    expect(passes({ origin: 'local' }, linked)).toBe(false);
    expect(passes({ origin: 'local' }, row())).toBe(true);
    expect(passes({ droppedOnly: true }, linked)).toBe(true);
    expect(passes({ droppedOnly: true }, row())).toBe(false);
    expect(passes({ kinds: ['open', 'close'] }, linked)).toBe(false);
    expect(passes({ subtopic: 'TEMP' }, linked)).toBe(true);
    expect(passes({ subtopic: 'led' }, linked)).toBe(false);
    expect(passes({ publisher: '42' }, linked)).toBe(true);
    expect(passes({ publisher: '0x2A' }, linked)).toBe(true);
    expect(passes({ publisher: '4' }, linked)).toBe(false);
    expect(passes({ publisher: '5e:00:00' }, linked)).toBe(true);
    expect(passes({ publisher: '5E000001' }, linked)).toBe(true);
    expect(passes({ publisher: 'ff' }, linked)).toBe(false);
  });

  it('combines fields with AND', () => {
    const r = row({ nodeId: 'n2', topic: '/a' });
    expect(passes({ nodeIds: ['n2'], topic: '/a' }, r)).toBe(true);
    expect(passes({ nodeIds: ['n2'], topic: '/b' }, r)).toBe(false);
  });
});
