import { afterEach } from 'vitest';
import { connect } from '../../../broker/src/client/node.js';
import { DisplayModel, type DisplayModelOptions } from '../../../broker/src/devices/DisplayModel.js';
import { DeviceFleet, type FleetOptions } from '../../../broker/src/devices/DeviceFleet.js';
import { LedDevice, type DeviceClock, type LedDeviceOptions } from '../../../broker/src/devices/LedDevice.js';
import type { ClusterMember } from '../../helpers/startCluster.js';
import type { RunningNode } from '../../helpers/startNode.js';

/** Fast reconnects, so failover tests stay short. */
export const FAST = { reconnect: { minDelayMs: 20, maxDelayMs: 200 }, handshakeTimeoutMs: 3000 };

const displays = new Set<DisplayModel>();
const devices = new Set<LedDevice>();
const fleets = new Set<DeviceFleet>();
const nodes = new Set<RunningNode | ClusterMember>();

export const rawUrl = (n: { port: number }): string => `http://127.0.0.1:${n.port}/smq.lsp`;
export const wsUrl = (n: { port: number }): string => `ws://127.0.0.1:${n.port}/smq.lsp`;

/** A display model on its own WebSocket client; afterEach closes it. */
export function display(url: string, options: DisplayModelOptions = {}): DisplayModel {
  const d = new DisplayModel(() => connect(url, FAST), { helloDebounceMs: 200, ...options });
  displays.add(d);
  return d;
}

/** A simulated device that afterEach kills. */
export function ledDevice(options: LedDeviceOptions): LedDevice {
  const d = new LedDevice({ ...FAST, clock: manualClock(), ...options });
  devices.add(d);
  return d;
}

export function fleet(options: FleetOptions): DeviceFleet {
  const f = new DeviceFleet({ ...FAST, clock: manualClock(), ...options });
  fleets.add(f);
  return f;
}

/** Nodes or cluster members that afterEach closes. */
export function track<T extends RunningNode | ClusterMember>(...ns: T[]): T[] {
  for (const n of ns) nodes.add(n);
  return ns;
}

afterEach(async () => {
  for (const d of displays) d.close();
  for (const d of devices) d.kill();
  for (const f of fleets) f.stop();
  displays.clear();
  devices.clear();
  fleets.clear();
  await Promise.all([...nodes].map((n) => n.close()));
  nodes.clear();
});

/** A drift clock the test steps by hand (no temperature changes unless asked). */
export function manualClock(): DeviceClock & { tick(): void } {
  const fns = new Set<() => void>();
  return {
    every: (_ms, fn) => (fns.add(fn), () => void fns.delete(fn)),
    tick: () => fns.forEach((f) => f()),
  };
}

/** The devices a display shows, as names. */
export function names(d: DisplayModel): string[] {
  return d.getSnapshot().devices.map((x) => x.devname);
}

/** The LED states a display shows for one device, ids 1-4. */
export function ledsOn(d: DisplayModel, etid: number): boolean[] | undefined {
  return d
    .getSnapshot()
    .devices.find((x) => x.etid === etid)
    ?.leds.map((l) => l.on);
}

/** Checks that `fn` stays true for `ms` (for "nothing more happens" claims, after a positive wait). */
export async function holds(fn: () => boolean, ms = 300, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!fn()) throw new Error(`${what} stopped holding`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
