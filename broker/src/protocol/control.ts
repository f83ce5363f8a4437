import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { withName, type Bytes } from './bytes.js';

/** Disconnect (11): empty, or a reason text. */
export interface DisconnectPacket {
  type: typeof PacketType.Disconnect;
  reason: Uint8Array;
}

/** Ping (12) and Pong (13): empty bodies. */
export interface KeepalivePacket {
  type: typeof PacketType.Ping | typeof PacketType.Pong;
}

const DISCONNECT_HEAD = Uint8Array.of(PacketType.Disconnect);

export function encodeDisconnect(reason: Bytes = ''): Uint8Array {
  return withName(DISCONNECT_HEAD, reason);
}

export function decodeDisconnect(p: Uint8Array): DisconnectPacket {
  return { type: PacketType.Disconnect, reason: p.subarray(1) };
}

export const PING: Uint8Array = Uint8Array.of(PacketType.Ping);
export const PONG: Uint8Array = Uint8Array.of(PacketType.Pong);

export function decodeKeepalive(p: Uint8Array): KeepalivePacket | SmqProtocolError {
  if (p.length !== 1)
    return protocolError('SMQ_ERR_TRAILING_BYTES', `type ${p[0]} with a ${p.length - 1}-byte body`);
  return { type: p[0] as KeepalivePacket['type'] };
}
