import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { NodeState } from '../../../contract/hostContract.js';
import { ActiveCluster } from '../../../electron/host/control/ActiveCluster.js';
import { FleetHost } from '../../../electron/host/control/FleetHost.js';
import { findNatsServer } from '../../../electron/host/control/NatsServerProcess.js';
import { ProfileStore } from '../../../electron/host/control/ProfileStore.js';
import { TapHub } from '../../../electron/host/inspector/TapHub.js';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * Ending a local NATS cluster while its nats-server moves to another port (its own was taken):
 * the move must not restart the nodes end() is stopping, and no process of the cluster (node or
 * nats-server) is left once end() resolves. Red with the move handled during end(): the node is
 * being restarted when the move lands.
 */

let dataDir: string | undefined;
let active: ActiveCluster | undefined;
let holder: Server | undefined;

afterEach(async () => {
  await active?.close();
  await new Promise((r) => (holder ? holder.close(r) : r(undefined)));
  if (dataDir) {
    for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  active = holder = dataDir = undefined;
});
afterAll(() => Child.killAll());

/** Processes whose command line names `dir`: the cluster's nodes (token file) and nats-server (config). */
function processesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Takes `port` as another program would, once the killed server let go of it. */
const holdPort = (port: number): Promise<Server> =>
  waitFor(
    () =>
      new Promise<Server | undefined>((resolve) => {
        const s = createServer((socket) => socket.destroy());
        s.once('error', () => resolve(undefined));
        s.listen(port, '127.0.0.1', () => resolve(s));
      }),
    { timeout: 5000, interval: 2, what: `port ${port} free to take` },
  );

describe.skipIf(!findNatsServer())('ActiveCluster.end() on NATS (real nats-server and nodes)', () => {
  it('does not restart the nodes it is stopping when nats-server moves meanwhile', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-nats-end-'));
    const fleets = new FleetHost(() => {});
    const cluster = new ActiveCluster({
      store: new ProfileStore(dataDir),
      fleets,
      tap: new TapHub({ recordingsDir: path.join(dataDir, 'recordings'), setTapScope: () => {} }),
      onTopics: () => {},
      changed: () => {},
      nodeBin: () => SMQ_NODE_BIN,
      certificate: () => Promise.reject(new Error('a plain cluster needs no certificate')),
      execPath: process.execPath,
      natsDir: path.join(dataDir, 'nats'),
      log: () => {},
    });
    active = cluster;
    await cluster.startLocal({
      kind: 'local',
      name: 'end-while-moving',
      secret: randomBytes(24).toString('hex'),
      nodes: [{ id: 'n1', port: 0 }],
      fleets: [],
      transport: 'nats',
    });
    await waitFor(() => cluster.snapshot().nodes[0]?.state === 'up', { timeout: 30_000, what: 'n1 up' });
    const old = cluster.snapshot().natsServer!;

    // The move lands inside end(), while it stops the fleets (its first step).
    let atMove: NodeState | undefined;
    const stopAll = fleets.stopAll.bind(fleets);
    fleets.stopAll = async () => {
      process.kill(old.pid!, 'SIGKILL');
      holder = await holdPort(Number(new URL(old.url).port));
      await waitFor(
        () => cluster.snapshot().natsServer?.state === 'up' && cluster.snapshot().natsServer!.url !== old.url,
        { timeout: 30_000, what: 'nats-server up on another port' },
      );
      atMove = cluster.snapshot().nodes[0]!.state;
      await stopAll();
    };
    await cluster.end();

    expect(atMove).toBe('up');
    expect(processesUsing(dataDir)).toEqual([]);
  }, 90_000);
});
