import { describe, expect, it } from 'vitest';
import { tapDestination, type TapRow } from '../../../contract/hostContract.js';
import { CSV_COLUMNS, csvField, exportRows } from '../../../renderer/src/inspector/exportRows.js';

const row = (over: Partial<TapRow>): TapRow => ({
  seq: 1,
  timeMs: Date.UTC(2026, 10, 25, 8, 0, 0),
  kind: 'publish',
  nodeId: 'n1',
  via: null,
  destKind: 'topic',
  dest: 2,
  topic: '/t',
  destUid: null,
  subtopic: null,
  etid: 5,
  uid: 'aa',
  receivers: 1,
  dropped: null,
  size: 2,
  payload: Buffer.from('hi').toString('base64'),
  truncated: false,
  captureBytes: 4096,
  reason: null,
  detail: null,
  info: null,
  peer: null,
  ...over,
});

/** A small RFC 4180 reader, to check the writer round-trips every field. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}

describe('export', () => {
  it('quotes CSV fields that need it and nothing else', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(false)).toBe('false');
  });

  it('writes one CSV record per message that a CSV reader gets back exactly', async () => {
    const nasty = 'comma, "quote"\r\nnewline';
    const rows = [
      row({ seq: 1, payload: Buffer.from(nasty).toString('base64'), topic: '/a,b' }),
      row({ seq: 2, payload: Buffer.from([0, 255, 1]).toString('base64') }),
      row({ seq: 3, topic: null, destKind: 'etid', dest: 9, destUid: 'bb' }),
    ];
    const parts = await exportRows(rows, 'csv', tapDestination, () => {});
    const records = parseCsv(parts.join(''));
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(4);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    expect(records[1]![col('payload')]).toBe(nasty);
    expect(records[1]![col('destination')]).toBe('/a,b');
    expect(records[2]![col('payloadEncoding')]).toBe('base64');
    expect(records[2]![col('payload')]).toBe('AP8B');
    expect(records[3]![col('destination')]).toBe('→ ETID 0x00000009 (bb)');
    expect(records[1]![col('time')]).toBe('2026-11-25T08:00:00.000Z');
    expect(records[1]![col('publisherEtid')]).toBe('0x00000005');
    // Every id in the form the views show: a TID and an ETID destination alike.
    expect(records[1]![col('dest')]).toBe('0x00000002');
    expect(records[3]![col('dest')]).toBe('0x00000009');
  });

  it('writes JSON lines, one message each, payload as text or base64', async () => {
    const rows = [row({ seq: 1 }), row({ seq: 2, payload: Buffer.from([0xc3]).toString('base64') })];
    const text = (await exportRows(rows, 'jsonl', tapDestination, () => {})).join('');
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.seq, l.payloadText, l.payloadBase64])).toEqual([
      [1, 'hi', undefined],
      [2, undefined, 'ww=='],
    ]);
    // The numbers, and beside them the ids as the views show them.
    expect(lines[0]).toMatchObject({ etid: 5, etidHex: '0x00000005', dest: 2, destHex: '0x00000002' });
  });

  it('reports progress slice by slice up to the total', async () => {
    const rows = Array.from({ length: 45 }, (_, i) => row({ seq: i + 1 }));
    const seen: [number, number][] = [];
    await exportRows(rows, 'jsonl', tapDestination, (d, t) => seen.push([d, t]), 20);
    expect(seen).toEqual([
      [20, 45],
      [40, 45],
      [45, 45],
    ]);
  });
});
