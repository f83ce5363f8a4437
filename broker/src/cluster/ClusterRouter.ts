import { PUBLISH_HEADER_SIZE, SERVER_ETID } from '../protocol/constants.js';
import { encodePublish } from '../protocol/publish.js';
import type { ClusterPort } from '../node/ClusterPort.js';
import { nameKey } from '../node/NameRegistry.js';
import type { Session } from '../node/Session.js';
import type { SmqNode } from '../node/SmqNode.js';
import { linkTap } from '../node/tap.js';
import type { Backplane, BackplaneListener, Peer } from './Backplane.js';
import type { LinkCloseReason } from './LinkCloseReason.js';
import {
  LinkMsg,
  decodeEtid,
  decodeInterest,
  decodeJson,
  decodePubEtid,
  decodePubTopic,
  encodeEtid,
  encodeInterest,
  encodeJson,
  encodePubEtid,
  encodePubTopic,
  type SyncBody,
} from './linkCodec.js';
import { PeerTable, type PeerSnapshot, type PeerState } from './PeerTable.js';

export type { PeerSnapshot } from './PeerTable.js';

const EMPTY = Buffer.alloc(0);

/**
 * The cluster's logic, whatever the backplane: per-topic subscriber counts of every peer (so
 * routing goes only where there is interest, and topic counts are cluster-wide), a directory of
 * the cluster's live ETIDs, translation of names to this node's ids, and Change(etid, 0) for
 * every ETID of a peer that leaves. What it knows of each peer is kept in a PeerTable.
 */
export class ClusterRouter implements ClusterPort, BackplaneListener {
  private readonly table: PeerTable;
  // The table's maps, held here too: forwarding a publish reads them with no extra hop.
  private readonly peers: Map<string, PeerState>;
  private readonly interested: Map<string, Map<PeerState, number>>;
  private readonly directory: Map<number, PeerState>;
  /** Called after each peer's Sync. */
  onSynced: (() => void) | undefined;

  constructor(
    private readonly node: SmqNode,
    private readonly backplane: Backplane,
  ) {
    this.table = new PeerTable(node);
    this.peers = this.table.peers;
    this.interested = this.table.interested;
    this.directory = this.table.directory;
    backplane.setListener(this);
    node.cluster = this;
    for (const [tid, name] of node.topics.names.entries())
      if (node.topics.count(tid) > 0) backplane.localInterest?.(name, true);
  }

  detach(): void {
    for (const p of [...this.peers.values()]) this.table.forget(p);
    if (this.node.cluster === this) this.node.cluster = undefined;
  }

  peerSnapshots(): PeerSnapshot[] {
    return this.table.snapshots();
  }

  remoteSubscribers(tid: number): number {
    const key = this.node.topics.names.keyOf(tid);
    return key === undefined ? 0 : this.table.subscribersOf(key);
  }

  isRemoteEtid(etid: number): boolean {
    return this.ownerOf(etid) !== undefined;
  }

  /**
   * The peer owning `etid`: from the directory, or, while that peer's directory is resynced after a
   * lost delta, the peer its prefix names (vouched for: told gone after the snapshot if absent).
   */
  private ownerOf(etid: number): PeerState | undefined {
    const known = this.directory.get(etid);
    if (known || !this.backplane.unsettledOwner) return known;
    const peer = this.backplane.unsettledOwner(etid);
    const p = peer && this.peers.get(peer.nodeId);
    p?.vouched.add(etid);
    return p;
  }

  peerOf(etid: number): string | undefined {
    return this.directory.get(etid)?.peer.name;
  }

  forwardToTopic(packet: Buffer, tid: number): number {
    const names = this.node.topics.names;
    const key = names.keyOf(tid);
    const peers = key === undefined ? undefined : this.interested.get(key);
    if (!peers) return 0;
    const msg = encodePubTopic(
      this.ptidOut(packet),
      names.nameOf(tid)!,
      this.subtopicOf(packet),
      packet.subarray(PUBLISH_HEADER_SIZE),
    );
    const once = this.backplane.sendToTopic?.(names.nameOf(tid)!, msg);
    let reached = 0;
    for (const [p, count] of peers) {
      p.forwarded++;
      if (once ?? this.backplane.send(p.peer, msg)) reached += count;
    }
    return reached;
  }

  forwardToEtid(packet: Buffer, etid: number): boolean {
    const owner = this.ownerOf(etid);
    if (!owner) return false;
    const msg = encodePubEtid(
      etid,
      this.ptidOut(packet),
      this.subtopicOf(packet),
      packet.subarray(PUBLISH_HEADER_SIZE),
    );
    owner.forwarded++;
    return this.backplane.send(owner.peer, msg);
  }

  localSubscribersChanged(tid: number, count: number): void {
    const name = this.node.topics.names.nameOf(tid);
    if (!name) return;
    // Subscribed to the topic's traffic before the peers hear of the interest.
    this.backplane.localInterest?.(name, count > 0);
    this.broadcast(encodeInterest(name, count));
  }

  sessionUp(s: Session): void {
    this.broadcast(encodeEtid(LinkMsg.EtidUp, s.etid));
  }

  sessionDown(s: Session): void {
    this.broadcast(encodeEtid(LinkMsg.EtidDown, s.etid));
  }

  peerUp(peer: Peer): void {
    // Up again without a down: a duplicate link took over; keep what we know, resend our Sync.
    if (this.table.add(peer)) {
      if (this.node.tapping) this.node.emitTap(linkTap(this.node, peer, 'up', undefined));
    }
    // First on the link, before any publish: who is alive here, and what we subscribe to.
    const interest: [string, number][] = [];
    for (const [tid] of this.node.topics.names.entries()) {
      const count = this.node.topics.count(tid);
      if (count > 0) interest.push([this.node.topics.names.keyOf(tid)!, count]);
    }
    const sync: SyncBody = { etids: [this.node.etids.serverEtid, ...this.node.liveEtids()], interest };
    this.backplane.sendControl(peer, encodeJson(LinkMsg.Sync, sync));
  }

  peerDown(peer: Peer, reason: LinkCloseReason): void {
    const state = this.peers.get(peer.nodeId);
    if (!state) return;
    // First the cause, then what follows from it (Change(etid, 0) to observers of its clients).
    if (this.node.tapping) this.node.emitTap(linkTap(this.node, peer, 'down', reason));
    this.table.forget(state);
  }

  message(peer: Peer, msg: Buffer): void {
    const p = this.peers.get(peer.nodeId);
    if (!p) return;
    switch (msg[0]) {
      case LinkMsg.PubTopic:
        return this.receivePubTopic(p, msg);
      case LinkMsg.PubEtid:
        return this.receivePubEtid(p, msg);
      case LinkMsg.Interest: {
        const i = decodeInterest(msg);
        if (i) this.table.setInterest(p, nameKey(i.name), i.count);
        return;
      }
      case LinkMsg.EtidUp: {
        const etid = decodeEtid(msg);
        if (etid !== undefined) this.table.addEtid(p, etid);
        return;
      }
      case LinkMsg.EtidDown: {
        const etid = decodeEtid(msg);
        if (etid !== undefined) this.table.removeEtid(p, etid);
        return;
      }
      case LinkMsg.Sync: {
        const sync = decodeJson<SyncBody>(msg);
        if (sync) {
          this.table.applySync(p, sync);
          this.onSynced?.();
        }
        return;
      }
    }
  }

  hasSynced(nodeId: string): boolean {
    return this.table.hasSynced(nodeId);
  }

  private receivePubTopic(p: PeerState, msg: Buffer): void {
    const m = decodePubTopic(msg);
    if (!m) return;
    const tid = this.node.topics.names.idOf(m.name);
    if (tid === undefined) {
      p.stale++;
      return;
    }
    this.node.deliverFromPeer(encodePublish(tid, m.ptid, this.subtidOf(m.sub), m.payload), p.peer.name);
  }

  private receivePubEtid(p: PeerState, msg: Buffer): void {
    const m = decodePubEtid(msg);
    if (m)
      this.node.deliverFromPeer(encodePublish(m.dest, m.ptid, this.subtidOf(m.sub), m.payload), p.peer.name);
  }

  private broadcast(msg: Buffer): void {
    if (this.backplane.broadcastControl) return this.backplane.broadcastControl(msg);
    for (const p of this.peers.values()) this.backplane.sendControl(p.peer, msg);
  }

  /** ETID 1 is local to each node: across a link the server client carries its cluster-unique ETID. */
  private ptidOut(packet: Buffer): number {
    const ptid = packet.readUInt32BE(5);
    return ptid === SERVER_ETID ? this.node.etids.serverEtid : ptid;
  }

  private subtopicOf(packet: Buffer): Buffer {
    const subtid = packet.readUInt32BE(9);
    return subtid === 0 ? EMPTY : (this.node.subtopics.nameOf(subtid) ?? EMPTY);
  }

  private subtidOf(name: Buffer): number {
    return name.length === 0 ? 0 : (this.node.subtopics.ensure(name) ?? 0);
  }
}
