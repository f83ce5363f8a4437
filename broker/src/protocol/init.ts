import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { allocBytes, latin1Bytes, latin1Text, readU32, writeU32 } from './bytes.js';

/** Init (1), broker to client: u8 version=1, u32 seed, client IP as text. */
export interface InitPacket {
  type: typeof PacketType.Init;
  version: number;
  seed: number;
  ip: string;
}

export function encodeInit(seed: number, ip: string): Uint8Array {
  const ipBytes = latin1Bytes(ip);
  const out = allocBytes(6 + ipBytes.length);
  out[0] = PacketType.Init;
  out[1] = 1;
  writeU32(out, seed, 2);
  out.set(ipBytes, 6);
  return out;
}

export function decodeInit(p: Uint8Array): InitPacket | SmqProtocolError {
  if (p.length < 6) return protocolError('SMQ_ERR_SHORT_PACKET', `Init of ${p.length} bytes`);
  // The IP is ASCII text; latin1 keeps any stray byte visible instead of failing.
  return { type: PacketType.Init, version: p[1]!, seed: readU32(p, 2), ip: latin1Text(p, 6) };
}
