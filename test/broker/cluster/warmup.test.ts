import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMember, waitForMesh, type ClusterMember } from '../../helpers/startCluster.js';
import { meshFixture, natsFixture } from '../../helpers/clusterFixture.js';
import { RawPeer, WsPeer } from '../../helpers/SmqPeer.js';
import { connectPeer, create, publish, published, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';

let members: ClusterMember[] = [];
afterEach(async () => {
  await Promise.all(members.map((m) => m.close()));
  members = [];
});

describe.each([meshFixture(), natsFixture()])('a node starting into a cluster over $transport', (f) => {
  beforeAll(() => f.setUp());
  afterAll(() => f.tearDown());
  afterEach(() => f.closeAll());

  it('holds Init until its configured peers have synced, so a device first broadcast reaches them', async () => {
    const a = await f.join('a');
    const display = await connectPeer(a.port, 'ws');
    const tidA = await subscribe(display.peer, '/m2m/led/device');
    const b = await f.join('b');

    // Like the C LED device after a restart: connects at once and publishes devinfo once.
    const device = await RawPeer.connect(b.port);
    await device.next(PacketType.Init);
    expect(b.cluster.router.hasSynced(a.cluster.nodeId)).toBe(true);
    device.send(encodeConnect({ uid: Buffer.from('020000000042', 'hex') }));
    const etid = (await device.next(PacketType.Connack)).readUInt32BE(2);
    const tidB = await create(device, '/m2m/led/device');
    publish({ peer: device, etid, seed: 0 }, tidB, '{"devname":"first words"}');
    expect(published(await display.peer.next(PacketType.Publish))).toMatchObject({
      dest: tidA,
      ptid: etid,
      payload: '{"devname":"first words"}',
    });
    expect(b.node.stats().drops.noReceiver).toBe(0);
  });
});

describe('a node starting into a mesh', () => {
  it('also waits for the members its configured peer told it about (gossip)', async () => {
    const a = await startMember('a');
    const c = await startMember('c', { peers: [a.url] });
    members = [a, c];
    await waitForMesh(members);
    const display = await connectPeer(c.port, 'ws');
    const tidC = await subscribe(display.peer, '/m2m/led/device');
    // b is told only a; c, learned by gossip, must have synced before b greets its first client.
    const b = await startMember('b', { peers: [a.url] });
    members.push(b);
    const device = await RawPeer.connect(b.port);
    await device.next(PacketType.Init);
    expect(b.cluster.router.hasSynced(c.cluster.nodeId)).toBe(true);
    device.send(encodeConnect({ uid: Buffer.from('020000000043', 'hex') }));
    const etid = (await device.next(PacketType.Connack)).readUInt32BE(2);
    const tidB = await create(device, '/m2m/led/device');
    publish({ peer: device, etid, seed: 0 }, tidB, 'hello c');
    expect(published(await display.peer.next(PacketType.Publish))).toMatchObject({
      dest: tidC,
      payload: 'hello c',
    });
  });

  it('gives up waiting after warmupMs when a configured peer is unreachable, and cleans up clients that left meanwhile', async () => {
    const b = await startMember('b', { peers: ['ws://127.0.0.1:1'], warmupMs: 300 });
    members = [b];
    const quitter = await RawPeer.connect(b.port);
    quitter.end();
    const device = await RawPeer.connect(b.port);
    await device.next(PacketType.Init);
    await waitFor(() => b.node.stats().handshaking === 1, { what: 'the quitter cleaned up' });
    expect(b.node.stats().closes.ClientClosed).toBe(1);
  });

  it('survives clients that reset or oversend while Init is held, and serves others after', async () => {
    const thrown: unknown[] = [];
    const guard = (e: unknown): void => void thrown.push(e);
    process.on('uncaughtException', guard);
    try {
      const b = await startMember('b', { peers: ['ws://127.0.0.1:1'], warmupMs: 500 });
      members = [b];
      const reset = await RawPeer.connect(b.port);
      reset.socket.resetAndDestroy();
      const big = await WsPeer.connect(b.port);
      big.send(Buffer.alloc(0x10000 + 64, 1));
      await big.waitClosed();
      const ok = await connectPeer(b.port, 'raw');
      expect(await subscribe(ok.peer, 'after the hold')).toBeGreaterThanOrEqual(2);
      await waitFor(() => b.node.stats().handshaking === 0 && b.node.stats().sessions === 1);
      const closes = b.node.stats().closes;
      expect(closes.FrameTooLarge).toBe(1);
      expect(closes.TransportError + closes.ClientClosed).toBe(1);
    } finally {
      process.off('uncaughtException', guard);
    }
    expect(thrown.map(String)).toEqual([]);
  });
});
