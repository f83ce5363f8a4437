import { afterEach, describe, expect, it } from 'vitest';
import { startMember, type ClusterMember } from '../../helpers/startCluster.js';
import { startNode } from '../../helpers/startNode.js';
import { Cluster } from '../../../broker/src/cluster/Cluster.js';
import { startNatsServer, type NatsServer } from '../../helpers/natsServer.js';
import { NATS_TEST_TIMING, waitForCluster } from '../../helpers/clusterFixture.js';
import { connectPeer, create, publish, published, subscribe } from '../../helpers/session.js';
import { encodeIdPacket } from '../../../broker/src/protocol/ids.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import type { NatsClusterOptions } from '../../../broker/src/cluster/Cluster.js';

let members: ClusterMember[] = [];
let server: NatsServer | undefined;
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
  await server?.stop();
});

const join = async (name: string, nats: NatsClusterOptions, etidPrefix?: number): Promise<ClusterMember> => {
  const m = await startMember(name, { nats: { timing: NATS_TEST_TIMING, ...nats } }, { etidPrefix });
  members.push(m);
  return m;
};

describe('joining a cluster through NATS', () => {
  it('authenticates with a user and password; a wrong password is kept out with the reason shown', async () => {
    server = await startNatsServer({ user: 'smq', pass: 'right-password' });
    const servers = [server.url];
    const a = await join('a', { servers, user: 'smq', pass: 'right-password' });
    const b = await join('b', { servers, user: 'smq', pass: 'right-password' });
    await waitForCluster([a, b]);
    const intruder = await join('intruder', { servers, user: 'smq', pass: 'wrong' });
    await waitFor(() => intruder.cluster.natsInfo()?.lastError, { what: 'the refusal' });
    expect(intruder.cluster.natsInfo()).toMatchObject({ state: 'connecting', server: undefined });
    expect(intruder.cluster.natsInfo()!.lastError).toMatch(/authorization/i);
    expect(a.cluster.peers().map((p) => p.name)).toEqual(['b']);
  });

  it('keeps two clusters on one NATS apart by name', async () => {
    server = await startNatsServer();
    const servers = [server.url];
    const a = await join('a', { servers, cluster: 'east' });
    const b = await join('b', { servers, cluster: 'east' });
    const other = await join('other', { servers, cluster: 'west' });
    await waitForCluster([a, b]);
    expect(other.cluster.peers()).toEqual([]);
    expect(a.cluster.peers().map((p) => p.name)).toEqual(['b']);
  });

  it('moves a joining node without clients off an ETID prefix a member uses, and routes to both', async () => {
    server = await startNatsServer();
    const servers = [server.url];
    const a = await join('a', { servers }, 300);
    const onA = await connectPeer(a.port, 'raw');
    const b = await join('b', { servers }, 300);
    await waitForCluster([a, b]);
    expect(b.node.etids.prefix).not.toBe(300);
    const onB = await connectPeer(b.port, 'ws');
    expect(Math.floor(onB.etid / 2 ** 20)).toBe(b.node.etids.prefix);
    await waitFor(() => a.node.isLiveEtid(onB.etid), { what: 'b client at a' });
    publish(onA, onB.etid, 'to b');
    expect(published(await onB.peer.next(PacketType.Publish))).toMatchObject({
      ptid: onA.etid,
      payload: 'to b',
    });
  });

  it('keeps two nodes that both issued ETIDs under one prefix apart, with EtidPrefixClash logged on both', async () => {
    server = await startNatsServer();
    const logs: string[] = [];
    const log = (_l: string, msg: string, f?: Record<string, unknown>): void =>
      void logs.push(`${msg} ${JSON.stringify(f)}`);
    const nats = { servers: [server.url], timing: NATS_TEST_TIMING };
    const a = await startMember('a', { nats, log }, { etidPrefix: 300 });
    members.push(a);
    await connectPeer(a.port, 'raw');
    // b has a client under prefix 300 before it joins.
    const n = await startNode({ name: 'b', etidPrefix: 300 });
    await connectPeer(n.port, 'raw');
    const cluster = new Cluster(n.node, n.server, { nats, log });
    members.push({ ...n, cluster, url: '', close: async () => (cluster.close(), await n.close()) });
    await waitFor(() => logs.filter((l) => l.includes('EtidPrefixClash')).length >= 2, {
      what: 'the clash logged by both',
    });
    expect(
      logs
        .filter((l) => l.includes('cluster peer refused'))
        .map((l) => JSON.parse(l.slice(l.indexOf('{'))).peer)
        .sort(),
    ).toEqual(['a', 'b']);
    expect([a.cluster.peers(), cluster.peers()]).toEqual([[], []]);
  });

  it('subscribes to a topic subject only while the node has local subscribers for it', async () => {
    server = await startNatsServer();
    const a = await join('a', { servers: [server.url] });
    const subscriptions = (): number => a.cluster.natsInfo()!.subscriptions;
    await waitFor(() => a.cluster.natsInfo()!.state === 'connected', { what: 'a on NATS' });
    expect(subscriptions()).toBe(3); // presence, deltas, its own subject
    const c = await connectPeer(a.port, 'raw');
    const tid = await subscribe(c.peer, 'lights');
    await create(c.peer, 'not subscribed');
    expect(subscriptions()).toBe(4);
    c.peer.send(encodeIdPacket(PacketType.Unsubscribe, tid));
    await c.peer.sync();
    expect(subscriptions()).toBe(3);
  });
});
