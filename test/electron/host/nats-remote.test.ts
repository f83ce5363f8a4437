import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, HostApi } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { findNatsServer } from '../../../electron/host/control/NatsServerProcess.js';
import { Child } from '../../helpers/ChildProcess.js';
import { startNatsServer, type NatsServer } from '../../helpers/natsServer.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { ADMIN_TOKEN } from '../helpers/remoteNodes.js';
import { direct, type HostUnderTest } from '../helpers/hostTransports.js';

/*
 * The app attached to a remote cluster on NATS (standalone smq-node --nats processes): the
 * snapshot carries the NATS hub's details from the nodes' /health, as for a local NATS cluster.
 */

let dataDir: string;
let host: ControlHost;
let under: HostUnderTest;
let api: HostApi;
let nats: NatsServer | undefined;
const snapshots: ClusterSnapshot[] = [];
const latest = (): ClusterSnapshot => snapshots[snapshots.length - 1]!;

/** One smq-node someone else runs, on NATS as cluster `remote-plant`. */
async function spawnNatsNode(name: string, natsUrl: string): Promise<string> {
  const env = { ...process.env, SMQ_ADMIN_TOKEN: ADMIN_TOKEN };
  const args = [SMQ_NODE_BIN, '--port', '0', '--name', name, '--log-level', 'warn'];
  const child = new Child(process.execPath, [...args, '--nats', natsUrl, '--cluster', 'remote-plant'], env);
  const port = (await child.line(/smq-node listening on http:\/\/127\.0\.0\.1:(\d+)/))[1]!;
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  await under?.close();
  await host?.close();
  await Child.killAll();
  await nats?.stop();
  nats = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
afterAll(() => Child.killAll());

describe.skipIf(!findNatsServer())('a remote cluster on NATS (real nats-server, real smq-node)', () => {
  it('shows the NATS hub from what the nodes report', async () => {
    nats = await startNatsServer();
    const urls = [await spawnNatsNode('ra', nats.url), await spawnNatsNode('rb', nats.url)];
    dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-nats-remote-'));
    host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
    under = await direct(host);
    api = under.api;
    api.subscribe((e) => {
      if (e.stream === 'cluster') snapshots.push(e.snapshot);
    });
    const attached = await api.call('attachCluster', { urls, adminToken: ADMIN_TOKEN });
    expect(attached.kind).toBe('remote');
    await waitFor(
      () =>
        latest()?.nodes.length === 2 &&
        latest().nodes.every(
          (n) => n.nats?.state === 'connected' && n.nats.peers.length === 1 && n.nats.rttMs !== null,
        ),
      { timeout: 30_000, what: 'both remote nodes connected to NATS, each hearing the other' },
    );
    const port = new URL(nats.url).port;
    expect(latest().transport).toBe('nats');
    expect(latest().natsServer).toEqual({
      origin: 'external',
      url: `127.0.0.1:${port}`,
      state: 'up',
      pid: null,
      restart: null,
      lastExit: null,
      lastError: null,
    });

    // The server gone: the nodes say they are reconnecting, and the hub shows it down.
    await nats.stop();
    nats = undefined;
    await waitFor(() => latest().natsServer?.state === 'down', { timeout: 30_000, what: 'the hub down' });
    expect(latest().nodes.every((n) => n.nats?.state === 'reconnecting')).toBe(true);
  }, 120_000);
});
