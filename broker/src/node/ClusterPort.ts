import type { Session } from './Session.js';

/**
 * What a node asks of the cluster it belongs to (absent on a standalone node). The node calls
 * these on its own events; the cluster layer calls back into the node to deliver what peers send.
 */
export interface ClusterPort {
  /** Subscribers of this topic on other nodes (topic counts are cluster-wide). */
  remoteSubscribers(tid: number): number;
  /** A live ETID owned by another node, its server client included. */
  isRemoteEtid(etid: number): boolean;
  /** The name of the peer node owning a remote ETID (for the tap). */
  peerOf(etid: number): string | undefined;
  /** Sends a local publish to every peer with subscribers to its topic; returns how many it reached. */
  forwardToTopic(packet: Buffer, tid: number): number;
  /** Sends a publish to the node owning `etid`; false when no live node owns it. */
  forwardToEtid(packet: Buffer, etid: number): boolean;
  localSubscribersChanged(tid: number, count: number): void;
  sessionUp(s: Session): void;
  sessionDown(s: Session): void;
}
