import { toBytes, type Bytes } from '../protocol/bytes.js';

/**
 * The codec in ../protocol speaks Uint8Array (it also runs in browsers); the node's hot paths read
 * Buffers. These give a Buffer over the same memory, never a copy of the bytes.
 */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** A name or payload as a Buffer: bytes as they are, a string as its UTF-8. */
export function toBuffer(b: Bytes): Buffer {
  return asBuffer(toBytes(b));
}
