import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, HostEvent, TapRow } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import type { HostConnection } from '../../../electron/host/control/HostConnection.js';
import { CertificateStore } from '../../../electron/host/control/SelfSignedCert.js';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { ADMIN_TOKEN, spawnRemote, type RemoteNode } from '../helpers/remoteNodes.js';

/*
 * Attaching to smq-node processes someone runs with TLS on a private CA (finding: the host could
 * only reach them when started with NODE_EXTRA_CA_CERTS). The CA here is the test's own, made in a
 * folder the host under test never sees, so only the CA file given to attachCluster can make it trust them.
 */

let certDir: string;
let caFile: string;
let remote: RemoteNode[];
let dataDir: string;
let host: ControlHost;
/** One UI's connection: the tap is per connection. */
let ui: HostConnection;
let latest: ClusterSnapshot | undefined;
const rows: TapRow[] = [];

beforeAll(async () => {
  certDir = mkdtempSync(path.join(tmpdir(), 'smq-remote-ca-'));
  const store = new CertificateStore(certDir);
  const cert = await store.generate(['127.0.0.2', '127.0.0.3']);
  caFile = cert.caFile;
  const tls = { certFile: cert.certFile, keyFile: cert.keyFile, caFile };
  const first = await spawnRemote('t1', '127.0.0.2', { tls });
  const second = await spawnRemote('t2', '127.0.0.3', { tls, peers: [`wss://127.0.0.2:${first.port}`] });
  remote = [first, second];
}, 60_000);

afterAll(() => {
  Child.killAll();
  rmSync(certDir, { recursive: true, force: true });
});

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-remote-tls-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  latest = undefined;
  rows.length = 0;
  ui = host.connect();
  ui.subscribe((e: HostEvent) => {
    if (e.stream === 'cluster') latest = e.snapshot;
    if (e.stream === 'tap') rows.push(...e.batch.rows);
  });
});

afterEach(async () => {
  ui.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const urls = (): string[] => remote.map((n) => n.origin);

describe('attaching to TLS nodes signed by a private CA', () => {
  it('refuses without the CA, saying the certificate was refused and what to give', async () => {
    expect(remote[0]!.origin).toMatch(/^https:/);
    const err = await host.call('attachCluster', { urls: urls(), adminToken: ADMIN_TOKEN }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err?.code).toBe('TlsVerifyFailed');
    expect(err?.message).toContain(`${remote[0]!.origin} presented a certificate the host refused`);
    expect(err?.message).toContain('CA file');
    expect(err?.message).not.toContain('/health');
    expect((await host.call('snapshot', {})).exists).toBe(false);
  });

  it('with the CA file: nodes up and linked, a fleet connects, its clients are listed, its publishes tapped', async () => {
    const snapshot = await host.call('attachCluster', { urls: urls(), adminToken: ADMIN_TOKEN, caFile });
    expect(snapshot.nodes.map((n) => [n.id, n.state])).toEqual([
      ['t1', 'up'],
      ['t2', 'up'],
    ]);
    expect(snapshot.tls).toBe(true);
    expect(snapshot.caFile).toBe(caFile);
    await waitFor(() => latest?.links.filter((l) => l.state === 'up').length === 1, {
      timeout: 20_000,
      what: 't1 ↔ t2 up as the nodes report it',
    });
    await host.call('startFleet', { count: 2, namePrefix: 'TLS', spread: { kind: 'random' } });
    await waitFor(() => latest?.devices.filter((d) => d.connected).length === 2, {
      timeout: 30_000,
      what: 'both devices connected over wss with the CA',
    });
    const listed = await waitFor(
      async () => {
        const all = [
          ...(await host.call('listClients', { nodeId: 't1' })),
          ...(await host.call('listClients', { nodeId: 't2' })),
        ];
        return all.filter((c) => c.info.includes('TLS')).length === 2 ? all : undefined;
      },
      { timeout: 20_000, what: 'the devices in the nodes’ client lists' },
    );
    expect(listed.length).toBeGreaterThanOrEqual(2);
    await ui.call('watchTap', { filter: {} });
    await waitFor(() => rows.some((r) => r.kind === 'publish'), {
      timeout: 30_000,
      what: 'a device publish tapped over the admin socket',
    });
  });

  it('keeps the CA in the saved profile (the certificate, never a key) and uses it on restore', async () => {
    const withKey = path.join(certDir, 'ca-and-key.pem');
    writeFileSync(
      withKey,
      readFileSync(caFile, 'utf8') + readFileSync(path.join(certDir, 'ca-key.pem'), 'utf8'),
    );
    await host.call('attachCluster', {
      urls: urls(),
      adminToken: ADMIN_TOKEN,
      caFile: withKey,
      profile: 'lab',
    });
    const saved = readFileSync(path.join(dataDir, 'profiles', 'lab.json'), 'utf8');
    expect(saved).toContain('BEGIN CERTIFICATE');
    expect(saved).not.toContain('PRIVATE KEY');
    await host.close();
    host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, pollMs: 200, log: () => {} });
    await host.restored;
    await waitFor(
      async () => (await host.call('snapshot', {})).nodes.filter((n) => n.state === 'up').length === 2,
      { timeout: 20_000, what: 'the restored remote cluster up with its CA' },
    );
  });

  it('refuses a CA file that holds no certificate', async () => {
    const notPem = path.join(certDir, 'not-a-ca.txt');
    writeFileSync(notPem, 'hello');
    await expect(
      host.call('attachCluster', { urls: urls(), adminToken: ADMIN_TOKEN, caFile: notPem }),
    ).rejects.toMatchObject({ code: 'BadArguments' });
    await expect(
      host.call('attachCluster', {
        urls: urls(),
        adminToken: ADMIN_TOKEN,
        caFile: path.join(certDir, 'none.pem'),
      }),
    ).rejects.toMatchObject({ code: 'BadArguments' });
  });
});
