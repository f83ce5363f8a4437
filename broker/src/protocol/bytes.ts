/** Names, payloads and credentials are raw bytes; strings are UTF-8 encoded on the way in. */
export type Bytes = Uint8Array | string;

export function toBuffer(b: Bytes): Buffer {
  if (typeof b === 'string') return Buffer.from(b, 'utf8');
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** A packet whose body is one name after the type byte (and an optional fixed header before it). */
export function withName(header: Buffer, name: Bytes): Buffer {
  const n = toBuffer(name);
  const out = Buffer.allocUnsafe(header.length + n.length);
  header.copy(out, 0);
  n.copy(out, header.length);
  return out;
}
