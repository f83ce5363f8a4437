import { PacketType, PUBLISH_HEADER_SIZE } from './constants.js';
import { protocolError, type SmqProtocolError } from './errors.js';
import { allocBytes, readU32, toBytes, writeU32, type Bytes } from './bytes.js';

/**
 * Publish (8) and PubFrag (19): u32 destination (tid or etid), u32 publisher etid, u32 subtid, payload.
 * A PubFrag with destination 0 is an intermediate fragment; the first non-zero one is the last.
 */
export interface PublishPacket {
  type: typeof PacketType.Publish | typeof PacketType.PubFrag;
  dest: number;
  ptid: number;
  subtid: number;
  payload: Uint8Array;
}

export function encodePublish(
  dest: number,
  ptid: number,
  subtid: number,
  payload: Bytes,
  type: PublishPacket['type'] = PacketType.Publish,
): Uint8Array {
  const body = toBytes(payload);
  const out = allocBytes(PUBLISH_HEADER_SIZE + body.length);
  writePublishHeader(out, type, dest, ptid, subtid);
  out.set(body, PUBLISH_HEADER_SIZE);
  return out;
}

export function writePublishHeader(
  out: Uint8Array,
  type: number,
  dest: number,
  ptid: number,
  subtid: number,
): void {
  out[0] = type;
  writeU32(out, dest, 1);
  writeU32(out, ptid, 5);
  writeU32(out, subtid, 9);
}

export function decodePublish(p: Uint8Array): PublishPacket | SmqProtocolError {
  if (p.length < PUBLISH_HEADER_SIZE) {
    return protocolError('SMQ_ERR_SHORT_PACKET', `Publish of ${p.length} bytes, header needs 13`);
  }
  return {
    type: p[0] as PublishPacket['type'],
    dest: readU32(p, 1),
    ptid: readU32(p, 5),
    subtid: readU32(p, 9),
    payload: p.subarray(PUBLISH_HEADER_SIZE),
  };
}
