/**
 * Byte helpers for the codec: plain Uint8Array, big-endian by hand, TextEncoder for text, so the
 * protocol runs in browsers as well as in Node (a Node Buffer is a Uint8Array and works as input).
 */

/** Names, payloads and credentials are raw bytes; strings are UTF-8 encoded on the way in. */
export type Bytes = Uint8Array | string;

const utf8 = new TextEncoder();

const POOL_SIZE = 8 * 1024;
let pool = new ArrayBuffer(POOL_SIZE);
let poolOffset = 0;

/**
 * `size` zeroed bytes for an encoder's output. Small ones are carved from a shared 8 KiB slab, as
 * Node's Buffer.allocUnsafe does: a fresh ArrayBuffer per packet costs far more than the packet.
 * So a result is a view: always use byteOffset/byteLength with its `.buffer`.
 */
export function allocBytes(size: number): Uint8Array {
  if (size >= POOL_SIZE >>> 1) return new Uint8Array(size);
  if (size > POOL_SIZE - poolOffset) {
    pool = new ArrayBuffer(POOL_SIZE);
    poolOffset = 0;
  }
  const out = new Uint8Array(pool, poolOffset, size);
  poolOffset = (poolOffset + size + 7) & ~7;
  return out;
}

/** The bytes as given (a Buffer stays that Buffer), or a string's UTF-8. */
export function toBytes(b: Bytes): Uint8Array {
  return typeof b === 'string' ? utf8.encode(b) : b;
}

/** A packet whose body is one name after the type byte (and an optional fixed header before it). */
export function withName(header: Uint8Array, name: Bytes): Uint8Array {
  const n = toBytes(name);
  const out = allocBytes(header.length + n.length);
  out.set(header, 0);
  out.set(n, header.length);
  return out;
}

/** Latin-1 bytes of a text (low byte of each UTF-16 unit): Init's IP. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Latin-1 text of bytes from `start`: one character per byte, so no byte is ever lost. */
export function latin1Text(p: Uint8Array, start = 0): string {
  let s = '';
  // Chunked: fromCharCode over a whole 64 KiB packet at once could exceed the argument limit.
  for (let o = start; o < p.length; o += 4096) {
    s += String.fromCharCode(...p.subarray(o, Math.min(o + 4096, p.length)));
  }
  return s;
}

export function readU16(p: Uint8Array, o: number): number {
  return (p[o]! << 8) | p[o + 1]!;
}

export function readU32(p: Uint8Array, o: number): number {
  return p[o]! * 0x1000000 + ((p[o + 1]! << 16) | (p[o + 2]! << 8) | p[o + 3]!);
}

export function writeU16(out: Uint8Array, v: number, o: number): void {
  out[o] = v >>> 8;
  out[o + 1] = v;
}

/** Writes `v >>> 0`: any number is taken modulo 2^32, like the ids on the wire. */
export function writeU32(out: Uint8Array, v: number, o: number): void {
  out[o] = v >>> 24;
  out[o + 1] = v >>> 16;
  out[o + 2] = v >>> 8;
  out[o + 3] = v;
}
