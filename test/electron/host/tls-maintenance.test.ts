import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeView } from '../../../contract/hostContract.js';
import { hostAddresses } from '../../../electron/host/control/hostAddresses.js';
import { generateSelfSigned } from '../../../electron/host/control/SelfSignedCert.js';
import { useControlHost } from '../helpers/controlHost.js';
import { waitFor } from '../../helpers/waitFor.js';
import { getJson } from '../../broker/tls/tlsHelpers.js';

/*
 * A running TLS cluster stays readable through certificate changes: one local CA signs every server
 * certificate the host makes, a bind reissues the certificate for the new address, and a node the
 * host cannot read says so (lastError) instead of looking healthy.
 */

const h = useControlHost('smq-cc-tlsm-');

const node = (id: string): NodeView | undefined => h.latest?.nodes.find((n) => n.id === id);
const tlsFile = (name: string): string => path.join(h.dataDir, 'tls', name);

async function linkUp(): Promise<void> {
  await waitFor(() => h.latest?.links.length === 1 && h.latest.links[0]!.state === 'up', {
    timeout: 20_000,
    what: 'the n1–n2 link up',
  });
}

describe('certificates of a running TLS cluster', () => {
  it('a new certificate is signed by the same CA: a restarted node relinks and the host still reads it', async () => {
    await h.host.call('createCluster', { nodes: 2, tls: true });
    await linkUp();
    const ca = readFileSync(tlsFile('ca.pem'), 'utf8');
    const before = readFileSync(tlsFile('cert.pem'), 'utf8');
    const view = await h.host.call('generateCertificate', {});
    expect(view.caFile).toBe(tlsFile('ca.pem'));
    expect(readFileSync(tlsFile('cert.pem'), 'utf8')).not.toBe(before);
    expect(readFileSync(tlsFile('ca.pem'), 'utf8')).toBe(ca);
    await h.host.call('restartNode', { nodeId: 'n2' });
    await linkUp();
    expect(await h.host.call('listClients', { nodeId: 'n2' })).toEqual([]);
    await waitFor(() => node('n2')?.state === 'up' && node('n2')?.clients === 0 && node('n2'), {
      timeout: 10_000,
      what: 'n2 read by the host',
    });
    expect(node('n2')!.lastError).toBeNull();
  });

  it('a node whose certificate the host refuses shows TlsVerifyFailed, cleared once it is read again', async () => {
    await h.host.call('createCluster', { nodes: 1, tls: true });
    // A certificate from another CA, as if someone replaced the files by hand.
    const foreign = await generateSelfSigned(['127.0.0.1', 'localhost']);
    writeFileSync(tlsFile('key.pem'), foreign.key);
    writeFileSync(tlsFile('cert.pem'), foreign.cert);
    await h.host.call('restartNode', { nodeId: 'n1' });
    const refused = await waitFor(() => node('n1')?.lastError?.code === 'TlsVerifyFailed' && node('n1'), {
      timeout: 10_000,
      what: 'n1 lastError TlsVerifyFailed',
    });
    expect(refused.state).toBe('up');
    await expect(h.host.call('listClients', { nodeId: 'n1' })).rejects.toMatchObject({
      code: 'TlsVerifyFailed',
    });
    await h.host.call('generateCertificate', {});
    await h.host.call('restartNode', { nodeId: 'n1' });
    await waitFor(() => node('n1')?.state === 'up' && node('n1')?.lastError === null, {
      timeout: 10_000,
      what: 'n1 read again, lastError cleared',
    });
  });

  it('a node that stops answering shows NodeUnreachable, cleared when it answers again', async () => {
    await h.host.call('createCluster', { nodes: 1 });
    const pid = (await h.host.call('snapshot', {})).nodes[0]!.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      await waitFor(() => node('n1')?.lastError?.code === 'NodeUnreachable', {
        timeout: 15_000,
        what: 'n1 lastError NodeUnreachable',
      });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor(() => node('n1')?.lastError === null, { timeout: 15_000, what: 'lastError cleared' });
  });

  it('binding a TLS node to a LAN address reissues the certificate for it: the host and clients verify it', async (ctx) => {
    const lan = hostAddresses().find((a) => !a.internal && a.family === 'IPv4')?.address;
    if (!lan) {
      console.log('skipped: this machine has no non-loopback IPv4 address (ip addr shows only lo)');
      ctx.skip();
      return;
    }
    await h.host.call('createCluster', { nodes: 2, tls: true });
    await linkUp();
    await h.host.call('bindNode', { nodeId: 'n2', host: lan });
    const ca = readFileSync(tlsFile('ca.pem'), 'utf8');
    const n2 = (await h.host.call('snapshot', {})).nodes.find((n) => n.id === 'n2')!;
    expect(n2.rawUrl).toBe(`https://${lan}:${n2.port}/smq.lsp`);
    const health = await getJson<{ tls: boolean }>(`https://${lan}:${n2.port}/health`, ca);
    expect(health.tls).toBe(true);
    await linkUp();
    await waitFor(() => node('n2')?.state === 'up' && node('n2')?.lastError === null, {
      timeout: 10_000,
      what: 'n2 read by the host on its LAN address',
    });
    expect(await h.host.call('listClients', { nodeId: 'n2' })).toEqual([]);
  });
});
