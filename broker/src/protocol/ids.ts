import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';

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

export function encodeIdPacket(type: IdPacketType, id: number): Buffer {
  const out = Buffer.allocUnsafe(5);
  out[0] = type;
  out.writeUInt32BE(id >>> 0, 1);
  return out;
}

export function decodeIdPacket(p: Buffer): IdPacket | SmqProtocolError {
  if (p.length !== 5) return sizeError(p, 5);
  return { type: p[0] as IdPacketType, id: p.readUInt32BE(1) };
}

export function encodeChange(id: number, count: number): Buffer {
  const out = Buffer.allocUnsafe(9);
  out[0] = PacketType.Change;
  out.writeUInt32BE(id >>> 0, 1);
  out.writeUInt32BE(count >>> 0, 5);
  return out;
}

export function decodeChange(p: Buffer): ChangePacket | SmqProtocolError {
  if (p.length !== 9) return sizeError(p, 9);
  return { type: PacketType.Change, id: p.readUInt32BE(1), count: p.readUInt32BE(5) };
}

function sizeError(p: Buffer, size: number): SmqProtocolError {
  return p.length < size
    ? protocolError('SMQ_ERR_SHORT_PACKET', `type ${p[0]} of ${p.length} bytes, needs ${size}`)
    : protocolError('SMQ_ERR_TRAILING_BYTES', `type ${p[0]} of ${p.length} bytes, expected ${size}`);
}
