import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { RawPeer, WsPeer, type SmqPeer } from '../../helpers/SmqPeer.js';
import { TRANSPORTS, connectPeer, create, createsub, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeNameRequest } from '../../../broker/src/protocol/names.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

/** Stops reading from the node: its replies pile up in the node's send buffer. */
function stopReading(peer: SmqPeer): void {
  if (peer instanceof RawPeer) peer.socket.pause();
  else (peer as WsPeer & { ws: { _socket: net.Socket } }).ws._socket.pause();
}

const yieldToNode = (): Promise<void> => new Promise((r) => setImmediate(r));

describe.each(TRANSPORTS)('slow consumer of control replies over %s', (t) => {
  it('closes a client that stops reading and keeps sending Subscribes once its acks pass maxPendingBytes', async () => {
    const cap = 64 * 1024;
    n = await startNode({ limits: { maxPendingBytes: cap } });
    const c = await connectPeer(n.port, t);
    const bystander = await connectPeer(n.port, t);
    stopReading(c.peer);
    // Each Suback echoes the 500-byte name: 40,000 of them are 20 MB, far over the cap and the
    // kernel's socket buffers.
    const request = encodeNameRequest(PacketType.Subscribe, Buffer.alloc(500, 0x61));
    for (let i = 0; i < 400 && n.node.sessionByEtid(c.etid); i++) {
      for (let j = 0; j < 100; j++) c.peer.send(request);
      await yieldToNode();
    }
    await waitFor(() => !n!.node.sessionByEtid(c.etid), { what: 'the slow client closed' });
    const stats = n.node.stats();
    expect(stats.closes.SlowConsumerPendingBytes).toBe(1);
    expect(stats.traffic.drops).toBeGreaterThanOrEqual(1);
    expect(stats.pendingBytes).toBeLessThan(cap * 4);
    expect(await bystander.peer.sync()).toEqual([]);
  });
});

describe('topic and sub-topic table caps', () => {
  it('denies new names over maxTopics / maxSubtopics with status 1, id 0 and the name echoed; known names are still granted; denials are counted', async () => {
    n = await startNode({ limits: { maxTopics: 2, maxSubtopics: 1 }, topics: { '/fixed': 2 } });
    const c = await connectPeer(n.port, 'raw');
    const a = await create(c.peer, 'a');
    expect(a).toBeGreaterThan(2);
    c.peer.send(encodeNameRequest(PacketType.Subscribe, 'b'));
    expect((await c.peer.next(PacketType.Suback)).toString('hex')).toBe('050100000000' + '62');
    c.peer.send(encodeNameRequest(PacketType.Create, 'c'));
    expect((await c.peer.next(PacketType.Createack)).toString('hex')).toBe('070100000000' + '63');
    expect(await subscribe(c.peer, '/fixed')).toBe(2);
    expect(await subscribe(c.peer, 'a')).toBe(a);
    const x = await createsub(c.peer, 'x');
    expect(x).toBeGreaterThan(0);
    c.peer.send(encodeNameRequest(PacketType.Createsub, 'y'));
    expect((await c.peer.next(PacketType.Createsuback)).toString('hex')).toBe('120100000000' + '79');
    expect(await createsub(c.peer, 'x')).toBe(x);
    const stats = n.node.stats();
    expect(stats).toMatchObject({ topics: 2, subtopics: 1 });
    expect(stats.denials).toMatchObject({ topicLimit: 2, subtopicLimit: 1 });
    expect(c.peer.closed).toBe(false);
  });

  it('still lets the server client and fixed topics past the caps (they are the operator, not a client)', async () => {
    n = await startNode({ limits: { maxTopics: 1, maxSubtopics: 1 } });
    n.node.server.create('/one');
    n.node.server.create('/two', 7);
    n.node.server.createsub('s1');
    n.node.server.createsub('s2');
    expect(n.node.stats()).toMatchObject({ topics: 2, subtopics: 2 });
  });
});
