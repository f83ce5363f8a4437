import type { BackplaneListener, Peer } from '../Backplane.js';
import { LinkCloseReason } from '../LinkCloseReason.js';
import { LinkMsg, type RefuseBody } from '../linkCodec.js';
import { etidPrefixOf } from '../../node/EtidAllocator.js';
import type { Logger } from '../../node/options.js';
import { DeltaSequence } from './DeltaSequence.js';
import { EnvelopeKind, decodePresence, type Envelope } from './envelope.js';

export interface NatsTiming {
  /** Presence beats are published this often. */
  heartbeatMs: number;
  /** A peer not heard from for this long is gone (it died, or it or we lost NATS). */
  deadAfterMs: number;
}

/** A node is declared gone within deadAfterMs + heartbeatMs of its last message. */
export const DEFAULT_NATS_TIMING: NatsTiming = { heartbeatMs: 1000, deadAfterMs: 3500 };

/** A peer as NATS presence shows it. */
interface NatsPeer extends Peer {
  prefixes: number[];
  lastHeard: number;
  seq: DeltaSequence;
  /** When its snapshot was last asked for (asked again while it does not come). */
  askedAt: number;
  resyncs: number;
}

export interface NatsPeerInfo {
  nodeId: string;
  name: string;
  lastHeardMs: number;
  awaitingSnapshot: boolean;
  resyncs: number;
}

export interface MembershipOptions {
  name: string;
  timing: NatsTiming;
  /** Settles an ETID prefix clash with a peer: undefined, or why that peer is not taken in. */
  settlePrefixes(remote: number[]): RefuseBody | undefined;
  /** Publishes our presence: to one node (`to`, asking for its snapshot when `want`) or to all. */
  beat(to: string | undefined, want: boolean): void;
  log: Logger;
}

/**
 * Who is in the cluster, as NATS presence shows it, and whether what we know of each peer is
 * whole: peers appear with their first beat and are gone after a Bye or deadAfterMs of silence;
 * their deltas are applied in number order, and a gap (or a reconnect) makes us wait for, and ask
 * again for, a snapshot. Until it comes, ETIDs under that peer's prefixes are not declared gone.
 */
export class NatsMembership {
  private readonly peers = new Map<string, NatsPeer>();
  /** Peers not taken in, by node id, with why (logged once). */
  private readonly refused = new Map<string, string>();
  /** Node names an operator cut this node off from, until restored. */
  private readonly cutNames = new Set<string>();
  listener: BackplaneListener | undefined;
  /** Snapshots fetched after a lost delta or a reconnect. */
  resyncs = 0;
  /** Test hook: a delta or link message from a peer is dropped, as NATS may, when it returns true. */
  dropIncoming: ((from: Peer, msg: Buffer) => boolean) | undefined;

  constructor(private readonly o: MembershipOptions) {}

  /** An envelope from another node; `direct` when it came on our own subject. */
  receive(env: Envelope, direct: boolean): void {
    if (env.kind === EnvelopeKind.Beat) return this.presence(env, direct);
    const p = this.peers.get(env.nodeId);
    if (!p) return;
    p.lastHeard = Date.now();
    if (env.kind === EnvelopeKind.Bye) return this.drop(p, LinkCloseReason.NodeShutdown);
    if (this.dropIncoming?.(p, env.body)) return;
    if (env.kind === EnvelopeKind.Delta) {
      const verdict = p.seq.delta(env.seq);
      if (verdict === 'apply') this.listener?.message(p, env.body);
      else if (verdict === 'gap') this.resync(p);
      return;
    }
    if (env.body[0] === LinkMsg.Sync) {
      if (p.seq.snapshot(env.seq)) this.listener?.message(p, env.body);
      return;
    }
    // Seen before the publish is delivered, so its sender's ETIDs already count as unsettled.
    if (p.seq.revealsGap(env.seq)) this.resync(p);
    this.listener?.message(p, env.body);
  }

  /** Back on NATS after a loss: anything may have been missed, so every peer's snapshot is awaited. */
  reconnected(): void {
    for (const p of this.peers.values()) {
      p.seq.lose();
      p.askedAt = Date.now();
    }
    this.resyncs += this.peers.size;
  }

  /** Peers silent too long are gone; snapshots that did not come are asked for again. */
  tick(): void {
    const now = Date.now();
    for (const p of [...this.peers.values()]) {
      if (now - p.lastHeard > this.o.timing.deadAfterMs) this.drop(p, LinkCloseReason.LinkTimeout);
      else if (p.seq.awaitingSnapshot && now - p.askedAt >= 2 * this.o.timing.heartbeatMs)
        this.askSnapshot(p);
    }
  }

  unsettledOwner(etid: number): Peer | undefined {
    const prefix = etidPrefixOf(etid);
    for (const p of this.peers.values()) if (p.seq.awaitingSnapshot && p.prefixes.includes(prefix)) return p;
    return undefined;
  }

  /** Every peer heard of has sent its snapshot. */
  settled(): boolean {
    return [...this.peers.values()].every((p) => !p.seq.awaitingSnapshot);
  }

  /** ETID prefixes of every peer: a new prefix of ours must avoid them. */
  peerPrefixes(): Set<number> {
    const all = new Set<number>();
    for (const p of this.peers.values()) for (const x of p.prefixes) all.add(x);
    return all;
  }

  cut(name: string): void {
    this.cutNames.add(name);
    for (const p of [...this.peers.values()]) if (p.name === name) this.drop(p, LinkCloseReason.LinkCut);
  }

  restore(name: string): boolean {
    return this.cutNames.delete(name);
  }

  cuts(): string[] {
    return [...this.cutNames];
  }

  info(): NatsPeerInfo[] {
    const now = Date.now();
    return [...this.peers.values()].map((p) => ({
      nodeId: p.nodeId,
      name: p.name,
      lastHeardMs: now - p.lastHeard,
      awaitingSnapshot: p.seq.awaitingSnapshot,
      resyncs: p.resyncs,
    }));
  }

  dropAll(reason: LinkCloseReason): void {
    for (const p of [...this.peers.values()]) this.drop(p, reason);
  }

  /** A beat, on the presence subject or sent to us alone (`direct`: its sender knows us). */
  private presence(env: Envelope, direct: boolean): void {
    const presence = decodePresence(env.body);
    if (!presence) return;
    const known = this.peers.get(env.nodeId);
    const refusal =
      this.cutNames.has(presence.name) || presence.cut.includes(this.o.name)
        ? { code: LinkCloseReason.LinkCut, reason: 'cut by the operator' }
        : this.o.settlePrefixes(presence.prefixes);
    if (refusal) return this.refuse(env.nodeId, presence.name, refusal, known);
    this.refused.delete(env.nodeId);
    if (!known) return this.discover(env.nodeId, presence.name, presence.prefixes, direct);
    known.lastHeard = Date.now();
    known.prefixes = presence.prefixes;
    if (presence.want) this.listener?.peerUp(known);
    if (known.seq.revealsGap(env.seq)) this.resync(known);
  }

  /**
   * A new peer gets our snapshot (peerUp) and is asked for its own, unless it greeted us
   * directly: then it knows us and sends it anyway.
   */
  private discover(nodeId: string, name: string, prefixes: number[], direct: boolean): void {
    const now = Date.now();
    const p: NatsPeer = {
      nodeId,
      name,
      prefixes,
      lastHeard: now,
      seq: new DeltaSequence(),
      askedAt: now,
      resyncs: 0,
    };
    this.peers.set(nodeId, p);
    this.o.log('info', 'cluster peer up (NATS)', { peer: name });
    if (!direct) this.o.beat(nodeId, true);
    this.listener?.peerUp(p);
  }

  private refuse(nodeId: string, name: string, refusal: RefuseBody, known: NatsPeer | undefined): void {
    if (known) this.drop(known, refusal.code as LinkCloseReason);
    if (this.refused.get(nodeId) === refusal.code) return;
    this.refused.set(nodeId, refusal.code);
    this.o.log('warn', 'cluster peer refused (NATS)', {
      peer: name,
      code: refusal.code,
      reason: refusal.reason,
    });
  }

  private resync(p: NatsPeer): void {
    p.resyncs++;
    this.resyncs++;
    this.o.log('warn', 'cluster delta lost: resyncing from a snapshot', { peer: p.name });
    this.askSnapshot(p);
  }

  private askSnapshot(p: NatsPeer): void {
    p.seq.lose();
    p.askedAt = Date.now();
    this.o.beat(p.nodeId, true);
  }

  private drop(p: NatsPeer, reason: LinkCloseReason): void {
    if (this.peers.get(p.nodeId) !== p) return;
    this.peers.delete(p.nodeId);
    const level =
      reason === LinkCloseReason.NodeShutdown || reason === LinkCloseReason.LinkCut ? 'info' : 'warn';
    this.o.log(level, 'cluster peer gone (NATS)', { peer: p.name, reason });
    this.listener?.peerDown(p, reason);
  }
}
