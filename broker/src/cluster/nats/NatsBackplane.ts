import { randomBytes } from 'node:crypto';
import type { Msg, Subscription } from '@nats-io/transport-node';
import type { Backplane, BackplaneListener, Peer } from '../Backplane.js';
import { LinkCloseReason } from '../LinkCloseReason.js';
import type { RefuseBody } from '../linkCodec.js';
import type { Logger } from '../../node/options.js';
import { EnvelopeKind, decodeEnvelope, encodeEnvelope, encodePresence } from './envelope.js';
import { NatsConnector, type NatsConnectOptions, type NatsInfo } from './NatsConnector.js';
import { DEFAULT_NATS_TIMING, NatsMembership, type NatsPeerInfo, type NatsTiming } from './NatsMembership.js';
import { clusterSubjects, type ClusterSubjects } from './subjects.js';

export { DEFAULT_NATS_TIMING, type NatsTiming } from './NatsMembership.js';

export interface NatsBackplaneOptions extends NatsConnectOptions {
  /** Keeps clusters on one NATS apart (default "smq"). */
  cluster?: string;
  name: string;
  prefixes(): number[];
  /** Settles an ETID prefix clash with a peer: undefined, or why that peer is not taken in. */
  settlePrefixes(remote: number[]): RefuseBody | undefined;
  timing?: Partial<NatsTiming>;
  /** Publishes are dropped (counted) while more than this is waiting to go out to NATS. */
  maxPendingBytes?: number;
  log: Logger;
}

export interface NatsBackplaneInfo extends NatsInfo {
  cluster: string;
  /** NATS subscriptions of this node: presence, deltas, its own subject, and one per topic of interest. */
  subscriptions: number;
  /** Snapshots fetched after a lost delta or a reconnect. */
  resyncs: number;
  /** Publishes dropped because too much was waiting to go out to NATS. */
  drops: number;
  peers: NatsPeerInfo[];
}

/** Presence, deltas and this node's own subject. */
const FIXED_SUBSCRIPTIONS = 3;
const DEFAULT_MAX_PENDING_BYTES = 8 * 1024 * 1024;

/**
 * The cluster over NATS subjects (see subjects.ts): presence beats find peers and tell when one is
 * gone; deltas of the directory and interest go once to every node, numbered; topic publishes go
 * to the topic's subject, which only nodes with local subscribers listen to; ETID publishes and
 * snapshots go to the owner's own subject. NatsMembership keeps who is in and what is whole.
 */
export class NatsBackplane implements Backplane {
  readonly nodeId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  readonly cluster: string;
  private readonly subjects: ClusterSubjects;
  private readonly timing: NatsTiming;
  private readonly connector: NatsConnector;
  readonly membership: NatsMembership;
  /** Topic subject → the subscription taking its publishes, while this node has local subscribers. */
  private readonly topics = new Map<string, Subscription | undefined>();
  /** The number of the last delta this node published. */
  private seq = 0;
  private drops = 0;
  private ticks = 0;
  private readonly timer: NodeJS.Timeout;
  private connectedAt: number | undefined;
  private closed = false;

  constructor(private readonly o: NatsBackplaneOptions) {
    this.cluster = o.cluster ?? 'smq';
    this.subjects = clusterSubjects(this.cluster);
    this.timing = { ...DEFAULT_NATS_TIMING, ...o.timing };
    this.membership = new NatsMembership({
      name: o.name,
      timing: this.timing,
      settlePrefixes: o.settlePrefixes,
      beat: (to, want) => this.beat(to === undefined ? this.subjects.presence : this.subjects.node(to), want),
      log: o.log,
    });
    this.connector = new NatsConnector(o, `smq-node ${o.name}`, (how) => this.connectedUp(how), o.log);
    this.timer = setInterval(() => this.tick(), this.timing.heartbeatMs).unref();
    void this.connector.start();
  }

  setListener(listener: BackplaneListener): void {
    this.membership.listener = listener;
  }

  send(peer: Peer, msg: Buffer): boolean {
    return this.publishData(this.subjects.node(peer.nodeId), msg);
  }

  sendControl(peer: Peer, msg: Buffer): void {
    this.publish(this.subjects.node(peer.nodeId), EnvelopeKind.Link, msg);
  }

  sendToTopic(name: Buffer, msg: Buffer): boolean {
    return this.publishData(this.subjects.topic(name), msg);
  }

  broadcastControl(msg: Buffer): void {
    this.seq = (this.seq + 1) >>> 0;
    this.publish(this.subjects.deltas, EnvelopeKind.Delta, msg);
  }

  localInterest(name: Buffer, subscribed: boolean): void {
    const subject = this.subjects.topic(name);
    if (subscribed === this.topics.has(subject)) return;
    if (subscribed) this.topics.set(subject, this.subscribe(subject));
    else {
      this.topics.get(subject)?.unsubscribe();
      this.topics.delete(subject);
    }
  }

  unsettledOwner(etid: number): Peer | undefined {
    return this.membership.unsettledOwner(etid);
  }

  peerPrefixes(): Set<number> {
    return this.membership.peerPrefixes();
  }

  /** Drops the node named `name` and ignores it (our beats tell it to ignore us) until restore(name). */
  cut(name: string): void {
    this.membership.cut(name);
    this.beat(this.subjects.presence, false);
  }

  /** Lifts a cut: the hello makes both sides find each other again and exchange snapshots. */
  restore(name: string): void {
    if (this.membership.restore(name)) this.beat(this.subjects.presence, true);
  }

  cuts(): string[] {
    return this.membership.cuts();
  }

  /** Our prefixes changed: tell every node now rather than at the next beat. */
  announcePrefixes(): void {
    this.beat(this.subjects.presence, false);
  }

  /**
   * Resolves once connected, a beat period has passed for peers to answer our hello, and every
   * peer heard of has sent its snapshot (or the backplane closed).
   */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      const check = setInterval(() => {
        const listened =
          this.connectedAt !== undefined && Date.now() - this.connectedAt >= this.timing.heartbeatMs;
        if (!this.closed && (!listened || !this.membership.settled())) return;
        clearInterval(check);
        resolve();
      }, 20).unref();
    });
  }

  info(): NatsBackplaneInfo {
    return {
      ...this.connector.info(),
      cluster: this.cluster,
      subscriptions: this.topics.size + FIXED_SUBSCRIPTIONS,
      resyncs: this.membership.resyncs,
      drops: this.drops,
      peers: this.membership.info(),
    };
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.publish(this.subjects.presence, EnvelopeKind.Bye, Buffer.alloc(0));
    this.connector.close();
    this.membership.dropAll(LinkCloseReason.NodeShutdown);
  }

  /**
   * Subscribed (on a new connection) before any beat; after a loss every peer's snapshot is awaited;
   * then the hello asks every node for its snapshot.
   */
  private connectedUp(how: 'first' | 'reconnected' | 'redialled'): void {
    this.connectedAt = Date.now();
    if (how !== 'reconnected') {
      this.subscribe(this.subjects.presence);
      this.subscribe(this.subjects.deltas);
      this.subscribe(this.subjects.node(this.nodeId));
      for (const subject of this.topics.keys()) this.topics.set(subject, this.subscribe(subject));
    }
    if (how !== 'first') this.membership.reconnected();
    this.beat(this.subjects.presence, true);
  }

  private subscribe(subject: string): Subscription | undefined {
    return this.connector.nc?.subscribe(subject, {
      callback: (err, msg) => {
        if (!err) this.receive(msg);
      },
    });
  }

  private receive(msg: Msg): void {
    const env = decodeEnvelope(msg.data);
    if (env && env.nodeId !== this.nodeId)
      this.membership.receive(env, msg.subject !== this.subjects.presence);
  }

  /** False when the client refused it (closed, or larger than the server's max_payload). */
  private publish(subject: string, kind: EnvelopeKind, body: Buffer): boolean {
    const nc = this.connector.nc;
    if (!nc) return false;
    try {
      nc.publish(subject, encodeEnvelope(kind, this.seq, this.nodeId, body));
      return true;
    } catch (err) {
      this.o.log('warn', 'NATS publish refused', { subject, error: (err as Error).message });
      return false;
    }
  }

  /** A publish, unless too much waits to go out already (NATS slow or unreachable): counted. */
  private publishData(subject: string, msg: Buffer): boolean {
    const full = this.connector.pendingBytes() > (this.o.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES);
    if (!full && this.publish(subject, EnvelopeKind.Link, msg)) return true;
    this.drops++;
    return false;
  }

  private beat(subject: string, want: boolean): void {
    if (!this.connector.connected) return;
    const presence = { name: this.o.name, prefixes: this.o.prefixes(), want, cut: this.cuts() };
    this.publish(subject, EnvelopeKind.Beat, encodePresence(presence));
  }

  private tick(): void {
    this.beat(this.subjects.presence, false);
    if (++this.ticks % 5 === 1) this.connector.measureRtt();
    this.membership.tick();
  }
}
