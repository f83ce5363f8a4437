import { PacketType } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';

/** Init (1), broker to client: u8 version=1, u32 seed, client IP as text. */
export interface InitPacket {
  type: typeof PacketType.Init;
  version: number;
  seed: number;
  ip: string;
}

export function encodeInit(seed: number, ip: string): Buffer {
  const ipBytes = Buffer.from(ip, 'latin1');
  const out = Buffer.allocUnsafe(6 + ipBytes.length);
  out[0] = PacketType.Init;
  out[1] = 1;
  out.writeUInt32BE(seed >>> 0, 2);
  ipBytes.copy(out, 6);
  return out;
}

export function decodeInit(p: Buffer): InitPacket | SmqProtocolError {
  if (p.length < 6) return protocolError('SMQ_ERR_SHORT_PACKET', `Init of ${p.length} bytes`);
  return { type: PacketType.Init, version: p[1]!, seed: p.readUInt32BE(2), ip: p.toString('latin1', 6) };
}
