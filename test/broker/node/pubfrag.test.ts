import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { connectPeer, published, subscribe } from '../../helpers/session.js';
import { MAX_PAYLOAD, PacketType } from '../../../broker/src/protocol/constants.js';
import { encodePublish } from '../../../broker/src/protocol/publish.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

/** Fragments the way the C LED device does: at most `size` payload bytes each, destination 0 until the last. */
function fragments(dest: number, ptid: number, subtid: number, payload: Buffer, size = 112): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < payload.length; o += size) {
    const last = o + size >= payload.length;
    out.push(encodePublish(last ? dest : 0, ptid, subtid, payload.subarray(o, o + size), PacketType.PubFrag));
  }
  return out;
}

describe('PubFrag (19), raw TCP only', () => {
  it('joins fragments into one type-8 Publish with the last fragment header, to raw and WebSocket receivers', async () => {
    n = await startNode();
    const dev = await connectPeer(n.port, 'raw');
    const rawSub = await connectPeer(n.port, 'raw');
    const wsSub = await connectPeer(n.port, 'ws');
    const tid = await subscribe(rawSub.peer, '/m2m/led/device');
    await subscribe(wsSub.peer, '/m2m/led/device');
    const devinfo = Buffer.from(
      JSON.stringify({
        ipaddr: '127.0.0.1',
        devname: 'dev',
        leds: [1, 2, 3, 4].map((id) => ({ id, name: `LED ${id}`, color: 'red', on: false })),
        temp: 215,
      }),
    );
    const frags = fragments(tid, dev.etid, 7, devinfo);
    expect(frags.length).toBeGreaterThan(2);
    for (const f of frags) dev.peer.send(f);
    for (const sub of [rawSub, wsSub]) {
      const got = await sub.peer.next(PacketType.Publish);
      expect(got.equals(encodePublish(tid, dev.etid, 7, devinfo))).toBe(true);
    }
  });

  it('routes a single fragment with a destination (first and last at once)', async () => {
    n = await startNode();
    const dev = await connectPeer(n.port, 'raw');
    const sub = await connectPeer(n.port, 'raw');
    dev.peer.send(encodePublish(sub.etid, dev.etid, 0, 'one', PacketType.PubFrag));
    expect(published(await sub.peer.next(PacketType.Publish)).payload).toBe('one');
  });

  it('closes a sender whose fragments exceed 0xFFF0 bytes in total, and others carry on', async () => {
    n = await startNode();
    const dev = await connectPeer(n.port, 'raw');
    const other = await connectPeer(n.port, 'raw');
    const chunk = Buffer.alloc(0x8000, 1);
    dev.peer.send(encodePublish(0, dev.etid, 0, chunk, PacketType.PubFrag));
    dev.peer.send(encodePublish(0, dev.etid, 0, chunk, PacketType.PubFrag));
    await dev.peer.waitClosed();
    expect(dev.peer.pending().filter((p) => p[0] === PacketType.Disconnect)).toEqual([]);
    expect(n.node.stats().closes.FrameTooLarge).toBe(1);
    expect(await other.peer.sync()).toEqual([]);
  });

  it('closes PubFrag on WebSocket', async () => {
    n = await startNode();
    const c = await connectPeer(n.port, 'ws');
    c.peer.send(encodePublish(c.etid, c.etid, 0, 'x', PacketType.PubFrag));
    await c.peer.waitClosed();
    expect(n.node.stats().closes.PubFragOnWebSocket).toBe(1);
  });

  it('closes a WebSocket Publish over 0xFFF0 payload bytes, and delivers one of exactly 0xFFF0 to a raw receiver', async () => {
    n = await startNode();
    const ws = await connectPeer(n.port, 'ws');
    const raw = await connectPeer(n.port, 'raw');
    ws.peer.send(encodePublish(raw.etid, ws.etid, 0, Buffer.alloc(MAX_PAYLOAD, 7)));
    const got = await raw.peer.next(PacketType.Publish);
    expect(got.length).toBe(13 + MAX_PAYLOAD);
    ws.peer.send(encodePublish(raw.etid, ws.etid, 0, Buffer.alloc(MAX_PAYLOAD + 1, 7)));
    await ws.peer.waitClosed();
    expect(n.node.stats().closes.FrameTooLarge).toBe(1);
    expect(await raw.peer.sync()).toEqual([]);
  });
});
