import { afterEach, describe, expect, it } from 'vitest';
import { startMember, type ClusterMember } from '../../helpers/startCluster.js';
import { startNatsServer, type NatsServer } from '../../helpers/natsServer.js';
import { NATS_TEST_TIMING, waitForCluster } from '../../helpers/clusterFixture.js';
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

let members: ClusterMember[] = [];
let server: NatsServer | undefined;
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
  await server?.stop();
});

describe('losing NATS', () => {
  it('makes the other side gone within the bound (Change(etid, 0), no Disconnect); back on NATS, the cluster heals', async () => {
    server = await startNatsServer();
    const port = Number(new URL(server.url).port);
    const nats = { servers: [server.url], timing: NATS_TEST_TIMING };
    const a = await startMember('a', { nats });
    const b = await startMember('b', { nats });
    members = [a, b];
    await waitForCluster(members);
    const display = await connectPeer(a.port, 'ws');
    const tidA = await subscribe(display.peer, '/m2m/led/device');
    const device = await connectPeer(b.port, 'raw');
    const tidB = await create(device.peer, '/m2m/led/device');
    await waitFor(() => a.node.isLiveEtid(device.etid), { what: 'the device at a' });
    observe(display.peer, device.etid);
    expect(await display.peer.sync()).toEqual([]);

    await server.stop();
    const lostAt = Date.now();
    expect(change(await display.peer.next(PacketType.Change, 5000))).toEqual({ id: device.etid, count: 0 });
    const bound = NATS_TEST_TIMING.deadAfterMs + NATS_TEST_TIMING.heartbeatMs;
    console.log(`device declared gone ${Date.now() - lostAt} ms after NATS was lost (bound ${bound} ms)`);

    server = await startNatsServer({ port });
    await waitFor(() => a.cluster.natsInfo()!.reconnects === 1 && b.cluster.natsInfo()!.reconnects === 1, {
      timeout: 10_000,
      what: 'both nodes back on NATS',
    });
    await waitForCluster(members);
    // Healing: a display re-learns the device from its next broadcast, and can observe it again.
    expect(a.node.isLiveEtid(device.etid)).toBe(true);
    await waitFor(() => b.node.subscriberCount(tidB) === 1, { what: 'interest from a at b' });
    publish(device, tidB, 'back');
    expect(published(await display.peer.next(PacketType.Publish))).toMatchObject({
      dest: tidA,
      ptid: device.etid,
    });
    observe(display.peer, device.etid);
    for (const x of [display, device]) {
      expect(await x.peer.sync()).toEqual([]);
      expect(x.peer.closed).toBe(false);
    }
  }, 30_000);
});
