import { afterEach, describe, expect, it } from 'vitest';
import { AdminEndpoint } from '../../../broker/src/admin/AdminEndpoint.js';
import type {
  WireChangeEvent,
  WireLinkEvent,
  TapScope,
  WireObserveEvent,
  WireTapEvent,
} from '../../../broker/src/admin/adminWire.js';
import { LinkCloseReason } from '../../../broker/src/cluster/LinkCloseReason.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';
import { encodeIdPacket } from '../../../broker/src/protocol/ids.js';
import type { TapEvent } from '../../../broker/src/node/tap.js';
import { startMember, type ClusterMember } from '../../helpers/startCluster.js';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { change, connectPeer, create, observe, openPeer, publish, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { AdminWs, TOKEN } from './adminClient.js';

/*
 * Issue #11, lifecycle events on the tap: connect with its info, observe/unobserve, every Change
 * sent, and link up/down with the link's close reason; over the admin WebSocket of real nodes.
 */

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function tapped(
  n: RunningNode | ClusterMember,
  cluster?: ClusterMember['cluster'],
  scope?: TapScope,
): Promise<AdminWs> {
  new AdminEndpoint(n.node, n.server, TOKEN, cluster, { socket: { statsIntervalMs: 60_000 } });
  const a = await AdminWs.open(n.port);
  closers.push(() => a.close());
  await a.tap(true, undefined, scope);
  return a;
}

async function node(name: string): Promise<RunningNode> {
  const n = await startNode({ name });
  closers.push(() => n.close());
  return n;
}

async function member(name: string, peers: string[] = []): Promise<ClusterMember> {
  const m = await startMember(name, { peers });
  closers.push(() => m.close());
  return m;
}

const observes = (a: AdminWs): WireObserveEvent[] =>
  a.events().filter((e): e is WireObserveEvent => e.kind === 'observe');
const changes = (a: AdminWs): WireChangeEvent[] =>
  a.events().filter((e): e is WireChangeEvent => e.kind === 'change');
const links = (a: AdminWs): WireLinkEvent[] =>
  a.events().filter((e): e is WireLinkEvent => e.kind === 'link');

describe('lifecycle events on the admin tap (one node)', () => {
  it('reports a connect with uid, ip, transport and the Connect info', async () => {
    const n = await node('solo');
    const admin = await tapped(n);
    const peer = await openPeer(n.port, 'ws');
    closers.push(() => peer.end());
    await peer.next(PacketType.Init);
    const uid = Buffer.from('0a0b0c0d0e0f', 'hex');
    peer.send(
      encodeConnect({ version: 2, maxFrame: 0, uid, credentials: Buffer.alloc(0), info: 'LED kitchen' }),
    );
    const etid = (await peer.next(PacketType.Connack)).readUInt32BE(2);
    expect(await admin.event((e) => e.kind === 'session' && e.etid === etid)).toEqual({
      kind: 'session',
      time: expect.any(Number),
      event: 'open',
      etid,
      uid: '0a0b0c0d0e0f',
      ip: '127.0.0.1',
      transport: 'ws',
      info: 'LED kitchen',
    });
  });

  it('reports observe and unobserve of a topic, a local ETID and an unknown id, and each Change sent', async () => {
    const n = await node('solo');
    const admin = await tapped(n);
    const watcher = await connectPeer(n.port, 'raw', Buffer.from('ababababab01', 'hex'));
    const device = await connectPeer(n.port, 'ws', Buffer.from('cdcdcdcdcd02', 'hex'));
    const tid = await create(watcher.peer, '/m2m/led/device');

    observe(watcher.peer, tid);
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: tid, count: 0 });
    await subscribe(device.peer, '/m2m/led/device');
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: tid, count: 1 });
    observe(watcher.peer, device.etid);
    observe(watcher.peer, 0x7777);
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: 0x7777, count: 0 });
    device.peer.end();
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: tid, count: 0 });
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: device.etid, count: 0 });
    watcher.peer.send(encodeIdPacket(PacketType.Unobserve, tid));
    // Not observed (any more): nothing changes, nothing is reported.
    watcher.peer.send(encodeIdPacket(PacketType.Unobserve, tid));
    watcher.peer.send(encodeIdPacket(PacketType.Unobserve, device.etid));
    await watcher.peer.sync();
    await waitFor(() => observes(admin).some((e) => e.event === 'unobserve'), { what: 'the unobserve' });
    await waitFor(() => changes(admin).length === 5, { what: 'five Change events' });

    const who = { etid: watcher.etid, uid: 'ababababab01' };
    expect(observes(admin)).toEqual([
      {
        kind: 'observe',
        time: expect.any(Number),
        event: 'observe',
        ...who,
        id: tid,
        target: 'topic',
        topic: '/m2m/led/device',
      },
      {
        kind: 'observe',
        time: expect.any(Number),
        event: 'observe',
        ...who,
        id: device.etid,
        target: 'etid',
        owner: 'solo',
        targetUid: 'cdcdcdcdcd02',
      },
      { kind: 'observe', time: expect.any(Number), event: 'observe', ...who, id: 0x7777, target: 'unknown' },
      {
        kind: 'observe',
        time: expect.any(Number),
        event: 'unobserve',
        ...who,
        id: tid,
        target: 'topic',
        topic: '/m2m/led/device',
      },
    ]);
    expect(changes(admin).map(({ time: _t, ...c }) => c)).toEqual([
      { kind: 'change', ...who, id: tid, target: 'topic', topic: '/m2m/led/device', count: 0 },
      { kind: 'change', ...who, id: tid, target: 'topic', topic: '/m2m/led/device', count: 1 },
      { kind: 'change', ...who, id: 0x7777, target: 'unknown', count: 0 },
      { kind: 'change', ...who, id: tid, target: 'topic', topic: '/m2m/led/device', count: 0 },
      { kind: 'change', ...who, id: device.etid, target: 'etid', count: 0 },
    ]);
  });

  it('builds no lifecycle event while nobody taps, and builds them once someone does', async () => {
    const n = await node('quiet');
    const built: TapEvent[] = [];
    n.node.emitTap = (e) => void built.push(e);
    const watcher = await connectPeer(n.port, 'raw');
    const other = await connectPeer(n.port, 'raw');
    const tid = await subscribe(other.peer, 't');
    observe(watcher.peer, tid);
    await watcher.peer.next(PacketType.Change);
    observe(watcher.peer, other.etid);
    watcher.peer.send(encodeIdPacket(PacketType.Unobserve, other.etid));
    await watcher.peer.sync();
    expect(built).toEqual([]);

    n.node.on('tap', () => {});
    observe(watcher.peer, other.etid);
    other.peer.end();
    await watcher.peer.next(PacketType.Change);
    await watcher.peer.next(PacketType.Change);
    expect(built.map((e) => e.kind)).toEqual(['observe', 'subscription', 'change', 'change', 'session']);
  });

  it('builds no publish event while the tap is lifecycle-only, and builds them once it is full', async () => {
    const n = await node('lean');
    const admin = await tapped(n, undefined, 'lifecycle');
    const built: TapEvent[] = [];
    n.node.emitTap = (e) => void built.push(e);
    const sender = await connectPeer(n.port, 'raw');
    const receiver = await connectPeer(n.port, 'raw');
    const tid = await subscribe(receiver.peer, 't');
    const nobody = await create(sender.peer, 'nobody-listens');
    publish(sender, tid, 'delivered');
    await receiver.peer.next(PacketType.Publish);
    // Dropped for want of a receiver: the other place a publish event is built.
    publish(sender, nobody, 'dropped');
    await sender.peer.sync();
    expect(built.map((e) => e.kind)).toEqual(['session', 'session', 'subscription']);

    await admin.tap(true, undefined, 'all');
    publish(sender, tid, 'delivered');
    await receiver.peer.next(PacketType.Publish);
    publish(sender, nobody, 'dropped');
    await sender.peer.sync();
    expect(built.map((e) => (e.kind === 'publish' ? `publish:${e.dropped ?? 'ok'}` : e.kind))).toEqual([
      'session',
      'session',
      'subscription',
      'publish:ok',
      'publish:noReceiver',
    ]);
  });

  it('sends lifecycle events but no publishes over a lifecycle-only tap, and releases it when off', async () => {
    const n = await node('lean');
    const admin = await tapped(n, undefined, 'lifecycle');
    expect(admin.frames.find((f) => f.t === 'tapping')).toMatchObject({ on: true, scope: 'lifecycle' });
    expect([n.node.tapping, n.node.tappingPublishes]).toEqual([true, false]);
    const sender = await connectPeer(n.port, 'raw');
    const tid = await subscribe(sender.peer, 'echo');
    publish(sender, tid, 'to myself');
    await sender.peer.next(PacketType.Publish);
    sender.peer.end();
    await admin.event((e) => e.kind === 'session' && e.event === 'close', 'the close event');
    expect(admin.events().map((e) => `${e.kind}:${'event' in e ? e.event : ''}`)).toEqual([
      'session:open',
      'subscription:subscribe',
      'subscription:unsubscribe',
      'session:close',
    ]);

    await admin.tap(true, undefined, 'all');
    expect([n.node.tapping, n.node.tappingPublishes]).toEqual([true, true]);
    await admin.tap(true, undefined, 'lifecycle');
    await admin.tap(false);
    expect([n.node.tapping, n.node.tappingPublishes]).toEqual([false, false]);
  });
});

describe('lifecycle events on the admin tap (two linked nodes)', () => {
  it('reports link up, a remote ETID observed, its Change when the peer dies, and link down with its reason', async () => {
    const a = await member('n0');
    const b = await member('n1');
    const admin = await tapped(b, b.cluster);
    b.cluster.addPeer(a.url);
    const up = await admin.event((e) => e.kind === 'link', 'a link-up event');
    expect(up).toEqual({
      kind: 'link',
      time: expect.any(Number),
      event: 'up',
      peer: 'n0',
      peerNodeId: a.cluster.nodeId,
    });

    const device = await connectPeer(a.port, 'raw', Buffer.from('d0d0d0d0d0d0', 'hex'));
    const display = await connectPeer(b.port, 'ws', Buffer.from('e0e0e0e0e0e0', 'hex'));
    await waitFor(() => b.node.isLiveEtid(device.etid), { what: 'the device in n1’s directory' });
    observe(display.peer, device.etid);
    await display.peer.sync();
    expect(await admin.event((e) => e.kind === 'observe')).toMatchObject({
      event: 'observe',
      etid: display.etid,
      id: device.etid,
      target: 'etid',
      owner: 'n0',
    });

    await a.close();
    expect(change(await display.peer.next(PacketType.Change))).toEqual({ id: device.etid, count: 0 });
    const down = await admin.event((e) => e.kind === 'link' && e.event === 'down', 'a link-down event');
    // n0 closed its end: from n1's side the transport closed.
    expect(down).toMatchObject({
      peer: 'n0',
      peerNodeId: a.cluster.nodeId,
      reason: LinkCloseReason.TransportClosed,
    });
    // The cause comes before what follows from it.
    const kinds = admin.events().map((e: WireTapEvent) => `${e.kind}:${'event' in e ? e.event : ''}`);
    expect(kinds.indexOf('link:down')).toBeLessThan(kinds.indexOf('change:'));
    expect(changes(admin)).toMatchObject([{ etid: display.etid, id: device.etid, target: 'etid', count: 0 }]);
    expect(links(admin).map((l) => l.event)).toEqual(['up', 'down']);
  });

  it('reports a cut link as down with LinkCut, and the remote ETID as unknown while unlinked (negative control)', async () => {
    const a = await member('n0');
    const b = await member('n1', [a.url]);
    await waitFor(() => b.cluster.links().some((l) => l.state === 'up'), { what: 'the link up' });
    const admin = await tapped(b, b.cluster);
    const device = await connectPeer(a.port, 'raw');
    const display = await connectPeer(b.port, 'ws');
    await waitFor(() => b.node.isLiveEtid(device.etid), { what: 'the device in n1’s directory' });
    b.cluster.cut('n0');
    const down = await admin.event((e) => e.kind === 'link', 'a link-down event');
    expect(down).toMatchObject({ event: 'down', peer: 'n0', reason: 'LinkCut' });

    observe(display.peer, device.etid);
    expect(change(await display.peer.next(PacketType.Change))).toEqual({ id: device.etid, count: 0 });
    expect(await admin.event((e) => e.kind === 'observe')).toMatchObject({
      id: device.etid,
      target: 'unknown',
    });
    expect(observes(admin)[0]).not.toHaveProperty('owner');
  });
});
