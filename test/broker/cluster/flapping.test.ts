import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCluster, type ClusterMember } from '../../helpers/startCluster.js';
import { connectPeer, create, publish, published, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';

let members: ClusterMember[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

/** Open TCP sockets of this process (both ends of every link, and the test's clients). */
function sockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

/** Intervals started and not cleared from now on: link heartbeats, unref'd and invisible elsewhere. */
function trackIntervals(): Set<unknown> {
  const live = new Set<unknown>();
  const set = globalThis.setInterval;
  const clear = globalThis.clearInterval;
  vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms?: number) => {
    const h = set(fn, ms);
    live.add(h);
    return h;
  }) as typeof setInterval);
  vi.spyOn(globalThis, 'clearInterval').mockImplementation(((h?: NodeJS.Timeout) => {
    live.delete(h);
    clear(h);
  }) as typeof clearInterval);
  return live;
}

describe('a flapping link', () => {
  it('cut and restored 50 times leaves no leaked sockets, heartbeats, ETIDs or interest', async () => {
    members = await startCluster(2);
    const [a, b] = members;
    const sub = await connectPeer(b!.port, 'raw');
    const tidB = await subscribe(sub.peer, 'flap');
    const pub = await connectPeer(a!.port, 'ws');
    const tidA = await create(pub.peer, 'flap');
    await waitFor(() => a!.node.subscriberCount(tidA) === 1);
    const baseline = sockets();
    const heartbeats = trackIntervals();

    for (let i = 0; i < 50; i++) {
      b!.cluster.removePeer(a!.url);
      await waitFor(() => a!.node.subscriberCount(tidA) === 0 && !a!.node.isLiveEtid(sub.etid), {
        what: `cut ${i}`,
      });
      b!.cluster.addPeer(a!.url);
      await waitFor(() => a!.node.subscriberCount(tidA) === 1 && a!.node.isLiveEtid(sub.etid), {
        what: `heal ${i}`,
      });
    }

    publish(pub, tidA, 'after 50 flaps');
    expect(published(await sub.peer.next(PacketType.Publish))).toMatchObject({
      dest: tidB,
      payload: 'after 50 flaps',
    });
    expect(await sub.peer.sync()).toEqual([]);
    for (const m of members) {
      expect(m.cluster.links().map((l) => l.state)).toEqual(['up']);
      expect(m.cluster.peers()).toHaveLength(1);
    }
    expect(b!.cluster.links()[0]!.reconnects).toBe(50);
    // a knows b's subscriber and b's two ETIDs (server client and sub); b knows a's server client and pub.
    expect(a!.cluster.peers()[0]).toMatchObject({ topicsOfInterest: 1, etids: 2 });
    expect(b!.cluster.peers()[0]).toMatchObject({ topicsOfInterest: 0, etids: 2 });
    // One heartbeat per side of the one live link: every closed link cleared its own.
    expect(heartbeats.size).toBe(2);
    await waitFor(() => sockets() === baseline, { what: `${baseline} open sockets, now ${sockets()}` });
  });
});
