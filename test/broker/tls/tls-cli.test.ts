import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { connected, inbox } from '../client/clients.js';
import { getJson, loopbackPair, type PemPair } from './tlsHelpers.js';

const BIN = resolve('node_modules/.bin/smq-node');
const READY = /^smq-node listening on https:\/\/127\.0\.0\.1:(\d+)$/m;

interface Health {
  tls: boolean;
  cluster: {
    links: { state: string }[];
    dials: { lastFailure?: { reason: string; detail: string } }[];
  };
}

afterEach(() => Child.killAll());

describe('smq-node with --tls-cert and --tls-key', () => {
  let dir = '';
  let pair: PemPair;
  const file = (name: string): string => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smq-node-tls-'));
    pair = await loopbackPair();
    const stranger = await loopbackPair();
    writeFileSync(file('cert.pem'), pair.cert);
    writeFileSync(file('key.pem'), pair.key);
    writeFileSync(file('stranger.pem'), stranger.cert);
    writeFileSync(file('secret'), 'a-long-enough-cluster-secret\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function tlsNode(...args: string[]): Child {
    const tls = ['--tls-cert', file('cert.pem'), '--tls-key', file('key.pem')];
    return new Child(process.execPath, [BIN, '--port', '0', ...tls, ...args]);
  }

  it('starts on https:// and links to a second TLS node over wss:// verified with --tls-ca', async () => {
    const cluster = ['--secret-file', file('secret'), '--tls-ca', file('cert.pem')];
    const a = tlsNode('--name', 'a', ...cluster);
    const portA = Number((await a.line(READY))[1]);
    const b = tlsNode('--name', 'b', ...cluster, '--peer', `wss://127.0.0.1:${portA}`);
    const portB = Number((await b.line(READY))[1]);
    const health = (port: number): Promise<Health> =>
      getJson<Health>(`https://127.0.0.1:${port}/health`, pair.cert);
    expect((await health(portA)).tls).toBe(true);
    await waitFor(async () => (await health(portB)).cluster.links.some((l) => l.state === 'up'), {
      timeout: 10_000,
      what: 'the wss:// link up',
    });
    const sub = await connected(`https://127.0.0.1:${portA}/smq.lsp`, { ca: pair.cert });
    const pub = await connected(`wss://127.0.0.1:${portB}/smq.lsp`, { ca: pair.cert });
    const got = inbox<string>();
    await sub.subscribe('/tls/cli', { datatype: 'text', onmsg: got.push });
    // Interest crosses the link asynchronously: publish until one arrives, then expect no more than sent.
    let sent = 0;
    await waitFor(
      () => {
        if (got.got.length > 0) return true;
        pub.publish(`m${++sent}`, '/tls/cli');
        return false;
      },
      { timeout: 10_000, interval: 100, what: 'a publish across the wss:// link' },
    );
    expect(got.got[0]).toMatch(/^m\d+$/);
  });

  it('shows a link refused by --tls-ca as TlsVerifyFailed in /health', async () => {
    const a = tlsNode('--name', 'a', '--secret-file', file('secret'));
    const portA = Number((await a.line(READY))[1]);
    const b = tlsNode(
      '--name',
      'b',
      '--secret-file',
      file('secret'),
      '--tls-ca',
      file('stranger.pem'),
      '--peer',
      `wss://127.0.0.1:${portA}`,
    );
    const portB = Number((await b.line(READY))[1]);
    const failure = await waitFor(
      async () =>
        (await getJson<Health>(`https://127.0.0.1:${portB}/health`, pair.cert)).cluster.dials[0]?.lastFailure,
      { timeout: 10_000, what: 'a failed dial in /health' },
    );
    expect(failure).toEqual({
      reason: 'TlsVerifyFailed',
      detail: 'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate',
    });
    await waitFor(() => /cluster link failed.*TlsVerifyFailed/.test(b.stderr + b.stdout), {
      what: 'the failure in the log',
    });
  });

  it('refuses --tls-cert without --tls-key, and an unreadable file, in one line with exit 2', async () => {
    const lonely = new Child(process.execPath, [BIN, '--port', '0', '--tls-cert', file('cert.pem')]);
    await lonely.waitExit();
    expect(lonely.exitCode).toBe(2);
    expect(lonely.stderr).toBe('smq-node: --tls-cert and --tls-key go together\n');
    const missing = new Child(process.execPath, [
      BIN,
      '--port',
      '0',
      '--tls-cert',
      file('nope.pem'),
      '--tls-key',
      file('key.pem'),
    ]);
    await missing.waitExit();
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^smq-node: cannot read --tls-cert .*nope\.pem: ENOENT/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
