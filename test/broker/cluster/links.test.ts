import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, startMember, waitForMesh, type ClusterMember } from '../../helpers/startCluster.js';
import { FakeLinkPeer } from '../../helpers/FakeLinkPeer.js';
import { connectPeer, create, observe, publish, published, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { LinkMsg, encodeInterest } from '../../../broker/src/cluster/linkCodec.js';
import type { TapEvent } from '../../../broker/src/node/tap.js';

let members: ClusterMember[] = [];
let fakes: FakeLinkPeer[] = [];
afterEach(async () => {
  for (const f of fakes) f.close();
  fakes = [];
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

describe('cluster links', () => {
  it('keeps per-publisher order across a hop', async () => {
    members = await startCluster(2);
    const [a, b] = members;
    const sub = await connectPeer(b!.port, 'raw');
    await subscribe(sub.peer, 'seq');
    const pub = await connectPeer(a!.port, 'raw');
    const tid = await create(pub.peer, 'seq');
    await waitFor(() => a!.node.subscriberCount(tid) === 1);
    for (let i = 0; i < 2000; i++) publish(pub, tid, String(i));
    const got: string[] = [];
    while (got.length < 2000) got.push(published(await sub.peer.next(PacketType.Publish)).payload);
    expect(got).toEqual(Array.from({ length: 2000 }, (_, i) => String(i)));
  });

  it('marks tap events with the node a publish came from, and measures RTT', async () => {
    members = await startCluster(2);
    const [a, b] = members;
    const taps: TapEvent[] = [];
    b!.node.on('tap', (e) => taps.push(e));
    const sub = await connectPeer(b!.port, 'ws');
    await subscribe(sub.peer, 't');
    const pub = await connectPeer(a!.port, 'ws');
    const tid = await create(pub.peer, 't');
    await waitFor(() => a!.node.subscriberCount(tid) === 1);
    publish(pub, tid, 'x');
    await sub.peer.next(PacketType.Publish);
    expect(taps.find((e) => e.kind === 'publish')).toMatchObject({
      via: 'n0',
      topic: 't',
      ptid: pub.etid,
      receivers: 1,
    });
    await waitFor(() => a!.cluster.links()[0]?.rttMs !== undefined, { what: 'an RTT sample' });
    expect(a!.cluster.links()[0]!.rttMs).toBeGreaterThan(0);
  });

  it('never lets a peer that stopped reading block local delivery: its publishes are dropped and counted', async () => {
    const logs: string[] = [];
    const a = await startMember('a', {
      log: (_level, message) => void logs.push(message),
      timing: { maxPendingBytes: 256 * 1024, heartbeatMs: 60_000, deadAfterMs: 120_000 },
    });
    members = [a];
    const fake = await FakeLinkPeer.connect(a.port, 'test-secret');
    fakes.push(fake);
    await fake.linkExpect(LinkMsg.Sync);
    fake.linkSend(encodeInterest(Buffer.from('firehose'), 1));
    const local = await connectPeer(a.port, 'ws');
    await subscribe(local.peer, 'firehose');
    const pub = await connectPeer(a.port, 'raw');
    const tid = await create(pub.peer, 'firehose');
    await waitFor(() => a.node.subscriberCount(tid) === 2, { what: 'the fake peer interest' });
    fake.stopReading();
    const payload = Buffer.alloc(4000, 0x61);
    const total = 3000;
    for (let i = 0; i < total; i++) {
      publish(pub, tid, payload);
      if (i % 100 === 0) await pub.peer.sync();
    }
    let received = 0;
    while (received < total) {
      await local.peer.next(PacketType.Publish, 10_000);
      received++;
    }
    const link = a.cluster.links()[0]!;
    expect(link.state).toBe('up');
    expect(link.drops).toBeGreaterThan(0);
    expect(a.cluster.peers()[0]!.forwarded).toBe(total);
    expect(logs.filter((m) => m.startsWith('slow cluster link detected'))).toHaveLength(1);
  });

  it('links once when both nodes dial each other, and the refused side stops dialling', async () => {
    const a = await startMember('a');
    const b = await startMember('b');
    members = [a, b];
    const [small, large] = a.cluster.nodeId < b.cluster.nodeId ? [a, b] : [b, a];
    small.cluster.addPeer(large.url);
    await waitForMesh(members);
    // The larger id dials second: its link is refused as a duplicate (the smaller id's link stays).
    large.cluster.addPeer(small.url);
    await waitFor(() => large.cluster.mesh!.wanted().every((w) => w.linked), {
      what: 'the refused dialer knows it is linked',
    });
    expect(a.cluster.links()).toHaveLength(1);
    expect(b.cluster.links()).toHaveLength(1);
    expect(small.cluster.links()[0]!.didSolicit).toBe(true);
  });

  it('hands a pair over to the duplicate solicited by the smaller id without a spurious Change(etid, 0)', async () => {
    const a = await startMember('a');
    const b = await startMember('b');
    members = [a, b];
    const [small, large] = a.cluster.nodeId < b.cluster.nodeId ? [a, b] : [b, a];
    large.cluster.addPeer(small.url);
    await waitForMesh(members);
    const device = await connectPeer(large.port, 'raw');
    const watcher = await connectPeer(small.port, 'ws');
    await waitFor(() => small.node.isLiveEtid(device.etid), { what: 'device ETID at the small node' });
    observe(watcher.peer, device.etid);
    expect(await watcher.peer.sync()).toEqual([]);

    small.cluster.addPeer(large.url);
    await waitFor(() => small.cluster.links().some((l) => l.state === 'up' && l.didSolicit), {
      what: 'hand-over',
    });
    await waitFor(() => small.cluster.links().length === 1 && large.cluster.links().length === 1);
    expect(await watcher.peer.sync()).toEqual([]);
    publish(watcher, device.etid, 'still reachable');
    expect(published(await device.peer.next(PacketType.Publish)).payload).toBe('still reachable');
  });

  it('settles an ETID prefix clash: a node without clients takes a new prefix; with clients on both, the link is refused', async () => {
    const a = await startMember('a', {}, { etidPrefix: 77 });
    const b = await startMember('b', { peers: [a.url] }, { etidPrefix: 77 });
    members = [a, b];
    await waitForMesh(members);
    expect(a.node.etids.prefix).not.toBe(b.node.etids.prefix);

    const logs: string[] = [];
    const log = (_l: string, m: string, f?: Record<string, unknown>): void =>
      void logs.push(`${m} ${JSON.stringify(f)}`);
    const c = await startMember('c', { log }, { etidPrefix: 99 });
    const d = await startMember('d', { log }, { etidPrefix: 99 });
    members.push(c, d);
    await connectPeer(c.port, 'raw');
    await connectPeer(d.port, 'raw');
    d.cluster.addPeer(c.url);
    await waitFor(() => logs.filter((l) => l.includes('EtidPrefixClash')).length >= 2, {
      what: 'clash logged on both sides',
    });
    expect(c.cluster.links().filter((l) => l.state === 'up')).toEqual([]);
  });

  it('links a node without clients that dials a node with clients on the same prefix: the dialler re-picks', async () => {
    const busy = await startMember('busy', {}, { etidPrefix: 55 });
    members = [busy];
    const client = await connectPeer(busy.port, 'raw');
    const fresh = await startMember('fresh', { peers: [busy.url] }, { etidPrefix: 55 });
    members.push(fresh);
    await waitForMesh(members);
    expect(busy.node.etids.prefix).toBe(55);
    expect([...fresh.node.etids.prefixes]).not.toContain(55);
    expect(Math.floor(client.etid / 2 ** 20)).toBe(55);
  });
});
