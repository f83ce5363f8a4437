import type { TransportFactory } from '../client/transport.js';
import type { ReconnectOptions } from '../client/types.js';
import type { DeviceClock } from './deviceClock.js';
import type { LedState } from './ledProtocol.js';
import type { Random } from './random.js';

export interface LedDeviceOptions {
  /** One node URL or several (DNS round robin, reconnect over all): http:// raw TCP, ws:// WebSocket. */
  urls: string | readonly string[];
  /** devname in devinfo, and the Connect info, as the C device sends it. */
  name: string;
  /** 6-byte uid; default a random locally administered MAC (02:xx:xx:xx:xx:xx). */
  uid?: Uint8Array;
  /** The broker's password: credentials are the C example's seeded SHA-1. Without: none (length 0). */
  password?: string;
  /** false: no temperature sensor, so no /m2m/temp topic and no `temp` in devinfo. Default true. */
  sensor?: boolean;
  /** Start temperature, tenths of °C. Default 20.0..24.9 °C at random. */
  temp?: number;
  /** How often the temperature may move by a tenth. Default 5000 ms. */
  driftMs?: number;
  clock?: DeviceClock;
  /** Drift, default uid, URL order and backoff jitter. */
  random?: Random;
  reconnect?: ReconnectOptions;
  handshakeTimeoutMs?: number;
  /** Opens connections. Default: the client's, with the C device's bare HTTP/1.0 raw-TCP bootstrap. */
  transport?: TransportFactory;
}

/** An immutable snapshot of everything observable about a device. */
export interface LedDeviceState {
  readonly name: string;
  /** "02:xx:xx:xx:xx:xx". */
  readonly uid: string;
  readonly connected: boolean;
  /** The node URL of the current connection; undefined while not connected. */
  readonly url: string | undefined;
  readonly etid: number | undefined;
  /** The IP the node reported in Init (at most 15 characters, as the C device keeps it). */
  readonly ipaddr: string | undefined;
  readonly leds: readonly LedState[];
  /** Tenths of °C; undefined without a sensor. */
  readonly temp: number | undefined;
  /** Subscribers of /m2m/led/device, cluster-wide: the displays. */
  readonly displays: number;
  /** Commands to the device's ETID that were not [valid LED id, on]: ignored and counted. */
  readonly invalidCommands: number;
  /** Connections made (1 after the first connect). */
  readonly connects: number;
  /** Ended for good: stop(), kill(), a Connack refusal or a broker Disconnect. */
  readonly stopped: boolean;
  readonly lastError: string | undefined;
}

export type LedDeviceEvent =
  | { type: 'connect'; device: string; url: string; etid: number; ipaddr: string; reconnect: boolean }
  | { type: 'disconnect'; device: string; url: string; reason: string; reconnecting: boolean }
  | { type: 'connecterror'; device: string; url: string; reason: string; retrying: boolean }
  | { type: 'hello'; device: string; display: number }
  | { type: 'led'; device: string; ledId: number; on: boolean; from: number }
  | { type: 'invalid'; device: string; from: number; reason: string }
  | { type: 'temp'; device: string; temp: number }
  | { type: 'displays'; device: string; count: number };

export type LedDeviceListener = (event: LedDeviceEvent, state: LedDeviceState) => void;
