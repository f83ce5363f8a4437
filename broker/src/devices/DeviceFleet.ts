import type { TransportFactory } from '../client/transport.js';
import type { ReconnectOptions } from '../client/types.js';
import { LedDevice, type DeviceClock, type LedDeviceEvent, type LedDeviceState } from './LedDevice.js';
import { Listeners } from './Listeners.js';
import type { Random } from './random.js';
import { formatUid, randomMac } from './uid.js';

export interface FleetOptions {
  /**
   * Node URLs. Each device gets all of them in its own random order (DNS round robin): it starts on
   * one and fails over to the others.
   */
  urls: readonly string[];
  /** Pins every device to this one URL: it reconnects to that node alone. */
  pin?: string;
  password?: string;
  /** false: devices without a temperature sensor. */
  sensor?: boolean;
  driftMs?: number;
  clock?: DeviceClock;
  /** Uids, URL order, backoff jitter and drift of every device: seed it to repeat a run. */
  random?: Random;
  reconnect?: ReconnectOptions;
  handshakeTimeoutMs?: number;
  transport?: TransportFactory;
}

/** A device's own events, and its joining and leaving the fleet. */
export type FleetEvent =
  LedDeviceEvent | { type: 'started'; device: string } | { type: 'stopped'; device: string; killed: boolean };

export type FleetListener = (event: FleetEvent, state: LedDeviceState) => void;

/**
 * Simulated LED devices run in this process: started by count or by name, each with its own uid
 * (a shared uid would make the broker replace one device's session by the next, "reconnect"),
 * spread at random over the node URLs or pinned to one. Events come one per device change; a host
 * that shows them coalesces.
 */
export class DeviceFleet {
  private readonly byName = new Map<string, LedDevice>();
  private readonly unsubscribe = new Map<string, () => void>();
  private readonly uids = new Set<string>();
  private readonly listeners = new Listeners<[FleetEvent, LedDeviceState]>();
  private readonly random: Random;
  private urls: readonly string[];

  constructor(private readonly options: FleetOptions) {
    this.random = options.random ?? Math.random;
    this.urls = fleetUrls(options.urls, options.pin);
  }

  /**
   * The cluster's nodes changed (a node bound elsewhere, added, removed): every device, running or
   * started later, reconnects over these URLs from now on. Live connections stay.
   */
  setUrls(urls: readonly string[], pin?: string): void {
    this.urls = fleetUrls(urls, pin);
    for (const device of this.byName.values()) device.setUrls(this.urls);
  }

  /** Starts `count` devices named `<prefix>-<n>`, numbered on from the highest n in use. */
  start(count: number, namePrefix = 'LED'): LedDevice[] {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`device count ${count}`);
    let n = 0;
    for (const name of this.byName.keys()) {
      const m = name.startsWith(`${namePrefix}-`) ? Number(name.slice(namePrefix.length + 1)) : NaN;
      if (Number.isInteger(m) && m > n) n = m;
    }
    return this.startNamed(Array.from({ length: count }, (_, i) => `${namePrefix}-${n + i + 1}`));
  }

  /** Starts one device per name; a name already in the fleet throws (names are the devices' keys). */
  startNamed(names: readonly string[]): LedDevice[] {
    const taken = names.filter((n, i) => this.byName.has(n) || names.indexOf(n) !== i);
    if (taken.length > 0) throw new RangeError(`device names already in the fleet: ${taken.join(', ')}`);
    return names.map((name) => this.startOne(name));
  }

  get devices(): readonly LedDevice[] {
    return [...this.byName.values()];
  }

  device(name: string): LedDevice | undefined {
    return this.byName.get(name);
  }

  states(): LedDeviceState[] {
    return this.devices.map((d) => d.state);
  }

  /** Listens to every device's events; returns the function that stops listening. */
  subscribe(listener: FleetListener): () => void {
    return this.listeners.add(([event, state]) => listener(event, state));
  }

  /** A clean stop of one device (Disconnect); false when no device has that name. */
  stopDevice(name: string): boolean {
    return this.remove(name, false);
  }

  /** One device crashes: its connection closes without Disconnect. */
  killDevice(name: string): boolean {
    return this.remove(name, true);
  }

  /** Stops every device cleanly. */
  stop(): void {
    for (const name of [...this.byName.keys()]) this.remove(name, false);
  }

  private startOne(name: string): LedDevice {
    const o = this.options;
    const device = new LedDevice({
      urls: this.urls,
      name,
      uid: this.freshUid(),
      password: o.password,
      sensor: o.sensor,
      driftMs: o.driftMs,
      clock: o.clock,
      random: this.random,
      reconnect: o.reconnect,
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      transport: o.transport,
    });
    this.byName.set(name, device);
    this.unsubscribe.set(
      name,
      device.subscribe((event, state) => this.listeners.emit([event, state])),
    );
    this.listeners.emit([{ type: 'started', device: name }, device.state]);
    return device;
  }

  private remove(name: string, killed: boolean): boolean {
    const device = this.byName.get(name);
    if (!device) return false;
    if (killed) device.kill();
    else device.stop();
    this.unsubscribe.get(name)?.();
    this.unsubscribe.delete(name);
    this.byName.delete(name);
    this.uids.delete(device.state.uid);
    this.listeners.emit([{ type: 'stopped', device: name, killed }, device.state]);
    return true;
  }

  /** A random locally administered MAC no other device of this fleet has. */
  private freshUid(): Uint8Array {
    for (;;) {
      const uid = randomMac(this.random);
      const key = formatUid(uid);
      if (this.uids.has(key)) continue;
      this.uids.add(key);
      return uid;
    }
  }
}

function fleetUrls(urls: readonly string[], pin: string | undefined): readonly string[] {
  if (pin === undefined && urls.length === 0) throw new RangeError('a fleet needs at least one node URL');
  return pin === undefined ? [...urls] : [pin];
}
