import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { loopbackPair } from '../tls/tlsHelpers.js';

const NODE_BIN = resolve('node_modules/.bin/smq-node');
const DEVICES_BIN = resolve('node_modules/.bin/smq-devices');
const READY = /^smq-node listening on https:\/\/127\.0\.0\.1:(\d+)$/m;
const REFUSED = /cannot connect to \S+: TLS certificate refused: (\w+).* — pass --ca <file>/;

afterEach(() => Child.killAll());

describe('smq-devices against a TLS node without --ca', () => {
  let dir = '';
  const file = (name: string): string => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smq-devices-tls-'));
    const pair = await loopbackPair();
    writeFileSync(file('cert.pem'), pair.cert);
    writeFileSync(file('key.pem'), pair.key);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says once, at the default level, that the certificate was refused and to pass --ca; no "lost" on stop', async () => {
    const node = new Child(process.execPath, [
      NODE_BIN,
      '--port',
      '0',
      '--tls-cert',
      file('cert.pem'),
      '--tls-key',
      file('key.pem'),
    ]);
    const port = Number((await node.line(READY))[1]);
    const fleet = new Child(process.execPath, [
      DEVICES_BIN,
      '--url',
      `https://127.0.0.1:${port}/smq.lsp`,
      '--count',
      '3',
    ]);
    await waitFor(() => REFUSED.test(fleet.stderr) || fleet.exited, {
      timeout: 20_000,
      what: 'the refused certificate on stderr',
    });
    fleet.kill('SIGINT');
    await fleet.waitExit();
    const refusals = [...fleet.stderr.matchAll(new RegExp(REFUSED, 'g'))];
    // Three devices, each retrying: one line for the one reason.
    expect(refusals).toHaveLength(1);
    expect(refusals[0]![1]).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    expect(fleet.stderr + fleet.stdout).not.toMatch(/ lost /);
    expect(fleet.stdout).not.toMatch(/connected to/);
  }, 40_000);
});
