import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import {
  TRANSPORTS,
  connectPeer,
  create,
  createsub,
  publish,
  published,
  subscribe,
  type TransportName,
} from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeNameRequest } from '../../../broker/src/protocol/names.js';
import { encodePublish } from '../../../broker/src/protocol/publish.js';
import { encodeIdPacket } from '../../../broker/src/protocol/ids.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

const PAIRS: [TransportName, TransportName][] = TRANSPORTS.flatMap((a) =>
  TRANSPORTS.map((b) => [a, b] as [TransportName, TransportName]),
);

describe.each(PAIRS)('publisher on %s, subscriber on %s', (pubT, subT) => {
  it('delivers a topic Publish byte for byte, with the sub-topic id the receiver got from its own ack', async () => {
    n = await startNode();
    const sub = await connectPeer(n.port, subT);
    const pub = await connectPeer(n.port, pubT);
    const tid = await subscribe(sub.peer, '/m2m/temp');
    expect(await create(pub.peer, '/m2m/temp')).toBe(tid);
    const subtidPub = await createsub(pub.peer, 'devinfo');
    expect(await createsub(sub.peer, 'devinfo')).toBe(subtidPub);
    const packet = encodePublish(tid, pub.etid, subtidPub, Buffer.from('00fb', 'hex'));
    pub.peer.send(packet);
    const got = await sub.peer.next(PacketType.Publish);
    expect(got.equals(packet)).toBe(true);
  });

  it('routes a Publish to an ETID to that one client, and the reply to the PTID comes back', async () => {
    n = await startNode();
    const a = await connectPeer(n.port, pubT);
    const b = await connectPeer(n.port, subT);
    const bystander = await connectPeer(n.port, subT);
    publish(a, b.etid, 'hello b');
    const m = published(await b.peer.next(PacketType.Publish));
    expect(m).toEqual({ dest: b.etid, ptid: a.etid, subtid: 0, payload: 'hello b' });
    publish(b, m.ptid, 'hello a');
    expect(published(await a.peer.next(PacketType.Publish))).toEqual({
      dest: a.etid,
      ptid: b.etid,
      subtid: 0,
      payload: 'hello a',
    });
    expect(await bystander.peer.sync()).toEqual([]);
  });

  it('closes only a client whose publisher field is not its ETID, with Disconnect "corrupt frame"', async () => {
    n = await startNode();
    const sub = await connectPeer(n.port, subT);
    const liar = await connectPeer(n.port, pubT);
    const honest = await connectPeer(n.port, pubT);
    const tid = await subscribe(sub.peer, 't');
    liar.peer.send(encodePublish(tid, honest.etid, 0, 'forged'));
    expect((await liar.peer.next(PacketType.Disconnect)).toString('latin1')).toBe('\x0bcorrupt frame');
    await liar.peer.waitClosed();
    publish(honest, tid, 'still here');
    expect(published(await sub.peer.next(PacketType.Publish)).payload).toBe('still here');
    expect(n.node.stats().closes.CorruptFrame).toBe(1);
  });
});

describe.each(TRANSPORTS)('topics and acks over %s', (t) => {
  it('acks every request once, in request order, echoing names byte for byte', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, t);
    const names = [
      Buffer.from('a'),
      Buffer.from([0xff, 0xfe, 0x00, 0x41]),
      Buffer.from('/m2m/led/device'),
      Buffer.from('a'),
    ];
    const types = [
      PacketType.Subscribe,
      PacketType.Create,
      PacketType.Createsub,
      PacketType.Subscribe,
    ] as const;
    names.forEach((name, i) => c.peer.send(encodeNameRequest(types[i]!, name)));
    const acks = [];
    for (const type of types) acks.push(await c.peer.next(type + 1));
    acks.forEach((ack, i) => expect(ack.subarray(6).equals(names[i]!)).toBe(true));
    expect(acks[3]!.readUInt32BE(2)).toBe(acks[0]!.readUInt32BE(2));
    expect(await c.peer.sync()).toEqual([]);
  });

  it('delivers to the publisher too when it subscribed, once per subscriber', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, t);
    const other = await connectPeer(n.port, t);
    const tid = await subscribe(c.peer, 'echo');
    await subscribe(other.peer, 'echo');
    publish(c, tid, 'mine');
    expect(published(await c.peer.next(PacketType.Publish))).toEqual({
      dest: tid,
      ptid: c.etid,
      subtid: 0,
      payload: 'mine',
    });
    expect(published(await other.peer.next(PacketType.Publish)).payload).toBe('mine');
    expect(await c.peer.sync()).toEqual([]);
  });

  it('counts a repeated Subscribe once: one Unsubscribe ends the subscription', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, t);
    const pub = await connectPeer(n.port, t);
    const tid = await subscribe(c.peer, 'x');
    await subscribe(c.peer, 'x');
    publish(pub, tid, 'once');
    expect(published(await c.peer.next(PacketType.Publish)).payload).toBe('once');
    expect(await c.peer.sync()).toEqual([]);
    c.peer.send(encodeIdPacket(PacketType.Unsubscribe, tid));
    publish(pub, tid, 'gone');
    await pub.peer.sync();
    expect(await c.peer.sync()).toEqual([]);
    expect(n.node.stats().drops.noReceiver).toBe(1);
  });

  it('treats an arriving "self" as an ordinary topic name', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, t);
    const tid = await subscribe(c.peer, 'self');
    expect(tid).toBeGreaterThanOrEqual(2);
    expect(tid).not.toBe(c.etid);
    expect(n.node.topics.names.idOf(Buffer.from('self'))).toBe(tid);
  });

  it('denies an empty or over-long name with status 1 and id 0, and a permitTopic refusal likewise', async () => {
    n = await startNode({
      limits: { maxTopicNameLength: 8 },
      hooks: { permitTopic: (name) => !name.toString().startsWith('secret') },
    });
    const c = await connectPeer(n.port, t);
    for (const name of ['', '123456789', 'secret']) {
      c.peer.send(encodeNameRequest(PacketType.Subscribe, name));
      expect((await c.peer.next(PacketType.Suback)).toString('hex')).toBe(
        '050100000000' + Buffer.from(name).toString('hex'),
      );
    }
  });

  it('keeps pre-created fixed TIDs, and Unsubscribe of an unknown TID or own ETID is ignored', async () => {
    n = await startNode({ topics: { '/m2m/led/device': 2, '/m2m/temp': 3 } });
    const c = await connectPeer(n.port, t);
    expect(await subscribe(c.peer, '/m2m/temp')).toBe(3);
    expect(await create(c.peer, '/m2m/led/device')).toBe(2);
    expect(await create(c.peer, 'new')).toBe(4);
    c.peer.send(encodeIdPacket(PacketType.Unsubscribe, 999));
    c.peer.send(encodeIdPacket(PacketType.Unsubscribe, c.etid));
    expect(await c.peer.sync()).toEqual([]);
    expect(c.peer.closed).toBe(false);
  });

  it('lets the server-side client at ETID 1 publish and subscribe', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, t);
    const got: string[] = [];
    n.node.server.subscribe('to-server', (m) => got.push(`${m.ptid}:${m.payload.toString()}`));
    n.node.server.onmsg = (m) => got.push(`direct:${m.payload.toString()}`);
    const tid = await subscribe(c.peer, 'from-server');
    n.node.server.publish('hi', 'from-server', 'info');
    expect(published(await c.peer.next(PacketType.Publish))).toMatchObject({
      dest: tid,
      ptid: 1,
      payload: 'hi',
    });
    publish(c, await create(c.peer, 'to-server'), 'up');
    publish(c, 1, 'one-to-one');
    await c.peer.sync();
    expect(got).toEqual([`${c.etid}:up`, 'direct:one-to-one']);
  });
});
