/** What the composer sends: the payload as typed, checked for its format, as bytes. */

export type PayloadFormat = 'text' | 'json' | 'hex';

export type ParsedPayload = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** SMQ's largest payload (0xFFF0 bytes, spec): larger ones are refused here, not by the node. */
export const MAX_PAYLOAD = 0xfff0;

export function parsePayload(format: PayloadFormat, input: string): ParsedPayload {
  let bytes: Uint8Array;
  if (format === 'hex') {
    const digits = input.replace(/0x/gi, '').replace(/[\s:,-]/g, '');
    if (/[^0-9a-f]/i.test(digits))
      return { ok: false, error: 'hex digits only (spaces, colons and 0x are ignored)' };
    if (digits.length % 2) return { ok: false, error: 'an odd number of hex digits' };
    bytes = new Uint8Array(digits.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  } else {
    if (format === 'json') {
      try {
        JSON.parse(input);
      } catch (err) {
        return { ok: false, error: `not JSON: ${(err as Error).message}` };
      }
    }
    bytes = new TextEncoder().encode(input);
  }
  if (bytes.length > MAX_PAYLOAD)
    return { ok: false, error: `${bytes.length} bytes: SMQ payloads hold at most ${MAX_PAYLOAD}` };
  return { ok: true, bytes };
}

/** The payload after a format switch, and what the user should know when it could not be kept. */
export interface ConvertedPayload {
  payload: string;
  note: string | null;
}

const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * The same bytes in another format where they can be: text and JSON are UTF-8 (to hex: their bytes;
 * between each other: unchanged), hex becomes text when its bytes are valid UTF-8. Otherwise the
 * payload is cleared, with a note saying why, rather than left to fail the new format's check.
 */
export function convertPayload(from: PayloadFormat, to: PayloadFormat, input: string): ConvertedPayload {
  if (from === to || (from !== 'hex' && to !== 'hex')) return { payload: input, note: null };
  if (to === 'hex') return { payload: toHex(new TextEncoder().encode(input)), note: null };
  const parsed = parsePayload('hex', input);
  if (!parsed.ok) return { payload: '', note: `cleared: the hex was not valid (${parsed.error})` };
  try {
    return { payload: new TextDecoder('utf-8', { fatal: true }).decode(parsed.bytes), note: null };
  } catch {
    return { payload: '', note: `cleared: those ${parsed.bytes.length} bytes are not UTF-8 text` };
  }
}
