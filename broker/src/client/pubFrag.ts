import { encodePublish, MAX_PAYLOAD, PacketType } from '../protocol/index.js';

/**
 * The PubFrag packets the C client writes for one message streamed through a buffer holding
 * `size` payload bytes (SMQ_write, then SMQ_pubflush): every time the buffer fills, an intermediate
 * fragment with destination 0 and sub-topic 0; then the last fragment, with the real destination
 * and sub-topic, holding what is left. That rest is empty when the payload is a multiple of
 * `size`: the C client sends the empty last fragment too, and so do we.
 */
export function pubFragPackets(
  dest: number,
  ptid: number,
  subtid: number,
  payload: Uint8Array,
  size: number,
): Uint8Array[] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAYLOAD) {
    throw new RangeError(`fragment size ${size}; expected 1..${MAX_PAYLOAD}`);
  }
  const out: Uint8Array[] = [];
  let offset = 0;
  for (; payload.length - offset >= size; offset += size) {
    out.push(encodePublish(0, ptid, 0, payload.subarray(offset, offset + size), PacketType.PubFrag));
  }
  out.push(encodePublish(dest, ptid, subtid, payload.subarray(offset), PacketType.PubFrag));
  return out;
}
