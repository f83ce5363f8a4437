import { SmqError } from '../protocol/errors.js';

/*
 * The m2m-LED application protocol (SMQ-PROTOCOL.md, last section): names, the LED table of the
 * published C device, and pure codecs for its payloads. Plain Uint8Array and TextEncoder only, so
 * the LED page bundles it for browsers. Decoders return a LedProtocolError, never throw: the bytes
 * come from any client on the broker.
 */

/** Devices Create it and publish there (devinfo, led); displays subscribe; devices observe it. */
export const DEVICE_TOPIC = '/m2m/led/device';
/** Devices subscribe; displays publish Hello here. Its subscriber count is the number of devices. */
export const DISPLAY_TOPIC = '/m2m/led/display';
/** 2 bytes, signed 16-bit big-endian, tenths of a degree Celsius. */
export const TEMP_TOPIC = '/m2m/temp';
export const DEVINFO_SUBTOPIC = 'devinfo';
export const LED_SUBTOPIC = 'led';
/** What a display publishes (subtid 0) on DISPLAY_TOPIC when it starts. */
export const HELLO = 'Hello';
/**
 * The C device streams devinfo through a 127-byte buffer: 127 minus the 15-byte framed Publish
 * header leaves 112 payload bytes per PubFrag fragment.
 */
export const DEVINFO_FRAGMENT_SIZE = 112;

export type LedColor = 'red' | 'yellow' | 'green' | 'blue';
export const LED_COLORS: readonly LedColor[] = ['red', 'yellow', 'green', 'blue'];

export interface LedInfo {
  readonly id: number;
  readonly name: string;
  readonly color: LedColor;
}

export interface LedState extends LedInfo {
  readonly on: boolean;
}

/** The published C device's LEDs: ids 1-4, "LED 1".."LED 4", red, yellow, green, blue. */
export const LED_TABLE: readonly LedInfo[] = Object.freeze(
  LED_COLORS.map((color, i) => Object.freeze({ id: i + 1, name: `LED ${i + 1}`, color })),
);

export interface Devinfo {
  /** The IP the broker reported in Init (the C device keeps at most 15 characters). */
  readonly ipaddr: string;
  /** Also the device's Connect info. */
  readonly devname: string;
  readonly leds: readonly LedState[];
  /** Tenths of °C; absent on devices without a sensor. */
  readonly temp?: number;
}

export type LedProtocolErrorCode =
  'SMQ_ERR_LED_BAD_LENGTH' | 'SMQ_ERR_LED_BAD_UTF8' | 'SMQ_ERR_LED_BAD_JSON' | 'SMQ_ERR_LED_BAD_DEVINFO';

/** A payload of the LED application that does not decode; the message is for logs and counters. */
export class LedProtocolError extends SmqError {
  declare readonly code: LedProtocolErrorCode;
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * devinfo JSON with the keys in the order of the C device's hand-written JSON: ipaddr, devname,
 * leds [{id, name, color, on}], then temp only when the device has a sensor. Strings are escaped
 * (the C device does not escape; for plain names the bytes are the same).
 */
export function encodeDevinfo(d: Devinfo): Uint8Array {
  const leds = d.leds.map(
    (l) => `{"id":${l.id},"name":${JSON.stringify(l.name)},"color":"${l.color}","on":${l.on}}`,
  );
  const temp = d.temp === undefined ? '' : `,"temp":${d.temp}`;
  return utf8.encode(
    `{"ipaddr":${JSON.stringify(d.ipaddr)},"devname":${JSON.stringify(d.devname)},"leds":[${leds.join(',')}]${temp}}`,
  );
}

export function decodeDevinfo(bytes: Uint8Array): Devinfo | LedProtocolError {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return new LedProtocolError('SMQ_ERR_LED_BAD_UTF8', 'devinfo is not UTF-8');
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return new LedProtocolError('SMQ_ERR_LED_BAD_JSON', 'devinfo is not JSON');
  }
  if (!isRecord(v)) return badDevinfo('not an object');
  const { ipaddr, devname, leds, temp } = v;
  if (typeof ipaddr !== 'string') return badDevinfo('ipaddr is not a string');
  if (typeof devname !== 'string') return badDevinfo('devname is not a string');
  if (!Array.isArray(leds)) return badDevinfo('leds is not an array');
  if (temp !== undefined && !isInt16(temp)) return badDevinfo('temp is not a 16-bit integer');
  const states: LedState[] = [];
  for (const l of leds as unknown[]) {
    const led = ledState(l);
    if (typeof led === 'string') return badDevinfo(led);
    states.push(led);
  }
  return temp === undefined ? { ipaddr, devname, leds: states } : { ipaddr, devname, leds: states, temp };
}

function ledState(l: unknown): LedState | string {
  if (!isRecord(l)) return 'an LED is not an object';
  const { id, name, color, on } = l;
  if (!isByte(id)) return 'an LED id is not 0..255';
  if (typeof name !== 'string') return `LED ${id}: name is not a string`;
  if (!LED_COLORS.includes(color as LedColor)) return `LED ${id}: unknown color`;
  if (typeof on !== 'boolean') return `LED ${id}: on is not a boolean`;
  return { id, name, color: color as LedColor, on };
}

/** A command to a device's ETID and the device's `led` broadcast: [ledId, on], on = 0 or 1. */
export function encodeLed(ledId: number, on: boolean): Uint8Array {
  if (!isByte(ledId)) throw new RangeError(`LED id ${ledId}; expected 0..255`);
  return Uint8Array.of(ledId, on ? 1 : 0);
}

/** Any non-zero `on` byte is on, as the C device's setLed(ledId, on) takes it. */
export function decodeLed(bytes: Uint8Array): { ledId: number; on: boolean } | LedProtocolError {
  if (bytes.length !== 2) return badLength('led', bytes.length);
  return { ledId: bytes[0]!, on: bytes[1] !== 0 };
}

/** Tenths of °C as signed 16-bit big-endian. */
export function encodeTemp(tenths: number): Uint8Array {
  if (!isInt16(tenths)) throw new RangeError(`temperature ${tenths}; expected a 16-bit integer`);
  return Uint8Array.of((tenths >> 8) & 0xff, tenths & 0xff);
}

export function decodeTemp(bytes: Uint8Array): number | LedProtocolError {
  if (bytes.length !== 2) return badLength('temp', bytes.length);
  return ((bytes[0]! << 24) >> 16) | bytes[1]!;
}

/** The LED of the C device's table with this id, undefined for any other id. */
export function ledInfo(id: number): LedInfo | undefined {
  return LED_TABLE.find((l) => l.id === id);
}

function badDevinfo(why: string): LedProtocolError {
  return new LedProtocolError('SMQ_ERR_LED_BAD_DEVINFO', `devinfo: ${why}`);
}

function badLength(what: string, length: number): LedProtocolError {
  return new LedProtocolError('SMQ_ERR_LED_BAD_LENGTH', `${what} payload of ${length} bytes, expected 2`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isByte(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;
}

function isInt16(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= -0x8000 && (v as number) <= 0x7fff;
}
