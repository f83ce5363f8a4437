import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, HostEvent, NodeView } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { hostAddresses } from '../../../electron/host/control/hostAddresses.js';
import { connectClient, type SmqClient } from '../../../broker/src/index.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * Issue #11, "Connect a real device": the URLs a node card hands out really connect, and a node
 * can be bound to a LAN address of this machine (127.0.0.1 stays the default).
 */

let dataDir: string;
let host: ControlHost;
let latest: ClusterSnapshot | undefined;
const clients: SmqClient[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-connect-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  latest = undefined;
  host.subscribe((e: HostEvent) => {
    if (e.stream === 'cluster') latest = e.snapshot;
  });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Resolves with the ETID of the Connack, or rejects with why the client could not connect. */
function connack(url: string): Promise<number> {
  const c = connectClient(url, { reconnect: false });
  clients.push(c);
  return new Promise((resolve, reject) => {
    c.onconnect = (etid) => resolve(etid);
    c.onconnecterror = (_url, reason) => reject(new Error(reason));
    c.onclose = (reason) => reject(new Error(reason));
  });
}

/** Whether a plain TCP connect to host:port succeeds. */
function tcpOpens(hostName: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: hostName, port }, () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

const node = (id: string): NodeView | undefined => latest?.nodes.find((n) => n.id === id);

describe('the URLs a local node hands out', () => {
  it('raw TCP (http://) and WebSocket (ws://) both get a Connack; devices need no password', async () => {
    const snap = await host.call('createCluster', { nodes: 1 });
    const n1 = snap.nodes[0]!;
    expect(n1.host).toBe('127.0.0.1');
    expect(n1.rawUrl).toBe(`http://127.0.0.1:${n1.port}/smq.lsp`);
    expect(n1.wsUrl).toBe(`ws://127.0.0.1:${n1.port}/smq.lsp`);
    expect(n1.deviceAuth).toBe('none');
    expect(await connack(n1.rawUrl)).toBeGreaterThan(0);
    expect(await connack(n1.wsUrl)).toBeGreaterThan(0);
    const listed = await waitFor(
      async () => {
        const list = await host.call('listClients', { nodeId: 'n1' });
        return list.length >= 2 && list;
      },
      { timeout: 10_000, what: 'both clients listed on n1' },
    );
    expect(listed.map((c) => c.transport).sort()).toEqual(['raw', 'ws']);
  });
});

describe('this machine’s addresses', () => {
  it('lists every interface address but link-local IPv6, others’ reach first and loopback last', async () => {
    const listed = await host.call('listAddresses', {});
    const expected = Object.values(networkInterfaces())
      .flatMap((l) => l ?? [])
      .filter((i) => !(i.family === 'IPv6' && i.address.startsWith('fe80:')))
      .map((i) => i.address);
    expect(listed.map((a) => a.address).sort()).toEqual([...expected].sort());
    expect(listed.some((a) => a.address === '127.0.0.1' && a.internal)).toBe(true);
    const firstInternal = listed.findIndex((a) => a.internal);
    expect(listed.slice(firstInternal).every((a) => a.internal)).toBe(true);
  });
});

describe('a node bound to a LAN address', () => {
  const lan = hostAddresses().find((a) => !a.internal && a.family === 'IPv4')?.address;

  it('is reachable there and no longer on loopback; linked; the profile keeps it; others stay on 127.0.0.1', async (ctx) => {
    if (!lan) {
      console.log('skipped: this machine has no non-loopback IPv4 address (ip addr shows only lo)');
      ctx.skip();
      return;
    }
    const made = await host.call('createCluster', { nodes: 2, profile: 'lan' });
    const port = made.nodes.find((n) => n.id === 'n2')!.port;
    await host.call('bindNode', { nodeId: 'n2', host: lan });
    const n2 = await waitFor(() => node('n2')?.host === lan && node('n2')?.state === 'up' && node('n2'), {
      timeout: 15_000,
      what: `n2 up on ${lan}`,
    });
    expect(n2.port).toBe(port);
    expect(n2.rawUrl).toBe(`http://${lan}:${port}/smq.lsp`);
    expect(await connack(n2.rawUrl)).toBeGreaterThan(0);
    expect(await tcpOpens('127.0.0.1', port)).toBe(false);
    expect(node('n1')!.host).toBe('127.0.0.1');
    // The nodes relink over the new address (n2 dials n1; n1 learns n2's advertised URL).
    const upLinks = async (url: string): Promise<string[]> => {
      const h = (await (await fetch(`${url}/health`)).json()) as {
        cluster: { links: { remoteName?: string; state: string }[] };
      };
      return h.cluster.links.filter((l) => l.state === 'up').map((l) => l.remoteName ?? '');
    };
    await waitFor(async () => (await upLinks(`http://${lan}:${port}`)).includes('n1'), {
      timeout: 20_000,
      what: 'n2 linked to n1 again',
    });
    await waitFor(async () => (await upLinks(`http://127.0.0.1:${node('n1')!.port}`)).includes('n2'), {
      timeout: 20_000,
      what: 'n1 linked to n2 again',
    });
    // n1 knows n2 by the address n2 advertises, not by the loopback URL it was first given.
    const h1 = (await (await fetch(`http://127.0.0.1:${node('n1')!.port}/health`)).json()) as {
      cluster: { links: { remoteName?: string; url: string }[] };
    };
    expect(h1.cluster.links.find((l) => l.remoteName === 'n2')?.url).toBe(`ws://${lan}:${port}`);
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'profiles', 'lan.json'), 'utf8')) as {
      nodes: { id: string; host?: string }[];
    };
    expect(saved.nodes.find((n) => n.id === 'n2')?.host).toBe(lan);
    const { nodeId } = await host.call('addNode', {});
    expect((await host.call('snapshot', {})).nodes.find((n) => n.id === nodeId)?.host).toBe('127.0.0.1');

    // Back to loopback: reachable there again, not on the LAN address.
    await host.call('bindNode', { nodeId: 'n2', host: '127.0.0.1' });
    expect(await connack(`http://127.0.0.1:${port}/smq.lsp`)).toBeGreaterThan(0);
    expect(await tcpOpens(lan, port)).toBe(false);
  });

  it('comes back bound to that address when the host restores the profile', async (ctx) => {
    if (!lan) {
      console.log('skipped: this machine has no non-loopback IPv4 address (ip addr shows only lo)');
      ctx.skip();
      return;
    }
    const made = await host.call('createCluster', { nodes: 1, profile: 'kept' });
    await host.call('bindNode', { nodeId: 'n1', host: lan });
    await host.close();
    host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, pollMs: 200, log: () => {} });
    await host.restored;
    const n1 = (await host.call('snapshot', {})).nodes[0]!;
    expect([n1.host, n1.port, n1.state]).toEqual([lan, made.nodes[0]!.port, 'up']);
    expect(await connack(n1.rawUrl)).toBeGreaterThan(0);
  });

  it('refuses an address that is not this machine’s, and leaves the node as it was', async () => {
    await host.call('createCluster', { nodes: 1 });
    await expect(host.call('bindNode', { nodeId: 'n1', host: '203.0.113.9' })).rejects.toMatchObject({
      code: 'BadArguments',
    });
    await expect(host.call('bindNode', { nodeId: 'n9', host: '127.0.0.1' })).rejects.toMatchObject({
      code: 'NoSuchNode',
    });
    const n1 = (await host.call('snapshot', {})).nodes[0]!;
    expect([n1.host, n1.state]).toEqual(['127.0.0.1', 'up']);
  });
});
