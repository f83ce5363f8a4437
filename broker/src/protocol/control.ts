import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { withName, type Bytes } from './bytes.js';

/** Disconnect (11): empty, or a reason text. */
export interface DisconnectPacket {
  type: typeof PacketType.Disconnect;
  reason: Buffer;
}

/** Ping (12) and Pong (13): empty bodies. */
export interface KeepalivePacket {
  type: typeof PacketType.Ping | typeof PacketType.Pong;
}

export function encodeDisconnect(reason: Bytes = ''): Buffer {
  return withName(Buffer.of(PacketType.Disconnect), reason);
}

export function decodeDisconnect(p: Buffer): DisconnectPacket {
  return { type: PacketType.Disconnect, reason: p.subarray(1) };
}

export const PING: Buffer = Buffer.of(PacketType.Ping);
export const PONG: Buffer = Buffer.of(PacketType.Pong);

export function decodeKeepalive(p: Buffer): KeepalivePacket | SmqProtocolError {
  if (p.length !== 1)
    return protocolError('SMQ_ERR_TRAILING_BYTES', `type ${p[0]} with a ${p.length - 1}-byte body`);
  return { type: p[0] as KeepalivePacket['type'] };
}
