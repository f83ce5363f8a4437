import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { natsFixture, startFixtureCluster } from '../../helpers/clusterFixture.js';
import {
  change,
  connectPeer,
  create,
  observe,
  publish,
  published,
  subscribe,
} from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { LinkMsg } from '../../../broker/src/cluster/linkCodec.js';
import type { ClusterMember } from '../../helpers/startCluster.js';

const f = natsFixture();
beforeAll(() => f.setUp());
afterAll(() => f.tearDown());
afterEach(() => f.closeAll());

/**
 * Drops the next EtidUp that `m` receives, as core NATS may, and with `alsoFirstSnapshot` the
 * snapshot that first answers the resync (asked again later: the window a display could observe
 * in); resolves the ETID the EtidUp carried.
 */
function dropNextEtidUp(m: ClusterMember, alsoFirstSnapshot = false): Promise<number> {
  const membership = m.cluster.nats!.membership;
  let etidUp = true;
  let snapshot = alsoFirstSnapshot;
  return new Promise((resolve) => {
    membership.dropIncoming = (_from, msg) => {
      if (etidUp && msg[0] === LinkMsg.EtidUp) {
        etidUp = false;
        resolve(msg.readUInt32BE(1));
        return true;
      }
      if (etidUp || !snapshot || msg[0] !== LinkMsg.Sync) return false;
      snapshot = false;
      return true;
    };
  });
}

const settled = (m: ClusterMember): boolean => m.cluster.nats!.info().peers.every((p) => !p.awaitingSnapshot);

describe('a lost directory delta on NATS', () => {
  it('is noticed from the next message of its sender, resynced, and no observer is told a false Change(etid, 0)', async () => {
    const [a, b] = await startFixtureCluster(f, 2);
    const display = await connectPeer(b!.port, 'ws');
    const tidB = await subscribe(display.peer, '/m2m/led/device');
    const early = await connectPeer(a!.port, 'raw');
    await waitFor(() => b!.node.isLiveEtid(early.etid), { what: 'the early device at b' });
    observe(display.peer, early.etid);

    const dropped = dropNextEtidUp(b!, true);
    const device = await connectPeer(a!.port, 'raw');
    expect(await dropped).toBe(device.etid);
    const tidA = await create(device.peer, '/m2m/led/device');
    await waitFor(() => a!.node.subscriberCount(tidA) === 1, { what: 'interest from b at a' });
    publish(device, tidA, '{"devname":"lost up"}');
    // Like a display: it learns the device from its broadcast and observes it at once.
    const m = published(await display.peer.next(PacketType.Publish));
    expect(m).toMatchObject({ dest: tidB, ptid: device.etid });
    observe(display.peer, m.ptid);

    await waitFor(() => settled(b!) && b!.cluster.nats!.info().resyncs === 1, { what: 'the resync' });
    expect(b!.node.isLiveEtid(device.etid)).toBe(true);
    expect(await display.peer.sync()).toEqual([]);
    // The observation holds: a real departure is still told.
    device.peer.end();
    expect(change(await display.peer.next(PacketType.Change))).toEqual({ id: device.etid, count: 0 });
    expect(await display.peer.sync()).toEqual([]);
  });

  it('is noticed from the next presence beat when nothing else follows it', async () => {
    const [a, b] = await startFixtureCluster(f, 2);
    const dropped = dropNextEtidUp(b!);
    const quiet = await connectPeer(a!.port, 'raw');
    expect(await dropped).toBe(quiet.etid);
    await waitFor(() => b!.cluster.nats!.info().resyncs === 1 && settled(b!), { what: 'the resync' });
    expect(b!.cluster.router.isRemoteEtid(quiet.etid)).toBe(true);
    const watcher = await connectPeer(b!.port, 'ws');
    observe(watcher.peer, quiet.etid);
    expect(await watcher.peer.sync()).toEqual([]);
  });
});
