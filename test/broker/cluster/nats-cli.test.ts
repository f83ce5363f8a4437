import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN, spawnNode } from '../../helpers/nodeProcess.js';
import { startNatsServer } from '../../helpers/natsServer.js';
import { waitFor } from '../../helpers/waitFor.js';
import type { NatsBackplaneInfo } from '../../../broker/src/cluster/nats/NatsBackplane.js';

const dir = mkdtempSync(join(tmpdir(), 'smq-nats-cli-'));
afterEach(() => Child.killAll());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('smq-node --nats', () => {
  it('refuses --nats with --peer, and --help says they are exclusive', async () => {
    const both = new Child(process.execPath, [
      SMQ_NODE_BIN,
      '--nats',
      'nats://127.0.0.1:1',
      '--peer',
      'ws://127.0.0.1:1',
    ]);
    await both.waitExit();
    expect(both.exitCode).not.toBe(0);
    expect(both.stderr).toMatch(/'--nats <urls>' cannot be used with option '--peer <url>'/);
    const help = new Child(process.execPath, [SMQ_NODE_BIN, '--help']);
    await help.waitExit();
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      '(exclusive with --peer: a node runs over NATS or over peer links)',
    );
  });

  it('joins with a user and a password file, and shows NATS state under cluster in /health', async () => {
    const server = await startNatsServer({ user: 'smq', pass: 'from-a-file' });
    const passFile = join(dir, 'pass');
    writeFileSync(passFile, 'from-a-file\n');
    const args = [
      '--nats',
      `${server.url},nats://127.0.0.1:1`,
      '--cluster',
      'cli',
      '--nats-user',
      'smq',
      '--nats-pass-file',
      passFile,
    ];
    const a = await spawnNode('a', args);
    await spawnNode('b', args);
    const nats = await waitFor(
      async () => {
        const h = (await (await fetch(`http://127.0.0.1:${a.port}/health`)).json()) as {
          cluster: { transport: string; nats: NatsBackplaneInfo };
        };
        return h.cluster.nats.peers.length === 1 ? h.cluster : undefined;
      },
      { what: 'b seen by a' },
    );
    expect(nats.transport).toBe('nats');
    expect(nats.nats).toMatchObject({ state: 'connected', cluster: 'cli', reconnects: 0, pendingBytes: 0 });
    expect(nats.nats.server).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(nats.nats.peers[0]).toMatchObject({ name: 'b', awaitingSnapshot: false });
  });
});
