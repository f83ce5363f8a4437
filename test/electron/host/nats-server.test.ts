import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  findNatsServer,
  natsAvailability,
  NatsServerProcess,
  spawnWithLifeline,
} from '../../../electron/host/control/NatsServerProcess.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * The host's local nats-server against the real binary: it listens on the port its ports file
 * names, refuses clients without the token it generated, and leaves no process behind.
 */

const BIN = findNatsServer();
const running: NatsServerProcess[] = [];
/** Processes a failing test may leave: killed by pid in teardown. */
const leftovers: number[] = [];
let dir: string;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function server(): NatsServerProcess {
  dir = mkdtempSync(path.join(tmpdir(), 'smq-cc-nats-'));
  const s = new NatsServerProcess({ bin: BIN!, dir, execPath: process.execPath, log: () => {} });
  running.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!BIN)('NatsServerProcess (real nats-server)', () => {
  it('starts on loopback on the port its ports file names, with a 0600 token file', async () => {
    const s = server();
    await s.start();
    expect(s.state).toBe('up');
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`nats://127.0.0.1:${s.port}`);
    expect(alive(s.pid!)).toBe(true);
    expect(statSync(s.tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'nats-server.conf')).mode & 0o777).toBe(0o600);
    expect(s).toMatchObject({ lastError: null, lastExit: null });
  });

  it('refuses a client without the token and takes one with it', async () => {
    const s = server();
    await s.start();
    await expect(connect({ servers: s.url, reconnect: false })).rejects.toThrow(/authorization/i);
    await expect(connect({ servers: s.url, token: 'wrong', reconnect: false })).rejects.toThrow(
      /authorization/i,
    );
    const token = readFileSync(s.tokenFile, 'utf8').trim();
    const nc = await connect({ servers: s.url, token, reconnect: false });
    await nc.flush();
    await nc.close();
  });

  it('stops without leaving nats-server behind, and restarts on the same port', async () => {
    const s = server();
    await s.start();
    const { pid, port } = s;
    await s.stop();
    expect(s.state).toBe('stopped');
    expect(alive(pid!)).toBe(false);
    await s.start();
    expect(s.port).toBe(port);
    expect(s.pid).not.toBe(pid);
  });

  it('tells a killed nats-server crashed, with how it ended', async () => {
    const s = server();
    await s.start();
    process.kill(s.pid!, 'SIGKILL');
    await waitFor(() => s.state === 'crashed', { timeout: 10_000, what: 'the server crashed' });
    expect(s).toMatchObject({ pid: null, lastExit: { code: null, signal: 'SIGKILL' } });
    expect(s.lastError?.code).toBe('NatsCrashed');
    expect(s.lastError?.message).toMatch(/SIGKILL/);
  });
});

describe.skipIf(!BIN)('the lifeline', () => {
  it('kills nats-server when the host’s end of stdin closes (the host died)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'smq-cc-nats-'));
    const child = spawnWithLifeline(process.execPath, BIN!, [
      '-a',
      '127.0.0.1',
      '-p',
      '-1',
      '-l',
      path.join(dir, 'log'),
    ]);
    leftovers.push(child.pid!);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)));
    // nats-server logs to its log file here; its pid is in its "Starting" line there.
    const pid = await waitFor(
      () => {
        try {
          return Number(/\[(\d+)\]/.exec(readFileSync(path.join(dir, 'log'), 'utf8'))?.[1]) || undefined;
        } catch {
          return undefined;
        }
      },
      { timeout: 10_000, what: `nats-server's pid in its log (${stderr})` },
    );
    leftovers.push(pid);
    expect(alive(pid)).toBe(true);
    child.stdin!.end();
    expect(await exited).toBe('SIGKILL');
    await waitFor(() => !alive(pid), { timeout: 5000, what: 'nats-server gone' });
  });
});

describe('natsAvailability', () => {
  it('says why NATS is off when nats-server is not found', () => {
    expect(natsAvailability(undefined)).toEqual({
      installed: false,
      path: null,
      reason: 'nats-server is not installed',
    });
    expect(findNatsServer('/nonexistent')).toBe(BIN);
  });
});
