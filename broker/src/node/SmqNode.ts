import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { ConnackCode, DisconnectReason, SERVER_ETID } from '../protocol/constants.js';
import { encodeInit } from '../protocol/init.js';
import { encodeConnack } from '../protocol/connack.js';
import { encodeDisconnect } from '../protocol/control.js';
import type { Bytes } from '../protocol/bytes.js';
import { asBuffer, toBuffer } from './buffers.js';
import { CloseReason } from './CloseReason.js';
import { EtidAllocator, isTidRange } from './EtidAllocator.js';
import { NameRegistry } from './NameRegistry.js';
import { ObserverRegistry } from './ObserverRegistry.js';
import { TopicTable } from './TopicTable.js';
import { ServerClient } from './ServerClient.js';
import { Session, type SessionSnapshot } from './Session.js';
import { routePublish } from './Router.js';
import { RawTransport, type RawTransportOptions } from './transports/RawTransport.js';
import { WsTransport } from './transports/WsTransport.js';
import { initIp, type Transport } from './transports/Transport.js';
import { DEFAULT_LIMITS, type Logger, type NodeHooks, type NodeLimits, type NodeOptions } from './options.js';
import { NodeCounters, type NodeStats } from './NodeCounters.js';
import type { TapEvent } from './tap.js';
import type { ClusterPort } from './ClusterPort.js';

/**
 * Closes that let queued replies out first (a Connack refusal, a Disconnect, acks of packets
 * handled before a bad one). A slow consumer, a broken socket and a stopping node just close.
 */
const FLUSH_ON_CLOSE: ReadonlySet<CloseReason> = new Set(
  Object.values(CloseReason).filter(
    (r) =>
      r !== CloseReason.SlowConsumerPendingBytes &&
      r !== CloseReason.TransportError &&
      r !== CloseReason.ClientClosed &&
      r !== CloseReason.NodeShutdown,
  ),
);

/** Longest reason text in a Connack, so the frame fits a C device's 127-byte buffer. */
const MAX_CONNACK_REASON = 100;

export interface SmqNodeEvents {
  tap: [event: TapEvent];
  sessionOpen: [session: Session];
  sessionClose: [session: Session, reason: CloseReason, detail: string | undefined];
  newListener: [event: string | symbol];
  removeListener: [event: string | symbol];
}

/**
 * One SMQ broker node: sessions, topics, routing, observe/change, hooks, stats and the tap.
 * Transport-agnostic: `handle(stream)` takes any Duplex with raw-TCP framing, `handleWebSocket`
 * a `ws` socket; `listen()` in NodeServer puts both behind one TCP port.
 */
export class SmqNode extends EventEmitter<SmqNodeEvents> {
  readonly name: string;
  readonly limits: NodeLimits;
  readonly hooks: NodeHooks;
  readonly topics = new TopicTable();
  readonly subtopics = new NameRegistry(1, 0xffffffff);
  readonly observers = new ObserverRegistry();
  readonly etids: EtidAllocator;
  readonly server: ServerClient;
  readonly counters = new NodeCounters();
  readonly startedAt = Date.now();
  /** The cluster this node belongs to; set by the cluster layer, absent when standalone. */
  cluster: ClusterPort | undefined;
  /** True while someone listens to 'tap': the hot path builds no event otherwise. */
  tapping = false;
  private readonly log: Logger;
  private readonly all = new Set<Session>();
  private readonly byEtid = new Map<number, Session>();
  private readonly byUid = new Map<string, Session>();
  private closing = false;
  /** While set, new sessions wait for it before Init (see holdInitUntil). */
  private initGate: Promise<void> | undefined;

  constructor(options: NodeOptions = {}) {
    super();
    this.name = options.name ?? `node-${Math.random().toString(36).slice(2, 8)}`;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.hooks = options.hooks ?? {};
    this.log = options.log ?? (() => {});
    this.etids = new EtidAllocator(options.etidPrefix, (prefix) =>
      this.log('info', 'ETID counter ran out; new incarnation prefix', { prefix }),
    );
    this.server = new ServerClient(this);
    for (const [name, tid] of Object.entries(options.topics ?? {})) this.createTopic(name, tid);
    // newListener fires before the listener is added, removeListener after it is gone.
    this.on('newListener', (event) => {
      if (event === 'tap') this.tapping = true;
    });
    this.on('removeListener', (event) => {
      if (event === 'tap') this.tapping = this.listenerCount('tap') > 0;
    });
  }

  /** A session over any Duplex speaking raw-TCP framing (TCP after the bootstrap, or in-memory). */
  handle(stream: Duplex, ip = '127.0.0.1', options: RawTransportOptions = {}): Session | undefined {
    return this.attach(new RawTransport(stream, initIp(ip), options));
  }

  handleWebSocket(ws: WebSocket, ip: string | undefined): Session | undefined {
    return this.attach(new WsTransport(ws, initIp(ip)));
  }

  /** Starts a session: Init, then a Connect deadline. Over the limit or closing: closed before Init. */
  attach(transport: Transport): Session | undefined {
    if (this.closing || this.all.size >= this.limits.maxSessions) {
      transport.close(false);
      this.counters.countClose(this.closing ? CloseReason.NodeShutdown : CloseReason.SessionLimit);
      this.log('warn', 'connection refused before Init', { ip: transport.remoteIp, sessions: this.all.size });
      return undefined;
    }
    const s = new Session(this, transport);
    this.all.add(s);
    this.counters.sessionsOpened++;
    if (this.initGate) void this.initGate.then(() => this.greet(s));
    else this.greet(s);
    return s;
  }

  /**
   * Holds Init for new sessions until `ready` (at most `maxMs`): a node starting into a cluster
   * waits for its peers' interest, or a device's one devinfo broadcast would reach nobody there.
   * Keep `maxMs` under the C client's wait for Init (3 s).
   */
  holdInitUntil(ready: Promise<unknown>, maxMs: number): void {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs).unref()));
    const gate: Promise<void> = Promise.race([ready, deadline]).then(() => {
      clearTimeout(timer);
      if (this.initGate === gate) this.initGate = undefined;
    });
    this.initGate = gate;
  }

  private greet(s: Session): void {
    if (s.state === 'closed') return;
    s.send(encodeInit(s.seed, s.ip));
    s.handshakeTimer = setTimeout(() => {
      if (s.state === 'handshake')
        this.refuse(s, ConnackCode.ServerUnavailable, 'timeout', CloseReason.HandshakeTimeout);
    }, this.limits.handshakeTimeoutMs);
    s.handshakeTimer.unref();
    // Reading starts after Init is queued: bytes that came with the bootstrap request (a Connect)
    // are handled at once, and their Connack must follow Init on the wire.
    s.transport.start(s);
  }

  /** A browser page from a foreign origin was refused a WebSocket (403, before any session). */
  refuseOrigin(ip: string | undefined, origin: string | undefined): void {
    this.counters.countClose(CloseReason.OriginRefused);
    this.log('warn', 'WebSocket from a foreign origin refused', { ip, origin });
  }

  /** Connack 0 with an ETID; a live session with the same uid is replaced and its ETID reused. */
  accept(s: Session): void {
    const uidKey = s.uid.toString('latin1');
    const old = this.byUid.get(uidKey);
    let etid: number;
    if (old !== undefined) {
      etid = old.etid;
      old.send(encodeDisconnect(DisconnectReason.Reconnect));
      this.closeSession(old, CloseReason.Replaced, 'same uid connected again');
    } else etid = this.etids.next();
    s.etid = etid;
    s.state = 'ready';
    this.byEtid.set(etid, s);
    this.byUid.set(uidKey, s);
    s.send(encodeConnack(ConnackCode.Accepted, etid));
    this.cluster?.sessionUp(s);
    this.emit('sessionOpen', s);
    if (this.tapping) this.emitTap(sessionTap(this, s, 'open', undefined, undefined));
    const queued = s.queued;
    s.queued = [];
    for (const p of queued) s.onPacket(p);
  }

  /** Connack with a non-zero code and ETID 0, flushed, then close. */
  refuse(s: Session, code: ConnackCode, reason: string, closeReason: CloseReason): void {
    const text = s.transport.connackReasons ? reason.slice(0, MAX_CONNACK_REASON) : '';
    s.send(encodeConnack(code, 0, text));
    this.closeSession(s, closeReason, reason);
  }

  /** Spec rule 5: Disconnect "corrupt frame", then close. */
  corruptFrame(s: Session, detail: string): void {
    s.send(encodeDisconnect(DisconnectReason.CorruptFrame));
    this.closeSession(s, CloseReason.CorruptFrame, detail);
  }

  /** Closes one session with a typed reason (never a Disconnect packet from here) and cleans up. */
  closeSession(s: Session, reason: CloseReason, detail?: string): void {
    if (s.state === 'closed') return;
    const wasReady = s.state === 'ready';
    s.state = 'closed';
    s.closeReason = reason;
    clearTimeout(s.handshakeTimer);
    s.transport.close(FLUSH_ON_CLOSE.has(reason));
    this.all.delete(s);
    this.counters.countClose(reason);
    this.counters.absorb(s.counters);
    if (wasReady) {
      for (const tid of s.subscriptions) this.unsubscribe(s, tid);
      this.observers.removeObserver(s);
      if (this.byEtid.get(s.etid) === s) {
        this.byEtid.delete(s.etid);
        this.observers.notifyGone(s.etid);
        this.cluster?.sessionDown(s);
      }
      const uidKey = s.uid.toString('latin1');
      if (this.byUid.get(uidKey) === s) this.byUid.delete(uidKey);
    }
    const level =
      reason === CloseReason.ClientClosed || reason === CloseReason.ClientDisconnect ? 'debug' : 'info';
    this.log(level, 'session closed', { etid: s.etid, ip: s.ip, reason, detail });
    this.emit('sessionClose', s, reason, detail);
    if (this.tapping) this.emitTap(sessionTap(this, s, 'close', reason, detail));
  }

  /** TID for a Subscribe/Create, or 0 when denied (empty, too long, refused by permitTopic, full). */
  permittedTopic(s: Session, name: Buffer, isSubscribe: boolean): number {
    if (name.length === 0 || name.length > this.limits.maxTopicNameLength) return 0;
    if (this.hooks.permitTopic && !this.hooks.permitTopic(name, isSubscribe, s)) return 0;
    return this.topics.names.ensure(name) ?? 0;
  }

  permittedSubtopic(s: Session, name: Buffer): number {
    if (name.length === 0 || name.length > this.limits.maxTopicNameLength) return 0;
    if (this.hooks.permitSubtopic && !this.hooks.permitSubtopic(name, s)) return 0;
    return this.subtopics.ensure(name) ?? 0;
  }

  /** Creates (or finds) a topic; a fixed TID must lie in the TID range and be free. */
  createTopic(name: Bytes, tid?: number): number {
    const n = toBuffer(name);
    if (tid === undefined) {
      const id = this.topics.names.ensure(n);
      if (id === undefined) throw new RangeError('TIDs exhausted');
      return id;
    }
    if (!isTidRange(tid)) throw new RangeError(`fixed TID ${tid} is outside 2..0xFFFFF`);
    this.topics.names.fix(n, tid);
    return tid;
  }

  subscribe(sub: Session | ServerClient, tid: number): void {
    if (sub instanceof Session) sub.subscriptions.add(tid);
    if (this.topics.subscribe(tid, sub)) this.localSubscribersChanged(tid);
  }

  unsubscribe(sub: Session | ServerClient, tid: number): void {
    if (sub instanceof Session) sub.subscriptions.delete(tid);
    if (this.topics.unsubscribe(tid, sub)) this.localSubscribersChanged(tid);
  }

  private localSubscribersChanged(tid: number): void {
    this.cluster?.localSubscribersChanged(tid, this.topics.count(tid));
    this.subscribersChanged(tid);
  }

  /** Subscribers of a topic on every node of the cluster (spec rule 7 counts, cluster-wide). */
  subscriberCount(tid: number): number {
    return this.topics.count(tid) + (this.cluster?.remoteSubscribers(tid) ?? 0);
  }

  /** Tells observers of a topic its new count; the cluster calls it when a peer's count changes. */
  subscribersChanged(tid: number): void {
    this.observers.notify(tid, this.subscriberCount(tid));
  }

  route(from: Session | undefined, packet: Buffer): void {
    routePublish(this, from, packet);
  }

  /** Delivers a publish that came over a cluster link, to local receivers only (one hop). */
  deliverFromPeer(packet: Uint8Array, via: string): void {
    routePublish(this, undefined, asBuffer(packet), via);
  }

  /** ETIDs of every session past Connack. */
  liveEtids(): IterableIterator<number> {
    return this.byEtid.keys();
  }

  sessionByEtid(etid: number): Session | undefined {
    return this.byEtid.get(etid);
  }

  isLiveEtid(id: number): boolean {
    return this.isServerEtid(id) || this.byEtid.has(id) || (this.cluster?.isRemoteEtid(id) ?? false);
  }

  /** ETID 1, or the cluster-unique ETID the server client carries across links. */
  isServerEtid(id: number): boolean {
    return id === SERVER_ETID || id === this.etids.serverEtid;
  }

  emitTap(e: TapEvent): void {
    this.emit('tap', e);
  }

  sessions(): SessionSnapshot[] {
    return [...this.all].map((s) => s.snapshot());
  }

  stats(): NodeStats {
    let pending = 0;
    for (const s of this.all) pending += s.transport.pendingBytes();
    return this.counters.snapshot(this, this.all, pending);
  }

  /** Closes every session (a plain close: NodeShutdown, no Disconnect) and refuses new ones. */
  shutdown(): void {
    this.closing = true;
    for (const s of [...this.all]) this.closeSession(s, CloseReason.NodeShutdown);
  }
}

function sessionTap(
  node: SmqNode,
  s: Session,
  event: 'open' | 'close',
  reason: CloseReason | undefined,
  detail: string | undefined,
): TapEvent {
  return {
    kind: 'session',
    node: node.name,
    time: Date.now(),
    event,
    etid: s.etid,
    uid: s.uid.toString('hex'),
    ip: s.ip,
    transport: s.transport.kind,
    reason,
    detail,
  };
}
