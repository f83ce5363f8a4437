/** Views of a captured payload for the detail pane: bytes, UTF-8 text, JSON, hex dump. */

export function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const strict = new TextDecoder('utf-8', { fatal: true });

/** Control characters other than tab, CR and LF: bytes like these are data, not text. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/**
 * The payload as readable text: null when the bytes are not valid UTF-8 (a capture cut may split
 * a character: that tail is dropped) or hold control characters.
 */
export function payloadText(bytes: Uint8Array, truncated: boolean): string | null {
  const whole = decodeStrict(bytes);
  if (whole !== null || !truncated) return whole;
  // A capture limit can cut a multi-byte character in two: drop an incomplete tail sequence.
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
    if (bytes[i]! >= 0xc0) return decodeStrict(bytes.subarray(0, i));
    if (bytes[i]! < 0x80) return null;
  }
  return null;
}

function decodeStrict(bytes: Uint8Array): string | null {
  try {
    const text = strict.decode(bytes);
    return hasControl(text) ? null : text;
  } catch {
    return null;
  }
}

export type JsonView = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parsed JSON, or why not (truncated payloads are not guessed at). */
export function payloadJson(text: string | null, truncated: boolean): JsonView {
  if (text === null) return { ok: false, reason: 'not UTF-8 text' };
  if (truncated) return { ok: false, reason: 'truncated: not parsed' };
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return { ok: false, reason: 'not JSON' };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

/** Bytes as two-digit hex, space separated ("00 e5"). */
function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * An 8-bytes-a-line dump: offset, hex, printable ASCII. Eight, not the classic sixteen, so a line
 * with its ASCII column fits the detail pane beside the list at 1440 px; four offset digits hold
 * any capture (at most 64 KiB).
 */
export function hexDump(bytes: Uint8Array, maxLines = 8192): string[] {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length && lines.length < maxLines; off += 8) {
    const chunk = bytes.subarray(off, off + 8);
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(4, '0')}  ${hexBytes(chunk).padEnd(23)}  ${ascii}`);
  }
  return lines;
}

/** A one-line preview for a list row. */
export function payloadPreview(b64: string, max = 80): string {
  const bytes = base64Bytes(b64.length > (max * 4) / 3 + 8 ? b64.slice(0, Math.ceil(max / 3) * 4) : b64);
  const text = payloadText(bytes, true);
  if (text !== null) return text.length > max ? `${text.slice(0, max)}…` : text.replace(/\s+/g, ' ');
  return hexBytes(bytes.subarray(0, 16));
}
