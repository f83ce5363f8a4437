import type { LinkCloseReason } from './LinkCloseReason.js';

/** A peer node as the cluster logic sees it, whatever carries the bytes. */
export interface Peer {
  readonly nodeId: string;
  readonly name: string;
}

/** What a backplane tells the cluster logic. */
export interface BackplaneListener {
  peerUp(peer: Peer): void;
  peerDown(peer: Peer, reason: LinkCloseReason): void;
  message(peer: Peer, msg: Buffer): void;
}

/**
 * How bytes travel between nodes, kept apart from the cluster's logic (DESIGN.md, "Beyond one
 * mesh"): the WebSocket full mesh is the first implementation; a NATS backplane can be another.
 */
export interface Backplane {
  setListener(listener: BackplaneListener): void;
  /** A publish to one peer: may be dropped (counted) when the peer is slow. */
  send(peer: Peer, msg: Buffer): boolean;
  /** State the peer must not miss (ETIDs, interest). */
  sendControl(peer: Peer, msg: Buffer): void;
  close(): void;
  /**
   * The optional methods belong to a backplane that fans out itself (NATS subjects). Without them
   * the cluster logic sends per peer, and needs no local interest or unsettled owners.
   *
   * A topic publish, once, for every peer with subscribers to `name`: false when dropped.
   */
  sendToTopic?(name: Buffer, msg: Buffer): boolean;
  /** A change of this node's directory or interest, once, for every peer. */
  broadcastControl?(msg: Buffer): void;
  /** Whether this node has local subscribers for topic `name` (it then takes that topic's traffic). */
  localInterest?(name: Buffer, subscribed: boolean): void;
  /**
   * The peer whose ETID prefix `etid` carries while its directory is being resynced (a lost delta
   * was seen): the ETID is not known to be gone until its snapshot arrives.
   */
  unsettledOwner?(etid: number): Peer | undefined;
}
