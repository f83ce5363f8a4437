import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';
import { client, connected, inbox, track } from './clients.js';

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.log('skipping TLS client tests: no openssl to make a test certificate');
    return false;
  }
}

/** A TLS terminator in front of a node, as a reverse proxy would stand in front of a broker. */
describe.runIf(haveOpenssl())('https:// (raw TCP over TLS) and wss://', () => {
  let dir = '';
  let cert = '';
  let key = '';
  const proxies: tls.Server[] = [];
  const sockets = new Set<net.Socket>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smq-client-tls-'));
    execFileSync(
      'openssl',
      // prettier-ignore
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
       '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
       '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const p of proxies) await new Promise((r) => p.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  async function terminate(port: number): Promise<number> {
    const proxy = tls.createServer({ key, cert }, (secure) => {
      const plain = net.connect(port, '127.0.0.1');
      for (const s of [secure, plain]) {
        sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => sockets.delete(s));
      }
      secure.pipe(plain).pipe(secure);
    });
    proxies.push(proxy);
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    return (proxy.address() as net.AddressInfo).port;
  }

  it('talks SMQ over https:// and wss:// with the CA given, one client each, through one TLS port', async () => {
    const n = track(await startNode());
    const port = await terminate(n.port);
    const raw = await connected(`https://127.0.0.1:${port}/smq.lsp`, { tls: { ca: cert } });
    const ws = await connected(`wss://127.0.0.1:${port}/smq.lsp`, { ws: { ca: cert } });
    const got = inbox<string>();
    await raw.subscribe('self', { datatype: 'text', onmsg: got.push });
    ws.publish('over TLS', raw.gettid());
    await waitFor(() => got.got.length === 1);
    expect(got.got).toEqual(['over TLS']);
    expect(
      n.node
        .sessions()
        .map((s) => s.transport)
        .sort(),
    ).toEqual(['raw', 'ws']);
  });

  it('refuses a certificate it cannot verify (negative control: no CA given)', async () => {
    const n = track(await startNode());
    const port = await terminate(n.port);
    const c = client(`https://127.0.0.1:${port}/smq.lsp`);
    const errors = inbox<string>();
    c.onconnecterror = (_url, reason) => errors.push(reason);
    await waitFor(() => errors.got.length >= 1);
    expect(errors.got[0]).toMatch(/self[- ]signed/i);
    expect(c.connected).toBe(false);
  });
});
