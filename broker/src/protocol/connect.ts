import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { allocBytes, readU16, toBytes, writeU16, type Bytes } from './bytes.js';

/**
 * Connect (2), client to broker: u8 version (1 or 2); for 2 a u16 max-frame hint (0 = none; the C
 * client always sends 2 with 0); u8 uidLen, uid; u8 credLen, credentials; info (rest).
 * uid and credentials are binary (a MAC, a SHA-1 digest) and stay raw bytes.
 */
export interface ConnectPacket {
  type: typeof PacketType.Connect;
  version: 1 | 2;
  maxFrame: number;
  uid: Uint8Array;
  credentials: Uint8Array;
  info: Uint8Array;
}

export interface ConnectFields {
  version?: 1 | 2;
  maxFrame?: number;
  uid: Bytes;
  credentials?: Bytes;
  info?: Bytes;
}

export function encodeConnect(f: ConnectFields): Uint8Array {
  const version = f.version ?? 2;
  const maxFrame = f.maxFrame ?? 0;
  const uid = toBytes(f.uid);
  const cred = toBytes(f.credentials ?? '');
  const info = toBytes(f.info ?? '');
  if (uid.length > 255 || cred.length > 255)
    throw new RangeError('uid and credentials are at most 255 bytes');
  if (!Number.isInteger(maxFrame) || maxFrame < 0 || maxFrame > 0xffff)
    throw new RangeError(`max-frame hint ${maxFrame} is not a u16`);
  const head = version === 2 ? 4 : 2;
  const out = allocBytes(head + 1 + uid.length + 1 + cred.length + info.length);
  out[0] = PacketType.Connect;
  out[1] = version;
  if (version === 2) writeU16(out, maxFrame, 2);
  let o = head;
  out[o++] = uid.length;
  out.set(uid, o);
  o += uid.length;
  out[o++] = cred.length;
  out.set(cred, o);
  out.set(info, o + cred.length);
  return out;
}

export function decodeConnect(p: Uint8Array): ConnectPacket | SmqProtocolError {
  if (p.length < 2) return protocolError('SMQ_ERR_SHORT_PACKET', 'Connect without a version');
  const version = p[1]!;
  if (version !== 1 && version !== 2) {
    return protocolError('SMQ_ERR_BAD_VERSION', `Connect version ${version}`);
  }
  let o = 2;
  let maxFrame = 0;
  if (version === 2) {
    if (p.length < 4) return protocolError('SMQ_ERR_SHORT_PACKET', 'Connect v2 without its max-frame hint');
    maxFrame = readU16(p, 2);
    o = 4;
  }
  if (o >= p.length) return protocolError('SMQ_ERR_SHORT_PACKET', 'Connect without a uid length');
  const uidLen = p[o++]!;
  if (o + uidLen >= p.length) return protocolError('SMQ_ERR_SHORT_PACKET', 'Connect uid runs past the end');
  const uid = p.subarray(o, o + uidLen);
  o += uidLen;
  const credLen = p[o++]!;
  if (o + credLen > p.length) {
    return protocolError('SMQ_ERR_SHORT_PACKET', 'Connect credentials run past the end');
  }
  const credentials = p.subarray(o, o + credLen);
  o += credLen;
  return { type: PacketType.Connect, version, maxFrame, uid, credentials, info: p.subarray(o) };
}
