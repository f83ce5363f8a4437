import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import {
  ClusterLink,
  DEFAULT_LINK_TIMING,
  type LinkInfo,
  type LinkOwner,
  type LinkTiming,
} from './ClusterLink.js';
import { LinkCloseReason } from './LinkCloseReason.js';
import { LinkMsg, decodeJson, encodeJson, type Identity, type Member, type RefuseBody } from './linkCodec.js';
import { newNonce } from './linkAuth.js';
import { MeshDialers, type DialerHost, type DialOrigin, type WantedPeer } from './MeshDialers.js';
import type { Backplane, BackplaneListener, Peer } from './Backplane.js';
import type { Logger } from '../node/options.js';

/** Inbound links still proving the secret; more are dropped (the link path is open to anyone). */
const MAX_HANDSHAKES = 64;

/** The dedicated path for cluster links on every node's port. */
export const LINK_PATH = '/smq-cluster';

/** A link snapshot with what only the mesh knows. */
export interface MeshLinkInfo extends LinkInfo {
  reconnects: number;
}

export interface MeshOptions {
  secret: string;
  name: string;
  /** ws:// (or wss://) URL peers dial to reach this node. */
  url: string;
  /** PEM CA certificate(s) that wss:// peers are verified against (default: the system roots). */
  ca?: string | Buffer;
  /** ETID prefixes this node issues under (sent at the handshake). */
  prefixes(): number[];
  /** Settles an ETID prefix clash found at the handshake: undefined, or why the link is refused. */
  settlePrefixes(remote: number[]): RefuseBody | undefined;
  timing?: Partial<LinkTiming>;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A discovered member is given up after this many failed dials in a row (gossip brings it back). */
  maxDiscoveredFailures?: number;
  log: Logger;
}

/**
 * Full mesh of authenticated WebSocket links with gossip: a node linked to one member learns the
 * others and links to them. One link per pair: when both sides dialled, the link solicited by the
 * smaller node id wins. Messages cross one hop; nothing is forwarded.
 */
export class MeshBackplane implements Backplane, LinkOwner, DialerHost {
  readonly nodeId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  readonly secret: string;
  private readonly up = new Map<string, ClusterLink>();
  private readonly dialers: MeshDialers;
  private readonly handshaking = new Set<ClusterLink>();
  private readonly timing: LinkTiming;
  private listener: BackplaneListener | undefined;
  closed = false;
  /** Times a link to each peer URL went down after being up (survives the peer's restarts). */
  private readonly reconnects = new Map<string, number>();
  private readonly gossiped = new Set<string>();
  /** Node names an operator cut this node off from: refused, and not redialled, until restored. */
  private readonly cutNames = new Set<string>();
  /** Called after each Members message. */
  onMembers: (() => void) | undefined;

  constructor(private readonly o: MeshOptions) {
    this.secret = o.secret;
    this.timing = { ...DEFAULT_LINK_TIMING, ...o.timing };
    this.dialers = new MeshDialers({ ...o, selfUrl: o.url }, this);
  }

  setListener(listener: BackplaneListener): void {
    this.listener = listener;
  }

  identity(): Identity {
    return {
      nodeId: this.nodeId,
      name: this.o.name,
      url: this.o.url,
      nonce: newNonce(),
      prefixes: this.o.prefixes(),
    };
  }

  /** A peer dialled us at LINK_PATH. */
  accept(ws: WebSocket): void {
    if (this.closed || this.handshaking.size >= MAX_HANDSHAKES) {
      ws.terminate();
      if (!this.closed) this.o.log('warn', 'cluster link refused: too many handshakes in progress');
      return;
    }
    this.handshaking.add(new ClusterLink(ws, false, 'inbound', this, this.timing));
  }

  /** Links to a peer by URL (ws://host:port), redialling while it is wanted. */
  addPeer(url: string, origin: DialOrigin = 'configured'): void {
    this.dialers.add(url, origin);
  }

  /** Stops dialling a peer and closes its link. */
  removePeer(url: string): void {
    const d = this.dialers.remove(url);
    if (!d) return;
    const link = d.link ?? (d.nodeId ? this.up.get(d.nodeId) : undefined);
    link?.close(LinkCloseReason.LinkRemoved, 'peer removed');
  }

  /** Drops the link to the node named `name` and refuses it until restore(name). */
  cut(name: string): void {
    this.cutNames.add(name);
    for (const l of [...this.up.values(), ...this.handshaking]) {
      if (l.remote?.name === name) l.close(LinkCloseReason.LinkCut, 'cut by the operator');
    }
  }

  /** Lifts a cut: dials that node again at once where this node dials it. */
  restore(name: string): void {
    if (this.cutNames.delete(name)) this.dialers.redial(name);
  }

  isCut(name: string): boolean {
    return this.cutNames.has(name);
  }

  isLinked(nodeId: string): boolean {
    return this.up.has(nodeId);
  }

  /** Names of the nodes this node is cut off from. */
  cuts(): string[] {
    return [...this.cutNames];
  }

  send(peer: Peer, msg: Buffer): boolean {
    return this.up.get(peer.nodeId)?.send(msg) ?? false;
  }

  sendControl(peer: Peer, msg: Buffer): void {
    this.up.get(peer.nodeId)?.sendControl(msg);
  }

  links(): MeshLinkInfo[] {
    return [...this.up.values(), ...this.handshaking].map((l) => ({
      ...l.info(),
      reconnects: this.reconnects.get(l.remote?.url ?? '') ?? 0,
    }));
  }

  /** Wanted peers (configured and discovered) by URL, linked or not, with why the last dial failed. */
  wanted(): WantedPeer[] {
    return this.dialers.wanted();
  }

  close(): void {
    this.closed = true;
    this.dialers.close();
    for (const l of [...this.handshaking, ...this.up.values()])
      l.close(LinkCloseReason.NodeShutdown, 'node stopping');
  }

  admit(link: ClusterLink, remote: Identity): RefuseBody | undefined {
    if (remote.nodeId === this.nodeId) return { code: LinkCloseReason.SelfLink, reason: 'a link to itself' };
    if (this.cutNames.has(remote.name))
      return { code: LinkCloseReason.LinkCut, reason: 'cut by the operator' };
    const existing = this.up.get(remote.nodeId);
    if (existing) {
      // One link per pair: the one solicited by the smaller node id wins, on both sides alike.
      const solicitor = (l: ClusterLink): string => (l.didSolicit ? this.nodeId : remote.nodeId);
      if (solicitor(existing) <= solicitor(link)) {
        return { code: LinkCloseReason.DuplicateLink, reason: 'already linked' };
      }
    }
    const refusal = this.o.settlePrefixes(remote.prefixes);
    if (refusal || !existing) return refusal;
    // A hand-over, not a loss: the peer never went down, so no peerDown (no Change(etid, 0)
    // for its clients); the new link's Sync then reconciles anything the old one missed.
    this.up.delete(remote.nodeId);
    existing.close(LinkCloseReason.DuplicateLink, 'replaced by a duplicate');
    return undefined;
  }

  settleEarly(remotePrefixes: number[]): void {
    this.o.settlePrefixes(remotePrefixes);
  }

  linkUp(link: ClusterLink): void {
    const remote = link.remote!;
    this.handshaking.delete(link);
    this.up.set(remote.nodeId, link);
    this.dialers.linkUp(link, remote);
    this.o.log('info', 'cluster link up', { peer: remote.name, url: remote.url, solicited: link.didSolicit });
    // Members first, so a starting node knows every member before the first Sync tells it it may greet.
    this.gossip(link);
    this.listener?.peerUp(peerOf(remote));
  }

  linkSlow(link: ClusterLink, slow: boolean): void {
    const peer = link.remote?.name ?? link.url;
    if (slow) this.o.log('warn', 'slow cluster link detected: dropping publishes to it', { peer });
    else this.o.log('info', 'slow cluster link recovered', { peer, drops: link.info().drops });
  }

  /** Tells every peer this node's ETID prefixes changed. */
  announcePrefixes(): void {
    const msg = encodeJson(LinkMsg.Prefixes, this.o.prefixes());
    for (const l of this.up.values()) l.sendControl(msg);
  }

  /** ETID prefixes of every linked peer: a new prefix of ours must avoid them. */
  peerPrefixes(): Set<number> {
    const all = new Set<number>();
    for (const l of this.up.values()) for (const p of l.remote!.prefixes) all.add(p);
    return all;
  }

  linkMessage(link: ClusterLink, msg: Buffer): void {
    if (msg[0] === LinkMsg.Prefixes) this.peerPrefixesChanged(link, decodeJson<number[]>(msg));
    else if (msg[0] === LinkMsg.Members) this.learn(decodeJson<Member[]>(msg));
    else this.listener?.message(peerOf(link.remote!), msg);
  }

  linkDown(link: ClusterLink, reason: LinkCloseReason, detail: string): void {
    this.handshaking.delete(link);
    const remote = link.remote;
    const wasUp = remote !== undefined && this.up.get(remote.nodeId) === link;
    if (wasUp) {
      this.up.delete(remote.nodeId);
      this.reconnects.set(remote.url, (this.reconnects.get(remote.url) ?? 0) + 1);
      this.listener?.peerDown(peerOf(remote), reason);
    }
    const level =
      reason === LinkCloseReason.NodeShutdown ||
      reason === LinkCloseReason.DuplicateLink ||
      reason === LinkCloseReason.LinkCut
        ? 'info'
        : 'warn';
    this.o.log(level, wasUp ? 'cluster link down' : 'cluster link failed', {
      peer: remote?.name ?? link.url,
      reason,
      detail,
    });
    this.dialers.linkDown(link, remote, wasUp, reason, detail);
  }

  /** Opens an outbound link (for the dialers). */
  open(url: string, origin: DialOrigin): ClusterLink {
    const ws = new WebSocket(url + LINK_PATH, {
      perMessageDeflate: false,
      handshakeTimeout: this.timing.handshakeTimeoutMs,
      ca: this.o.ca,
    });
    const link = new ClusterLink(ws, true, origin, this, this.timing, url);
    this.handshaking.add(link);
    return link;
  }

  /** Tells the new peer every member we know, and every other peer about the new one. */
  private gossip(newLink: ClusterLink): void {
    const members: Member[] = [{ nodeId: this.nodeId, url: this.o.url }];
    for (const l of this.up.values()) members.push({ nodeId: l.remote!.nodeId, url: l.remote!.url });
    newLink.sendControl(encodeJson(LinkMsg.Members, members));
    const newcomer = encodeJson(LinkMsg.Members, [
      { nodeId: newLink.remote!.nodeId, url: newLink.remote!.url },
    ]);
    for (const l of this.up.values()) if (l !== newLink) l.sendControl(newcomer);
  }

  /** A peer moved to a new prefix; one we use too would give two clients one ETID: drop the link. */
  private peerPrefixesChanged(link: ClusterLink, prefixes: number[] | undefined): void {
    if (!Array.isArray(prefixes) || !prefixes.every((p) => Number.isInteger(p))) return;
    link.remote!.prefixes = prefixes;
    const mine = new Set(this.o.prefixes());
    const clash = prefixes.find((p) => mine.has(p));
    if (clash !== undefined)
      link.close(LinkCloseReason.EtidPrefixClash, `peer moved to ETID prefix ${clash}, ours too`);
  }

  /** Dials members we are not linked to; of each pair, the smaller node id dials (no duplicate race). */
  private learn(members: Member[] | undefined): void {
    if (!Array.isArray(members)) return;
    for (const m of members) {
      if (typeof m?.nodeId !== 'string' || typeof m.url !== 'string' || m.nodeId === this.nodeId) continue;
      this.gossiped.add(m.nodeId);
      if (this.up.has(m.nodeId) || this.nodeId > m.nodeId) continue;
      this.addPeer(m.url, 'discovered');
    }
    this.onMembers?.();
  }

  /** Node ids of every member peers have told us about (linked or not yet). */
  members(): ReadonlySet<string> {
    return this.gossiped;
  }
}

function peerOf(remote: Identity): Peer {
  return { nodeId: remote.nodeId, name: remote.name };
}
