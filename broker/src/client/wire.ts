import {
  decodePacket,
  PacketType,
  SmqProtocolError,
  toBytes,
  type AckPacket,
  type ChangePacket,
  type ConnackPacket,
  type DisconnectPacket,
  type InitPacket,
  type KeepalivePacket,
  type PublishPacket,
} from '../protocol/index.js';

/*
 * The client's side of the wire. Encoding and decoding are ../protocol's (pure Uint8Array, so it
 * also bundles for browsers); what stays here is client policy: which packets a client accepts
 * from a broker, and how names are turned into text and matched.
 */

/** What a broker may send a client. Anything else is a packet a published client closes on. */
export type BrokerPacket =
  | InitPacket
  | ConnackPacket
  | AckPacket
  | (PublishPacket & { type: typeof PacketType.Publish })
  | ChangePacket
  | DisconnectPacket
  | KeepalivePacket;

/** Decodes a packet from the broker; a string says why it is not one a client may receive. */
export function decodeFromBroker(bytes: Uint8Array): BrokerPacket | string {
  const p = decodePacket(bytes);
  if (p instanceof SmqProtocolError) {
    return p.code === 'SMQ_ERR_INVALID_TYPE' ? unexpectedType(bytes[0]!) : p.message;
  }
  switch (p.type) {
    case PacketType.Init:
    case PacketType.Connack:
    case PacketType.Suback:
    case PacketType.Createack:
    case PacketType.Createsuback:
    case PacketType.Change:
    case PacketType.Disconnect:
    case PacketType.Ping:
    case PacketType.Pong:
      return p;
    case PacketType.Publish:
      return p as PublishPacket & { type: typeof PacketType.Publish };
    default:
      // Client-to-broker types, and PubFrag: a broker never sends them.
      return unexpectedType(p.type);
  }
}

function unexpectedType(type: number): string {
  return `unexpected packet type ${type}`;
}

const lenient = new TextDecoder();
const strict = new TextDecoder('utf-8', { fatal: true });

/** Replacement characters for bad bytes: for reasons and names, which are only shown or compared. */
export function fromUtf8(bytes: Uint8Array): string {
  return lenient.decode(bytes);
}

/** Undefined when the bytes are not UTF-8, so a 'text' handler never gets a corrupted string. */
export function fromUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The key a name is matched by: what the broker echoes is the UTF-8 of what we sent. */
export function nameKey(name: string): string {
  return fromUtf8(toBytes(name));
}

/** Longest name whose ack (8 framed header bytes + name) still fits a raw-TCP frame. */
export const MAX_NAME = 0xffff - 8;

/** Throws for a name no broker can ack; numbers (ids) and undefined pass. */
export function assertName(name: string | number | undefined): void {
  if (typeof name === 'string' && name.length > MAX_NAME / 3 && toBytes(name).length > MAX_NAME) {
    throw new RangeError(`name of ${toBytes(name).length} bytes; at most ${MAX_NAME}`);
  }
}
