import { MAX_PAYLOAD, PacketType, PUBLISH_HEADER_SIZE } from '../../../broker/src/protocol/constants.js';
import type { FuzzTransport } from './FuzzPeer.js';
import { MAX_WS_PACKET } from './packets.js';

/**
 * What SMQ-PROTOCOL.md says the node must do with one packet after the handshake, written from
 * the spec (not from the node's code): keep the connection ('accept'), close it without a
 * Disconnect ('close'), or send Disconnect "corrupt frame" and close ('corrupt').
 */
export type Verdict = 'accept' | 'close' | 'corrupt';

export interface Judgement {
  verdict: Verdict;
  /** Exact Ping: the node answers one Pong. */
  pong: boolean;
  /** Subscribe/Create/Createsub: the ack type and the name it must echo. */
  ack?: { type: number; name: Buffer };
  /** A Publish (or joined PubFrag) the node routes byte for byte. */
  routed?: Buffer;
  unsubscribe?: number;
  observe?: number;
  unobserve?: number;
}

/** The PubFrag reassembly the spec describes, per connection. */
export interface FragState {
  chunks: Buffer[];
  bytes: number;
}

const NAME_ACK: Record<number, number> = {
  [PacketType.Subscribe]: PacketType.Suback,
  [PacketType.Create]: PacketType.Createack,
  [PacketType.Createsub]: PacketType.Createsuback,
};

export function judge(p: Buffer, t: FuzzTransport, etid: number, frag: FragState): Judgement {
  const close: Judgement = { verdict: 'close', pong: false };
  // "Type 0, 10 and >= 20 are never valid"; an empty message has no type; a WebSocket message over
  // the largest Publish cannot be re-framed for raw receivers.
  if (p.length === 0 || (t === 'ws' && p.length > MAX_WS_PACKET)) return close;
  const type = p[0]!;
  switch (type) {
    case PacketType.Subscribe:
    case PacketType.Create:
    case PacketType.Createsub: {
      // Exactly one ack echoing the name: on raw TCP that ack (6 + name bytes) must fit a frame,
      // else no correct answer exists and the only way out is closing (rule 10, oversized frame).
      if (t === 'raw' && 6 + p.length - 1 + 2 > 0xffff) return close;
      return { verdict: 'accept', pong: false, ack: { type: NAME_ACK[type]!, name: p.subarray(1) } };
    }
    case PacketType.Publish:
      return publish(p, etid);
    case PacketType.PubFrag: {
      if (t === 'ws' || p.length < PUBLISH_HEADER_SIZE) return close;
      const chunk = p.subarray(PUBLISH_HEADER_SIZE);
      if (frag.bytes + chunk.length > MAX_PAYLOAD) return close;
      frag.chunks.push(Buffer.from(chunk));
      frag.bytes += chunk.length;
      if (p.readUInt32BE(1) === 0) return { verdict: 'accept', pong: false };
      const joined = Buffer.concat([p.subarray(0, PUBLISH_HEADER_SIZE), ...frag.chunks]);
      joined[0] = PacketType.Publish;
      frag.chunks = [];
      frag.bytes = 0;
      return publish(joined, etid);
    }
    case PacketType.Unsubscribe:
    case PacketType.Observe:
    case PacketType.Unobserve: {
      if (p.length !== 5) return close;
      const id = p.readUInt32BE(1);
      const key =
        type === PacketType.Unsubscribe
          ? 'unsubscribe'
          : type === PacketType.Observe
            ? 'observe'
            : 'unobserve';
      return { verdict: 'accept', pong: false, [key]: id };
    }
    case PacketType.Ping:
      return p.length === 1 ? { verdict: 'accept', pong: true } : close;
    case PacketType.Pong:
      return p.length === 1 ? { verdict: 'accept', pong: false } : close;
    default:
      // Disconnect (the client leaves), Connect after the handshake, broker-only and invalid types.
      return close;
  }
}

function publish(p: Buffer, etid: number): Judgement {
  if (p.length < PUBLISH_HEADER_SIZE) return { verdict: 'close', pong: false };
  if (p.readUInt32BE(5) !== etid) return { verdict: 'corrupt', pong: false };
  if (p.length - PUBLISH_HEADER_SIZE > MAX_PAYLOAD) return { verdict: 'close', pong: false };
  return { verdict: 'accept', pong: false, routed: p };
}
