import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import {
  change,
  connectPeer,
  create,
  observe,
  publish,
  published,
  subscribe,
  type Connected,
} from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { spawnNode } from '../../helpers/nodeProcess.js';
import {
  meshProcesses,
  natsProcesses,
  spawnFixtureCluster,
  waitForProcessCluster,
} from '../../helpers/processFixture.js';

/** Observe until the ETID is live at the peer's node: live answers nothing, unknown answers Change(id, 0). */
async function waitLive(c: Connected, etid: number): Promise<void> {
  await waitFor(
    async () => {
      observe(c.peer, etid);
      return (await c.peer.sync()).length === 0;
    },
    { what: `ETID ${etid} live` },
  );
}

describe.each([meshProcesses(), natsProcesses()])(
  'a cluster of 3 smq-node processes over $transport',
  (f) => {
    // Each test has its own nats-server: killAll ends every child, that one too.
    beforeEach(() => f.setUp());
    afterEach(async () => {
      await Child.killAll();
      await f.tearDown();
    });
    const spawnCluster = (linked: boolean) => spawnFixtureCluster(f, linked);

    it.each([true, false])(
      'routes topic and ETID publishes across processes (linked: %s)',
      async (linked) => {
        const [a, b, c] = await spawnCluster(linked);
        const sub = await connectPeer(b!.port, 'raw');
        const tid = await subscribe(sub.peer, '/m2m/led/device');
        const dm = await connectPeer(c!.port, 'raw');
        const pub = await connectPeer(a!.port, 'ws');
        const tidA = await create(pub.peer, '/m2m/led/device');
        if (linked) {
          // A learns of B's subscriber (a cluster-wide topic count) and of C's client (its ETID directory).
          observe(pub.peer, tidA);
          while (change(await pub.peer.next(PacketType.Change)).count !== 1);
          await waitLive(pub, dm.etid);
        }
        publish(pub, tidA, 'to B');
        publish(pub, dm.etid, 'to C');
        await pub.peer.sync();
        if (!linked) {
          expect(await sub.peer.sync()).toEqual([]);
          expect(await dm.peer.sync()).toEqual([]);
          return;
        }
        expect(published(await sub.peer.next(PacketType.Publish))).toMatchObject({
          dest: tid,
          ptid: pub.etid,
          payload: 'to B',
        });
        expect(published(await dm.peer.next(PacketType.Publish))).toMatchObject({
          dest: dm.etid,
          ptid: pub.etid,
          payload: 'to C',
        });
      },
    );

    it('survives SIGKILL of one process: Change(etid, 0) on survivors, traffic goes on, a restart heals', async () => {
      const [a, b, c] = await spawnCluster(true);
      const watcher = await connectPeer(a!.port, 'raw');
      const victim = await connectPeer(b!.port, 'ws');
      const survivor = await connectPeer(c!.port, 'raw');
      const tidC = await subscribe(survivor.peer, 'still');
      await waitLive(watcher, victim.etid);

      b!.child.kill('SIGKILL');
      expect(change(await watcher.peer.next(PacketType.Change, 10_000))).toEqual({
        id: victim.etid,
        count: 0,
      });

      const tidA = await create(watcher.peer, 'still');
      publish(watcher, tidA, 'after the kill');
      expect(published(await survivor.peer.next(PacketType.Publish))).toMatchObject({
        dest: tidC,
        payload: 'after the kill',
      });

      const b2 = await spawnNode('b', f.joinArgs(a, true), b!.port);
      await waitForProcessCluster([a!, b2, c!]);
      const late = await connectPeer(b2.port, 'ws');
      const tidB2 = await subscribe(late.peer, 'still');
      let got: Buffer | undefined;
      await waitFor(
        async () => {
          publish(watcher, tidA, 'to the restarted node');
          await watcher.peer.sync();
          got = (await late.peer.sync()).find((p) => p[0] === PacketType.Publish);
          return got;
        },
        { what: 'interest resynced after the restart' },
      );
      expect(published(got!)).toMatchObject({ dest: tidB2, payload: 'to the restarted node' });
    });
  },
);
