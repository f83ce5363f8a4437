import { afterEach, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { TRANSPORTS, change, connectPeer, observe, subscribe } from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeIdPacket } from '../../../broker/src/protocol/ids.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

describe.each(TRANSPORTS)('observe over %s (spec rule 7)', (t) => {
  it('sends Change(tid, count) at once and after every subscribe, unsubscribe and disconnect that changes it', async () => {
    n = await startNode();
    const watcher = await connectPeer(n.port, t);
    const a = await connectPeer(n.port, t);
    const b = await connectPeer(n.port, 'raw');
    const tid = await subscribe(a.peer, 'topic');
    observe(watcher.peer, tid);
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: tid, count: 1 });
    await subscribe(b.peer, 'topic');
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: tid, count: 2 });
    await subscribe(b.peer, 'topic');
    expect(await watcher.peer.sync()).toEqual([]);
    b.peer.send(encodeIdPacket(PacketType.Unsubscribe, tid));
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: tid, count: 1 });
    a.peer.end();
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: tid, count: 0 });
  });

  it('sends nothing for a live ETID until it goes, then one Change(etid, 0) and forgets it', async () => {
    n = await startNode();
    const watcher = await connectPeer(n.port, t);
    const device = await connectPeer(n.port, t);
    observe(watcher.peer, device.etid);
    observe(watcher.peer, device.etid);
    expect(await watcher.peer.sync()).toEqual([]);
    device.peer.end();
    expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id: device.etid, count: 0 });
    expect(await watcher.peer.sync()).toEqual([]);
    expect(n.node.observers.observerCount(device.etid)).toBe(0);
  });

  it('answers Change(id, 0) at once for an unknown or gone id, registering nothing', async () => {
    n = await startNode();
    const watcher = await connectPeer(n.port, t);
    const gone = await connectPeer(n.port, t);
    gone.peer.end();
    await gone.peer.waitClosed();
    for (const id of [0x7fffffff, gone.etid]) {
      observe(watcher.peer, id);
      expect(change(await watcher.peer.next(PacketType.Change))).toEqual({ id, count: 0 });
      expect(n.node.observers.observerCount(id)).toBe(0);
    }
  });

  it('ignores Observe of its own ETID, and Unobserve stops Change without a reply', async () => {
    n = await startNode();
    const watcher = await connectPeer(n.port, t);
    const a = await connectPeer(n.port, t);
    observe(watcher.peer, watcher.etid);
    expect(await watcher.peer.sync()).toEqual([]);
    const tid = await subscribe(a.peer, 'x');
    observe(watcher.peer, tid);
    expect(change(await watcher.peer.next(PacketType.Change)).count).toBe(1);
    watcher.peer.send(encodeIdPacket(PacketType.Unobserve, tid));
    a.peer.send(encodeIdPacket(PacketType.Unsubscribe, tid));
    await a.peer.sync();
    expect(await watcher.peer.sync()).toEqual([]);
  });
});
