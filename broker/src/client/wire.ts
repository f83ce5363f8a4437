import { MAX_PAYLOAD, PacketType, PUBLISH_HEADER_SIZE } from '../protocol/constants.js';

/*
 * The client's own codec over plain Uint8Array/DataView. broker/src/protocol works on Node Buffers,
 * and this core must also bundle for browsers, where there is no Buffer; only the pure constants
 * are shared. Checked byte for byte against a fake broker in test/broker/client/wire-bytes.test.ts.
 */

const encoder = new TextEncoder();
const lenient = new TextDecoder();
const strict = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Replacement characters for bad bytes: for reasons and names, which are only shown or compared. */
export function fromUtf8(bytes: Uint8Array): string {
  return lenient.decode(bytes);
}

/** Undefined when the bytes are not UTF-8, so a 'text' handler never gets a corrupted string. */
export function fromUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The key a name is matched by: what the broker echoes is the UTF-8 of what we sent. */
export function nameKey(name: string): string {
  return fromUtf8(utf8(name));
}

/** Longest name whose ack (8 framed header bytes + name) still fits a raw-TCP frame. */
export const MAX_NAME = 0xffff - 8;

/** Throws for a name no broker can ack; numbers (ids) and undefined pass. */
export function assertName(name: string | number | undefined): void {
  if (typeof name === 'string' && name.length > MAX_NAME / 3 && utf8(name).length > MAX_NAME) {
    throw new RangeError(`name of ${utf8(name).length} bytes; at most ${MAX_NAME}`);
  }
}

export type NameRequestType =
  typeof PacketType.Subscribe | typeof PacketType.Create | typeof PacketType.Createsub;
export type IdRequestType =
  typeof PacketType.Unsubscribe | typeof PacketType.Observe | typeof PacketType.Unobserve;

/** Connect v2 with max-frame 0, as the C client sends it. uid and credentials are at most 255 bytes. */
export function encodeConnect(uid: Uint8Array, credentials: Uint8Array, info: Uint8Array): Uint8Array {
  if (uid.length < 6 || uid.length > 255) throw new RangeError('uid must be 6..255 bytes');
  if (credentials.length > 255) throw new RangeError('credentials must be at most 255 bytes');
  const out = new Uint8Array(4 + 1 + uid.length + 1 + credentials.length + info.length);
  out[0] = PacketType.Connect;
  out[1] = 2;
  // out[2..3] = max-frame hint 0: "no limit", like the C client.
  let o = 4;
  out[o++] = uid.length;
  out.set(uid, o);
  o += uid.length;
  out[o++] = credentials.length;
  out.set(credentials, o);
  out.set(info, o + credentials.length);
  return out;
}

export function encodeNameRequest(type: NameRequestType, name: string): Uint8Array {
  const n = utf8(name);
  const out = new Uint8Array(1 + n.length);
  out[0] = type;
  out.set(n, 1);
  return out;
}

export function encodeIdRequest(type: IdRequestType, id: number): Uint8Array {
  const out = new Uint8Array(5);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, id >>> 0);
  return out;
}

export function encodePublish(dest: number, ptid: number, subtid: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_PAYLOAD) {
    throw new RangeError(`payload of ${payload.length} bytes; at most ${MAX_PAYLOAD} reach every receiver`);
  }
  const out = new Uint8Array(PUBLISH_HEADER_SIZE + payload.length);
  const v = new DataView(out.buffer);
  out[0] = PacketType.Publish;
  v.setUint32(1, dest >>> 0);
  v.setUint32(5, ptid >>> 0);
  v.setUint32(9, subtid >>> 0);
  out.set(payload, PUBLISH_HEADER_SIZE);
  return out;
}

export const PONG: Uint8Array = Uint8Array.of(PacketType.Pong);
export const DISCONNECT: Uint8Array = Uint8Array.of(PacketType.Disconnect);

/** What a broker may send, decoded; `bad` is anything a published client would close on. */
export type Incoming =
  | { kind: 'init'; version: number; seed: number; ip: string }
  | { kind: 'connack'; rc: number; etid: number; reason: string }
  | { kind: 'ack'; request: NameRequestType; ok: boolean; id: number; name: string }
  | { kind: 'publish'; dest: number; ptid: number; subtid: number; payload: Uint8Array }
  | { kind: 'change'; id: number; count: number }
  | { kind: 'disconnect'; reason: string }
  | { kind: 'ping' }
  | { kind: 'pong' }
  | { kind: 'bad'; reason: string };

const ACK_OF: Partial<Record<number, NameRequestType>> = {
  [PacketType.Suback]: PacketType.Subscribe,
  [PacketType.Createack]: PacketType.Create,
  [PacketType.Createsuback]: PacketType.Createsub,
};

const MIN_SIZE: Partial<Record<number, number>> = {
  [PacketType.Init]: 6,
  [PacketType.Connack]: 6,
  [PacketType.Suback]: 6,
  [PacketType.Createack]: 6,
  [PacketType.Createsuback]: 6,
  [PacketType.Publish]: PUBLISH_HEADER_SIZE,
  [PacketType.Change]: 9,
  [PacketType.Disconnect]: 1,
  [PacketType.Ping]: 1,
  [PacketType.Pong]: 1,
};

export function decodeIncoming(p: Uint8Array): Incoming {
  const type = p[0] ?? 0;
  const min = MIN_SIZE[type];
  if (min === undefined) return { kind: 'bad', reason: `unexpected packet type ${type}` };
  if (p.length < min) return { kind: 'bad', reason: `packet type ${type} of ${p.length} bytes` };
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const request = ACK_OF[type];
  if (request !== undefined) {
    const ok = p[1] === 0;
    return { kind: 'ack', request, ok, id: ok ? v.getUint32(2) : 0, name: fromUtf8(p.subarray(6)) };
  }
  switch (type) {
    case PacketType.Init:
      // The IP is ASCII text; latin1 keeps any stray byte visible instead of failing.
      return {
        kind: 'init',
        version: p[1]!,
        seed: v.getUint32(2),
        ip: String.fromCharCode(...p.subarray(6)),
      };
    case PacketType.Connack:
      return { kind: 'connack', rc: p[1]!, etid: v.getUint32(2), reason: fromUtf8(p.subarray(6)) };
    case PacketType.Publish:
      return {
        kind: 'publish',
        dest: v.getUint32(1),
        ptid: v.getUint32(5),
        subtid: v.getUint32(9),
        payload: p.subarray(PUBLISH_HEADER_SIZE),
      };
    case PacketType.Change:
      return { kind: 'change', id: v.getUint32(1), count: v.getUint32(5) };
    case PacketType.Disconnect:
      return { kind: 'disconnect', reason: fromUtf8(p.subarray(1)) };
    case PacketType.Ping:
      return { kind: 'ping' };
    default:
      return { kind: 'pong' };
  }
}
