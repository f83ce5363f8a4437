import { PacketType, type ConnackCode } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { allocBytes, readU32, toBytes, writeU32 } from './bytes.js';

/** Connack (3), broker to client: u8 rc, u32 etid (always; 0 on refusal), reason text on refusal only. */
export interface ConnackPacket {
  type: typeof PacketType.Connack;
  rc: number;
  etid: number;
  reason: Uint8Array;
}

export function encodeConnack(rc: ConnackCode, etid: number, reason = ''): Uint8Array {
  const r = toBytes(rc === 0 ? '' : reason);
  const out = allocBytes(6 + r.length);
  out[0] = PacketType.Connack;
  out[1] = rc;
  writeU32(out, rc === 0 ? etid : 0, 2);
  out.set(r, 6);
  return out;
}

export function decodeConnack(p: Uint8Array): ConnackPacket | SmqProtocolError {
  if (p.length < 6) return protocolError('SMQ_ERR_SHORT_PACKET', `Connack of ${p.length} bytes`);
  return { type: PacketType.Connack, rc: p[1]!, etid: readU32(p, 2), reason: p.subarray(6) };
}
