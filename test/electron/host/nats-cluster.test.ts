import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectClient, type SmqClient } from '../../../broker/src/index.js';
import type { ClusterSnapshot, HostApi, NodeView } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { findNatsServer } from '../../../electron/host/control/NatsServerProcess.js';
import { Child } from '../../helpers/ChildProcess.js';
import { startNatsServer } from '../../helpers/natsServer.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { direct, type HostUnderTest } from '../helpers/hostTransports.js';

/*
 * createCluster with transport 'nats' through the contract, against real smq-node processes and
 * the real nats-server the host starts: messages cross nodes over NATS, the snapshot carries the
 * transport and each node's NATS state, and a killed nats-server shows as restarting, comes back
 * on its port, and a subscriber from before the kill gets publishes again (red with the host's
 * supervision off: the server then stays down).
 */

let dataDir: string;
let host: ControlHost;
let under: HostUnderTest;
let api: HostApi;
let snapshots: ClusterSnapshot[];
const clients: SmqClient[] = [];

async function openHost(): Promise<void> {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-nats-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  under = await direct(host);
  api = under.api;
  snapshots = [];
  api.subscribe((e) => {
    if (e.stream === 'cluster') snapshots.push(e.snapshot);
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await under?.close();
  await host?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
afterAll(() => Child.killAll());

const latest = (): ClusterSnapshot => snapshots[snapshots.length - 1]!;
const node = (id: string): NodeView => latest().nodes.find((n) => n.id === id)!;
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Takes `port` as another program would (hanging up on whoever dials), once the killed server let go. */
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
const cmdline = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');

/**
 * Whether a publish on `from` reaches a subscriber on `to` within `ms`: the publisher repeats
 * until it does (the subscriber's interest takes a moment to reach the other node over NATS).
 */
async function crosses(from: string, to: string, topic: string, ms: number): Promise<boolean> {
  const sub = connectClient(node(to).wsUrl);
  const pub = connectClient(node(from).wsUrl);
  clients.push(sub, pub);
  let got = false;
  await sub.subscribe(topic, { onmsg: () => (got = true) });
  await pub.create(topic);
  return waitFor(
    () => {
      pub.publish('hello over NATS', topic);
      return got;
    },
    { timeout: ms, interval: 200, what: `${from} → ${to}` },
  ).catch(() => false);
}

describe.skipIf(!findNatsServer())('a local cluster on NATS (real nats-server, real nodes)', () => {
  it('runs 3 nodes over a local nats-server, shows their NATS state, and brings a killed server back', async () => {
    await openHost();
    expect(await api.call('natsAvailability', {})).toMatchObject({ installed: true, reason: null });
    const created = await api.call('createCluster', { nodes: 3, transport: 'nats', profile: 'plant' });
    expect(created.transport).toBe('nats');
    expect(created.links).toEqual([]);
    const server = created.natsServer!;
    expect(server).toMatchObject({ origin: 'local', state: 'up', lastError: null });
    expect(server.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(alive(server.pid!)).toBe(true);

    // Every node connected to that server, hears the two others, and has a round trip measured.
    await waitFor(
      () =>
        latest().nodes.every(
          (n) =>
            n.nats?.state === 'connected' &&
            n.nats.peers.length === 2 &&
            n.nats.rttMs !== null &&
            n.nats.server !== null,
        ),
      { timeout: 30_000, what: 'every node connected to NATS with 2 peers and an RTT' },
    );
    for (const n of latest().nodes) {
      expect(n.nats).toMatchObject({ reconnects: 0, lastError: null });
      expect(n.nats!.pendingBytes).toBeGreaterThanOrEqual(0);
      expect(n.nats!.server).toContain(String(new URL(server.url).port));
    }
    expect(latest().unlinked).toEqual([]);

    // The token is a file, never on a command line; the cluster's name on NATS is the profile's.
    const token = readFileSync(path.join(dataDir, 'nats', 'server', 'token'), 'utf8').trim();
    for (const pid of [server.pid!, ...latest().nodes.map((n) => n.pid!)])
      expect(cmdline(pid)).not.toContain(token);
    expect(cmdline(node('n1').pid!)).toMatch(
      /--nats nats:\/\/127\.0\.0\.1:\d+ --cluster plant --nats-token-file/,
    );
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'profiles', 'plant.json'), 'utf8')) as {
      transport: string;
    };
    expect(saved.transport).toBe('nats');

    expect(await crosses('n1', 'n3', '/nats/probe', 20_000)).toBe(true);

    // A subscriber on n3 from before the kill: its interest must reach the restarted server.
    const sub = connectClient(node('n3').wsUrl);
    const pub = connectClient(node('n2').wsUrl);
    clients.push(sub, pub);
    let got = 0;
    await sub.subscribe('/nats/survives', { onmsg: () => got++ });
    await pub.create('/nats/survives');
    await waitFor(() => (pub.publish('before', '/nats/survives'), got > 0), {
      timeout: 20_000,
      interval: 200,
      what: 'n2 → n3 before the kill',
    });

    process.kill(server.pid!, 'SIGKILL');
    await waitFor(() => latest().natsServer?.state === 'restarting', { timeout: 10_000, what: 'restarting' });
    expect(latest().natsServer).toMatchObject({
      restart: { attempt: 1, max: 5 },
      lastExit: { code: null, signal: 'SIGKILL' },
      lastError: { code: 'NatsCrashed' },
    });
    const back = await waitFor(
      () => (latest().natsServer?.state === 'up' ? latest().natsServer : undefined),
      { timeout: 30_000, what: 'nats-server back up' },
    );
    expect(back).toMatchObject({ url: server.url, restart: null, lastError: null });
    expect(back.pid).not.toBe(server.pid);
    await waitFor(
      () => latest().nodes.every((n) => n.nats?.state === 'connected' && n.nats.reconnects >= 1),
      { timeout: 30_000, what: 'every node reconnected to the restarted server' },
    );
    const before = got;
    await waitFor(() => (pub.publish('after', '/nats/survives'), got > before), {
      timeout: 30_000,
      interval: 200,
      what: 'n2 → n3 again after the restart',
    });
  }, 120_000);

  it('moves a killed nats-server whose port was taken and restarts the nodes onto it', async () => {
    await openHost();
    await api.call('createCluster', { nodes: 2, transport: 'nats' });
    await waitFor(() => latest().nodes.every((n) => n.nats?.state === 'connected'), {
      timeout: 30_000,
      what: 'both nodes on NATS',
    });
    const old = latest().natsServer!;
    const pids = latest().nodes.map((n) => n.pid);
    process.kill(old.pid!, 'SIGKILL');
    const holder = await holdPort(Number(new URL(old.url).port));
    try {
      const moved = await waitFor(
        () =>
          latest().natsServer?.state === 'up' && latest().natsServer!.url !== old.url ? latest() : undefined,
        { timeout: 30_000, what: 'nats-server up on another port' },
      );
      expect(
        snapshots.some(
          (s) => s.natsServer?.state === 'restarting' && s.natsServer.lastError?.code === 'PortInUse',
        ),
      ).toBe(true);
      const port = new URL(moved.natsServer!.url).port;
      await waitFor(
        () =>
          latest().nodes.every(
            (n, i) =>
              n.pid !== pids[i] && n.nats?.state === 'connected' && n.nats.server?.endsWith(`:${port}`),
          ),
        { timeout: 60_000, what: 'both nodes restarted onto the new port' },
      );
      expect(cmdline(node('n1').pid!)).toContain(`--nats nats://127.0.0.1:${port} `);
      expect(await crosses('n1', 'n2', '/nats/moved', 20_000)).toBe(true);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  }, 120_000);

  it('restarts a killed node onto NATS and stops nats-server with the cluster', async () => {
    await openHost();
    await api.call('createCluster', { nodes: 2, transport: 'nats' });
    const pid = latest().natsServer!.pid!;
    await api.call('killNode', { nodeId: 'n2' });
    await waitFor(() => node('n2')?.state === 'killed', { timeout: 10_000, what: 'n2 killed' });
    expect(node('n2').nats).toBeNull();
    await api.call('startNode', { nodeId: 'n2' });
    await waitFor(() => node('n1')?.nats?.peers.includes('n2') && node('n2')?.nats?.state === 'connected', {
      timeout: 30_000,
      what: 'n2 back on NATS',
    });
    expect(await crosses('n2', 'n1', '/nats/again', 20_000)).toBe(true);
    await api.call('destroyCluster', {});
    expect(alive(pid)).toBe(false);
    await waitFor(() => !latest().exists, { what: 'the cluster gone' });
    expect(latest()).toMatchObject({ transport: 'mesh', natsServer: null });
  }, 120_000);

  it('joins nodes to a NATS URL the user gives, and checks the arguments', async () => {
    const external = await startNatsServer();
    try {
      await openHost();
      await expect(
        api.call('createCluster', { nodes: 2, transport: 'nats', natsUrl: 'http://x:1' }),
      ).rejects.toMatchObject({ error: { code: 'BadArguments' } });
      await expect(
        api.call('createCluster', { nodes: 2, transport: 'mesh', natsUrl: external.url }),
      ).rejects.toMatchObject({ error: { code: 'BadArguments' } });
      const created = await api.call('createCluster', { nodes: 2, transport: 'nats', natsUrl: external.url });
      expect(created.natsServer).toMatchObject({ origin: 'external', url: external.url, pid: null });
      await waitFor(() => latest().natsServer?.state === 'up', { timeout: 30_000, what: 'external up' });
      await waitFor(() => latest().nodes.every((n) => n.nats?.state === 'connected'), {
        timeout: 30_000,
        what: 'both nodes on the external NATS',
      });
      expect(await crosses('n1', 'n2', '/nats/external', 20_000)).toBe(true);
    } finally {
      await external.stop();
    }
  }, 120_000);
});
