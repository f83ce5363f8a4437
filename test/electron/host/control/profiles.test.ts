import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HostCallError, type HostErrorCode } from '../../../../contract/hostContract.js';
import { ControlHost } from '../../../../electron/host/control/ControlHost.js';
import { ProfileStore } from '../../../../electron/host/control/ProfileStore.js';
import { Child } from '../../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../../helpers/nodeProcess.js';
import { ADMIN_TOKEN, spawnRemote } from '../../helpers/remoteNodes.js';

/*
 * Saved profiles through the contract, on a real ProfileStore in a temp folder: listed, reopened
 * (real smq-node processes), deleted with their secret, and never overwritten without asking.
 */
const dirs: string[] = [];
const hosts: ControlHost[] = [];

function newHost(dataDir?: string): { host: ControlHost; dataDir: string } {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'smq-cc-profiles-'));
  if (!dataDir) dirs.push(dir);
  const host = new ControlHost({ dataDir: dir, nodeBin: SMQ_NODE_BIN, restore: false, log: () => {} });
  hosts.push(host);
  return { host, dataDir: dir };
}

async function codeOf(p: Promise<unknown>): Promise<HostErrorCode | 'resolved'> {
  return p.then(
    () => 'resolved' as const,
    (err: unknown) => (err instanceof HostCallError ? err.error.code : (err as { code: HostErrorCode }).code),
  );
}

afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(() => Child.killAll());

describe('saved cluster profiles', () => {
  it('names each new local cluster local, local-2 … so none is overwritten silently', async () => {
    const { host } = newHost();
    expect(await host.call('listProfiles', {})).toEqual([]);
    expect((await host.call('createCluster', { nodes: 1 })).profile).toBe('local');
    await host.call('destroyCluster', {});
    expect((await host.call('createCluster', { nodes: 1, tls: true })).profile).toBe('local-2');
    await host.call('destroyCluster', {});
    expect(await codeOf(host.call('createCluster', { nodes: 1, profile: 'local' }))).toBe('ProfileExists');
    const list = await host.call('listProfiles', {});
    expect(list.map((p) => [p.name, p.kind, p.transport, p.tls, p.nodes, p.active]).sort()).toEqual([
      ['local', 'local', 'mesh', false, 1, false],
      ['local-2', 'local', 'mesh', true, 1, false],
    ]);
    for (const p of list) expect(p.lastUsedMs).toBeGreaterThan(Date.now() - 120_000);
    expect((await host.call('createCluster', { nodes: 2, profile: 'local', replace: true })).profile).toBe(
      'local',
    );
    expect((await host.call('listProfiles', {})).find((p) => p.name === 'local')).toMatchObject({
      nodes: 2,
      active: true,
    });
  }, 120_000);

  it('opens a saved local profile: its nodes start again on their saved ports', async () => {
    const { host, dataDir } = newHost();
    const made = await host.call('createCluster', { nodes: 2, profile: 'lab' });
    await host.call('destroyCluster', {});
    expect((await host.call('snapshot', {})).exists).toBe(false);

    const reopened = newHost(dataDir).host;
    expect(await codeOf(reopened.call('openProfile', { name: 'nope' }))).toBe('NoSuchProfile');
    const snap = await reopened.call('openProfile', { name: 'lab' });
    expect(snap).toMatchObject({ exists: true, kind: 'local', profile: 'lab' });
    expect(snap.nodes.map((n) => [n.id, n.port, n.state])).toEqual(
      made.nodes.map((n) => [n.id, n.port, 'up']),
    );
    for (const n of snap.nodes) expect((await fetch(`http://127.0.0.1:${n.port}/health`)).ok).toBe(true);
    expect(await codeOf(reopened.call('openProfile', { name: 'lab' }))).toBe('ClusterExists');
  }, 120_000);

  it('deletes a saved remote profile with its admin token, never the running one', async () => {
    const { host, dataDir } = newHost();
    const store = new ProfileStore(dataDir);
    await store.save({
      kind: 'remote',
      name: 'by-hand',
      adminToken: 'admin-token-of-by-hand',
      nodes: [{ id: 'a', url: 'https://10.0.0.1:8443' }],
      fleets: [],
    });
    await store.clearLast();
    const file = path.join(dataDir, 'profiles', 'by-hand.json');
    await host.call('createCluster', { nodes: 1, profile: 'running' });
    const listed = await host.call('listProfiles', {});
    expect(listed.find((p) => p.name === 'by-hand')).toMatchObject({
      kind: 'remote',
      transport: null,
      tls: true,
      nodes: 1,
      active: false,
    });

    expect(await codeOf(host.call('deleteProfile', { name: 'running' }))).toBe('ProfileActive');
    const left = await host.call('deleteProfile', { name: 'by-hand' });
    expect(left.map((p) => p.name)).toEqual(['running']);
    expect(existsSync(file)).toBe(false);
    expect(await codeOf(host.call('deleteProfile', { name: 'by-hand' }))).toBe('NoSuchProfile');
    expect((await host.call('snapshot', {})).nodes[0]?.state).toBe('up');
  }, 120_000);

  it('starts one cluster when Create, Create with TLS and Open arrive together (a double-click)', async () => {
    const { host } = newHost();
    await host.call('createCluster', { nodes: 1, profile: 'lab' });
    await host.call('destroyCluster', {});
    const codes = await Promise.all([
      codeOf(host.call('createCluster', { nodes: 1 })),
      codeOf(host.call('createCluster', { nodes: 1, tls: true })),
      codeOf(host.call('openProfile', { name: 'lab' })),
    ]);
    expect(codes.sort()).toEqual(['ClusterExists', 'ClusterExists', 'resolved']);
    const snap = await host.call('snapshot', {});
    expect([snap.profile, snap.tls, snap.nodes.map((n) => [n.id, n.state])]).toEqual([
      'local',
      false,
      [['n1', 'up']],
    ]);
    expect((await host.call('listProfiles', {})).map((p) => [p.name, p.active]).sort()).toEqual([
      ['lab', false],
      ['local', true],
    ]);
  }, 120_000);

  it('treats names saved in one file ("a b", "a_b") as one profile', async () => {
    const { host, dataDir } = newHost();
    await host.call('createCluster', { nodes: 1, profile: 'a_b' });
    const file = path.join(dataDir, 'profiles', 'a_b.json');
    expect(await codeOf(host.call('deleteProfile', { name: 'a b' }))).toBe('ProfileActive');
    expect(existsSync(file)).toBe(true);
    await host.call('destroyCluster', {});
    await expect(host.call('createCluster', { nodes: 1, profile: 'a b' })).rejects.toMatchObject({
      code: 'ProfileExists',
      message: 'a profile named "a_b" is saved already',
    });
    expect((await host.call('createCluster', { nodes: 1, profile: 'a b', replace: true })).profile).toBe(
      'a b',
    );
    expect((await host.call('listProfiles', {})).map((p) => [p.name, p.active])).toEqual([['a b', true]]);
  }, 120_000);

  it('names each attach remote, remote-2 … and replaces a saved one only when asked', async () => {
    const node = await spawnRemote('r1', '127.0.0.2');
    const { host } = newHost();
    const attach = (more: { profile?: string; replace?: boolean } = {}) =>
      host.call('attachCluster', { urls: [node.origin], adminToken: ADMIN_TOKEN, ...more });
    expect((await attach()).profile).toBe('remote');
    await host.call('destroyCluster', {});
    expect((await attach()).profile).toBe('remote-2');
    await host.call('destroyCluster', {});
    expect(await codeOf(attach({ profile: 'remote' }))).toBe('ProfileExists');
    expect((await host.call('snapshot', {})).exists).toBe(false);
    expect((await attach({ profile: 'remote', replace: true })).profile).toBe('remote');
    expect((await host.call('listProfiles', {})).map((p) => p.name).sort()).toEqual(['remote', 'remote-2']);
  }, 120_000);
});
