import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { RawPeer } from '../../helpers/SmqPeer.js';
import { waitFor } from '../../helpers/waitFor.js';
import { connectPeer, publish, published, subscribe } from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';

/** Minimal reproductions of what fuzz.test.ts found, one per finding, over real sockets. */
let n: RunningNode | undefined;
const thrown: unknown[] = [];
const guard = (e: unknown): void => void thrown.push(e);
afterEach(async () => {
  process.off('uncaughtException', guard);
  await n?.close();
  n = undefined;
  thrown.length = 0;
});

/** A raw frame (u16 length counting itself, then the packet) holding a name request. */
function nameRequestFrame(type: number, nameLength: number): Buffer {
  const frame = Buffer.alloc(2 + 1 + nameLength, 0x61);
  frame.writeUInt16BE(frame.length, 0);
  frame[2] = type;
  return frame;
}

describe('raw TCP name requests whose ack cannot fit a 0xFFFF frame', () => {
  it('still acks a 65527-byte name: the 6-byte ack header plus the name fill a frame exactly', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, 'raw');
    (c.peer as RawPeer).sendBytes(nameRequestFrame(PacketType.Subscribe, 65527));
    const ack = await c.peer.next(PacketType.Suback);
    expect(ack.length).toBe(6 + 65527);
    expect(ack[1]).toBe(1);
  });

  it.each([
    ['Subscribe', PacketType.Subscribe, 65528],
    ['Create', PacketType.Create, 65530],
    ['Createsub', PacketType.Createsub, 65532],
  ])(
    'closes (never throws) on a %s (type %i) with a %i-byte name, and other clients carry on',
    async (_name, type, length) => {
      process.on('uncaughtException', guard);
      n = await startNode();
      const other = await connectPeer(n.port, 'raw');
      const tid = await subscribe(other.peer, 'still/here');
      const c = await connectPeer(n.port, 'raw');
      (c.peer as RawPeer).sendBytes(nameRequestFrame(type, length));
      await c.peer.waitClosed(3000).catch(() => {});
      expect(thrown.map(String), 'the node threw from its socket handler').toEqual([]);
      expect(c.peer.closed, 'no ack can be framed, so the connection must close (rule 10)').toBe(true);
      publish(other, tid, 'ok');
      expect(published(await other.peer.next(PacketType.Publish)).payload).toBe('ok');
    },
  );
});

describe('raw TCP closing on a protocol error', () => {
  it('still sends the replies to packets handled before the bad one in the same read', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, 'raw');
    // One write: Subscribe "a", then type 10, which does not exist.
    (c.peer as RawPeer).sendBytes(Buffer.from('000404610003' + '0a', 'hex'));
    expect((await c.peer.next(PacketType.Suback)).toString('hex')).toMatch(/^050000[0-9a-f]{6}61$/);
    await c.peer.waitClosed();
    expect(n.node.stats().closes.ProtocolViolation).toBe(1);
  });
});

describe('a raw TCP client that half-closes without reading', () => {
  it('is closed at its FIN even while output to it cannot drain', async () => {
    n = await startNode();
    const sub = await connectPeer(n.port, 'raw');
    const tid = await subscribe(sub.peer, 'firehose');
    const raw = (sub.peer as RawPeer).socket;
    raw.pause();
    const pub = await connectPeer(n.port, 'raw');
    for (let i = 0; i < 3000; i++) publish(pub, tid, Buffer.alloc(1600, 1));
    await pub.peer.sync();
    expect(n.node.sessionByEtid(sub.etid)!.transport.pendingBytes()).toBeGreaterThan(0);
    raw.end();
    await waitFor(() => n!.node.sessionByEtid(sub.etid) === undefined, {
      what: 'the half-closed session gone',
    });
    expect(n.node.stats().closes.ClientClosed).toBe(1);
  });
});
