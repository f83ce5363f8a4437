import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import { HostServer } from '../../../../electron/host/HostServer.js';
import { Child } from '../../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { waitFor } from '../../../helpers/waitFor.js';
import { fixtureRenderer } from '../../helpers/host.js';
import { ADMIN_TOKEN, spawnRemote, spawnRemoteCluster, type RemoteNode } from '../../helpers/remoteNodes.js';

let remote: RemoteNode[];
const dirs: string[] = [];
const hosts: ControlHost[] = [];

function newHost(dataDir: string, restore = true): ControlHost {
  const host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore, pollMs: 200, log: () => {} });
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  remote = await spawnRemoteCluster(['r1', 'r2']);
}, 60_000);
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(() => Child.killAll());

describe('remote cluster profiles', () => {
  it('saves a remote profile (0600, with the token) and restores it on a new host, fleets too', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-remote-profile-'));
    dirs.push(dataDir);
    const first = newHost(dataDir, false);
    await first.call('attachCluster', {
      urls: remote.map((r) => r.origin),
      adminToken: ADMIN_TOKEN,
      profile: 'lab remote',
    });
    await first.call('startFleet', { count: 2, namePrefix: 'far', spread: { kind: 'random' } });
    await first.close();

    const file = path.join(dataDir, 'profiles', 'lab_remote.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      kind: 'remote',
      name: 'lab remote',
      adminToken: ADMIN_TOKEN,
      nodes: remote.map((r) => ({ id: r.name, url: r.origin })),
      fleets: [{ namePrefix: 'far', count: 2, spread: { kind: 'random' } }],
      // What its nodes reported, for the saved-profiles list.
      transport: 'mesh',
    });
    for (const r of remote) expect(r.child.exited, `${r.name} after the host closed`).toBe(false);

    const second = newHost(dataDir);
    await second.restored;
    const snap = await second.call('snapshot', {});
    expect(snap).toMatchObject({ exists: true, kind: 'remote', profile: 'lab remote' });
    expect(snap.nodes.map((n) => [n.id, n.state])).toEqual(remote.map((r) => [r.name, 'up']));
    expect(snap.fleets.map((f) => [f.namePrefix, f.count])).toEqual([['far', 2]]);
    await waitFor(async () => (await second.call('snapshot', {})).devices.every((d) => d.connected), {
      timeout: 10_000,
      what: 'the restored devices connected to the remote nodes',
    });
    await expect(second.call('killNode', { nodeId: 'r1' })).rejects.toMatchObject({ code: 'NotLocal' });
  });

  it('a node that stops answering turns unreachable, and up again when it is back', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-remote-down-'));
    dirs.push(dataDir);
    const host = newHost(dataDir, false);
    await host.call('attachCluster', { urls: remote.map((r) => r.origin), adminToken: ADMIN_TOKEN });
    const victim = remote[1]!;
    victim.child.kill('SIGKILL');
    await victim.child.waitExit();
    const state = async (): Promise<[string, string | undefined]> => {
      const n = (await host.call('snapshot', {})).nodes.find((x) => x.id === victim.name)!;
      return [n.state, n.lastError?.code];
    };
    await waitFor(async () => (await state())[0] === 'unreachable', { what: `${victim.name} unreachable` });
    expect(await state()).toEqual(['unreachable', 'NodeUnreachable']);
    await expect(host.call('listClients', { nodeId: victim.name })).rejects.toMatchObject({
      code: 'NodeNotUp',
    });
    // Someone restarts it where it ran: the host sees it again without being told.
    remote[1] = await spawnRemote(victim.name, victim.address, {
      port: victim.port,
      peers: [`ws://${remote[0]!.address}:${remote[0]!.port}`],
    });
    await waitFor(async () => (await state())[0] === 'up', { timeout: 10_000, what: `${victim.name} up` });
    await waitFor(async () => (await host.call('snapshot', {})).links[0]?.state === 'up', {
      timeout: 10_000,
      what: 'the link up again',
    });
  });

  it('puts exactly the remote nodes’ origins, http and ws, in the page’s connect-src', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-remote-csp-'));
    dirs.push(dataDir);
    const host = newHost(dataDir, false);
    const server = new HostServer({
      connect: (o) => host.connect(o),
      rendererDir: fixtureRenderer(),
      nodeOrigins: () => host.nodeOrigins(),
    });
    await server.listen();
    try {
      const connectSrc = (): string[] => /connect-src ([^;]*)/.exec(server.csp())![1]!.split(' ').slice(3); // after 'self' and the host's two
      expect(connectSrc()).toEqual([]);
      await host.call('attachCluster', {
        urls: remote.map((r) => `ws://${r.address}:${r.port}`),
        adminToken: ADMIN_TOKEN,
      });
      expect(connectSrc()).toEqual(remote.flatMap((r) => [r.origin, `ws://${r.address}:${r.port}`]));
      await host.call('destroyCluster', {});
      expect(connectSrc()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
