import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, HostEvent, TopicView } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { connected, inbox } from '../../broker/client/clients.js';

/*
 * Issue #11, TLS from the app: the host writes a self-signed pair into its data folder and runs a
 * local cluster on it, nodes on https:// and wss://, links verifying it, the host's own view intact.
 */

let dataDir: string;
let host: ControlHost;
let latest: ClusterSnapshot | undefined;
let topics: TopicView[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-tls-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  latest = undefined;
  topics = [];
  host.subscribe((e: HostEvent) => {
    if (e.stream === 'cluster') latest = e.snapshot;
    else if (e.stream === 'topics') topics = e.topics;
  });
});

afterEach(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('TLS in the control center', () => {
  it('generates a pair for 127.0.0.1 and localhost signed by a local CA, 0600 under the data folder', async () => {
    const view = await host.call('generateCertificate', {});
    expect(view.certFile).toBe(path.join(dataDir, 'tls', 'cert.pem'));
    expect(view.keyFile).toBe(path.join(dataDir, 'tls', 'key.pem'));
    expect(view.caFile).toBe(path.join(dataDir, 'tls', 'ca.pem'));
    expect(view.hosts).toEqual(['127.0.0.1', 'localhost']);
    expect(view.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(view.notAfterMs).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
    const ca = new X509Certificate(readFileSync(view.caFile));
    expect(new X509Certificate(readFileSync(view.certFile)).checkIssued(ca)).toBe(true);
    const tlsFiles = [view.certFile, view.keyFile, view.caFile, path.join(dataDir, 'tls', 'ca-key.pem')];
    for (const file of tlsFiles) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, 'tls')).mode & 0o777).toBe(0o700);
    expect(readFileSync(view.keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    await expect(host.call('generateCertificate', { hosts: ['203.0.113.9'] })).rejects.toMatchObject({
      code: 'BadArguments',
    });
  });

  it('replaces the key by a new 0600 file renamed over it, never rewriting the old one in place', async () => {
    const first = await host.call('generateCertificate', {});
    // An old key someone made readable: a rewrite in place would expose the new key through it.
    chmodSync(first.keyFile, 0o644);
    const oldKey = statSync(first.keyFile).ino;
    const oldCert = statSync(first.certFile).ino;
    const second = await host.call('generateCertificate', {});
    expect(statSync(second.keyFile).ino).not.toBe(oldKey);
    expect(statSync(second.certFile).ino).not.toBe(oldCert);
    expect(statSync(second.keyFile).mode & 0o777).toBe(0o600);
    expect(second.fingerprint256).not.toBe(first.fingerprint256);
    expect(readdirSync(path.join(dataDir, 'tls')).sort()).toEqual([
      'ca-key.pem',
      'ca.pem',
      'cert.pem',
      'key.pem',
    ]);
  });

  it('runs a local cluster with tls on https:// and wss://, linked, the host still reading every node', async () => {
    expect(await host.call('snapshot', {})).toMatchObject({ tls: false, caFile: null });
    const snap = await host.call('createCluster', { nodes: 2, tls: true });
    // What the UI marks as TLS, and the CA "Connect a device" tells devices to trust.
    expect(snap.tls).toBe(true);
    expect(snap.caFile).toBe(path.join(dataDir, 'tls', 'ca.pem'));
    expect(snap.nodes.map((n) => n.rawUrl)).toEqual(
      snap.nodes.map((n) => `https://127.0.0.1:${n.port}/smq.lsp`),
    );
    expect(snap.nodes.every((n) => n.wsUrl.startsWith('wss://'))).toBe(true);
    const profile = JSON.parse(readFileSync(path.join(dataDir, 'profiles', 'local.json'), 'utf8')) as {
      tls?: boolean;
    };
    expect(profile.tls).toBe(true);
    // Links up over wss:// (each side's /health, read by the host over https with its CA).
    await waitFor(() => latest?.links.length === 1 && latest.links[0]!.state === 'up', {
      timeout: 15_000,
      what: 'the wss:// link up in the snapshot',
    });
    const ca = readFileSync(path.join(dataDir, 'tls', 'ca.pem'), 'utf8');
    const [n1, n2] = snap.nodes;
    const sub = await connected(n1!.rawUrl, { ca });
    const pub = await connected(n2!.wsUrl, { ca });
    const got = inbox<string>();
    await sub.subscribe('/tls/host', { datatype: 'text', onmsg: got.push });
    await waitFor(
      () => {
        if (got.got.length > 0) return true;
        pub.publish('across', '/tls/host');
        return false;
      },
      { timeout: 10_000, interval: 100, what: 'a publish across the wss:// link' },
    );
    await waitFor(() => latest?.nodes.find((n) => n.id === n1!.id)?.clients === 1, {
      timeout: 10_000,
      what: 'the host counting the client over https',
    });
    // The topics view comes over each node's admin WebSocket (wss://, the host's CA).
    await waitFor(() => topics.some((t) => t.name === '/tls/host'), {
      timeout: 10_000,
      what: 'the topic listed through the admin wss://',
    });
    const fleet = await host.call('startFleet', { count: 2, spread: { kind: 'random' } });
    expect(fleet.fleetId).toBeTruthy();
    await waitFor(() => latest?.devices.filter((d) => d.connected).length === 2, {
      timeout: 15_000,
      what: 'two simulated devices connected over https://',
    });
  });
});
