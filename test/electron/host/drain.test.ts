import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, DeviceView, HostApi, NodeView } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { direct, type HostUnderTest } from '../helpers/hostTransports.js';
import { ADMIN_TOKEN, spawnRemoteCluster } from '../helpers/remoteNodes.js';

/*
 * drainNode through the contract, against real smq-node processes: the drained node's devices
 * (the host's simulated fleet, on every node's URL) move to the others, and the node ends stopped.
 */

let dataDir: string;
let host: ControlHost;
let under: HostUnderTest;
let api: HostApi;
/** Every cluster snapshot the host sent, oldest first. */
let snapshots: ClusterSnapshot[];

async function openHost(): Promise<void> {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-drain-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  under = await direct(host);
  api = under.api;
  snapshots = [];
  api.subscribe((e) => {
    if (e.stream === 'cluster') snapshots.push(e.snapshot);
  });
}

afterEach(async () => {
  await under.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterAll(() => Child.killAll());

const latest = (): ClusterSnapshot => snapshots[snapshots.length - 1]!;
const nodeIn = (s: ClusterSnapshot, id: string): NodeView | undefined => s.nodes.find((n) => n.id === id);

/** Starts `count` devices over every node and waits until all are connected; returns the busiest node. */
async function devicesOnEveryNode(count: number): Promise<{ busiest: string; moved: string[] }> {
  await api.call('startFleet', { count, namePrefix: 'LED', spread: { kind: 'random' } });
  await waitFor(() => latest().devices.length === count && latest().devices.every((d) => d.nodeId), {
    timeout: 20_000,
    what: `${count} devices connected`,
  });
  const byNode = new Map<string, string[]>();
  for (const d of latest().devices) byNode.set(d.nodeId!, [...(byNode.get(d.nodeId!) ?? []), d.name]);
  const [busiest, moved] = [...byNode].sort((a, b) => b[1].length - a[1].length)[0]!;
  return { busiest, moved };
}

function expectOnSurvivors(devices: DeviceView[], drained: string): void {
  expect(devices.filter((d) => !d.connected || d.nodeId === drained || d.nodeId === null)).toEqual([]);
}

describe('drainNode on a local cluster', () => {
  it('moves every device of the node to the others, shows progress, and ends with the node stopped', async () => {
    await openHost();
    await api.call('createCluster', { nodes: 3 });
    const { busiest, moved } = await devicesOnEveryNode(40);
    expect(moved.length).toBeGreaterThanOrEqual(14);
    const { pid } = nodeIn(latest(), busiest)!;

    expect(await api.call('drainNode', { nodeId: busiest })).toBeNull();
    await waitFor(() => nodeIn(latest(), busiest)?.state === 'stopped', {
      timeout: 30_000,
      what: `${busiest} stopped`,
    });
    // Progress went out in the snapshots: draining, its devices (and any watcher of the host) in the total.
    const progress = snapshots.map((s) => nodeIn(s, busiest)?.drain).filter((d) => d != null);
    expect(progress[0]?.state).toBe('draining');
    expect(progress[0]?.total).toBeGreaterThanOrEqual(moved.length);
    expect(progress.map((d) => d.remaining)).toEqual(progress.map((d) => d.remaining).sort((a, b) => b - a));
    expect(() => process.kill(pid!, 0)).toThrow();
    // Down, it shows the drain that stopped it (the inspector's nodeStop row says Drained).
    expect(nodeIn(latest(), busiest)).toMatchObject({
      lastError: null,
      drain: { state: 'drained', remaining: 0 },
    });

    await waitFor(() => latest().devices.every((d) => d.connected), {
      timeout: 20_000,
      what: 'devices back',
    });
    expectOnSurvivors(latest().devices, busiest);
    // Started again, it takes clients as before (the drain ended with its process).
    await api.call('startNode', { nodeId: busiest });
    await waitFor(() => nodeIn(latest(), busiest)?.state === 'up', { timeout: 20_000, what: 'up again' });
    expect(nodeIn(latest(), busiest)?.drain).toBeNull();
  }, 90_000);

  it('answers NotDraining to a cancel without a drain, and NoSuchNode for an unknown node', async () => {
    await openHost();
    await api.call('createCluster', { nodes: 1 });
    await expect(api.call('cancelDrain', { nodeId: 'n1' })).rejects.toMatchObject({
      error: { code: 'NotDraining' },
    });
    await expect(api.call('drainNode', { nodeId: 'n9' })).rejects.toMatchObject({
      error: { code: 'NoSuchNode' },
    });
  }, 30_000);
});

describe('drainNode on a remote cluster', () => {
  it('drains an smq-node someone else runs: it exits by itself when empty and shows as stopped', async () => {
    const nodes = await spawnRemoteCluster(['ra', 'rb', 'rc']);
    await openHost();
    await api.call('attachCluster', { urls: nodes.map((n) => n.origin), adminToken: ADMIN_TOKEN });
    const { busiest, moved } = await devicesOnEveryNode(12);
    expect(moved.length).toBeGreaterThanOrEqual(4);

    await api.call('drainNode', { nodeId: busiest });
    const target = nodes.find((n) => n.name === busiest)!;
    await target.child.waitExit(30_000);
    expect(target.child.exitCode).toBe(0);
    await waitFor(() => nodeIn(latest(), busiest)?.state === 'stopped', { timeout: 20_000, what: 'stopped' });
    expect(nodeIn(latest(), busiest)?.drain).toMatchObject({ state: 'drained', remaining: 0 });
    await waitFor(() => latest().devices.every((d) => d.connected), {
      timeout: 20_000,
      what: 'devices back',
    });
    expectOnSurvivors(latest().devices, busiest);
    const others = nodes.filter((n) => n !== target);
    for (const n of others) expect(nodeIn(latest(), n.name)?.state).toBe('up');
  }, 90_000);
});
