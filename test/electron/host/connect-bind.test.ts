import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { hostAddresses } from '../../../electron/host/control/hostAddresses.js';
import { urlHost } from '../../../broker/src/page/pageOrigin.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * Binding a local node to another address: the other nodes follow it, a bind that cannot happen
 * leaves the node where it was, and a saved address that is no longer this machine's is not bound.
 */

let dataDir: string;
let host: ControlHost;
const servers: net.Server[] = [];

function newHost(restore: boolean): ControlHost {
  return new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore, pollMs: 200, log: () => {} });
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-bind-'));
  host = newHost(false);
});

afterEach(async () => {
  for (const s of servers.splice(0)) s.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Another address of this machine than 127.0.0.1: a LAN IPv4 address, else IPv6 loopback. */
const other =
  hostAddresses().find((a) => !a.internal && a.family === 'IPv4')?.address ??
  hostAddresses().find((a) => a.address === '::1')?.address;

type Health = { cluster: { dials: { url: string }[]; links: { remoteName?: string; state: string }[] } };
const health = async (url: string): Promise<Health> =>
  (await (await fetch(`${url}/health`)).json()) as Health;

describe('bindNode', () => {
  it('moves the node in the other nodes’ peer lists: none keeps dialling its old URL', async (ctx) => {
    if (!other) return ctx.skip();
    const made = await host.call('createCluster', { nodes: 3 });
    const port = made.nodes.find((n) => n.id === 'n2')!.port;
    const oldUrl = `ws://127.0.0.1:${port}`;
    const newUrl = `ws://${urlHost(other)}:${port}`;
    await host.call('bindNode', { nodeId: 'n2', host: other });
    for (const id of ['n1', 'n3']) {
      const at = `http://127.0.0.1:${made.nodes.find((n) => n.id === id)!.port}`;
      const dials = (await health(at)).cluster.dials.map((d) => d.url);
      expect(dials).not.toContain(oldUrl);
      expect(dials).toContain(newUrl);
      await waitFor(
        async () => (await health(at)).cluster.links.some((l) => l.remoteName === 'n2' && l.state === 'up'),
        { timeout: 20_000, what: `${id} linked to n2 on ${other}` },
      );
    }
  });

  it('that fails (port taken there) leaves the node up on its old address, and saves nothing of it', async (ctx) => {
    if (!other) return ctx.skip();
    const made = await host.call('createCluster', { nodes: 1, profile: 'stay' });
    const port = made.nodes[0]!.port;
    const squatter = net.createServer();
    servers.push(squatter);
    await new Promise<void>((resolve) => squatter.listen(port, other, resolve));
    await expect(host.call('bindNode', { nodeId: 'n1', host: other })).rejects.toMatchObject({
      code: 'PortInUse',
    });
    const n1 = (await host.call('snapshot', {})).nodes[0]!;
    expect([n1.host, n1.port, n1.state]).toEqual(['127.0.0.1', port, 'up']);
    await host.call('addNode', {});
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'profiles', 'stay.json'), 'utf8')) as {
      nodes: { id: string; host?: string }[];
    };
    expect(saved.nodes.find((n) => n.id === 'n1')?.host).toBe('127.0.0.1');
  });
});

describe('restoring a profile', () => {
  it('binds a saved address that is not this machine’s (a hand-edited 0.0.0.0) to 127.0.0.1, and says why', async () => {
    await host.call('createCluster', { nodes: 2, profile: 'edited' });
    await host.close();
    const file = path.join(dataDir, 'profiles', 'edited.json');
    const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string; host?: string }[] };
    profile.nodes[0]!.host = '0.0.0.0';
    writeFileSync(file, JSON.stringify(profile));
    host = newHost(true);
    await host.restored;
    const [n1, n2] = (await host.call('snapshot', {})).nodes;
    expect([n1!.host, n1!.state]).toEqual(['127.0.0.1', 'up']);
    expect(n1!.lastError).toMatchObject({ code: 'AddressUnavailable' });
    expect(n1!.lastError!.message).toContain('0.0.0.0');
    expect(n2!.lastError).toBeNull();
    // Bound again by the user: the notice goes.
    await host.call('bindNode', { nodeId: 'n1', host: '127.0.0.1' });
    expect((await host.call('snapshot', {})).nodes[0]!.lastError).toBeNull();
  });
});
