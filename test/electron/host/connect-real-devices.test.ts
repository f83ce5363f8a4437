import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, DeviceView, HostEvent } from '../../../contract/hostContract.js';
import { ControlHost } from '../../../electron/host/control/ControlHost.js';
import { DEVICE_WATCH_INFO } from '../../../electron/host/control/RealDevices.js';
import { connectClient } from '../../../broker/src/index.js';
import { DisplayModel } from '../../../broker/src/devices/DisplayModel.js';
import { Child } from '../../helpers/ChildProcess.js';
import { SMQ_NODE_BIN } from '../../helpers/nodeProcess.js';
import { waitFor } from '../../helpers/waitFor.js';

/*
 * Issue #11: a device the host did not start (here our smq-devices, a separate process that is
 * the C LED example on the wire) shows among the devices like a simulated one, marked real.
 */

const SMQ_DEVICES = path.resolve('node_modules/.bin/smq-devices');
const CONNECTED = /^(\S+) connected to \S+ etid 0x[0-9a-f]{8} uid (\S+)$/m;

let dataDir: string;
let host: ControlHost;
let latest: ClusterSnapshot | undefined;
let topicListings = 0;
const displays: DisplayModel[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'smq-cc-real-'));
  host = new ControlHost({ dataDir, nodeBin: SMQ_NODE_BIN, restore: false, pollMs: 200, log: () => {} });
  latest = undefined;
  topicListings = 0;
  host.subscribe((e: HostEvent) => {
    if (e.stream === 'cluster') latest = e.snapshot;
    if (e.stream === 'topics') topicListings++;
  });
});

afterEach(async () => {
  for (const d of displays.splice(0)) d.close();
  await Child.killAll();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const real = (): DeviceView[] => latest?.devices.filter((d) => !d.simulated) ?? [];

async function watchClients(): Promise<number> {
  let n = 0;
  for (const node of latest?.nodes ?? []) {
    const list = await host.call('listClients', { nodeId: node.id });
    n += list.filter((c) => c.info === DEVICE_WATCH_INFO).length;
  }
  return n;
}

describe('devices the host did not start', () => {
  it('show with their node, uid and LEDs, marked real; the host’s own stay simulated', async () => {
    const made = await host.call('createCluster', { nodes: 2 });
    await host.call('startFleet', { count: 2, namePrefix: 'sim', spread: { kind: 'pinned', nodeId: 'n1' } });
    await waitFor(() => latest?.devices.filter((d) => d.connected).length === 2, {
      timeout: 15_000,
      what: 'the 2 simulated devices connected',
    });
    // Negative control: with only the host's devices, several topic listings later, nothing is
    // real and the host runs no watch client.
    const after = topicListings + 3;
    await waitFor(() => topicListings >= after, { timeout: 15_000, what: '3 more topic listings' });
    expect(real()).toEqual([]);
    expect(await watchClients()).toBe(0);

    const n2 = made.nodes.find((n) => n.id === 'n2')!;
    const device = new Child(process.execPath, [
      SMQ_DEVICES,
      '--url',
      n2.rawUrl,
      '--count',
      '1',
      '--name-prefix',
      'bench',
    ]);
    const [, name, uid] = await device.line(CONNECTED, 15_000);
    const shown = await waitFor(() => real().find((d) => d.name === name), {
      timeout: 20_000,
      what: `${name} among the devices`,
    });
    expect(shown).toMatchObject({ nodeId: 'n2', uid, connected: true, simulated: false, fleetId: '' });
    expect(shown.leds.map((l) => [l.id, l.color, l.on])).toEqual([
      [1, 'red', false],
      [2, 'yellow', false],
      [3, 'green', false],
      [4, 'blue', false],
    ]);
    expect(
      latest!.devices
        .filter((d) => d.simulated)
        .map((d) => d.name)
        .sort(),
    ).toEqual(['sim-1', 'sim-2']);

    // Its LED, switched by a display on the other node, changes in the host's view too.
    const display = new DisplayModel(() => connectClient(made.nodes[0]!.wsUrl));
    displays.push(display);
    await waitFor(() => display.getSnapshot().devices.some((d) => d.devname === name), {
      timeout: 10_000,
      what: 'the display knows the device',
    });
    expect(display.setLed(shown.etid!, 2, true)).toBe(true);
    await waitFor(() => real().find((d) => d.name === name)?.leds[1]?.on, {
      timeout: 10_000,
      what: 'LED 2 on in the snapshot',
    });

    // The device's process dies: it leaves the list, and the watch stops once no real device is left.
    device.kill();
    await waitFor(() => real().length === 0, { timeout: 15_000, what: 'the real device gone' });
    await waitFor(async () => (await watchClients()) === 0, { timeout: 15_000, what: 'the watch stopped' });
    expect(latest!.devices.map((d) => d.name).sort()).toEqual(['sim-1', 'sim-2']);
  });
});
