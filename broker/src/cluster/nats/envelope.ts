/**
 * What one node publishes to NATS: u8 kind, u32 the sender's control sequence, u8 sender node id
 * length, node id (ASCII), body. Pure functions.
 *
 * The sequence counts the sender's directory and interest deltas. On a Delta it is that delta's
 * own number; on anything else it is the number of the last delta sent before it, so a receiver
 * that has seen fewer knows it lost one, even when the lost delta was the last (heartbeats carry
 * it too).
 */
export const EnvelopeKind = {
  /** body: JSON Presence, on the presence subject or to one node */
  Beat: 1,
  /** the sender leaves the cluster; empty body */
  Bye: 2,
  /** body: one cluster link message (EtidUp, EtidDown, Interest) */
  Delta: 3,
  /** body: one cluster link message to one node or one topic (publishes, the Sync snapshot) */
  Link: 4,
} as const;
export type EnvelopeKind = (typeof EnvelopeKind)[keyof typeof EnvelopeKind];

export interface Presence {
  name: string;
  /** ETID prefixes the sender issues under. */
  prefixes: number[];
  /** The sender needs the receiver's snapshot (it joined, reconnected or saw a gap). */
  want: boolean;
  /** Names of the nodes an operator cut the sender off from: they and the sender ignore each other. */
  cut: string[];
}

export interface Envelope {
  kind: EnvelopeKind;
  seq: number;
  nodeId: string;
  body: Buffer;
}

const HEADER = 6;

export function encodeEnvelope(kind: EnvelopeKind, seq: number, nodeId: string, body: Buffer): Buffer {
  const id = Buffer.from(nodeId, 'latin1');
  const out = Buffer.allocUnsafe(HEADER + id.length + body.length);
  out[0] = kind;
  out.writeUInt32BE(seq, 1);
  out[5] = id.length;
  id.copy(out, HEADER);
  body.copy(out, HEADER + id.length);
  return out;
}

export function decodeEnvelope(data: Uint8Array): Envelope | undefined {
  const msg = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (msg.length < HEADER || msg[0]! < EnvelopeKind.Beat || msg[0]! > EnvelopeKind.Link) return undefined;
  const idEnd = HEADER + msg[5]!;
  if (idEnd > msg.length || idEnd === HEADER) return undefined;
  return {
    kind: msg[0] as EnvelopeKind,
    seq: msg.readUInt32BE(1),
    nodeId: msg.toString('latin1', HEADER, idEnd),
    body: msg.subarray(idEnd),
  };
}

export function encodePresence(p: Presence): Buffer {
  return Buffer.from(JSON.stringify(p), 'utf8');
}

export function decodePresence(body: Buffer): Presence | undefined {
  try {
    const p = JSON.parse(body.toString('utf8')) as Partial<Presence>;
    if (typeof p.name !== 'string' || typeof p.want !== 'boolean') return undefined;
    if (!Array.isArray(p.prefixes) || !p.prefixes.every((x) => Number.isInteger(x))) return undefined;
    if (!Array.isArray(p.cut) || !p.cut.every((x) => typeof x === 'string')) return undefined;
    return { name: p.name, prefixes: p.prefixes, want: p.want, cut: p.cut };
  } catch {
    return undefined;
  }
}
