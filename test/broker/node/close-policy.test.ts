import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { TRANSPORTS, connectPeer, publish, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import type { TapEvent } from '../../../broker/src/node/tap.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

describe.each(TRANSPORTS)('keepalive over %s (spec rule 8)', (t) => {
  it('answers Ping with an empty Pong and never answers a Pong', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, t);
    c.peer.send(Buffer.of(PacketType.Pong));
    c.peer.send(Buffer.of(PacketType.Ping));
    expect((await c.peer.next()).toString('hex')).toBe('0d');
    expect(await c.peer.sync()).toEqual([]);
  });
});

describe.each(TRANSPORTS)('closing without Disconnect over %s (spec rules 9, 10)', (t) => {
  it.each([
    ['unknown type 10', Buffer.of(10)],
    ['type 0', Buffer.of(0)],
    ['type 20', Buffer.of(20, 1, 2)],
    ['a broker-only type (Change)', Buffer.from('100000000200000001', 'hex')],
    ['Connect after the handshake', Buffer.from('020200000006aabbccddeeff00', 'hex')],
    ['a short Publish', Buffer.from('0800000002000000', 'hex')],
    ['Observe with trailing bytes', Buffer.from('0e0000000200', 'hex')],
  ])('closes on %s with the reason in stats and tap, and the node carries on', async (_name, bad) => {
    n = await startNode();
    const taps: TapEvent[] = [];
    n.node.on('tap', (e) => taps.push(e));
    const other = await connectPeer(n.port, t);
    const c = await connectPeer(n.port, t);
    c.peer.send(bad);
    await c.peer.waitClosed();
    expect(c.peer.pending()).toEqual([]);
    expect(n.node.stats().closes.ProtocolViolation).toBe(1);
    await waitFor(() => taps.find((e) => e.kind === 'session' && e.event === 'close' && e.etid === c.etid));
    const close = taps.find((e) => e.kind === 'session' && e.event === 'close');
    expect(close).toMatchObject({ reason: 'ProtocolViolation', etid: c.etid });
    expect(await other.peer.sync()).toEqual([]);
  });

  it('closes every session on shutdown with NodeShutdown and no Disconnect', async () => {
    n = await startNode();
    const a = await connectPeer(n.port, t);
    const node = n.node;
    await n.close();
    n = undefined;
    await a.peer.waitClosed();
    expect(a.peer.pending()).toEqual([]);
    expect(node.stats().closes.NodeShutdown).toBe(1);
  });
});

describe('slow consumer', () => {
  it('drops, counts and closes a receiver over maxPendingBytes, without Disconnect; others still get every message', async () => {
    n = await startNode({ limits: { maxPendingBytes: 64 * 1024 } });
    const taps: TapEvent[] = [];
    n.node.on('tap', (e) => taps.push(e));
    const slow = await connectPeer(n.port, 'raw');
    const fast = await connectPeer(n.port, 'ws');
    const pub = await connectPeer(n.port, 'raw');
    const tid = await subscribe(slow.peer, 'firehose');
    await subscribe(fast.peer, 'firehose');
    (slow.peer as unknown as { socket: import('node:net').Socket }).socket.pause();
    const payload = Buffer.alloc(8000, 0x61);
    let sent = 0;
    while (n.node.sessionByEtid(slow.etid) && sent < 2000) {
      publish(pub, tid, payload);
      sent++;
      if (sent % 50 === 0) await pub.peer.sync();
    }
    await pub.peer.sync();
    expect(n.node.sessionByEtid(slow.etid)).toBeUndefined();
    const stats = n.node.stats();
    expect(stats.closes.SlowConsumerPendingBytes).toBe(1);
    expect(stats.drops.slowConsumer).toBeGreaterThanOrEqual(1);
    const got = await waitFor(
      () =>
        fast.peer.received.filter((p) => p[0] === PacketType.Publish).length === sent && fast.peer.received,
      {
        what: `${sent} messages at the fast receiver`,
      },
    );
    expect(got.filter((p) => p[0] === PacketType.Disconnect)).toEqual([]);
    expect(taps.some((e) => e.kind === 'session' && e.reason === 'SlowConsumerPendingBytes')).toBe(true);
  });
});
