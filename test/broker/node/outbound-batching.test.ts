import net from 'node:net';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { SmqNode } from '../../../broker/src/node/SmqNode.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';
import { encodeNameRequest } from '../../../broker/src/protocol/names.js';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { TRANSPORTS, connectPeer, create, publish, published, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

/** A Duplex standing for a raw socket: records every write the node makes, one entry per call. */
function recordingStream(): { stream: Duplex; writes: Buffer[] } {
  const writes: Buffer[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      writes.push(Buffer.from(chunk));
      cb();
    },
    writev(chunks, cb) {
      for (const c of chunks) writes.push(Buffer.from(c.chunk as Buffer));
      cb();
    },
  });
  return { stream, writes };
}

/** Raw-TCP framing written out by hand: u16 total length (counting itself), then the packet. */
const framed = (hex: string): string =>
  ((hex.length / 2 + 2).toString(16).padStart(4, '0') + hex).toLowerCase();
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('outbound batching (issue #9: one write per connection per tick)', () => {
  it('writes what a raw session is sent in one tick as one write of back-to-back frames, at the end of the tick', async () => {
    const node = new SmqNode();
    const { stream, writes } = recordingStream();
    node.handle(stream);
    await tick();
    expect(writes.map((w) => w.toString('hex').slice(4, 6))).toEqual(['01']); // Init, alone
    stream.push(framedBuf(encodeConnect({ version: 2, uid: Buffer.from('aabbccddeeff', 'hex') })));
    stream.push(framedBuf(encodeNameRequest(PacketType.Subscribe, 't')));
    const tid = await waitFor(() => node.topics.names.idOf(Buffer.from('t')), { what: 'the Subscribe' });
    await tick();
    writes.length = 0;

    node.server.publish('a', tid);
    node.server.publish('bb', tid);
    node.server.publish('ccc', tid);
    expect(writes).toEqual([]); // held until the end of the tick
    await tick();
    const head = (payload: string): string =>
      framed(`08${tid.toString(16).padStart(8, '0')}00000001` + '00000000' + payload);
    expect(writes.map((w) => w.toString('hex'))).toEqual([head('61') + head('6262') + head('636363')]);
    node.shutdown();
  });

  it('drops held output on a close that does not flush (a slow consumer gets nothing more)', async () => {
    const node = new SmqNode();
    const { stream, writes } = recordingStream();
    const s = node.handle(stream)!;
    await tick();
    writes.length = 0;
    s.send(Buffer.of(PacketType.Ping));
    node.shutdown(); // NodeShutdown: a plain close, nothing flushed
    await tick();
    expect(writes).toEqual([]);
  });

  it.each(TRANSPORTS)(
    'delivers packets of every framing size, alone and in batches over the copy limit, in order, over %s',
    async (t) => {
      n = await startNode();
      const sub = await connectPeer(n.port, t);
      const pub = await connectPeer(n.port, 'raw');
      const tid = await subscribe(sub.peer, 'sizes');
      // Packets of 13 + payload bytes: 125/126 and 65535/65536 are the WebSocket header bounds
      // (a raw frame carries at most 0xFFF0 payload bytes, 65533 in all).
      const sizes = [0, 1, 112, 113, 114, 500, 4000, 20_000, 0xfff0, 7, 0xfff0 - 1, 3];
      const payloads = sizes.map((size, i) => Buffer.alloc(size, 0x41 + i));
      for (const p of payloads) publish(pub, tid, p);
      for (const p of payloads) {
        const got = await sub.peer.next(PacketType.Publish);
        expect(published(got).dest).toBe(tid);
        expect(got.subarray(13).equals(p)).toBe(true);
      }
      expect(await sub.peer.sync()).toEqual([]);
    },
  );

  it('frames WebSocket messages by hand as RFC 6455 says: 0x82, then a 7-bit or 126 + u16 length', async () => {
    n = await startNode();
    const pub = await connectPeer(n.port, 'raw');
    const socket = net.connect(n.port, '127.0.0.1');
    let bytes = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => (bytes = Buffer.concat([bytes, d])));
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      'GET /smq.lsp HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const afterHead = async (): Promise<Buffer> => {
      for (;;) {
        const end = bytes.indexOf('\r\n\r\n');
        if (end >= 0) return bytes.subarray(end + 4);
        await tick();
      }
    };
    // Masked client frames (mask 0): Connect, then Subscribe.
    const clientFrame = (p: Uint8Array): Buffer =>
      Buffer.concat([Buffer.of(0x82, 0x80 | p.length, 0, 0, 0, 0), p]);
    socket.write(clientFrame(encodeConnect({ version: 2, uid: Buffer.from('a1a2a3a4a5a6', 'hex') })));
    socket.write(clientFrame(encodeNameRequest(PacketType.Subscribe, 'w')));
    const tid = await create(pub.peer, 'w');
    await waitFor(() => n!.node.subscriberCount(tid) === 1, { what: 'the WebSocket subscriber' });
    const base = (await afterHead()).length;
    publish(pub, tid, Buffer.alloc(112, 0x61)); // packet of 125 bytes
    publish(pub, tid, Buffer.alloc(113, 0x62)); // packet of 126 bytes
    const want =
      '827d' +
      `08${hex32(tid)}${hex32(pub.etid)}00000000` +
      '61'.repeat(112) +
      '827e007e' +
      `08${hex32(tid)}${hex32(pub.etid)}00000000` +
      '62'.repeat(113);
    await waitFor(async () => (await afterHead()).length >= base + want.length / 2, { what: 'both frames' });
    expect((await afterHead()).subarray(base).toString('hex')).toBe(want);
    socket.destroy();
  });
});

function framedBuf(p: Uint8Array): Buffer {
  const h = Buffer.alloc(2);
  h.writeUInt16BE(p.length + 2);
  return Buffer.concat([h, p]);
}

const hex32 = (v: number): string => v.toString(16).padStart(8, '0');
