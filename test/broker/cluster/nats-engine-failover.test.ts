import { afterEach, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { spawnNode, type NodeProcess } from '../../helpers/nodeProcess.js';
import { startNatsCluster } from '../../helpers/natsServer.js';
import { waitForProcessCluster } from '../../helpers/processFixture.js';
import { change, connectPeer, create, observe, publish, subscribe } from '../../helpers/session.js';
import { waitFor } from '../../helpers/waitFor.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import type { NatsBackplaneInfo } from '../../../broker/src/cluster/nats/NatsBackplane.js';

afterEach(() => Child.killAll());

async function natsOf(n: NodeProcess): Promise<NatsBackplaneInfo> {
  const h = (await (await fetch(`http://127.0.0.1:${n.port}/health`)).json()) as {
    cluster: { nats: NatsBackplaneInfo };
  };
  return h.cluster.nats;
}

describe('failover of the NATS engine itself', () => {
  it('moves the SMQ nodes of a killed nats-server to another; traffic and observe recover, no device is told Disconnect', async () => {
    const servers = await startNatsCluster(3);
    // Each node is given only its own server: the others it learns from NATS itself (INFO).
    const nodes: NodeProcess[] = [];
    for (const [i, name] of ['a', 'b', 'c'].entries())
      nodes.push(await spawnNode(name, ['--nats', servers[i]!.url, '--cluster', 'engine']));
    const [a, b, c] = nodes;
    await waitForProcessCluster(nodes);

    const display = await connectPeer(a!.port, 'ws');
    const tidState = await subscribe(display.peer, '/demo/state');
    const device = await connectPeer(b!.port, 'raw');
    const tidCmd = await subscribe(device.peer, '/demo/cmd');
    const tidStateB = await create(device.peer, '/demo/state');
    const tidCmdA = await create(display.peer, '/demo/cmd');
    const watcher = await connectPeer(c!.port, 'raw');
    await waitFor(
      async () => {
        observe(watcher.peer, device.etid);
        return (await watcher.peer.sync()).length === 0;
      },
      { what: 'the device live at c' },
    );

    const killed = servers[1]!;
    const killedAddr = new URL(killed.url).host;
    expect((await natsOf(b!)).server).toBe(killedAddr);
    await killed.stop();
    await waitFor(
      async () => {
        const n = await natsOf(b!);
        return n.state === 'connected' && n.server !== killedAddr && n.reconnects === 1;
      },
      { timeout: 15_000, what: 'b reconnected to another nats-server' },
    );

    // Both directions flow again (b's interest and directory come back by snapshot).
    const talk = async (): Promise<boolean> => {
      publish(display, tidCmdA, 'cmd');
      publish(device, tidStateB, 'state');
      const [toDevice, toDisplay] = await Promise.all([device.peer.sync(), display.peer.sync()]);
      return (
        toDevice.some((p) => p[0] === PacketType.Publish && p.readUInt32BE(1) === tidCmd) &&
        toDisplay.some((p) => p[0] === PacketType.Publish && p.readUInt32BE(1) === tidState)
      );
    };
    await waitFor(talk, { timeout: 15_000, what: 'talk after the engine failover' });
    await waitFor(
      async () =>
        (await Promise.all(nodes.map(natsOf))).every((n) => n.peers.every((p) => !p.awaitingSnapshot)),
      { what: 'every node settled' },
    );
    // After its reconnect b took both peers' snapshots again.
    expect((await natsOf(b!)).resyncs).toBeGreaterThanOrEqual(2);

    // Nobody was told Disconnect, and the device stayed live where it is observed (no Change).
    expect(await watcher.peer.sync()).toEqual([]);
    for (const x of [display, device, watcher]) {
      expect(x.peer.closed).toBe(false);
      expect((await x.peer.sync()).filter((p) => p[0] === PacketType.Disconnect)).toEqual([]);
    }
    device.peer.end();
    expect(change(await watcher.peer.next(PacketType.Change, 10_000))).toEqual({ id: device.etid, count: 0 });
  }, 90_000);
});
