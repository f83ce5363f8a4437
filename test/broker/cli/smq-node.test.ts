import net from 'node:net';
import { existsSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { connectPeer, create, createsub, subscribe } from '../../helpers/session.js';

const BIN = resolve('node_modules/.bin/smq-node');
const READY = /^smq-node listening on http:\/\/127\.0\.0\.1:(\d+)$/m;

afterEach(() => Child.killAll());

function smqNode(...args: string[]): Child {
  return new Child(process.execPath, [BIN, ...args]);
}

async function portFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((res) => {
    server.once('error', () => res(false));
    server.listen(port, '127.0.0.1', () => server.close(() => res(true)));
  });
}

describe('smq-node command', () => {
  it('is linked in node_modules/.bin after npm ci, to the committed plain-JS bin', () => {
    expect(existsSync(BIN)).toBe(true);
    expect(readlinkSync(BIN)).toContain('broker/bin/smq-node.js');
    expect(realpathSync(BIN)).toBe(resolve('broker/bin/smq-node.js'));
  });

  it('prints one ready line on 127.0.0.1 and serves SMQ; SIGKILL of its PID frees the port', async () => {
    const c = smqNode('--port', '0');
    const port = Number((await c.line(READY))[1]);
    expect(c.stdout.trim().split('\n')).toHaveLength(1);
    const client = await connectPeer(port, 'raw');
    expect(await subscribe(client.peer, 'x')).toBeGreaterThanOrEqual(2);
    c.kill('SIGKILL');
    await c.waitExit();
    await client.peer.waitClosed();
    expect(await portFree(port)).toBe(true);
  });

  it('pre-creates fixed TIDs from --topic and applies a config file, flags winning', async () => {
    const config = join(tmpdir(), `smq-node-${process.pid}.json`);
    writeFileSync(config, JSON.stringify({ port: 1, name: 'from-file', topic: { '/m2m/temp': 3 } }));
    const c = smqNode('--config', config, '--port', '0', '--topic', '/m2m/led/device=2');
    const port = Number((await c.line(READY))[1]);
    const client = await connectPeer(port, 'ws');
    expect(await subscribe(client.peer, '/m2m/led/device')).toBe(2);
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { name: string };
    expect(health.name).toBe('from-file');
  });

  it('caps the topic and sub-topic tables with --max-topics and --max-subtopics', async () => {
    const c = smqNode('--port', '0', '--max-topics', '1', '--max-subtopics', '1');
    const port = Number((await c.line(READY))[1]);
    const client = await connectPeer(port, 'raw');
    expect(await create(client.peer, '/a')).toBeGreaterThan(0);
    expect(await create(client.peer, '/b')).toBe(0);
    expect(await createsub(client.peer, 'x')).toBeGreaterThan(0);
    expect(await createsub(client.peer, 'y')).toBe(0);
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
      denials: Record<string, number>;
    };
    expect(health.denials).toMatchObject({ topicLimit: 1, subtopicLimit: 1 });
  });

  it('closes sessions without Disconnect and exits 0 on SIGTERM', async () => {
    const c = smqNode('--port', '0');
    const port = Number((await c.line(READY))[1]);
    const client = await connectPeer(port, 'raw');
    c.kill('SIGTERM');
    await c.waitExit();
    expect(c.exitCode).toBe(0);
    await client.peer.waitClosed();
    expect(client.peer.pending()).toEqual([]);
  });

  it('documents its flags in --help', async () => {
    const c = smqNode('--help');
    await c.waitExit();
    expect(c.exitCode).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--topic',
      '--password',
      '--auth-key',
      '--max-sessions',
      '--config',
      '--allow-origin',
      '--max-topics',
      '--max-subtopics',
    ]) {
      expect(c.stdout).toContain(flag);
    }
  });

  it('rejects a bad flag value with a clear one-line error and a non-zero exit', async () => {
    const c = smqNode('--port', 'eighty');
    await c.waitExit();
    expect(c.exitCode).not.toBe(0);
    expect(c.stderr).toMatch(/--port.*integer/);
  });

  it('reports a port in use in one line and exits 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const c = smqNode('--port', String(port));
    await c.waitExit();
    blocker.close();
    expect(c.exitCode).toBe(1);
    expect(c.stderr.trim().split('\n')).toHaveLength(1);
    expect(c.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
  });

  it('reads the cluster secret from --secret-file and warns about a short one', async () => {
    const file = join(tmpdir(), `smq-secret-${process.pid}`);
    writeFileSync(file, 'a-long-enough-cluster-secret\n');
    const good = smqNode('--port', '0', '--secret-file', file);
    const port = Number((await good.line(READY))[1]);
    const h = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { cluster?: unknown };
    expect(h.cluster).toBeDefined();
    expect(good.stderr).not.toMatch(/secret of/);
    const short = smqNode('--port', '0', '--secret', 'short');
    await short.line(READY);
    await waitFor(() => /cluster secret of 5 characters/.test(short.stderr), {
      what: 'the short-secret warning',
    });
  });
});
