/** Anything a routed Publish can be handed to: a client session or the node's server-side client. */
export interface Subscriber {
  readonly etid: number;
  /** Hands over one Publish packet (type byte first, as received); false when it was dropped. */
  deliver(packet: Buffer): boolean;
}

/** Anything that can be told about subscriber-count and ETID-gone changes (Change packets). */
export interface Observer {
  readonly etid: number;
  sendChange(id: number, count: number): void;
}
