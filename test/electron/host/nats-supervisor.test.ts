import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NatsServerView } from '../../../contract/hostContract.js';
import { findNatsServer, NatsServerProcess } from '../../../electron/host/control/NatsServerProcess.js';
import { NatsSupervisor, type NatsSupervision } from '../../../electron/host/control/NatsSupervisor.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * The host keeps its local nats-server up: against the real binary, a killed server comes back on
 * its port, one whose port another program took moves to a free one (typed PortInUse on the way),
 * and one that cannot start (a binary that exits at once) ends in a typed failed state after the
 * allowed quick restarts, as does one whose folder cannot be written. A stop() while a restart
 * writes its files (no process yet) still stops the server that restart starts.
 */

const BIN = findNatsServer();
const supervisors: NatsSupervisor[] = [];
const holders: Server[] = [];
let dir: string;

function supervised(o: NatsSupervision, bin = BIN!): { sup: NatsSupervisor; views: NatsServerView[] } {
  dir = mkdtempSync(path.join(tmpdir(), 'smq-cc-nats-sup-'));
  const server = new NatsServerProcess({ bin, dir, execPath: process.execPath, log: () => {} });
  const sup = new NatsSupervisor(server, () => {}, o);
  const views: NatsServerView[] = [];
  sup.on('state', () => views.push(sup.view()));
  supervisors.push(sup);
  return { sup, views };
}

/** Binds `port` on loopback: what another program taking nats-server's port does. */
async function hold(port: number): Promise<void> {
  const s = createServer((socket) => socket.destroy());
  holders.push(s);
  await new Promise<void>((resolve, reject) => s.once('error', reject).listen(port, '127.0.0.1', resolve));
}

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  await Promise.all(holders.splice(0).map((s) => new Promise((r) => s.close(r))));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!BIN)('NatsSupervisor (real nats-server)', () => {
  it('starts a killed nats-server again on the same port, showing restarting then up', async () => {
    const { sup, views } = supervised({ maxRestarts: 3, stableMs: 10_000, backoffMs: [100, 1000] });
    await sup.start();
    const { port, pid } = sup.server;
    process.kill(pid!, 'SIGKILL');
    await waitFor(() => sup.view().state === 'up' && sup.server.pid !== pid, {
      timeout: 20_000,
      what: 'nats-server back up',
    });
    expect(sup.server.port).toBe(port);
    const restarting = views.find((v) => v.state === 'restarting')!;
    expect(restarting).toMatchObject({
      restart: { attempt: 1, max: 3 },
      lastExit: { code: null, signal: 'SIGKILL' },
      lastError: { code: 'NatsCrashed' },
    });
    expect(sup.view()).toMatchObject({ state: 'up', restart: null, lastError: null });
  }, 60_000);

  it('says PortInUse when its port is taken, and moves to a free port', async () => {
    const { sup, views } = supervised({ maxRestarts: 3, stableMs: 10_000, backoffMs: [500, 1000] });
    await sup.start();
    const { port } = sup.server;
    const moved: string[] = [];
    sup.on('moved', (url) => moved.push(url));
    // Another program takes the port between the crash and the restart.
    const taken = new Promise<void>((resolve, reject) =>
      sup.once('state', () => void hold(port).then(resolve, reject)),
    );
    process.kill(sup.server.pid!, 'SIGKILL');
    await taken;
    await waitFor(() => moved.length > 0, { timeout: 30_000, what: 'the server moved' });
    const portInUse = views.find((v) => v.state === 'restarting' && v.lastError?.code === 'PortInUse')!;
    expect(portInUse).toMatchObject({
      restart: { attempt: 2, max: 3 },
      lastExit: { code: 1, signal: null },
      lastError: { message: `port ${port} is taken by another program` },
    });
    expect(sup.server.port).not.toBe(port);
    expect(moved).toEqual([`nats://127.0.0.1:${sup.server.port}`]);
    expect(sup.view()).toMatchObject({ state: 'up', url: moved[0], restart: null, lastError: null });
  }, 60_000);

  it('gives up on a nats-server that exits at once after each restart', async () => {
    // A stand-in binary: the real server until told to fail, then one that exits at once.
    const wrapperDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-nats-bin-'));
    const flag = path.join(wrapperDir, 'broken');
    const wrapper = path.join(wrapperDir, 'nats-server');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nif [ -e ${flag} ]; then echo "[FTL] broken install" >&2; exit 3; fi\nexec ${BIN} "$@"\n`,
      { mode: 0o755 },
    );
    try {
      const { sup, views } = supervised({ maxRestarts: 3, stableMs: 10_000, backoffMs: [50, 200] }, wrapper);
      await sup.start();
      writeFileSync(flag, '');
      process.kill(sup.server.pid!, 'SIGKILL');
      await waitFor(() => sup.view().state === 'failed', { timeout: 30_000, what: 'the supervisor gave up' });
      expect(views.filter((v) => v.state === 'restarting').map((v) => v.restart!.attempt)).toEqual(
        expect.arrayContaining([1, 2, 3]),
      );
      expect(sup.view()).toMatchObject({
        state: 'failed',
        restart: { attempt: 3, max: 3 },
        lastExit: { code: 3, signal: null },
        lastError: { code: 'NatsGaveUp' },
      });
      expect(sup.view().lastError!.message).toMatch(
        /gave up after 3 quick restarts: exited with code 3: .*broken install/,
      );
    } finally {
      rmSync(wrapperDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('counts a restart that fails before nats-server runs (its folder cannot be written)', async () => {
    const { sup, views } = supervised({ maxRestarts: 3, stableMs: 10_000, backoffMs: [50, 200] });
    await sup.start();
    // A file where its folder was: each restart fails in its setup, before there is a process.
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, '');
    process.kill(sup.server.pid!, 'SIGKILL');
    await waitFor(() => sup.view().state === 'failed', { timeout: 30_000, what: 'the supervisor gave up' });
    const setupFailures = views.filter(
      (v) => v.state === 'restarting' && v.lastError?.message.startsWith('cannot write its files'),
    );
    expect(setupFailures.map((v) => v.restart!.attempt)).toEqual(expect.arrayContaining([2, 3]));
    expect(sup.view()).toMatchObject({ state: 'failed', restart: { attempt: 3, max: 3 } });
    expect(sup.view().lastError!.message).toMatch(/gave up after 3 quick restarts: cannot write its files: /);
  }, 60_000);

  it('stops the server a restart starts when stop() comes during its setup', async () => {
    const { sup } = supervised({ maxRestarts: 3, stableMs: 10_000, backoffMs: [50, 200] });
    await sup.start();
    const server = sup.server;
    const pids: number[] = [];
    server.on('state', () => void (server.pid && pids.push(server.pid)));
    // stop() the moment the restart calls start(): it is writing its files, there is no process yet.
    const start = server.start.bind(server);
    let stopped: Promise<void> | undefined;
    server.start = () => {
      const started = start();
      stopped = sup.stop();
      return started;
    };
    process.kill(server.pid!, 'SIGKILL');
    await waitFor(() => stopped !== undefined, { timeout: 20_000, what: 'the restart' });
    await stopped;
    expect(server.state).toBe('stopped');
    expect(pids.length).toBeGreaterThan(1);
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
