import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, startMember, type ClusterMember } from '../../helpers/startCluster.js';
import {
  meshFixture,
  natsFixture,
  startFixtureCluster,
  waitForCluster,
} from '../../helpers/clusterFixture.js';
import {
  change,
  connectPeer,
  create,
  createsub,
  observe,
  publish,
  published,
  subscribe,
} from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeIdPacket } from '../../../broker/src/protocol/ids.js';

/**
 * The cluster's semantics, stated once and run on each transport: the WebSocket mesh and NATS.
 * The unlinked runs are the negative control: the same nodes, not joined, deliver nothing.
 */
describe.each([meshFixture(), natsFixture()])('a cluster in one process over $transport', (f) => {
  beforeAll(() => f.setUp());
  afterAll(() => f.tearDown());
  afterEach(() => f.closeAll());
  const startCluster = (count: number, linked = true): Promise<ClusterMember[]> =>
    startFixtureCluster(f, count, linked);
  let members: ClusterMember[] = [];

  it.each([true, false])(
    'delivers a publish on A to a subscriber on B with B ids (linked: %s)',
    async (linked) => {
      members = await startCluster(3, linked);
      const [a, b, c] = members;
      const sub = await connectPeer(b!.port, 'raw');
      const other = await connectPeer(c!.port, 'ws');
      // Make B's ids differ from A's: B has other topics and sub-topics first.
      await create(sub.peer, 'b-only');
      await createsub(sub.peer, 'b-sub');
      const tidB = await subscribe(sub.peer, '/m2m/temp');
      const subtidB = await createsub(sub.peer, 'devinfo');
      const pub = await connectPeer(a!.port, 'ws');
      const tidA = await create(pub.peer, '/m2m/temp');
      const subtidA = await createsub(pub.peer, 'devinfo');
      expect([tidA, subtidA]).not.toEqual([tidB, subtidB]);
      if (linked) await waitFor(() => a!.node.subscriberCount(tidA) === 1, { what: 'interest from B at A' });
      publish(pub, tidA, 'x', subtidA);
      await pub.peer.sync();
      if (linked) {
        expect(published(await sub.peer.next(PacketType.Publish))).toEqual({
          dest: tidB,
          ptid: pub.etid,
          subtid: subtidB,
          payload: 'x',
        });
      } else {
        expect(await sub.peer.sync()).toEqual([]);
      }
      expect(await other.peer.sync()).toEqual([]);
      // Interest routing: only B has a subscriber, so only B was sent the publish.
      const forwarded = Object.fromEntries(a!.cluster.peers().map((p) => [p.name, p.forwarded]));
      expect(forwarded).toEqual(linked ? { n1: 1, n2: 0 } : {});
    },
  );

  it.each([true, false])(
    'routes one-to-one to an ETID on another node, and the reply comes back (linked: %s)',
    async (linked) => {
      members = await startCluster(2, linked);
      const [a, b] = members;
      const x = await connectPeer(a!.port, 'raw');
      const y = await connectPeer(b!.port, 'ws');
      if (linked) await waitFor(() => a!.node.isLiveEtid(y.etid), { what: 'B ETID in A directory' });
      publish(x, y.etid, 'ping');
      await x.peer.sync();
      if (!linked) {
        expect(await y.peer.sync()).toEqual([]);
        return;
      }
      const m = published(await y.peer.next(PacketType.Publish));
      expect(m).toEqual({ dest: y.etid, ptid: x.etid, subtid: 0, payload: 'ping' });
      publish(y, m.ptid, 'pong');
      expect(published(await x.peer.next(PacketType.Publish))).toEqual({
        dest: x.etid,
        ptid: y.etid,
        subtid: 0,
        payload: 'pong',
      });
    },
  );

  it('counts topic subscribers cluster-wide for Change, and follows unsubscribe, disconnect and node stop', async () => {
    members = await startCluster(3);
    const [a, b, c] = members;
    const device = await connectPeer(a!.port, 'raw');
    const tid = await create(device.peer, '/m2m/led/device');
    observe(device.peer, tid);
    expect(change(await device.peer.next(PacketType.Change))).toEqual({ id: tid, count: 0 });
    const d1 = await connectPeer(b!.port, 'ws');
    const tidB = await subscribe(d1.peer, '/m2m/led/device');
    expect(change(await device.peer.next(PacketType.Change))).toEqual({ id: tid, count: 1 });
    const d2 = await connectPeer(c!.port, 'ws');
    await subscribe(d2.peer, '/m2m/led/device');
    expect(change(await device.peer.next(PacketType.Change))).toEqual({ id: tid, count: 2 });
    d1.peer.send(encodeIdPacket(PacketType.Unsubscribe, tidB));
    expect(change(await device.peer.next(PacketType.Change))).toEqual({ id: tid, count: 1 });
    await c!.close();
    expect(change(await device.peer.next(PacketType.Change))).toEqual({ id: tid, count: 0 });
  });

  it('sends Change(etid, 0) for an observed remote ETID when it disconnects, when its node stops, and when the link is lost', async () => {
    members = await startCluster(3);
    const [a, b, c] = members;
    const watcher = await connectPeer(a!.port, 'raw');
    const onB = await connectPeer(b!.port, 'ws');
    const onC = await connectPeer(c!.port, 'raw');
    const alsoOnB = await connectPeer(b!.port, 'raw');
    await waitFor(() => [onB, onC, alsoOnB].every((x) => a!.node.isLiveEtid(x.etid)), {
      what: 'directory at A',
    });
    for (const x of [onB, onC, alsoOnB]) observe(watcher.peer, x.etid);
    expect(await watcher.peer.sync()).toEqual([]);

    onB.peer.end();
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: onB.etid, count: 0 });

    await c!.close();
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: onC.etid, count: 0 });

    // Link loss: an operator cuts A off from B; A's clients lose B's clients.
    a!.cluster.cut(b!.node.name);
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: alsoOnB.etid, count: 0 });
    expect(await watcher.peer.sync()).toEqual([]);
  });

  it('gives the server client a cluster-unique PTID across a link', async () => {
    members = await startCluster(2);
    const [a, b] = members;
    const sub = await connectPeer(b!.port, 'raw');
    const tid = await subscribe(sub.peer, 'announce');
    await waitFor(() => a!.node.subscriberCount(a!.node.createTopic('announce')) === 1);
    a!.node.server.publish('hello', 'announce');
    const m = published(await sub.peer.next(PacketType.Publish));
    expect(m.dest).toBe(tid);
    expect(m.ptid).toBe(a!.node.etids.serverEtid);
    expect(m.ptid).not.toBe(1);
    const got: string[] = [];
    a!.node.server.onmsg = (msg) => got.push(msg.payload.toString());
    publish(sub, m.ptid, 'reply to A server');
    await waitFor(() => got.length === 1, { what: 'reply at A server client' });
    expect(got).toEqual(['reply to A server']);
  });

  it('heals after a restart: links come back and interest resyncs', async () => {
    members = await startCluster(3);
    const [a, b] = members;
    const c = members[2]!;
    const port = c.port;
    await c.close();
    await waitFor(() => !a!.cluster.router.hasSynced(c.cluster.nodeId), { what: 'n2 gone at n0' });
    const c2 = await f.join('n2-again', true, port);
    members[2] = c2;
    await waitForCluster(members);
    const sub = await connectPeer(c2.port, 'ws');
    const tid = await subscribe(sub.peer, 'after-restart');
    const pub = await connectPeer(b!.port, 'raw');
    const tidB = await create(pub.peer, 'after-restart');
    await waitFor(() => b!.node.subscriberCount(tidB) === 1, { what: 'interest from the restarted node' });
    publish(pub, tidB, 'welcome back');
    expect(published(await sub.peer.next(PacketType.Publish))).toMatchObject({
      dest: tid,
      payload: 'welcome back',
    });
  });

  it("keeps each publisher's order across nodes", async () => {
    members = await startCluster(2);
    const [a, b] = members;
    const sub = await connectPeer(b!.port, 'ws');
    await subscribe(sub.peer, 'ordered');
    const pub = await connectPeer(a!.port, 'raw');
    const tidA = await create(pub.peer, 'ordered');
    await waitFor(() => a!.node.subscriberCount(tidA) === 1, { what: 'interest from B at A' });
    const sent = Array.from({ length: 300 }, (_, i) => `m${i}`);
    for (const m of sent) publish(pub, tidA, m);
    const got: string[] = [];
    while (got.length < sent.length) got.push(published(await sub.peer.next(PacketType.Publish)).payload);
    expect(got).toEqual(sent);
  });

  it('tells no client Disconnect when another node stops, and they go on talking', async () => {
    members = await startCluster(3);
    const [a, b, c] = members;
    const onA = await connectPeer(a!.port, 'raw');
    const onB = await connectPeer(b!.port, 'ws');
    const tidB = await subscribe(onB.peer, 'after');
    const tidA = await create(onA.peer, 'after');
    await waitFor(() => a!.node.subscriberCount(tidA) === 1, { what: 'interest from B at A' });
    await c!.close();
    await waitFor(() => !a!.cluster.router.hasSynced(c!.cluster.nodeId), { what: 'n2 gone at n0' });
    publish(onA, tidA, 'still here');
    expect(published(await onB.peer.next(PacketType.Publish))).toMatchObject({
      dest: tidB,
      payload: 'still here',
    });
    for (const x of [onA, onB]) {
      expect((await x.peer.sync()).filter((p) => p[0] === PacketType.Disconnect)).toEqual([]);
      expect(x.peer.closed).toBe(false);
    }
  });
});

describe('a mesh of 3 nodes in one process', () => {
  let members: ClusterMember[] = [];
  afterEach(async () => {
    await Promise.all(members.map((m) => m.close()));
    members = [];
  });

  it('forms a full mesh by gossip when each node is told only the first', async () => {
    members = await startCluster(3);
    for (const m of members) {
      const up = m.cluster.links().filter((l) => l.state === 'up');
      expect(up.map((l) => l.remoteName).sort()).toEqual(
        members
          .filter((o) => o !== m)
          .map((o) => o.node.name)
          .sort(),
      );
    }
  });

  it('refuses a wrong secret with a clear reason logged on both sides', async () => {
    const logs: string[] = [];
    const log = (_l: string, msg: string, f?: Record<string, unknown>): void =>
      void logs.push(`${msg} ${JSON.stringify(f)}`);
    const a = await startMember('a', { secret: 'right', log });
    const b = await startMember('b', { secret: 'wrong', peers: [a.url], log });
    members = [a, b];
    await waitFor(() => logs.filter((l) => l.includes('BadSecret')).length >= 2, {
      what: 'BadSecret logged on both sides',
    });
    expect(logs.some((l) => l.includes('failed to prove the cluster secret'))).toBe(true);
    expect(logs.some((l) => l.includes('peer refused the link: BadSecret'))).toBe(true);
    expect(a.cluster.links().filter((l) => l.state === 'up')).toEqual([]);
  });
});
