import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { connectPeer, createsub, publish, subscribe } from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import type { TapEvent, TapPublishEvent } from '../../../broker/src/node/tap.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

describe('traffic tap', () => {
  it('reports every routed publish: topic and sub-topic names, publisher, receivers, size, capped head, drops', async () => {
    n = await startNode({ name: 'tapped', limits: { tapCaptureBytes: 4 } });
    const events: TapEvent[] = [];
    const listener = (e: TapEvent): void => void events.push(e);
    n.node.on('tap', listener);
    const uid = Buffer.from('a1a2a3a4a5a6', 'hex');
    const pub = await connectPeer(n.port, 'raw', uid);
    const sub = await connectPeer(n.port, 'ws');
    const tid = await subscribe(sub.peer, '/m2m/led/device');
    const subtid = await createsub(pub.peer, 'devinfo');
    publish(pub, tid, '{"devname":"x"}', subtid);
    publish(pub, sub.etid, 'direct');
    publish(pub, 0x7ffffff0, 'nobody');
    await pub.peer.sync();
    await sub.peer.sync();
    const pubs = events.filter((e): e is TapPublishEvent => e.kind === 'publish');
    expect(pubs).toHaveLength(3);
    expect(pubs[0]).toMatchObject({
      node: 'tapped',
      destKind: 'topic',
      dest: tid,
      topic: '/m2m/led/device',
      subtid,
      subtopic: 'devinfo',
      ptid: pub.etid,
      publisherUid: 'a1a2a3a4a5a6',
      receivers: 1,
      size: 15,
      truncated: true,
      dropped: undefined,
    });
    expect(pubs[0]!.head.toString()).toBe('{"de');
    expect(pubs[1]).toMatchObject({ destKind: 'etid', dest: sub.etid, receivers: 1, size: 6 });
    expect(pubs[2]).toMatchObject({ destKind: 'unknown', receivers: 0, dropped: 'noReceiver' });
    expect(events.filter((e) => e.kind === 'session' && e.event === 'open')).toHaveLength(2);

    n.node.off('tap', listener);
    expect(n.node.tapping).toBe(false);
    publish(pub, tid, 'unseen');
    await sub.peer.next(PacketType.Publish);
    expect(events.filter((e) => e.kind === 'publish')).toHaveLength(3);
  });
});

describe('stats', () => {
  it('counts per session and per node, and keeps totals after sessions close', async () => {
    n = await startNode();
    const pub = await connectPeer(n.port, 'raw');
    const sub = await connectPeer(n.port, 'ws');
    const tid = await subscribe(sub.peer, 't');
    for (let i = 0; i < 10; i++) publish(pub, tid, '0123456789');
    await pub.peer.sync();
    await sub.peer.sync();
    const subSnap = n.node.sessions().find((s) => s.etid === sub.etid)!;
    expect(subSnap).toMatchObject({ transport: 'ws', state: 'ready', subscriptions: 1 });
    // Connect + Subscribe + Createsub (barrier) in; Init + Connack + Suback + 10 Publish + Createsuback out.
    expect(subSnap.counters).toMatchObject({ msgsIn: 3, msgsOut: 14 });
    const before = n.node.stats();
    expect(before).toMatchObject({ sessions: 2, publishes: 10, deliveries: 10, topics: 1 });
    pub.peer.end();
    await pub.peer.waitClosed();
    await sub.peer.sync();
    const after = n.node.stats();
    expect(after.sessions).toBe(1);
    expect(after.traffic.msgsIn).toBeGreaterThanOrEqual(before.traffic.msgsIn);
    expect(after.closes.ClientClosed).toBe(1);
  });
});
