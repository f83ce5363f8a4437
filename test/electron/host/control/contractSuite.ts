import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ClusterSnapshot, HostEvent, LoadView, NodeView } from '../../../../contract/hostContract.js';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { waitFor } from '../../../helpers/waitFor.js';
import { connectClient, type SmqClient } from '../../../../broker/src/index.js';
import type { HostUnderTest } from '../../helpers/hostTransports.js';

/**
 * The contract logic, against real nodes (smq-node child processes). Run once per transport:
 * the same expectations hold whatever carries the calls.
 */
export function contractSuite(connect: (host: ControlHost) => Promise<HostUnderTest>): void {
  let dataDir: string;
  let host: ControlHost;
  let under: HostUnderTest;
  let latest: ClusterSnapshot | undefined;
  const clients: SmqClient[] = [];

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-host-'));
    host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
    under = await connect(host);
    latest = undefined;
    under.api.subscribe((e: HostEvent) => {
      if (e.stream === 'cluster') latest = e.snapshot;
    });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await under.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const node = (id: string): NodeView => latest!.nodes.find((n) => n.id === id)!;
  const linksUp = (): number => latest?.links.filter((l) => l.state === 'up').length ?? 0;

  /** A subscriber on one node and a publisher on another: does a message cross? */
  async function crosses(from: NodeView, to: NodeView, timeoutMs: number): Promise<boolean> {
    const sub = connectClient(to.wsUrl);
    const pub = connectClient(from.wsUrl);
    clients.push(sub, pub);
    const got = new Promise<boolean>((resolve) => {
      void sub.subscribe('/contract/probe', { onmsg: () => resolve(true) });
      setTimeout(() => resolve(false), timeoutMs);
    });
    await sub.create('/contract/probe');
    // The subscriber's interest reaches the other node over the link before the publish does.
    await new Promise((r) => setTimeout(r, 300));
    pub.publish('hi', '/contract/probe');
    return got;
  }

  it('creates a 3-node mesh whose nodes really relay across links', async () => {
    const snap = await under.api.call('createCluster', { nodes: 3 });
    expect(snap.nodes.map((n) => [n.id, n.state])).toEqual([
      ['n1', 'up'],
      ['n2', 'up'],
      ['n3', 'up'],
    ]);
    await waitFor(() => linksUp() === 3, { timeout: 10_000, what: 'three links up in the snapshot' });
    expect(await crosses(node('n1'), node('n3'), 3000)).toBe(true);
    await expect(under.api.call('createCluster', { nodes: 2 })).rejects.toMatchObject({
      error: { code: 'ClusterExists' },
    });
  });

  it('kill is a real SIGKILL; the banner state shows it; start brings the node back on its port', async () => {
    await under.api.call('createCluster', { nodes: 3 });
    await waitFor(() => linksUp() === 3, { timeout: 10_000, what: 'mesh' });
    const { pid, port } = node('n2');
    await under.api.call('killNode', { nodeId: 'n2' });
    await waitFor(() => node('n2').state === 'killed', { what: 'n2 killed in the snapshot' });
    expect(() => process.kill(pid!, 0)).toThrow();
    await waitFor(() => latest!.links.filter((l) => l.state === 'down').length === 2, { what: 'links down' });
    await under.api.call('startNode', { nodeId: 'n2' });
    await waitFor(() => node('n2').state === 'up' && linksUp() === 3, { timeout: 10_000, what: 'healed' });
    expect(node('n2').port).toBe(port);
    expect(await crosses(node('n2'), node('n1'), 3000)).toBe(true);
  });

  it('cut link: no relay between the two nodes, the snapshot says partitioned; restore heals', async () => {
    await under.api.call('createCluster', { nodes: 2 });
    await waitFor(() => linksUp() === 1, { timeout: 10_000, what: 'link up' });
    await under.api.call('cutLink', { a: 'n1', b: 'n2' });
    await waitFor(() => latest!.partitioned && latest!.links[0]!.state === 'cut', { what: 'cut seen' });
    expect(latest!.unlinked).toEqual([['n1', 'n2']]);
    expect(await crosses(node('n1'), node('n2'), 1000)).toBe(false);
    await under.api.call('restoreLink', { a: 'n1', b: 'n2' });
    await waitFor(() => linksUp() === 1 && !latest!.partitioned, { timeout: 10_000, what: 'restored' });
    expect(await crosses(node('n1'), node('n2'), 3000)).toBe(true);
  });

  it('fleets: devices spread over nodes; a killed node’s devices reappear on survivors', async () => {
    await under.api.call('createCluster', { nodes: 3 });
    await waitFor(() => linksUp() === 3, { timeout: 10_000, what: 'mesh' });
    await under.api.call('startFleet', { count: 6, spread: { kind: 'random' } });
    await waitFor(() => latest!.devices.length === 6 && latest!.devices.every((d) => d.connected), {
      timeout: 10_000,
      what: 'six devices connected',
    });
    const victim = latest!.devices[0]!.nodeId!;
    await under.api.call('killNode', { nodeId: victim });
    await waitFor(
      () => latest!.devices.every((d) => d.connected && d.nodeId !== null && d.nodeId !== victim),
      { timeout: 15_000, what: 'every device on a survivor' },
    );
    const alive = latest!.nodes.find((n) => n.state === 'up')!.id;
    await under.api.call('startFleet', {
      count: 2,
      namePrefix: 'pin',
      spread: { kind: 'pinned', nodeId: alive },
    });
    const pinned = () => latest!.devices.filter((d) => d.name.startsWith('pin-'));
    await waitFor(() => pinned().length === 2 && pinned().every((d) => d.connected && d.nodeId === alive), {
      timeout: 10_000,
      what: `two devices pinned to ${alive}`,
    });
  });

  it('a load run reports live progress, then its result; every message delivered on loopback', async () => {
    await under.api.call('createCluster', { nodes: 2 });
    await waitFor(() => linksUp() === 1, { timeout: 10_000, what: 'link up' });
    const loads: LoadView[] = [];
    under.api.subscribe((e) => {
      if (e.stream === 'load') loads.push(e.load);
    });
    const spec = {
      nodeIds: ['n1', 'n2'],
      publishers: 2,
      subscribers: 2,
      rate: 50,
      payloadBytes: 64,
      durationMs: 1500,
    };
    const { loadId } = await under.api.call('startLoad', spec);
    // The run's subscribers show in the nodes' subscription totals (from each node's /health).
    await waitFor(() => latest!.nodes.every((n) => n.subscriptions >= 1), {
      timeout: 10_000,
      what: 'the load subscribers counted on both nodes',
    });
    const done = await waitFor(() => loads.find((l) => l.id === loadId && l.state !== 'running'), {
      timeout: 15_000,
      what: 'the load result',
    });
    expect(done.state).toBe('done');
    expect(done.result!.sent).toBeGreaterThan(0);
    expect(done.result!.received).toBe(done.result!.sent * 2);
    expect(done.result!.lost).toBe(0);
    expect(done.progress).toMatchObject({ phase: 'done', sent: done.result!.sent });
    const running = loads.filter((l) => l.id === loadId && l.state === 'running');
    const live = running.filter((l) => l.progress?.phase === 'sending' && l.progress.received > 0);
    expect(live.length, 'progress events while sending').toBeGreaterThan(0);
    expect(live[0]!.progress!.sent).toBeLessThan(done.result!.sent);
    // Coalesced: a few events per second, never one per message.
    const seconds = (Date.now() - done.startedAtMs) / 1000;
    expect(running.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2);
    // A page that connects later is given the run too (its list of past runs survives a reload).
    const replayed: LoadView[] = [];
    host.subscribe((e) => void (e.stream === 'load' && replayed.push(e.load)))();
    expect(replayed.find((l) => l.id === loadId)).toMatchObject({ state: 'done', result: done.result });
  });

  it('a load run on a node that is not up, unknown or named twice is refused with a typed error', async () => {
    await under.api.call('createCluster', { nodes: 2 });
    await under.api.call('stopNode', { nodeId: 'n2' });
    const spec = { publishers: 1, subscribers: 1, rate: 10, payloadBytes: 64, durationMs: 500 };
    await expect(under.api.call('startLoad', { ...spec, nodeIds: ['n1', 'n2'] })).rejects.toMatchObject({
      error: { code: 'NodeNotUp' },
    });
    await expect(under.api.call('startLoad', { ...spec, nodeIds: ['n7'] })).rejects.toMatchObject({
      error: { code: 'NoSuchNode' },
    });
    await expect(under.api.call('startLoad', { ...spec, nodeIds: ['n1', 'n1'] })).rejects.toMatchObject({
      error: { code: 'BadArguments' },
    });
    await expect(
      under.api.call('startLoad', { ...spec, nodeIds: ['n1'], payloadBytes: 4 }),
    ).rejects.toMatchObject({ error: { code: 'BadArguments' } });
  });

  it('lists a node’s clients and disconnects one; errors are typed', async () => {
    await under.api.call('createCluster', { nodes: 1 });
    await waitFor(() => latest?.nodes[0]?.state === 'up', { what: 'n1 in the snapshot' });
    const c = connectClient(node('n1').wsUrl, { info: 'contract-test' });
    clients.push(c);
    await c.subscribe('/contract/list', { onmsg: () => undefined });
    const list = await under.api.call('listClients', { nodeId: 'n1' });
    const me = list.find((x) => x.info === 'contract-test')!;
    expect(me).toMatchObject({ transport: 'ws', subscriptions: ['/contract/list'] });
    await under.api.call('disconnectClient', { nodeId: 'n1', etid: me.etid });
    await waitFor(
      async () => (await under.api.call('listClients', { nodeId: 'n1' })).every((x) => x.etid !== me.etid),
      {
        what: 'client gone',
      },
    );
    await expect(under.api.call('stopNode', { nodeId: 'n9' })).rejects.toMatchObject({
      error: { code: 'NoSuchNode' },
    });
    await expect(under.api.call('disconnectClient', { nodeId: 'n1', etid: 12345 })).rejects.toMatchObject({
      error: { code: 'NoSuchClient' },
    });
  });
}
