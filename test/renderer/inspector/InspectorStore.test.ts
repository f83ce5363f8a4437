import { describe, expect, it } from 'vitest';
import type {
  CommandArgs,
  CommandName,
  HostApi,
  HostEvent,
  TapBatch,
  TapRow,
} from '../../../contract/hostContract.js';
import type { HostStatus } from '../../../renderer/src/host/HostClient.js';
import { InspectorStore } from '../../../renderer/src/inspector/InspectorStore.js';
import { readLayout, type LayoutStorage } from '../../../renderer/src/ui/layout.js';

const row = (seq: number): TapRow => ({
  seq,
  timeMs: 0,
  kind: 'publish',
  nodeId: 'n1',
  via: null,
  destKind: 'topic',
  dest: 2,
  topic: '/t',
  destUid: null,
  subtopic: null,
  etid: 1,
  uid: null,
  receivers: 1,
  dropped: null,
  size: 0,
  payload: '',
  truncated: false,
  captureBytes: 0,
  reason: null,
  detail: null,
  info: null,
  peer: null,
});
const rows = (from: number, to: number): TapRow[] =>
  Array.from({ length: to - from + 1 }, (_, i) => row(from + i));
const batch = (b: Partial<TapBatch>): HostEvent => ({
  stream: 'tap',
  batch: {
    rows: [],
    skipped: 0,
    seen: 0,
    matched: 0,
    reset: false,
    throughSeq: 0,
    hostInstance: 'host-a',
    ...b,
  },
});

function memory(): LayoutStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

function setup(maxRows = 10, storage: LayoutStorage | null = null) {
  const listeners = new Set<(e: HostEvent) => void>();
  const status = new Set<(s: HostStatus) => void>();
  const calls: [CommandName, unknown][] = [];
  const host: HostApi = {
    call: (cmd, args) => {
      calls.push([cmd, args]);
      return Promise.resolve({ captureBytes: 4096, ringRows: 1, ringBytes: 1 } as never);
    },
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  const store = new InspectorStore(
    host,
    { onStatus: (l) => (status.add(l), () => status.delete(l)) },
    maxRows,
    storage,
  );
  return {
    store,
    calls,
    emit: (e: HostEvent) => listeners.forEach((l) => l(e)),
    reopen: () => status.forEach((l) => l({ state: 'open', version: null })),
  };
}

describe('InspectorStore', () => {
  it('appends batches and keeps only the newest rows within its bound', () => {
    const { store, emit } = setup(10);
    emit(batch({ rows: rows(1, 6), seen: 6, matched: 6, reset: true }));
    emit(batch({ rows: rows(7, 14), seen: 14, matched: 14 }));
    expect(store.get().rows.map((r) => r.seq)).toEqual(rows(5, 14).map((r) => r.seq));
    emit(batch({ rows: rows(15, 40), seen: 40, matched: 40 }));
    expect(store.get().rows.map((r) => r.seq)).toEqual(rows(31, 40).map((r) => r.seq));
  });

  it('replaces its rows and counts on a reset batch (a new filter)', () => {
    const { store, emit } = setup();
    emit(batch({ rows: rows(1, 3), seen: 3, matched: 3, skipped: 2, reset: true }));
    emit(batch({ rows: rows(4, 4), seen: 4, matched: 4, skipped: 1 }));
    expect(store.get().skipped).toBe(3);
    emit(batch({ rows: rows(2, 2), seen: 0, matched: 0, reset: true }));
    expect(store.get()).toMatchObject({ seen: 0, matched: 0, skipped: 0 });
    expect(store.get().rows.map((r) => r.seq)).toEqual([2]);
  });

  it('freezes the list while paused, counts go on, and resuming shows the newest', () => {
    const { store, emit } = setup();
    emit(batch({ rows: rows(1, 2), seen: 2, matched: 2, reset: true }));
    store.setPaused(true);
    const frozen = store.get().rows;
    emit(batch({ rows: rows(3, 5), seen: 5, matched: 5 }));
    expect(store.get().rows).toBe(frozen);
    expect(store.get()).toMatchObject({ seen: 5, matched: 5, heldWhilePaused: 3 });
    store.setPaused(false);
    expect(store.get().rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(store.get().heldWhilePaused).toBe(0);
  });

  it('clears the list and restarts its counts from zero', () => {
    const { store, emit } = setup();
    emit(batch({ rows: rows(1, 2), seen: 2, matched: 2, reset: true }));
    store.clear();
    emit(batch({ rows: rows(3, 3), seen: 3, matched: 3 }));
    expect(store.get()).toMatchObject({ seen: 1, matched: 1 });
    expect(store.get().rows.map((r) => r.seq)).toEqual([3]);
  });

  it('after a Clear, asks a new filter’s backlog only from the cleared batch on', async () => {
    const { store, calls, emit } = setup();
    await store.watch({});
    emit(batch({ rows: rows(1, 2), seen: 2, matched: 2, reset: true, throughSeq: 40 }));
    store.clear();
    await store.watch({ topic: 'temp' });
    expect(calls.at(-1)).toEqual(['watchTap', { filter: { topic: 'temp' }, afterSeq: 40 }]);
  });

  it('keeps its Clear mark across a brief drop of the host connection', async () => {
    const { store, calls, emit, reopen } = setup();
    await store.watch({});
    emit(batch({ rows: rows(1, 2), seen: 2, matched: 2, reset: true, throughSeq: 40 }));
    store.clear();
    reopen();
    expect(calls.at(-1)).toEqual(['watchTap', { filter: {}, afterSeq: 40 }]);
    // The same host answers: only rows after the mark, and the cleared ones stay away.
    emit(batch({ rows: rows(41, 41), seen: 1, matched: 1, reset: true, throughSeq: 41 }));
    expect(store.get().rows.map((r) => r.seq)).toEqual([41]);
    expect(calls).toHaveLength(2);
  });

  it('drops its Clear mark when another host answers (a restart numbers rows from 1 again)', async () => {
    const { store, calls, emit, reopen } = setup();
    await store.watch({});
    emit(batch({ rows: rows(1, 2), seen: 2, matched: 2, reset: true, throughSeq: 40 }));
    store.clear();
    reopen();
    // The restarted host's answer to the old mark: rows 1..40 of the new numbering hidden.
    emit(batch({ rows: [], seen: 0, matched: 0, reset: true, throughSeq: 8, hostInstance: 'host-b' }));
    expect(calls.at(-1)).toEqual(['watchTap', { filter: {} }]);
    emit(
      batch({
        rows: rows(1, 8),
        seen: 8,
        matched: 8,
        reset: true,
        throughSeq: 8,
        hostInstance: 'host-b',
      }),
    );
    expect(store.get().rows).toHaveLength(8);
    // A later Clear marks in the new numbering.
    store.clear();
    await store.watch({ topic: 'temp' });
    expect(calls.at(-1)).toEqual(['watchTap', { filter: { topic: 'temp' }, afterSeq: 8 }]);
  });

  it('asks for its feed again after the host connection comes back', async () => {
    const { store, calls, reopen } = setup();
    reopen();
    expect(calls).toEqual([]);
    await store.watch({ topic: '/x' });
    reopen();
    const args: CommandArgs<'watchTap'> = { filter: { topic: '/x' } };
    expect(calls).toEqual([
      ['watchTap', args],
      ['watchTap', args],
    ]);
  });

  it('keeps its filter in the page’s layout, and a new store (a reload) starts from it', async () => {
    const storage = memory();
    const first = setup(10, storage);
    expect(first.store.startFilter({ kinds: ['publish'] })).toEqual({ kinds: ['publish'] });
    await first.store.watch({ kinds: ['publish', 'close'], topic: '/m2m/*' });
    expect(readLayout(storage).inspectorFilter).toEqual({ kinds: ['publish', 'close'], topic: '/m2m/*' });

    const reloaded = setup(10, storage);
    expect(reloaded.store.get().filter).toEqual({ kinds: ['publish', 'close'], topic: '/m2m/*' });
    expect(reloaded.store.startFilter({ kinds: ['publish'] })).toEqual({
      kinds: ['publish', 'close'],
      topic: '/m2m/*',
    });
    // Every kind on is {}: still the user's choice after a reload, not the default.
    await reloaded.store.watch({});
    expect(setup(10, storage).store.startFilter({ kinds: ['publish'] })).toEqual({});
  });
});
