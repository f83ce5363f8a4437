import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostApi, HostEvent } from '../../../../contract/hostContract.js';
import { HostConnection } from '../../../../electron/host/control/HostConnection.js';
import { TapHub } from '../../../../electron/host/inspector/TapHub.js';
import { waitFor } from '../../../helpers/waitFor.js';
import { publishRow } from '../inspector/rows.js';

/** A shared host that replays one event to every new subscriber, as ControlHost does. */
function sharedHost() {
  const listeners = new Set<(e: HostEvent) => void>();
  const api: HostApi = {
    call: () => Promise.resolve(null as never),
    subscribe: (l) => {
      listeners.add(l);
      l({ stream: 'topics', topics: [] });
      return () => listeners.delete(l);
    },
  };
  return { api, listeners };
}

const hub = () =>
  new TapHub({
    recordingsDir: mkdtempSync(path.join(tmpdir(), 'smq-conn-')),
    batchMs: 10,
    setTapScope: () => {},
  });

describe('HostConnection', () => {
  it('gives every subscriber what the host replays on subscribe, and lets go of the host on close', () => {
    const shared = sharedHost();
    const conn = new HostConnection(shared.api, hub());
    const a: HostEvent[] = [];
    const b: HostEvent[] = [];
    conn.subscribe((e) => a.push(e));
    conn.subscribe((e) => b.push(e));
    expect(a.map((e) => e.stream)).toEqual(['topics']);
    expect(b.map((e) => e.stream)).toEqual(['topics']);
    expect(shared.listeners.size).toBe(2);
    conn.close();
    expect(shared.listeners.size).toBe(0);
  });

  it('sends tap batches only to the connection that watches', async () => {
    const shared = sharedHost();
    const taps = hub();
    const watching = new HostConnection(shared.api, taps);
    const idle = new HostConnection(shared.api, taps);
    const got: HostEvent[] = [];
    const other: HostEvent[] = [];
    watching.subscribe((e) => got.push(e));
    idle.subscribe((e) => other.push(e));
    await watching.call('watchTap', { filter: {} });
    taps.ingest([publishRow()], 0);
    await waitFor(() => got.some((e) => e.stream === 'tap' && e.batch.rows.length === 1));
    expect(other.filter((e) => e.stream === 'tap')).toEqual([]);
    watching.close();
    idle.close();
    await taps.close();
  });
});
