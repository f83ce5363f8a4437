import { afterEach, describe, expect, it } from 'vitest';
import { AdminEndpoint } from '../../../broker/src/admin/AdminEndpoint.js';
import type { AdminTopic } from '../../../broker/src/admin/adminWire.js';
import { startCluster, type ClusterMember } from '../../helpers/startCluster.js';
import { connectPeer, create, publish, published, subscribe } from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { waitFor } from '../../helpers/waitFor.js';
import { AdminWs, TOKEN } from './adminClient.js';

let members: ClusterMember[] = [];
const admins: AdminWs[] = [];
afterEach(async () => {
  for (const a of admins.splice(0)) a.close();
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

async function adminOn(m: ClusterMember): Promise<AdminWs> {
  new AdminEndpoint(m.node, m.server, TOKEN, m.cluster);
  const a = await AdminWs.open(m.port);
  admins.push(a);
  await a.tap(true);
  return a;
}

async function topicsOf(a: AdminWs, id: string): Promise<AdminTopic[]> {
  a.send({ op: 'topics', id });
  return (await a.next('topics', (f) => f.id === id)).topics;
}

describe('the admin WebSocket in a cluster', () => {
  it('marks a publish that came over a link with the peer it came from, topic and one-to-one', async () => {
    members = await startCluster(2);
    const [a, b] = members as [ClusterMember, ClusterMember];
    const admin = await adminOn(b);
    const sub = await connectPeer(b.port, 'ws', Buffer.from('b0b0b0b0b0b0', 'hex'));
    await subscribe(sub.peer, 't');
    const pub = await connectPeer(a.port, 'raw');
    const tid = await create(pub.peer, 't');
    await waitFor(() => a.node.subscriberCount(tid) === 1, { what: 'interest from b' });
    await waitFor(() => a.node.isLiveEtid(sub.etid), { what: 'the subscriber in a’s directory' });
    publish(pub, tid, 'over the link');
    publish(pub, sub.etid, 'to you');

    expect(await admin.publish((e) => e.topic === 't')).toMatchObject({
      via: 'n0',
      destKind: 'topic',
      ptid: pub.etid,
      receivers: 1,
      head: Buffer.from('over the link').toString('base64'),
    });
    expect(await admin.publish((e) => e.dest === sub.etid)).toMatchObject({
      via: 'n0',
      destKind: 'etid',
      destUid: 'b0b0b0b0b0b0',
      receivers: 1,
    });
    // On b, the topic counts what came over the link apart from what b's own clients published.
    const [t] = (await topicsOf(admin, 'b')).filter((x) => x.name === 't');
    expect(t).toMatchObject({ subscribers: 1, clusterSubscribers: 1, msgs: 0, peerMsgs: 1, peerBytes: 13 });
    admin.send({ op: 'stats', id: 's' });
    const { stats } = await admin.next('stats', (f) => f.id === 's');
    expect(stats.cluster).toMatchObject({ nodeId: b.cluster.nodeId, cut: [] });
    expect(stats.cluster!.links).toMatchObject([{ state: 'up', remoteName: 'n0' }]);
    // On a, the subscriber is remote only: cluster-wide count 1, local 0.
    const onA = await adminOn(a);
    const [ta] = (await topicsOf(onA, 'a')).filter((x) => x.name === 't');
    expect(ta).toMatchObject({ subscribers: 0, clusterSubscribers: 1, msgs: 1, bytes: 13, peerMsgs: 0 });
  });

  it('shows nothing from the other node when the nodes are not linked (negative control)', async () => {
    members = await startCluster(2, false);
    const [a, b] = members as [ClusterMember, ClusterMember];
    const admin = await adminOn(b);
    const sub = await connectPeer(b.port, 'ws');
    const tidB = await subscribe(sub.peer, 't');
    const pub = await connectPeer(a.port, 'raw');
    const tid = await create(pub.peer, 't');
    publish(pub, tid, 'over the link');
    await pub.peer.sync();
    // A barrier on b: its own publish reaches the tap; anything from a would have come before.
    const local = await connectPeer(b.port, 'ws');
    publish(local, tidB, 'local');
    await admin.publish((e) => e.topic === 't' && e.via === undefined);
    expect(admin.publishes().filter((e) => e.via !== undefined)).toEqual([]);
    expect(published(await sub.peer.next(PacketType.Publish)).payload).toBe('local');
  });
});
