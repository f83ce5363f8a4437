import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TapBatch, TapFilter } from '../../../../contract/hostContract.js';
import type { TapScope } from '../../../../broker/src/admin/adminWire.js';
import { TapHub } from '../../../../electron/host/inspector/TapHub.js';
import { recordLine } from '../../../../electron/host/inspector/TapRecorder.js';
import { waitFor } from '../../../helpers/waitFor.js';
import { publishRow } from './rows.js';

let dir: string;
let hub: TapHub;
const scopes: [TapScope, number][] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'smq-tap-'));
  scopes.length = 0;
  hub = new TapHub({
    recordingsDir: dir,
    batchMs: 10,
    setTapScope: (scope, capture) => scopes.push([scope, capture]),
  });
});
afterEach(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

function watch(filter: TapFilter = {}) {
  const batches: TapBatch[] = [];
  const feed = hub.watch(filter, { canSend: () => true, send: (b) => batches.push(b) });
  return { feed, batches };
}

describe('TapHub', () => {
  it('runs the nodes’ taps in full while someone watches or records, lifecycle-only otherwise', async () => {
    expect(hub.scope).toBe('lifecycle');
    const { feed } = watch();
    const second = watch();
    hub.unwatch(feed);
    hub.unwatch(second.feed);
    hub.startRecording({}, 'base64');
    await hub.stopRecording();
    expect(scopes).toEqual([
      ['all', 4096],
      ['lifecycle', 4096],
      ['all', 4096],
      ['lifecycle', 4096],
    ]);
  });

  it('keeps lifecycle rows but no publish while nobody reads; a watcher gets them, and how many its kinds hide', async () => {
    hub.ingest([publishRow(), publishRow({ kind: 'linkDown', topic: null, peer: 'n2' })], 0);
    hub.ingest([publishRow({ kind: 'nodeStop', topic: null, nodeId: 'n2' })], 0);
    expect(hub.ringUsage().rows).toBe(2);
    const publishesOnly = watch({ kinds: ['publish'] });
    const everything = watch();
    await waitFor(() => publishesOnly.batches.length > 0 && everything.batches.length > 0);
    expect(publishesOnly.batches[0]).toMatchObject({ rows: [], reset: true, hiddenLifecycle: 2 });
    expect(everything.batches[0]!.rows.map((r) => r.kind)).toEqual(['linkDown', 'nodeStop']);
    expect(everything.batches[0]).not.toHaveProperty('hiddenLifecycle');
    // Told once: a later batch, or the batch after the receiver picks its kinds, has no hint.
    publishesOnly.feed.setFilter({ kinds: ['publish', 'open'] });
    await waitFor(() => publishesOnly.batches.length > 1);
    expect(publishesOnly.batches[1]).not.toHaveProperty('hiddenLifecycle');
  });

  it('batches rows to watchers on its timer', async () => {
    const { batches } = watch();
    hub.ingest([publishRow(), publishRow()], 3);
    await waitFor(() => batches.some((b) => b.rows.length === 2));
    const b = batches.find((x) => x.rows.length === 2)!;
    expect(b.rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(b.skipped).toBe(3);
    expect(b.seen).toBe(5);
  });

  it('validates settings and asks the nodes for a new capture limit while active', () => {
    expect(() => hub.configure({ captureBytes: -1 })).toThrow(/captureBytes/);
    expect(() => hub.configure({ ringRows: 1.5 })).toThrow(/ringRows/);
    watch();
    expect(hub.configure({ captureBytes: 100 }).captureBytes).toBe(100);
    expect(scopes.at(-1)).toEqual(['all', 100]);
  });

  it('keeps memory flat at its budget however many rows pass', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    hub.configure({ ringRows: 1_000_000, ringBytes: 8 << 20 });
    watch();
    const payload = Buffer.alloc(3000, 7).toString('base64');
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++) hub.ingest([publishRow({ payload, dest: i })], 0);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(hub.ringUsage().bytes).toBeLessThanOrEqual(8 << 20);
    // 100,000 rows of 4 KB would be 400 MB; the ring keeps ~8 MB of them.
    expect(grown).toBeLessThan(24 << 20);
  });

  it('records filtered rows to JSON lines, payload as text when it is UTF-8', async () => {
    watch();
    const start = hub.startRecording({ topic: '/keep' }, 'text');
    expect(() => hub.startRecording({}, 'text')).toThrow(/already recording/);
    hub.ingest(
      [
        publishRow({ topic: '/keep', payload: Buffer.from('{"a":1}').toString('base64') }),
        publishRow({ topic: '/drop' }),
        publishRow({ topic: '/keep', payload: Buffer.from([0xff, 0xfe]).toString('base64') }),
      ],
      0,
    );
    const done = await hub.stopRecording();
    expect(done).toMatchObject({ state: 'done', rows: 2, skipped: 0, file: start.file });
    const lines = readFileSync(done.file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.seq, l.payloadText, l.payloadBase64])).toEqual([
      [1, '{"a":1}', undefined],
      [3, undefined, '//4='],
    ]);
    expect(done.bytes).toBe(readFileSync(done.file).length);
    await expect(hub.stopRecording()).rejects.toThrow(/no recording/);
  });
});

describe('recordLine', () => {
  it('is one JSON object per line with the payload in the asked form', () => {
    const row = { ...publishRow(), seq: 9 };
    const line = recordLine(row, 'base64');
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({
      seq: 9,
      time: new Date(row.timeMs).toISOString(),
      payloadBase64: row.payload,
      topic: '/m2m/led/device',
    });
    expect(JSON.parse(recordLine(row, 'text')).payloadText).toBe('ping');
  });
});
