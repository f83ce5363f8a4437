import type { SmqClient } from '../client/SmqClient.js';
import { HelloPolicy, platformTimers, type Timers } from './HelloPolicy.js';
import {
  decodeDevinfo,
  decodeLed,
  decodeTemp,
  DEVICE_TOPIC,
  DEVINFO_SUBTOPIC,
  DISPLAY_TOPIC,
  encodeLed,
  HELLO,
  LED_SUBTOPIC,
  LedProtocolError,
  TEMP_TOPIC,
  type LedState,
} from './ledProtocol.js';
import { Listeners } from './Listeners.js';

/*
 * Browser-safe: the client comes in already made (or from a factory), so this file imports only the
 * LED codec and client TYPES. The LED page uses it with client/browser.ts, the app with client/node.ts.
 */

export type DisplayConnection = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface DisplayDevice {
  /** The device's ETID: its key, and where LED commands go. */
  readonly etid: number;
  readonly ipaddr: string;
  readonly devname: string;
  readonly leds: readonly LedState[];
  /** Tenths of °C; undefined for a device without a sensor. */
  readonly temp: number | undefined;
}

export interface DisplaySnapshot {
  readonly connection: DisplayConnection;
  /** Why the last connection or attempt ended. */
  readonly lastError: string | undefined;
  /** The node URL of the current (or last) connection. */
  readonly url: string;
  /** The display's own ETID while connected. */
  readonly etid: number | undefined;
  /** Sorted by devname, then ETID. */
  readonly devices: readonly DisplayDevice[];
  /** Subscribers of /m2m/led/display, cluster-wide: the devices online as the broker counts them. */
  readonly devicesOnline: number | undefined;
  readonly hellos: number;
  /** devinfo, led and temp messages that did not decode: ignored and counted. */
  readonly rejected: number;
}

export interface DisplayModelOptions {
  /** Quiet time of the device count before a re-Hello is considered. Default 1000 ms. */
  helloDebounceMs?: number;
  timers?: Timers;
}

/**
 * An m2m-LED display without a UI: it keeps the device list, LED states and temperatures current
 * from devinfo/led/temp messages, removes a device when the broker reports its ETID gone, and sends
 * LED commands. Listeners get an immutable snapshot (React's useSyncExternalStore can use
 * subscribe/getSnapshot as they are). It owns the client's onconnect/onreconnect/onclose/
 * onconnecterror callbacks (earlier ones are still called).
 */
export class DisplayModel {
  readonly client: SmqClient;
  private readonly devices = new Map<number, DisplayDevice>();
  private readonly listeners = new Listeners<DisplaySnapshot>();
  private readonly hello: HelloPolicy;
  private connection: DisplayConnection;
  private lastError: string | undefined;
  private devicesOnline: number | undefined;
  private hellos = 0;
  private rejected = 0;
  /** Said Hello on the current connection: once per connection is enough. */
  private greeted = false;
  private snapshot: DisplaySnapshot | undefined;
  private emitQueued = false;

  constructor(client: SmqClient | (() => SmqClient), options: DisplayModelOptions = {}) {
    const c = (this.client = typeof client === 'function' ? client() : client);
    this.connection = c.connected ? 'connected' : 'connecting';
    this.hello = new HelloPolicy(
      options.helloDebounceMs ?? 1000,
      () => this.devices.size,
      () => this.sayHello(),
      options.timers ?? platformTimers,
    );
    this.hookConnection(c);
    const subscribed = [
      c.subscribe(DEVICE_TOPIC, { subtopic: DEVINFO_SUBTOPIC, onmsg: (d, ptid) => this.onDevinfo(d, ptid) }),
      c.subscribe(DEVICE_TOPIC, { subtopic: LED_SUBTOPIC, onmsg: (d, ptid) => this.onLed(d, ptid) }),
      c.subscribe(TEMP_TOPIC, { onmsg: (d, ptid) => this.onTemp(d, ptid) }),
      // Answers to our Hello come to our own ETID with sub-topic devinfo.
      c.subscribe('self', { subtopic: DEVINFO_SUBTOPIC, onmsg: (d, ptid) => this.onDevinfo(d, ptid) }),
    ];
    c.observe(DISPLAY_TOPIC, (count) => {
      this.devicesOnline = count;
      this.hello.countChanged(count);
      this.changed();
    });
    // Hello once every reply has a handler: before that, answers would arrive unhandled.
    void Promise.all(subscribed).then(() => this.greetOnce());
  }

  getSnapshot(): DisplaySnapshot {
    this.snapshot ??= this.buildSnapshot();
    return this.snapshot;
  }

  /** Calls `listener` with a new snapshot after every change (coalesced per tick). */
  subscribe(listener: (snapshot: DisplaySnapshot) => void): () => void {
    return this.listeners.add(listener);
  }

  /**
   * Asks a device to set an LED ([ledId, on] to its ETID). The display changes nothing itself: the
   * device's `led` broadcast updates every display alike. False when the device is unknown or the
   * display is not connected (a command is never queued for later); a RangeError for an id over 255.
   */
  setLed(etid: number, ledId: number, on: boolean): boolean {
    if (!this.devices.has(etid) || !this.client.connected) return false;
    this.client.publish(encodeLed(ledId, on), etid);
    return true;
  }

  /** Says Hello now: every device answers with its devinfo. */
  sayHello(): void {
    if (!this.client.connected) return;
    this.client.publish(HELLO, DISPLAY_TOPIC);
    this.greeted = true;
    this.hellos++;
    this.hello.said();
    this.changed();
  }

  /** Disconnects the client and stops the timers; the snapshot says 'closed'. */
  close(): void {
    this.hello.cancel();
    this.client.disconnect();
  }

  private hookConnection(c: SmqClient): void {
    const { onconnect, onreconnect, onclose, onconnecterror } = c;
    c.onconnect = (etid, seed, ip) => {
      onconnect?.(etid, seed, ip);
      this.setConnection('connected', undefined);
    };
    c.onreconnect = (etid, seed, ip) => {
      onreconnect?.(etid, seed, ip);
      this.setConnection('connected', undefined);
      // Missed messages while away: every device answers again (observations are restored by the client).
      this.greetOnce();
    };
    c.onclose = (reason, reconnecting, info) => {
      onclose?.(reason, reconnecting, info);
      this.greeted = false;
      this.setConnection(reconnecting ? 'reconnecting' : 'closed', reason);
      if (!reconnecting) {
        this.hello.cancel();
        this.devices.clear();
      }
    };
    c.onconnecterror = (url, reason, retrying) => {
      onconnecterror?.(url, reason, retrying);
      this.setConnection(retrying ? this.connection : 'closed', reason);
    };
  }

  private greetOnce(): void {
    if (!this.greeted) this.sayHello();
  }

  private setConnection(connection: DisplayConnection, error: string | undefined): void {
    this.connection = connection;
    if (error !== undefined || connection === 'connected') this.lastError = error;
    this.changed();
  }

  private onDevinfo(data: Uint8Array, etid: number): void {
    const d = decodeDevinfo(data);
    if (d instanceof LedProtocolError) return this.reject();
    const known = this.devices.has(etid);
    this.devices.set(
      etid,
      Object.freeze({
        etid,
        ipaddr: d.ipaddr,
        devname: d.devname,
        leds: Object.freeze(d.leds.map((l) => Object.freeze({ ...l }))),
        temp: d.temp,
      }),
    );
    // The broker says when the device goes: any Change for its ETID (0 = gone) removes it.
    if (!known) this.client.observe(etid, (count) => this.onGone(etid, count));
    this.changed();
  }

  private onGone(etid: number, count: number): void {
    if (count !== 0) this.client.unobserve(etid);
    if (this.devices.delete(etid)) this.changed();
  }

  private onLed(data: Uint8Array, etid: number): void {
    const led = decodeLed(data);
    if (led instanceof LedProtocolError) return this.reject();
    const d = this.devices.get(etid);
    // Not yet known: its devinfo (after our Hello, or its own on connect) carries the state.
    if (!d) return;
    if (!d.leds.some((l) => l.id === led.ledId)) return this.reject();
    const leds = d.leds.map((l) => (l.id === led.ledId ? Object.freeze({ ...l, on: led.on }) : l));
    this.devices.set(etid, Object.freeze({ ...d, leds: Object.freeze(leds) }));
    this.changed();
  }

  private onTemp(data: Uint8Array, etid: number): void {
    const temp = decodeTemp(data);
    if (temp instanceof LedProtocolError) return this.reject();
    const d = this.devices.get(etid);
    if (!d) return;
    this.devices.set(etid, Object.freeze({ ...d, temp }));
    this.changed();
  }

  private reject(): void {
    this.rejected++;
    this.changed();
  }

  /** Marks the snapshot stale and tells listeners once per tick, however many messages came. */
  private changed(): void {
    this.snapshot = undefined;
    if (this.emitQueued) return;
    this.emitQueued = true;
    queueMicrotask(() => {
      this.emitQueued = false;
      this.listeners.emit(this.getSnapshot());
    });
  }

  private buildSnapshot(): DisplaySnapshot {
    const devices = [...this.devices.values()].sort((a, b) =>
      a.devname < b.devname ? -1 : a.devname > b.devname ? 1 : a.etid - b.etid,
    );
    return Object.freeze({
      connection: this.connection,
      lastError: this.lastError,
      url: this.client.url,
      etid: this.connection === 'connected' ? this.client.gettid() : undefined,
      devices: Object.freeze(devices),
      devicesOnline: this.devicesOnline,
      hellos: this.hellos,
      rejected: this.rejected,
    });
  }
}
