import type { SmqNode } from '../node/SmqNode.js';
import type { Peer } from './Backplane.js';
import type { SyncBody } from './linkCodec.js';

/** What this node knows of one peer: its live ETIDs and its subscriber count per topic name. */
export interface PeerState {
  peer: Peer;
  etids: Set<number>;
  interest: Map<string, number>;
  /** Publishes addressed to it (topic and ETID), counted before the link may drop them as slow. */
  forwarded: number;
  /** Publishes from it for a topic nobody here subscribes to any more (interest raced). */
  stale: number;
  /** ETIDs under its prefix answered as live while its directory was being resynced. */
  vouched: Set<number>;
}

export interface PeerSnapshot {
  nodeId: string;
  name: string;
  etids: number;
  topicsOfInterest: number;
  forwarded: number;
  stale: number;
}

/**
 * The router's knowledge of its peers: each peer's interest per topic key and live ETIDs, the
 * cluster-wide ETID directory, and the node told of what follows (subscriber counts changed,
 * Change(etid, 0) for an ETID gone). The maps are read directly by the router's forwarding.
 */
export class PeerTable {
  readonly peers = new Map<string, PeerState>();
  /** topic key → peers with subscribers → their count */
  readonly interested = new Map<string, Map<PeerState, number>>();
  readonly directory = new Map<number, PeerState>();
  /** Peers whose Sync has arrived since their link came up. */
  private readonly synced = new Set<string>();

  constructor(private readonly node: SmqNode) {}

  /** Adds a peer not known yet; false when it is (a duplicate link took over: keep what we know). */
  add(peer: Peer): boolean {
    if (this.peers.has(peer.nodeId)) return false;
    this.peers.set(peer.nodeId, {
      peer,
      etids: new Set(),
      interest: new Map(),
      forwarded: 0,
      stale: 0,
      vouched: new Set(),
    });
    return true;
  }

  snapshots(): PeerSnapshot[] {
    return [...this.peers.values()].map((p) => ({
      nodeId: p.peer.nodeId,
      name: p.peer.name,
      etids: p.etids.size,
      topicsOfInterest: p.interest.size,
      forwarded: p.forwarded,
      stale: p.stale,
    }));
  }

  /** Subscribers of the topic `key` on every peer. */
  subscribersOf(key: string): number {
    const peers = this.interested.get(key);
    if (!peers) return 0;
    let n = 0;
    for (const c of peers.values()) n += c;
    return n;
  }

  hasSynced(nodeId: string): boolean {
    return this.synced.has(nodeId);
  }

  /** A Sync is the peer's whole truth: what it no longer lists is gone, the rest is set. */
  applySync(p: PeerState, sync: SyncBody): void {
    const etids = new Set((sync.etids ?? []).filter((e) => Number.isInteger(e)));
    const interest = new Map(
      (sync.interest ?? []).filter(([k, c]) => typeof k === 'string' && Number.isInteger(c)),
    );
    for (const etid of [...p.etids]) if (!etids.has(etid)) this.removeEtid(p, etid);
    for (const key of [...p.interest.keys()]) if (!interest.has(key)) this.setInterest(p, key, 0);
    for (const etid of etids) this.addEtid(p, etid);
    for (const [key, count] of interest) this.setInterest(p, key, count);
    this.settleVouched(p);
    this.synced.add(p.peer.nodeId);
  }

  setInterest(p: PeerState, key: string, count: number): void {
    const before = p.interest.get(key) ?? 0;
    if (before === count) return;
    let peers = this.interested.get(key);
    if (count > 0) {
      p.interest.set(key, count);
      if (!peers) this.interested.set(key, (peers = new Map()));
      peers.set(p, count);
    } else {
      p.interest.delete(key);
      peers?.delete(p);
      if (peers?.size === 0) this.interested.delete(key);
    }
    const tid = this.node.topics.names.idOfKey(key);
    if (tid !== undefined) this.node.subscribersChanged(tid);
  }

  addEtid(p: PeerState, etid: number): void {
    p.etids.add(etid);
    this.directory.set(etid, p);
  }

  removeEtid(p: PeerState, etid: number): void {
    p.etids.delete(etid);
    if (this.directory.get(etid) === p) {
      this.directory.delete(etid);
      this.node.observers.notifyGone(etid);
    }
  }

  /** A peer is gone (left, died, or the link is lost): its clients are gone for us. */
  forget(p: PeerState): void {
    this.peers.delete(p.peer.nodeId);
    this.synced.delete(p.peer.nodeId);
    for (const etid of [...p.etids]) this.removeEtid(p, etid);
    this.settleVouched(p);
    for (const key of [...p.interest.keys()]) this.setInterest(p, key, 0);
  }

  /** What was vouched for and the peer's snapshot does not list is gone after all. */
  private settleVouched(p: PeerState): void {
    for (const etid of p.vouched) if (!this.directory.has(etid)) this.node.observers.notifyGone(etid);
    p.vouched.clear();
  }
}
