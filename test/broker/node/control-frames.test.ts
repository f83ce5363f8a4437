import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { RawPeer, cClientRequest } from '../../helpers/SmqPeer.js';
import { connectPeer, create, createsub, observe, publish, subscribe } from '../../helpers/session.js';
import { MAX_DEVICE_CONTROL_FRAME, PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';
import { PING } from '../../../broker/src/protocol/control.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

const DEVICE = Buffer.from('24ffc412fe80', 'hex');
const REFUSED = Buffer.from('0000000000bd', 'hex');

/** Every frame a peer received, as framed on the wire (u16 length + packet). */
const frameSizes = (peer: RawPeer): number[] => peer.received.map((p) => p.length + 2);

describe('control frames to a C-style raw client (spec rule 11)', () => {
  it('every one fits the C device buffer of MAX_DEVICE_CONTROL_FRAME bytes', async () => {
    n = await startNode({
      hooks: {
        authenticate: (r) => !r.uid.equals(REFUSED) || { code: 3, reason: 'a long reason '.repeat(20) },
      },
    });
    const seen: number[] = [];
    const types = new Set<number>();
    const record = (peer: RawPeer): void => {
      seen.push(...frameSizes(peer));
      for (const p of peer.received) types.add(p[0]!);
    };

    // The C LED device's own sequence (spec, m2m-LED application).
    const dev = await connectPeer(n.port, 'raw', DEVICE);
    const deviceTid = await create(dev.peer, '/m2m/led/device');
    await create(dev.peer, '/m2m/temp');
    await createsub(dev.peer, 'devinfo');
    await createsub(dev.peer, 'led');
    await subscribe(dev.peer, '/m2m/led/display');
    observe(dev.peer, deviceTid);
    observe(dev.peer, 0x7ffffff0);
    dev.peer.send(PING);
    await dev.peer.sync();
    // A second connection with the same uid: the first gets Disconnect "reconnect".
    const again = await connectPeer(n.port, 'raw', DEVICE);
    await dev.peer.waitClosed();
    // A wrong publisher field: Disconnect "corrupt frame".
    publish({ ...again, etid: again.etid + 1 }, deviceTid, 'x');
    await again.peer.waitClosed();
    // A refusal carrying a long reason from the hook.
    const refused = await RawPeer.connect(n.port, cClientRequest());
    await refused.next(PacketType.Init);
    refused.send(encodeConnect({ version: 2, maxFrame: 0, uid: REFUSED }));
    await refused.next(PacketType.Connack);
    await refused.waitClosed();

    for (const peer of [dev.peer, again.peer, refused]) record(peer as RawPeer);
    expect([...types].sort((a, b) => a - b)).toEqual(
      [
        PacketType.Init,
        PacketType.Connack,
        PacketType.Suback,
        PacketType.Createack,
        PacketType.Disconnect,
        PacketType.Pong,
        PacketType.Change,
        PacketType.Createsuback,
      ].sort((a, b) => a - b),
    );
    expect(seen.filter((size) => size > MAX_DEVICE_CONTROL_FRAME)).toEqual([]);
  });
});
