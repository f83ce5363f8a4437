import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { allocBytes, readU32, writeU32 } from './bytes.js';

/** Packets whose whole body is one u32 id: Unsubscribe (9), Observe (14), Unobserve (15). */
export type IdPacketType =
  typeof PacketType.Unsubscribe | typeof PacketType.Observe | typeof PacketType.Unobserve;

export interface IdPacket {
  type: IdPacketType;
  id: number;
}

/** Change (16), broker to client: u32 tid-or-etid, u32 subscriber count (0 for an etid: gone). */
export interface ChangePacket {
  type: typeof PacketType.Change;
  id: number;
  count: number;
}

export function encodeIdPacket(type: IdPacketType, id: number): Uint8Array {
  const out = allocBytes(5);
  out[0] = type;
  writeU32(out, id, 1);
  return out;
}

export function decodeIdPacket(p: Uint8Array): IdPacket | SmqProtocolError {
  if (p.length !== 5) return sizeError(p, 5);
  return { type: p[0] as IdPacketType, id: readU32(p, 1) };
}

export function encodeChange(id: number, count: number): Uint8Array {
  const out = allocBytes(9);
  out[0] = PacketType.Change;
  writeU32(out, id, 1);
  writeU32(out, count, 5);
  return out;
}

export function decodeChange(p: Uint8Array): ChangePacket | SmqProtocolError {
  if (p.length !== 9) return sizeError(p, 9);
  return { type: PacketType.Change, id: readU32(p, 1), count: readU32(p, 5) };
}

function sizeError(p: Uint8Array, size: number): SmqProtocolError {
  return p.length < size
    ? protocolError('SMQ_ERR_SHORT_PACKET', `type ${p[0]} of ${p.length} bytes, needs ${size}`)
    : protocolError('SMQ_ERR_TRAILING_BYTES', `type ${p[0]} of ${p.length} bytes, expected ${size}`);
}
