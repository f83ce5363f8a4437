import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, CommandName, HostApi, HostEvent } from '../../contract/hostContract.js';
import { ClusterStore, HISTORY } from '../../renderer/src/host/ClusterStore.js';
import type { HostStatus } from '../../renderer/src/host/HostClient.js';

const snap = (profile: string): ClusterSnapshot => ({
  exists: true,
  kind: 'local',
  profile,
  nodes: [],
  links: [],
  devices: [],
  fleets: [],
  unlinked: [],
  partitioned: false,
  transport: 'mesh',
  natsServer: null,
  tls: false,
  caFile: null,
});

/** A HostApi whose `snapshot` answers are resolved by the test, in any order. */
function scripted() {
  const listeners = new Set<(e: HostEvent) => void>();
  const statusListeners = new Set<(s: HostStatus) => void>();
  const answers: ((s: ClusterSnapshot) => void)[] = [];
  const calls: CommandName[] = [];
  const host: HostApi = {
    call: ((cmd: CommandName) => {
      calls.push(cmd);
      return new Promise((resolve) => answers.push(resolve));
    }) as HostApi['call'],
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    host,
    calls,
    answers,
    status: {
      onStatus: (l: (s: HostStatus) => void) => (statusListeners.add(l), () => statusListeners.delete(l)),
    },
    setStatus: (s: HostStatus) => statusListeners.forEach((l) => l(s)),
    event: (e: HostEvent) => listeners.forEach((l) => l(e)),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ClusterStore', () => {
  it('asks for a snapshot every time the host connection opens', async () => {
    const h = scripted();
    const store = new ClusterStore(h.host, h.status);
    h.setStatus({ state: 'open', version: null });
    h.answers[0]!(snap('first'));
    await tick();
    expect(store.get().snapshot?.profile).toBe('first');
    h.setStatus({ state: 'connecting', attempt: 1, lastError: 'closed' });
    h.setStatus({ state: 'open', version: null });
    // The hello that follows the open does not ask again.
    h.setStatus({ state: 'open', version: 1 });
    expect(h.calls).toEqual(['snapshot', 'snapshot']);
    h.answers[1]!(snap('second'));
    await tick();
    expect(store.get().snapshot?.profile).toBe('second');
  });

  it('drops a snapshot reply that is older than an event received meanwhile', async () => {
    const h = scripted();
    const store = new ClusterStore(h.host, h.status);
    h.setStatus({ state: 'open', version: null });
    h.event({ stream: 'cluster', snapshot: snap('from-event') });
    h.answers[0]!(snap('stale-reply'));
    await tick();
    expect(store.get().snapshot?.profile).toBe('from-event');
  });

  it('replaces the snapshot with every cluster event', () => {
    const h = scripted();
    const store = new ClusterStore(h.host, h.status);
    for (const name of ['a', 'b', 'c']) h.event({ stream: 'cluster', snapshot: snap(name) });
    expect(store.get().snapshot?.profile).toBe('c');
  });

  it('keeps at most HISTORY stats ticks, oldest dropped first', () => {
    const h = scripted();
    const store = new ClusterStore(h.host, h.status);
    for (let i = 0; i < HISTORY + 5; i++) h.event({ stream: 'stats', tick: { atMs: i, nodes: [] } });
    const stats = store.get().stats;
    expect(stats).toHaveLength(HISTORY);
    expect(stats[0]!.atMs).toBe(5);
  });

  it('notifies React subscribers with a new state object on every change', () => {
    const h = scripted();
    const store = new ClusterStore(h.host, h.status);
    let n = 0;
    store.subscribe(() => n++);
    const before = store.get();
    h.event({ stream: 'cluster', snapshot: snap('x') });
    expect(n).toBe(1);
    expect(store.get()).not.toBe(before);
  });
});
