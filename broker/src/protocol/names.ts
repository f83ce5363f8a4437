import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { withName, type Bytes } from './bytes.js';

/** Requests whose whole body is one name: Subscribe (4), Create (6), Createsub (17). */
export type NameRequestType =
  typeof PacketType.Subscribe | typeof PacketType.Create | typeof PacketType.Createsub;
/** Their acks: u8 status, u32 id (0 when denied), the requested name echoed byte for byte. */
export type AckType = typeof PacketType.Suback | typeof PacketType.Createack | typeof PacketType.Createsuback;

export interface NameRequestPacket {
  type: NameRequestType;
  name: Buffer;
}

export interface AckPacket {
  type: AckType;
  status: number;
  id: number;
  name: Buffer;
}

/** The ack type answering each request type. */
export const ACK_FOR: Readonly<Record<NameRequestType, AckType>> = {
  [PacketType.Subscribe]: PacketType.Suback,
  [PacketType.Create]: PacketType.Createack,
  [PacketType.Createsub]: PacketType.Createsuback,
};

export function encodeNameRequest(type: NameRequestType, name: Bytes): Buffer {
  return withName(Buffer.of(type), name);
}

export function decodeNameRequest(p: Buffer): NameRequestPacket {
  return { type: p[0] as NameRequestType, name: p.subarray(1) };
}

export function encodeAck(type: AckType, status: number, id: number, name: Bytes): Buffer {
  const head = Buffer.allocUnsafe(6);
  head[0] = type;
  head[1] = status;
  head.writeUInt32BE(status === 0 ? id >>> 0 : 0, 2);
  return withName(head, name);
}

export function decodeAck(p: Buffer): AckPacket | SmqProtocolError {
  if (p.length < 6) return protocolError('SMQ_ERR_SHORT_PACKET', `ack of ${p.length} bytes`);
  return { type: p[0] as AckType, status: p[1]!, id: p.readUInt32BE(2), name: p.subarray(6) };
}
