import { PacketType, type ConnackCode } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';

/** Connack (3), broker to client: u8 rc, u32 etid (always; 0 on refusal), reason text on refusal only. */
export interface ConnackPacket {
  type: typeof PacketType.Connack;
  rc: number;
  etid: number;
  reason: Buffer;
}

export function encodeConnack(rc: ConnackCode, etid: number, reason = ''): Buffer {
  const r = Buffer.from(rc === 0 ? '' : reason, 'utf8');
  const out = Buffer.allocUnsafe(6 + r.length);
  out[0] = PacketType.Connack;
  out[1] = rc;
  out.writeUInt32BE(rc === 0 ? etid >>> 0 : 0, 2);
  r.copy(out, 6);
  return out;
}

export function decodeConnack(p: Buffer): ConnackPacket | SmqProtocolError {
  if (p.length < 6) return protocolError('SMQ_ERR_SHORT_PACKET', `Connack of ${p.length} bytes`);
  return { type: PacketType.Connack, rc: p[1]!, etid: p.readUInt32BE(2), reason: p.subarray(6) };
}
