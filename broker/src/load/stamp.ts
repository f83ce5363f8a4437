/**
 * What every load message carries first, so a receiver can measure latency and count per sender:
 * f64 send time (ms, performance.timeOrigin + performance.now()), u32 publisher index, u32
 * sequence number from 0; the rest of the payload is filler.
 */
export const STAMP_SIZE = 16;

export interface Stamp {
  sentAt: number;
  publisher: number;
  seq: number;
}

/** A payload of `size` bytes (at least STAMP_SIZE) starting with the stamp; big-endian. */
export function encodeStamp(stamp: Stamp, size: number): Uint8Array {
  if (!Number.isInteger(size) || size < STAMP_SIZE)
    throw new RangeError(`payload of ${size} bytes; at least ${STAMP_SIZE}`);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setFloat64(0, stamp.sentAt);
  v.setUint32(8, stamp.publisher);
  v.setUint32(12, stamp.seq);
  return out;
}

/** The stamp, or undefined for a payload too short to hold one (someone else's message). */
export function decodeStamp(payload: Uint8Array): Stamp | undefined {
  if (payload.length < STAMP_SIZE) return undefined;
  const v = new DataView(payload.buffer, payload.byteOffset, STAMP_SIZE);
  return { sentAt: v.getFloat64(0), publisher: v.getUint32(8), seq: v.getUint32(12) };
}

/** Milliseconds on a clock every process on this machine shares closely enough for latency. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
