/**
 * What the transport-agnostic core needs from a connection: whole SMQ packets (type byte first, no
 * framing) in and out, and one close notice. WebSocket, raw TCP and test doubles all fit behind it.
 */
export interface TransportEvents {
  onpacket(packet: Uint8Array): void;
  /** Called once, also when the connection never came up; `reason` is for humans. */
  onclose(reason: string): void;
}

export interface ClientTransport {
  /** True when the connection can carry PubFrag (raw TCP; never WebSocket, where the broker closes on it). */
  readonly pubFrag?: boolean;
  send(packet: Uint8Array): void;
  /** Flushes what was sent, then closes. Events after this call are ignored by the core. */
  close(): void;
}

/** Opens a connection to one URL; the scheme decides the transport. May throw for a bad URL. */
export type TransportFactory = (url: string, events: TransportEvents) => ClientTransport;
