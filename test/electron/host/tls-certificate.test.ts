import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useControlHost } from '../helpers/controlHost.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * The certificate panel's host side: a name added to the certificate is in its SAN, and once the
 * node that served the old one restarts (certificateStatus says which do), a client that dials the
 * node by that name and verifies it with the local CA gets in. A real smq-node; the name resolves
 * to 127.0.0.1 through the client's own lookup, as a device's DNS would.
 */

const NAME = 'smq-cc.test';

const h = useControlHost('smq-cc-cert-');

/** Resolves every name to 127.0.0.1: the node is dialled by NAME, verified against NAME. */
const toLoopback: LookupFunction = (_name, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/** GET /health from the node by NAME, verifying its certificate with `ca`: `tls` from the body. */
function healthByName(port: number, ca: string): Promise<{ tls: boolean }> {
  return new Promise((resolve, reject) => {
    https
      .get(`https://${NAME}:${port}/health`, { ca, lookup: toLoopback, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body) as { tls: boolean }));
      })
      .on('error', reject);
  });
}

describe('a host name added to the local TLS certificate', () => {
  it('is in the new SAN; the running node serves the old one until restarted, then clients reach it by that name', async () => {
    await h.host.call('createCluster', { nodes: 1, tls: true });
    const port = (await h.host.call('snapshot', {})).nodes[0]!.port;
    const ca = readFileSync(path.join(h.dataDir, 'tls', 'ca.pem'), 'utf8');

    // Negative control: the certificate the cluster was made with does not name it.
    await expect(healthByName(port, ca)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const before = await h.host.call('certificateStatus', {});
    const made = before.certificate!;
    expect(before.nodes).toEqual([{ nodeId: 'n1', fingerprint256: made.fingerprint256, current: true }]);
    expect(made.caNotAfterMs).toBeGreaterThan(made.notAfterMs);

    const view = await h.host.call('generateCertificate', { hosts: [' SMQ-CC.test '] });
    expect(view.hosts).toEqual(['127.0.0.1', 'localhost', NAME]);
    expect(new X509Certificate(readFileSync(view.certFile)).checkHost(NAME)).toBe(NAME);
    expect(view.fingerprint256).not.toBe(made.fingerprint256);

    // Nodes read their certificate at start: n1 still serves the old one, and says so.
    const stale = await h.host.call('certificateStatus', {});
    expect(stale.certificate?.fingerprint256).toBe(view.fingerprint256);
    expect(stale.nodes).toEqual([{ nodeId: 'n1', fingerprint256: made.fingerprint256, current: false }]);
    await expect(healthByName(port, ca)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });

    await h.host.call('restartNode', { nodeId: 'n1' });
    const after = await h.host.call('certificateStatus', {});
    expect(after.nodes).toEqual([{ nodeId: 'n1', fingerprint256: view.fingerprint256, current: true }]);
    expect((await healthByName(port, ca)).tls).toBe(true);
    await waitFor(() => h.latest?.nodes[0]?.state === 'up' && h.latest.nodes[0].lastError === null, {
      timeout: 10_000,
      what: 'n1 read by the host after its restart',
    });
  }, 60_000);

  it('refuses what is neither a name nor an address of this machine, with BadArguments', async () => {
    for (const bad of ['bad_name!', '10.1.2', '-smq.test', '203.0.113.9', ''])
      await expect(h.host.call('generateCertificate', { hosts: [bad] })).rejects.toMatchObject({
        code: 'BadArguments',
      });
  });

  it('reports no certificate before one is made: a status query writes no CA or key', async () => {
    expect(await h.host.call('certificateStatus', {})).toEqual({ certificate: null, nodes: [] });
    expect(existsSync(path.join(h.dataDir, 'tls'))).toBe(false);
    const made = await h.host.call('generateCertificate', {});
    const status = await h.host.call('certificateStatus', {});
    expect(status).toEqual({ certificate: made, nodes: [] });
    expect(made.hosts).toEqual(['127.0.0.1', 'localhost']);
  });
});
