import { afterEach, describe, expect, it } from 'vitest';
import { AdminEndpoint } from '../../../broker/src/admin/AdminEndpoint.js';
import { MAX_PAYLOAD } from '../../../broker/src/protocol/constants.js';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { connectPeer, create, createsub, publish, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { AdminWs, TOKEN } from './adminClient.js';

let n: RunningNode | undefined;
const admins: AdminWs[] = [];
afterEach(async () => {
  for (const a of admins.splice(0)) a.close();
  await n?.close();
  n = undefined;
});

async function tappedNode(name = 'tapped'): Promise<RunningNode> {
  n = await startNode({ name });
  new AdminEndpoint(n.node, n.server, TOKEN, undefined, { socket: { statsIntervalMs: 60_000 } });
  return n;
}

async function openAdmin(port: number, captureBytes?: number): Promise<AdminWs> {
  const a = await AdminWs.open(port);
  admins.push(a);
  await a.tap(true, captureBytes);
  return a;
}

/** Bytes 0..255 over and over: NULs and 0xFF included, so a text round trip would show. */
const pattern = (size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) & 0xff));

describe('the admin WebSocket tap', () => {
  it('reports a publish with names, publisher uid, receivers, size and a head cut at each socket’s own captureBytes', async () => {
    const { port } = await tappedNode();
    const small = await openAdmin(port, 8);
    const whole = await openAdmin(port, 65536);
    const uid = Buffer.from('a1a2a3a4a5a6', 'hex');
    const pub = await connectPeer(port, 'raw', uid);
    const sub = await connectPeer(port, 'ws');
    const tid = await subscribe(sub.peer, '/m2m/led/device');
    const subtid = await createsub(pub.peer, 'devinfo');
    const payload = pattern(MAX_PAYLOAD);
    publish(pub, tid, payload, subtid);
    publish(pub, tid, 'hi');

    const cut = await small.publish((e) => e.size === MAX_PAYLOAD);
    expect(cut).toEqual({
      kind: 'publish',
      time: expect.any(Number),
      destKind: 'topic',
      dest: tid,
      topic: '/m2m/led/device',
      subtid,
      subtopic: 'devinfo',
      ptid: pub.etid,
      publisherUid: 'a1a2a3a4a5a6',
      receivers: 1,
      size: MAX_PAYLOAD,
      head: payload.subarray(0, 8).toString('base64'),
      truncated: true,
    });
    // 64 KiB asked: the whole payload, far past the node's own tapCaptureBytes (256).
    const full = await whole.publish((e) => e.size === MAX_PAYLOAD);
    expect(full.truncated).toBe(false);
    expect(Buffer.from(full.head, 'base64').equals(payload)).toBe(true);
    expect(await small.publish((e) => e.size === 2)).toMatchObject({ head: 'aGk=', truncated: false });
  });

  it('reports a publish nobody received as dropped, with its reason', async () => {
    const { port } = await tappedNode();
    const admin = await openAdmin(port);
    const pub = await connectPeer(port, 'raw');
    const tid = await create(pub.peer, 'lonely');
    publish(pub, tid, 'anyone?');
    publish(pub, 0x7ffffff0, 'nobody');
    expect(await admin.publish((e) => e.topic === 'lonely')).toMatchObject({
      destKind: 'topic',
      receivers: 0,
      dropped: 'noReceiver',
      head: Buffer.from('anyone?').toString('base64'),
    });
    expect(await admin.publish((e) => e.dest === 0x7ffffff0)).toMatchObject({
      destKind: 'unknown',
      receivers: 0,
      dropped: 'noReceiver',
    });
  });

  it('names the destination uid of a one-to-one publish to a client on this node', async () => {
    const { port } = await tappedNode();
    const admin = await openAdmin(port);
    const pub = await connectPeer(port, 'ws');
    const sub = await connectPeer(port, 'raw', Buffer.from('0badc0ffee00', 'hex'));
    publish(pub, sub.etid, 'direct');
    expect(await admin.publish((e) => e.dest === sub.etid)).toMatchObject({
      destKind: 'etid',
      destUid: '0badc0ffee00',
      receivers: 1,
      size: 6,
    });
  });

  it('reports sessions opening and closing with their typed close reason, and subscriptions', async () => {
    const { port } = await tappedNode();
    const admin = await openAdmin(port);
    const kept = await connectPeer(port, 'raw', Buffer.from('111111111111', 'hex'));
    const left = await connectPeer(port, 'ws', Buffer.from('222222222222', 'hex'));
    await subscribe(kept.peer, 'news');
    expect(await admin.event((e) => e.kind === 'session' && e.etid === kept.etid)).toEqual({
      kind: 'session',
      time: expect.any(Number),
      event: 'open',
      etid: kept.etid,
      uid: '111111111111',
      ip: '127.0.0.1',
      transport: 'raw',
      info: 'test',
    });
    expect(await admin.event((e) => e.kind === 'subscription')).toMatchObject({
      event: 'subscribe',
      etid: kept.etid,
      uid: '111111111111',
      topic: 'news',
      subscribers: 1,
    });
    left.peer.end();
    const res = await fetch(`http://127.0.0.1:${port}/admin/clients/${kept.etid}/disconnect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    const closeOf = (etid: number) => (e: { kind: string; event?: string; etid?: number }) =>
      e.kind === 'session' && e.event === 'close' && e.etid === etid;
    expect(await admin.event(closeOf(left.etid))).toMatchObject({ reason: 'ClientClosed', transport: 'ws' });
    expect(await admin.event(closeOf(kept.etid))).toMatchObject({
      reason: 'ClosedByAdmin',
      uid: '111111111111',
      detail: 'disconnected by the operator',
    });
    expect(
      await admin.event(
        (e) => e.kind === 'subscription' && e.event === 'unsubscribe' && e.etid === kept.etid,
      ),
    ).toMatchObject({ topic: 'news', subscribers: 0 });
  });

  it('sends publishes in batches, at most one frame per 50 ms, and loses none when the client keeps up', async () => {
    const { port } = await tappedNode();
    const admin = await openAdmin(port);
    const arrivals: number[] = [];
    admin.ws.on('message', (d: Buffer) => void (d.includes('"t":"tap"') && arrivals.push(Date.now())));
    const pub = await connectPeer(port, 'ws');
    const sub = await connectPeer(port, 'ws');
    const tid = await subscribe(sub.peer, 'burst');
    const started = Date.now();
    // Spread over many round trips, so an unbatched or untimed sender would show many frames.
    for (let group = 0; group < 40; group++) {
      for (let i = 0; i < 50; i++) publish(pub, tid, `m${group * 50 + i}`);
      await pub.peer.sync();
    }
    await waitFor(() => admin.publishes('burst').length === 2000, { what: '2000 tap events' });
    const elapsed = arrivals.at(-1)! - started;
    expect(admin.skipped()).toBe(0);
    expect(admin.publishes('burst').map((e) => Buffer.from(e.head, 'base64').toString())).toEqual(
      Array.from({ length: 2000 }, (_, i) => `m${i}`),
    );
    expect(arrivals.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
    expect(arrivals.length).toBeLessThan(2000 / 20);
  });

  it('listens to the node only while a socket has the tap on: no listener, no tap events built', async () => {
    const { port, node } = await tappedNode();
    const admin = await AdminWs.open(port);
    admins.push(admin);
    expect(node.tapping).toBe(false);
    await admin.tap(true);
    expect(node.tapping).toBe(true);
    await admin.tap(false);
    expect(node.tapping).toBe(false);
    await admin.tap(true, 16);
    admin.close();
    await waitFor(() => !node.tapping, { what: 'the tap released by a closed socket' });
    expect(node.listenerCount('tap')).toBe(0);
  });
});
