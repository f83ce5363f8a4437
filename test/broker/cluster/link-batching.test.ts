import { afterEach, describe, expect, it } from 'vitest';
import { startMember, type ClusterMember } from '../../helpers/startCluster.js';
import { FakeLinkPeer } from '../../helpers/FakeLinkPeer.js';
import { connectPeer, create, publish, published, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodePublish } from '../../../broker/src/protocol/publish.js';
import type { RawPeer } from '../../helpers/SmqPeer.js';
import {
  LinkMsg,
  decodeBatch,
  decodePubTopic,
  encodeEtid,
  encodeInterest,
  encodePubTopic,
} from '../../../broker/src/cluster/linkCodec.js';

let members: ClusterMember[] = [];
let fakes: FakeLinkPeer[] = [];
afterEach(async () => {
  for (const f of fakes) f.close();
  fakes = [];
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

/** A Batch frame built here, independently of the node's encoder: 15, then u32 length + bytes each. */
function batchOf(msgs: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.of(15)];
  for (const m of msgs) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    parts.push(len, m);
  }
  return Buffer.concat(parts);
}

async function linkedToFake(maxPendingBytes?: number): Promise<{ a: ClusterMember; fake: FakeLinkPeer }> {
  const timing = {
    heartbeatMs: 60_000,
    deadAfterMs: 120_000,
    ...(maxPendingBytes ? { maxPendingBytes } : {}),
  };
  const a = await startMember('a', { timing });
  members = [a];
  const fake = await FakeLinkPeer.connect(a.port, 'test-secret');
  fakes.push(fake);
  await fake.linkExpect(LinkMsg.Sync);
  return { a, fake };
}

describe('cluster link batching: one frame per event-loop turn', () => {
  it('sends the Members and the Sync a link writes as it comes up in one Batch frame, in that order', async () => {
    const { fake } = await linkedToFake();
    // Hello and Welcome go alone (handshake); then the link's first turn, in one frame.
    const types = fake.frames.map((f) => f[0]);
    expect(types.slice(0, 3)).toEqual([LinkMsg.Hello, LinkMsg.Welcome, LinkMsg.Batch]);
    expect(decodeBatch(fake.frames[2]!)!.map((m) => m[0])).toEqual([LinkMsg.Members, LinkMsg.Sync]);
  });

  it('forwards a burst of publishes in far fewer frames than messages, every one in order', async () => {
    const { a, fake } = await linkedToFake();
    fake.linkSend(encodeInterest(Buffer.from('burst'), 1));
    const pub = await connectPeer(a.port, 'raw');
    const tid = await create(pub.peer, 'burst');
    await waitFor(() => a.node.subscriberCount(tid) === 1, { what: 'the fake peer interest' });
    const before = fake.frames.length;
    const total = 500;
    for (let i = 0; i < total; i++) publish(pub, tid, String(i));
    const got: string[] = [];
    while (got.length < total)
      got.push(decodePubTopic(await fake.linkExpect(LinkMsg.PubTopic))!.payload.toString());
    expect(got).toEqual(Array.from({ length: total }, (_, i) => String(i)));
    const frames = fake.frames.length - before;
    expect(frames).toBeLessThan(total / 5);
    const link = a.cluster.links()[0]!;
    expect(link.msgsOut - link.framesOut).toBeGreaterThanOrEqual(total - frames);
  });

  it('calls a peer slow on its socket backlog, not on what one turn holds: a burst over maxPendingBytes to a reading peer loses nothing', async () => {
    const { a, fake } = await linkedToFake(32 * 1024);
    fake.linkSend(encodeInterest(Buffer.from('wide'), 1));
    const pub = await connectPeer(a.port, 'raw');
    const tid = await create(pub.peer, 'wide');
    await waitFor(() => a.node.subscriberCount(tid) === 1, { what: 'the fake peer interest' });
    const total = 100;
    // 100 kB in one write: read and forwarded in one turn, three times maxPendingBytes.
    (pub.peer as RawPeer).sendBytes(
      Buffer.concat(
        Array.from({ length: total }, (_, i) => {
          const p = encodePublish(tid, pub.etid, 0, Buffer.alloc(1000, i));
          return Buffer.concat([Buffer.of((p.length + 2) >> 8, (p.length + 2) & 0xff), p]);
        }),
      ),
    );
    for (let i = 0; i < total; i++) {
      const m = decodePubTopic(await fake.linkExpect(LinkMsg.PubTopic))!;
      expect(m.payload[0]).toBe(i);
    }
    expect(a.cluster.links()[0]!).toMatchObject({ drops: 0, slow: false });
  });

  it('takes Batches from a peer, split at random with single frames between, and delivers every message in order', async () => {
    const { a, fake } = await linkedToFake();
    const sub = await connectPeer(a.port, 'ws');
    await subscribe(sub.peer, 'fz');
    const ptid = 4000 * 2 ** 20 + 7;
    fake.linkSend(encodeEtid(LinkMsg.EtidUp, ptid));
    const msgs = Array.from({ length: 600 }, (_, i) =>
      encodePubTopic(ptid, Buffer.from('fz'), Buffer.alloc(0), Buffer.from(String(i))),
    );
    let seed = 99;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let frames = 0;
    for (let i = 0; i < msgs.length; frames++) {
      const run = 1 + rand(rand(4) === 0 ? 1 : 60);
      const part = msgs.slice(i, i + run);
      fake.linkSend(part.length === 1 && rand(2) === 0 ? part[0]! : batchOf(part));
      i += run;
    }
    const got: string[] = [];
    while (got.length < msgs.length) {
      const p = published(await sub.peer.next(PacketType.Publish));
      expect(p.ptid).toBe(ptid);
      got.push(p.payload);
    }
    expect(got).toEqual(msgs.map((_, i) => String(i)));
    await waitFor(() => a.cluster.links()[0]!.msgsIn >= msgs.length + 2, { what: 'link counters' });
    const link = a.cluster.links()[0]!;
    expect(link.state).toBe('up');
    expect(link.framesIn).toBeLessThan(link.msgsIn);
    expect(frames).toBeLessThan(msgs.length);
  });

  it.each([
    ['a cut length', Buffer.from('0f000000', 'hex')],
    ['an empty message', Buffer.from('0f00000000', 'hex')],
    ['a Batch inside a Batch', batchOf([batchOf([encodeEtid(LinkMsg.EtidUp, 5)])])],
  ])('closes a link that sends a Batch with %s (ProtocolViolation); the node carries on', async (_w, bad) => {
    const { a, fake } = await linkedToFake();
    const local = await connectPeer(a.port, 'raw');
    fake.linkSend(bad);
    await waitFor(() => a.cluster.links().length === 0, { what: 'the link dropped' });
    await waitFor(() => fake.ws.readyState === fake.ws.CLOSED, { what: 'the fake peer closed' });
    const tid = await subscribe(local.peer, 'still');
    publish(local, tid, 'here');
    expect(published(await local.peer.next(PacketType.Publish)).payload).toBe('here');
  });
});
