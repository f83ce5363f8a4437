import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { allocBytes, readU32, toBytes, writeU32, type Bytes } from './bytes.js';

/** Requests whose whole body is one name: Subscribe (4), Create (6), Createsub (17). */
export type NameRequestType =
  typeof PacketType.Subscribe | typeof PacketType.Create | typeof PacketType.Createsub;
/** Their acks: u8 status, u32 id (0 when denied), the requested name echoed byte for byte. */
export type AckType = typeof PacketType.Suback | typeof PacketType.Createack | typeof PacketType.Createsuback;

export interface NameRequestPacket {
  type: NameRequestType;
  name: Uint8Array;
}

export interface AckPacket {
  type: AckType;
  status: number;
  id: number;
  name: Uint8Array;
}

/** The ack type answering each request type. */
export const ACK_FOR: Readonly<Record<NameRequestType, AckType>> = {
  [PacketType.Subscribe]: PacketType.Suback,
  [PacketType.Create]: PacketType.Createack,
  [PacketType.Createsub]: PacketType.Createsuback,
};

/** The request type each ack type answers (the inverse of ACK_FOR). */
export const REQUEST_FOR: Readonly<Record<AckType, NameRequestType>> = {
  [PacketType.Suback]: PacketType.Subscribe,
  [PacketType.Createack]: PacketType.Create,
  [PacketType.Createsuback]: PacketType.Createsub,
};

export function encodeNameRequest(type: NameRequestType, name: Bytes): Uint8Array {
  const n = toBytes(name);
  const out = allocBytes(1 + n.length);
  out[0] = type;
  out.set(n, 1);
  return out;
}

export function decodeNameRequest(p: Uint8Array): NameRequestPacket {
  return { type: p[0] as NameRequestType, name: p.subarray(1) };
}

export function encodeAck(type: AckType, status: number, id: number, name: Bytes): Uint8Array {
  const n = toBytes(name);
  const out = allocBytes(6 + n.length);
  out[0] = type;
  out[1] = status;
  writeU32(out, status === 0 ? id : 0, 2);
  out.set(n, 6);
  return out;
}

export function decodeAck(p: Uint8Array): AckPacket | SmqProtocolError {
  if (p.length < 6) return protocolError('SMQ_ERR_SHORT_PACKET', `ack of ${p.length} bytes`);
  return { type: p[0] as AckType, status: p[1]!, id: readU32(p, 2), name: p.subarray(6) };
}
