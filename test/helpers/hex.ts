/** Hand-written hex, `|` between fields and spaces between bytes; refuses anything but whole hex bytes. */
export function hex(s: string): Buffer {
  const compact = s.replace(/[\s|]+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(compact)) throw new Error(`not a hex byte string: ${s}`);
  return Buffer.from(compact, 'hex');
}

/** Hex of codec output: the codec returns plain Uint8Arrays, which have no toString('hex'). */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
