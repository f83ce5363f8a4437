import { nodeTransport, SmqClient } from '../client/node.js';
import type { ClientTransport } from '../client/transport.js';
import { seededHash } from '../node/auth.js';
import {
  decodeLed,
  DEVICE_TOPIC,
  DEVINFO_FRAGMENT_SIZE,
  DEVINFO_SUBTOPIC,
  DISPLAY_TOPIC,
  encodeDevinfo,
  encodeLed,
  encodeTemp,
  LED_SUBTOPIC,
  LED_TABLE,
  ledInfo,
  LedProtocolError,
  TEMP_TOPIC,
  type LedState,
} from './ledProtocol.js';
import { realClock } from './deviceClock.js';
import type {
  LedDeviceEvent,
  LedDeviceListener,
  LedDeviceOptions,
  LedDeviceState,
} from './ledDeviceTypes.js';
import { Listeners } from './Listeners.js';
import type { Random } from './random.js';
import { driftTemperature, startTemperature } from './temperature.js';
import { formatUid, randomMac } from './uid.js';

export { realClock, type DeviceClock } from './deviceClock.js';
export type {
  LedDeviceEvent,
  LedDeviceListener,
  LedDeviceOptions,
  LedDeviceState,
} from './ledDeviceTypes.js';

/**
 * A simulated m2m-LED device that looks like the published C LED example on the wire: the same
 * bootstrap, Connect, setup order, devinfo (as PubFrag fragments on raw TCP), `led` and `temp`
 * bytes, and Hello answers. Unlike the C device it ignores (and counts) a bad LED command instead
 * of dropping its connection.
 */
export class LedDevice {
  readonly name: string;
  readonly uid: Uint8Array;
  private readonly client: SmqClient;
  private readonly listeners = new Listeners<[LedDeviceEvent, LedDeviceState]>();
  private readonly leds = new Map<number, boolean>(LED_TABLE.map((l) => [l.id, false]));
  private readonly sensor: boolean;
  private readonly baseTemp: number | undefined;
  private temp: number | undefined;
  private transport: ClientTransport | undefined;
  private connected = false;
  private etid: number | undefined;
  private ipaddr: string | undefined;
  private displays = 0;
  private invalidCommands = 0;
  private connects = 0;
  private stopped = false;
  private lastError: string | undefined;
  private stopDrift: (() => void) | undefined;
  private snapshot: LedDeviceState | undefined;

  constructor(options: LedDeviceOptions) {
    const random = options.random ?? Math.random;
    this.name = options.name;
    this.uid = options.uid ?? randomMac(random);
    if (this.uid.length < 6 || this.uid.length > 255) throw new RangeError('uid must be 6..255 bytes');
    this.sensor = options.sensor ?? true;
    this.baseTemp = this.temp = this.sensor ? (options.temp ?? startTemperature(random)) : undefined;
    const password = options.password;
    const base = options.transport ?? nodeTransport({ rawBootstrap: 'c-client' });
    this.client = new SmqClient(
      options.urls,
      {
        uid: this.uid,
        info: this.name,
        credentials: password === undefined ? undefined : (seed) => seededHash(password, seed),
        reconnect: options.reconnect,
        handshakeTimeoutMs: options.handshakeTimeoutMs,
        fragmentSize: DEVINFO_FRAGMENT_SIZE,
      },
      // Kept so kill() can close the socket without the Disconnect a clean stop sends.
      (url, events) => (this.transport = base(url, events)),
      random,
    );
    this.client.onconnect = (etid, _seed, ip) => this.onConnected(etid, ip, false);
    this.client.onreconnect = (etid, _seed, ip) => this.onConnected(etid, ip, true);
    this.client.onclose = (reason, reconnecting, info) => this.onClosed(info.url, reason, reconnecting);
    this.client.onconnecterror = (url, reason, retrying) => {
      this.lastError = reason;
      this.emit({ type: 'connecterror', device: this.name, url, reason, retrying });
    };
    this.setUp();
    if (this.sensor) {
      this.stopDrift = (options.clock ?? realClock).every(options.driftMs ?? 5000, () => this.drift(random));
    }
  }

  /** Listens to every event, with the state after it; returns the function that stops listening. */
  subscribe(listener: LedDeviceListener): () => void {
    return this.listeners.add(([event, state]) => listener(event, state));
  }

  get state(): LedDeviceState {
    this.snapshot ??= Object.freeze({
      name: this.name,
      uid: formatUid(this.uid),
      connected: this.connected,
      url: this.connected ? this.client.url : undefined,
      etid: this.connected ? this.etid : undefined,
      ipaddr: this.ipaddr,
      leds: this.ledStates(),
      temp: this.temp,
      displays: this.displays,
      invalidCommands: this.invalidCommands,
      connects: this.connects,
      stopped: this.stopped,
      lastError: this.lastError,
    });
    return this.snapshot;
  }

  /** New node URLs to reconnect over (the cluster changed); a live connection stays. */
  setUrls(urls: string | readonly string[]): void {
    this.client.setUrls(urls);
  }

  /** A clean shutdown: Disconnect to the broker, close, never reconnect (SMQ_disconnect). */
  stop(): void {
    this.end();
    this.client.disconnect();
  }

  /**
   * A crash: the connection closes without Disconnect, as when the device's process dies and the
   * OS closes its socket, and the device never comes back.
   */
  kill(): void {
    this.end();
    this.transport?.close();
    this.client.disconnect(); // its Disconnect goes nowhere: the transport is closed already
  }

  /**
   * The C device's setup, in its order (SMQ-PROTOCOL.md): Create the device and temperature
   * topics, Createsub devinfo and led, Subscribe to the display topic, then Observe the device
   * topic once its TID is known. The client sends it on connect and replays it, by name and in
   * this order, on every reconnect.
   */
  private setUp(): void {
    const c = this.client;
    void c.create(DEVICE_TOPIC);
    if (this.sensor) void c.create(TEMP_TOPIC);
    void c.createsub(DEVINFO_SUBTOPIC);
    void c.createsub(LED_SUBTOPIC);
    // The C device answers any message on the display topic, whatever its text.
    void c.subscribe(DISPLAY_TOPIC, { onmsg: (_data, ptid) => this.onHello(ptid) });
    void c.subscribe('self', { onmsg: (data, ptid) => this.onCommand(data, ptid) });
    c.observe(DEVICE_TOPIC, (count) => {
      this.displays = count;
      this.emit({ type: 'displays', device: this.name, count });
    });
  }

  private onConnected(etid: number, ip: string, reconnect: boolean): void {
    if (this.stopped) return;
    this.connected = true;
    this.etid = etid;
    this.ipaddr = ip.slice(0, 15);
    this.connects++;
    this.lastError = undefined;
    // Every display learns the device (again): devinfo to the device topic on each connection.
    this.sendDevinfo(DEVICE_TOPIC);
    const url = this.client.url;
    this.emit({ type: 'connect', device: this.name, url, etid, ipaddr: this.ipaddr, reconnect });
  }

  private onClosed(url: string, reason: string, reconnecting: boolean): void {
    this.connected = false;
    this.lastError = reason;
    if (!reconnecting) this.end();
    this.emit({ type: 'disconnect', device: this.name, url, reason, reconnecting });
  }

  private onHello(display: number): void {
    this.sendDevinfo(display);
    this.emit({ type: 'hello', device: this.name, display });
  }

  private onCommand(data: Uint8Array, from: number): void {
    const cmd = decodeLed(data);
    if (cmd instanceof LedProtocolError || ledInfo(cmd.ledId) === undefined) {
      this.invalidCommands++;
      const reason = cmd instanceof LedProtocolError ? cmd.message : `no LED ${cmd.ledId}`;
      this.emit({ type: 'invalid', device: this.name, from, reason });
      return;
    }
    this.leds.set(cmd.ledId, cmd.on);
    // Every display shows the same state: the `led` message goes to the device topic.
    this.client.publish(encodeLed(cmd.ledId, cmd.on), DEVICE_TOPIC, LED_SUBTOPIC);
    this.emit({ type: 'led', device: this.name, ledId: cmd.ledId, on: cmd.on, from });
  }

  private drift(random: Random): void {
    if (this.temp === undefined || this.baseTemp === undefined) return;
    const next = driftTemperature(this.temp, this.baseTemp, random);
    if (next === this.temp) return;
    this.temp = next;
    // While disconnected nothing is queued: the devinfo of the next connection carries the value.
    if (this.connected) this.client.publish(encodeTemp(next), TEMP_TOPIC);
    this.emit({ type: 'temp', device: this.name, temp: next });
  }

  private sendDevinfo(to: string | number): void {
    const devinfo = encodeDevinfo({
      ipaddr: this.ipaddr ?? '',
      devname: this.name,
      leds: this.ledStates(),
      ...(this.temp === undefined ? {} : { temp: this.temp }),
    });
    this.client.publish(devinfo, to, DEVINFO_SUBTOPIC);
  }

  private ledStates(): readonly LedState[] {
    return Object.freeze(LED_TABLE.map((l) => Object.freeze({ ...l, on: this.leds.get(l.id) === true })));
  }

  private end(): void {
    this.stopped = true;
    this.connected = false;
    this.stopDrift?.();
    this.stopDrift = undefined;
  }

  private emit(event: LedDeviceEvent): void {
    this.snapshot = undefined;
    this.listeners.emit([event, this.state]);
  }
}
