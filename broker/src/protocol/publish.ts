import { PacketType, PUBLISH_HEADER_SIZE } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { toBuffer, type Bytes } from './bytes.js';

/**
 * Publish (8) and PubFrag (19): u32 destination (tid or etid), u32 publisher etid, u32 subtid, payload.
 * A PubFrag with destination 0 is an intermediate fragment; the first non-zero one is the last.
 */
export interface PublishPacket {
  type: typeof PacketType.Publish | typeof PacketType.PubFrag;
  dest: number;
  ptid: number;
  subtid: number;
  payload: Buffer;
}

export function encodePublish(
  dest: number,
  ptid: number,
  subtid: number,
  payload: Bytes,
  type: PublishPacket['type'] = PacketType.Publish,
): Buffer {
  const body = toBuffer(payload);
  const out = Buffer.allocUnsafe(PUBLISH_HEADER_SIZE + body.length);
  writePublishHeader(out, type, dest, ptid, subtid);
  body.copy(out, PUBLISH_HEADER_SIZE);
  return out;
}

export function writePublishHeader(
  out: Buffer,
  type: number,
  dest: number,
  ptid: number,
  subtid: number,
): void {
  out[0] = type;
  out.writeUInt32BE(dest >>> 0, 1);
  out.writeUInt32BE(ptid >>> 0, 5);
  out.writeUInt32BE(subtid >>> 0, 9);
}

export function decodePublish(p: Buffer): PublishPacket | SmqProtocolError {
  if (p.length < PUBLISH_HEADER_SIZE) {
    return protocolError('SMQ_ERR_SHORT_PACKET', `Publish of ${p.length} bytes, header needs 13`);
  }
  return {
    type: p[0] as PublishPacket['type'],
    dest: p.readUInt32BE(1),
    ptid: p.readUInt32BE(5),
    subtid: p.readUInt32BE(9),
    payload: p.subarray(PUBLISH_HEADER_SIZE),
  };
}
