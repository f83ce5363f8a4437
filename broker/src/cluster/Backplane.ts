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
}
