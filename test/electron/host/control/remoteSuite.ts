import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type {
  ClusterSnapshot,
  HostEvent,
  LoadView,
  NodeView,
  TapRow,
} from '../../../../contract/hostContract.js';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import { connectClient, type SmqClient } from '../../../../broker/src/index.js';
import { Child } from '../../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { waitFor } from '../../../helpers/waitFor.js';
import {
  ADMIN_TOKEN,
  answers,
  closedPort,
  spawnRemote,
  spawnRemoteCluster,
  type RemoteNode,
} from '../../helpers/remoteNodes.js';
import type { HostUnderTest } from '../../helpers/hostTransports.js';

/**
 * Attaching the host to a cluster it did not start: three `smq-node` processes, each on its own
 * 127/8 address (127.0.0.2 …), started by the test with an admin token. Run once per transport.
 */
export function remoteSuite(connect: (host: ControlHost) => Promise<HostUnderTest>): void {
  let remote: RemoteNode[];
  let dataDir: string;
  let host: ControlHost;
  let under: HostUnderTest;
  let latest: ClusterSnapshot | undefined;
  const rows: TapRow[] = [];
  const clients: SmqClient[] = [];

  beforeAll(async () => {
    remote = await spawnRemoteCluster(['a', 'b', 'c']);
  }, 60_000);
  afterAll(() => Child.killAll());

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-remote-'));
    host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
    under = await connect(host);
    latest = undefined;
    rows.length = 0;
    under.api.subscribe((e: HostEvent) => {
      if (e.stream === 'cluster') latest = e.snapshot;
      if (e.stream === 'tap') rows.push(...e.batch.rows);
    });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await under.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The URLs in the forms a user pastes: ws:// with the SMQ path, http://, bare host:port. */
  const urls = (): string[] => [
    `ws://${remote[0]!.address}:${remote[0]!.port}/smq.lsp`,
    remote[1]!.origin,
    `${remote[2]!.address}:${remote[2]!.port}`,
  ];
  const attach = (): Promise<ClusterSnapshot> =>
    under.api.call('attachCluster', { urls: urls(), adminToken: ADMIN_TOKEN, profile: 'lab' });
  const node = (id: string): NodeView => latest!.nodes.find((n) => n.id === id)!;
  const linksUp = (): number => latest?.links.filter((l) => l.state === 'up').length ?? 0;
  const client = (id: string, info = 'remote-test'): SmqClient => {
    const c = connectClient(node(id).wsUrl, { info });
    clients.push(c);
    return c;
  };

  it('attaches by URL + admin token: the nodes by their names, up, linked, at their own addresses', async () => {
    const snap = await attach();
    expect(snap).toMatchObject({ exists: true, kind: 'remote', profile: 'lab' });
    expect(snap.nodes.map((n) => [n.id, n.state, n.host, n.port, n.pid])).toEqual(
      remote.map((r) => [r.name, 'up', r.address, r.port, null]),
    );
    expect(snap.nodes[0]!.wsUrl).toBe(`ws://${remote[0]!.address}:${remote[0]!.port}/smq.lsp`);
    expect(snap.nodes[1]!.rawUrl).toBe(`${remote[1]!.origin}/smq.lsp`);
    await waitFor(() => linksUp() === 3, { timeout: 10_000, what: 'three links up in the snapshot' });
    expect(latest!.partitioned).toBe(false);
    // The window's CSP lists exactly these nodes.
    expect(host.nodeOrigins()).toEqual(remote.map((r) => r.origin));
    await expect(attach()).rejects.toMatchObject({ error: { code: 'ClusterExists' } });
  });

  it('lists a remote node’s clients, and the inspector sees a publish that crossed a link', async () => {
    await attach();
    await waitFor(() => linksUp() === 3, { timeout: 10_000, what: 'mesh' });
    await under.api.call('watchTap', { filter: { topic: '/remote/probe' } });
    const sub = client('c', 'remote-sub');
    await sub.subscribe('/remote/probe', { onmsg: () => undefined });
    const listed = await under.api.call('listClients', { nodeId: 'c' });
    expect(listed.find((x) => x.info === 'remote-sub')).toMatchObject({
      transport: 'ws',
      subscriptions: ['/remote/probe'],
    });
    const pub = client('a', 'remote-pub');
    await pub.create('/remote/probe');
    await waitFor(
      async () => {
        pub.publish('over the link', '/remote/probe');
        return rows.some((r) => r.nodeId === 'c' && r.via === 'a' && r.receivers === 1);
      },
      { timeout: 10_000, interval: 200, what: 'the publish tapped on c, from a' },
    );
    const onA = rows.find((r) => r.nodeId === 'a' && r.via === null)!;
    expect(Buffer.from(onA.payload, 'base64').toString()).toBe('over the link');
  });

  it('refuses what needs local processes with NotLocal, and leaves the nodes running', async () => {
    await attach();
    for (const cmd of ['killNode', 'stopNode', 'startNode', 'restartNode', 'removeNode'] as const) {
      await expect(under.api.call(cmd, { nodeId: 'b' }), cmd).rejects.toMatchObject({
        error: { code: 'NotLocal' },
      });
    }
    await expect(under.api.call('addNode', {})).rejects.toMatchObject({ error: { code: 'NotLocal' } });
    for (const r of remote) {
      expect(r.child.exited, r.name).toBe(false);
      expect(await answers(r), r.name).toBe(true);
    }
  });

  it('cuts a remote link on both sides and restores it', async () => {
    await attach();
    await waitFor(() => linksUp() === 3, { timeout: 10_000, what: 'mesh' });
    await under.api.call('cutLink', { a: 'a', b: 'b' });
    await waitFor(() => latest!.links.find((l) => l.a === 'a' && l.b === 'b')?.state === 'cut', {
      what: 'a ↔ b cut in the snapshot',
    });
    expect(linksUp()).toBe(2);
    await under.api.call('restoreLink', { a: 'a', b: 'b' });
    await waitFor(() => linksUp() === 3, { timeout: 10_000, what: 'a ↔ b up again' });
  });

  it('runs a fleet of simulated devices on the remote nodes’ raw-TCP URLs', async () => {
    await attach();
    await under.api.call('startFleet', { count: 4, spread: { kind: 'random' } });
    await under.api.call('startFleet', {
      count: 1,
      namePrefix: 'pin',
      spread: { kind: 'pinned', nodeId: 'c' },
    });
    await waitFor(() => latest!.devices.length === 5 && latest!.devices.every((d) => d.connected), {
      timeout: 15_000,
      what: 'five devices connected',
    });
    expect(latest!.devices.every((d) => ['a', 'b', 'c'].includes(d.nodeId!))).toBe(true);
    expect(latest!.devices.find((d) => d.name === 'pin-1')!.nodeId).toBe('c');
    await waitFor(() => node('c').clients >= 1, { what: 'the pinned device counted on c' });
  });

  it('runs a load between two remote nodes: every message delivered across the link', async () => {
    await attach();
    await waitFor(() => linksUp() === 3, { timeout: 10_000, what: 'mesh' });
    const loads: LoadView[] = [];
    under.api.subscribe((e) => void (e.stream === 'load' && loads.push(e.load)));
    const { loadId } = await under.api.call('startLoad', {
      nodeIds: ['a', 'c'],
      publishers: 1,
      subscribers: 2,
      rate: 40,
      payloadBytes: 32,
      durationMs: 500,
    });
    const done = await waitFor(() => loads.find((l) => l.id === loadId && l.state !== 'running'), {
      timeout: 15_000,
      what: 'the load result',
    });
    expect(done.state, done.error?.message).toBe('done');
    expect(done.result!.sent).toBeGreaterThan(0);
    expect(done.result!.received).toBe(done.result!.sent * 2);
  });

  it('refuses a wrong token, an unreachable node and bad URLs with typed errors', async () => {
    const refused = async (args: { urls: string[]; adminToken: string }, code: string): Promise<string> => {
      const err = await under.api.call('attachCluster', args).then(
        () => expect.unreachable(`attached with ${JSON.stringify(args)}`),
        (e: { error: { code: string; message: string } }) => e.error,
      );
      expect(err.code, err.message).toBe(code);
      return err.message;
    };
    expect(await refused({ urls: urls(), adminToken: 'not-the-token-0123456789' }, 'Unauthorized')).toBe(
      `${remote[0]!.origin} refused the admin token: it is not the one the node was started with`,
    );
    const port = await closedPort();
    const message = await refused(
      { urls: [remote[0]!.origin, `http://127.0.0.1:${port}`], adminToken: ADMIN_TOKEN },
      'NodeUnreachable',
    );
    expect(message).toBe(`http://127.0.0.1:${port} does not answer (ECONNREFUSED)`);
    await refused({ urls: [], adminToken: ADMIN_TOKEN }, 'BadArguments');
    await refused({ urls: ['ftp://127.0.0.2:21'], adminToken: ADMIN_TOKEN }, 'BadArguments');
    await refused(
      { urls: [remote[0]!.origin, `${remote[0]!.origin}/smq.lsp`], adminToken: ADMIN_TOKEN },
      'BadArguments',
    );
    await refused({ urls: [remote[0]!.origin], adminToken: 'short' }, 'BadArguments');
    expect((await under.api.call('snapshot', {})).exists).toBe(false);
    expect(host.nodeOrigins()).toEqual([]);
  });

  it('refuses a node that has no admin endpoint', async () => {
    const bare = await spawnRemote('bare', '127.0.0.9', { adminToken: null });
    try {
      await expect(
        under.api.call('attachCluster', { urls: [bare.origin], adminToken: ADMIN_TOKEN }),
      ).rejects.toMatchObject({
        error: {
          code: 'Unauthorized',
          message: expect.stringContaining(`${bare.origin} has no admin endpoint`),
        },
      });
    } finally {
      bare.child.kill();
    }
  });

  it('detaches without touching the nodes: they run on, still linked', async () => {
    await attach();
    await under.api.call('startFleet', { count: 2, spread: { kind: 'random' } });
    await waitFor(() => latest!.devices.length === 2, { what: 'devices' });
    await under.api.call('destroyCluster', {});
    const snap = await under.api.call('snapshot', {});
    expect(snap).toMatchObject({ exists: false, nodes: [], devices: [] });
    expect(host.nodeOrigins()).toEqual([]);
    for (const r of remote) {
      expect(r.child.exited, r.name).toBe(false);
      const h = (await (await fetch(`${r.origin}/health`)).json()) as {
        cluster: { links: { state: string }[] };
      };
      expect(h.cluster.links.filter((l) => l.state === 'up').length, r.name).toBe(2);
    }
  });
}
