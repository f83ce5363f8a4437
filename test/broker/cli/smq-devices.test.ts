import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Child } from '../../helpers/ChildProcess.js';
import { spawnNode } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';
import { change, connectPeer, observe } from '../../helpers/session.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { connect } from '../../../broker/src/client/node.js';
import { seededHash } from '../../../broker/src/node/auth.js';
import { DisplayModel } from '../../../broker/src/devices/DisplayModel.js';
import type { FleetEvent } from '../../../broker/src/devices/DeviceFleet.js';

const BIN = resolve('node_modules/.bin/smq-devices');
const CONNECTED = /^(DEV-\d+) connected to (\S+) etid 0x([0-9a-f]{8}) uid (02(?::[0-9a-f]{2}){5})$/gm;

const displays: DisplayModel[] = [];
afterEach(async () => {
  for (const d of displays.splice(0)) d.close();
  await Child.killAll();
});

function smqDevices(...args: string[]): Child {
  return new Child(process.execPath, [BIN, ...args]);
}

function displayOn(port: number, password?: string): DisplayModel {
  const credentials = password === undefined ? undefined : (seed: number) => seededHash(password, seed);
  const d = new DisplayModel(() => connect(`ws://127.0.0.1:${port}/smq.lsp`, { credentials }), {
    helloDebounceMs: 200,
  });
  displays.push(d);
  return d;
}

describe('smq-devices command', () => {
  it('is linked in node_modules/.bin to the committed plain-JS bin, and documents its flags', async () => {
    expect(existsSync(BIN)).toBe(true);
    expect(realpathSync(BIN)).toBe(resolve('broker/bin/smq-devices.js'));
    const c = smqDevices('--help');
    await c.waitExit();
    expect(c.exitCode).toBe(0);
    for (const flag of [
      '--url',
      '--count',
      '--name-prefix',
      '--pin',
      '--password',
      '--json',
      '--log-level',
    ]) {
      expect(c.stdout).toContain(flag);
    }
    // Its devices are told apart from the app's LED-N fleets in the same panels.
    expect(c.stdout).toMatch(/--name-prefix <prefix>[^"]*\(default:\s+"DEV"\)/);
  });

  it('runs devices that displays see; SIGKILL of its PID makes the node report each ETID gone', async () => {
    const node = await spawnNode('devices', ['--password', 'qwerty']);
    const display = displayOn(node.port, 'qwerty');
    const fleet = smqDevices(
      '--url',
      `http://127.0.0.1:${node.port}/smq.lsp`,
      '--count',
      '3',
      '--password',
      'qwerty',
      '--seed',
      '9',
    );
    await fleet.line(/DEV-3 connected/);
    const lines = [...fleet.stdout.matchAll(CONNECTED)];
    expect(lines.map((m) => m[1]).sort()).toEqual(['DEV-1', 'DEV-2', 'DEV-3']);
    expect(new Set(lines.map((m) => m[2]))).toEqual(new Set([`http://127.0.0.1:${node.port}/smq.lsp`]));
    expect(new Set(lines.map((m) => m[4])).size).toBe(3);
    const etids = lines.map((m) => parseInt(m[3]!, 16));

    await waitFor(() => display.getSnapshot().devices.length === 3, { what: 'the display shows 3 devices' });
    expect(
      display
        .getSnapshot()
        .devices.map((d) => `${d.devname}@${d.etid}`)
        .sort(),
    ).toEqual(lines.map((m) => `${m[1]}@${parseInt(m[3]!, 16)}`).sort());

    // A raw observer of every device ETID: the node must send Change(etid, 0) for each.
    const watcher = await connectPeer(node.port, 'raw', Buffer.from('watcher'), (seed) =>
      seededHash('qwerty', seed),
    );
    for (const etid of etids) observe(watcher.peer, etid);
    expect(await watcher.peer.sync()).toEqual([]); // live ETIDs: observe answers nothing

    fleet.kill('SIGKILL');
    await fleet.waitExit();
    const gone = [];
    for (let i = 0; i < 3; i++) gone.push(change(await watcher.peer.next(PacketType.Change)));
    expect(gone.sort((x, y) => x.id - y.id)).toEqual(
      [...etids].sort((x, y) => x - y).map((id) => ({ id, count: 0 })),
    );
    await waitFor(() => display.getSnapshot().devices.length === 0, { what: 'the display removes them' });
  });

  it('prints one JSON event per line with --json, and exits 0 on SIGTERM after Disconnect', async () => {
    const node = await spawnNode('devices-json');
    const fleet = smqDevices('--url', `ws://127.0.0.1:${node.port}/smq.lsp`, '-n', '2', '--json');
    await waitFor(() => (fleet.stdout.match(/"type":"connect"/g) ?? []).length === 2, { what: '2 connects' });
    const events = fleet.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FleetEvent & { time: number });
    expect(events.filter((e) => e.type === 'started').map((e) => e.device)).toEqual(['DEV-1', 'DEV-2']);
    for (const e of events.filter((x) => x.type === 'connect')) {
      expect(e).toMatchObject({ url: `ws://127.0.0.1:${node.port}/smq.lsp`, reconnect: false });
      expect(typeof e.time).toBe('number');
    }
    fleet.kill('SIGTERM');
    await fleet.waitExit();
    expect(fleet.exitCode).toBe(0);
    const health = async (): Promise<{ closes: Record<string, number> }> =>
      (await fetch(`http://127.0.0.1:${node.port}/health`)).json() as Promise<{
        closes: Record<string, number>;
      }>;
    await waitFor(async () => (await health()).closes.ClientDisconnect === 2, {
      what: 'both devices sent Disconnect',
    });
  });

  it('rejects a URL that is not http(s):// or ws(s)://', async () => {
    const c = smqDevices('--url', 'ftp://127.0.0.1/');
    await c.waitExit();
    expect(c.exitCode).not.toBe(0);
    expect(c.stderr).toMatch(/--url/);
  });
});
