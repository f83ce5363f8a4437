import { EventEmitter } from 'node:events';
import type { Duplex, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { DisconnectReason, SERVER_ETID, type ConnackCode } from '../protocol/constants.js';
import { encodeDisconnect } from '../protocol/control.js';
import { apiError } from '../protocol/errors.js';
import type { Bytes } from '../protocol/bytes.js';
import { asBuffer, toBuffer } from './buffers.js';
import { CloseReason } from './CloseReason.js';
import { EtidAllocator, isTidRange } from './EtidAllocator.js';
import { NameRegistry } from './NameRegistry.js';
import { ObserverRegistry } from './ObserverRegistry.js';
import { TopicTable } from './TopicTable.js';
import { ServerClient } from './ServerClient.js';
import { Session, type SessionSnapshot } from './Session.js';
import { SessionLifecycle } from './SessionLifecycle.js';
import { routePublish } from './Router.js';
import { RawTransport, type RawTransportOptions } from './transports/RawTransport.js';
import { WsTransport } from './transports/WsTransport.js';
import { initIp, type Transport } from './transports/Transport.js';
import { DEFAULT_LIMITS, type Logger, type NodeHooks, type NodeLimits, type NodeOptions } from './options.js';
import { NodeCounters, type NodeStats } from './NodeCounters.js';
import { changeTap, subscriptionTap, type TapEvent, type TapLifecycleEvent } from './tap.js';
import type { ClusterPort } from './ClusterPort.js';

export interface SmqNodeEvents {
  /** The node took a new ETID prefix (a clash settled at a link handshake, or the counter ran out). */
  etidPrefix: [prefix: number];
  /** Every tap event: a listener here makes the publish path build events. */
  tap: [event: TapEvent];
  /** Every tap event but publishes: a listener here leaves the publish path as cheap as untapped. */
  tapLifecycle: [event: TapLifecycleEvent];
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
  readonly observers = new ObserverRegistry((o, id, target, count) => {
    if (this.tapping)
      this.emitTap(changeTap(this, o instanceof Session ? o : { etid: o.etid }, id, target, count));
  });
  readonly etids: EtidAllocator;
  readonly server: ServerClient;
  readonly counters = new NodeCounters();
  readonly startedAt = Date.now();
  /** The cluster this node belongs to; set by the cluster layer, absent when standalone. */
  cluster: ClusterPort | undefined;
  /** True while someone listens to 'tap' or 'tapLifecycle': no lifecycle event is built otherwise. */
  tapping = false;
  /** True while someone listens to 'tap': the publish path builds no event otherwise. */
  tappingPublishes = false;
  private readonly log: Logger;
  private readonly lifecycle: SessionLifecycle;
  /** Why new connections are closed before Init (the node stops or drains); undefined: accepted. */
  private refusing: CloseReason | undefined;
  /** While set, new sessions wait for it before Init (see holdInitUntil). */
  private initGate: Promise<void> | undefined;

  constructor(options: NodeOptions = {}) {
    super();
    this.name = options.name ?? `node-${Math.random().toString(36).slice(2, 8)}`;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.hooks = options.hooks ?? {};
    this.log = options.log ?? (() => {});
    this.etids = new EtidAllocator(options.etidPrefix, (prefix, why) => {
      this.log('info', 'new ETID prefix', { prefix, why });
      this.emit('etidPrefix', prefix);
    });
    this.server = new ServerClient(this);
    this.lifecycle = new SessionLifecycle(this, this.log);
    for (const [name, tid] of Object.entries(options.topics ?? {})) this.createTopic(name, tid);
    // newListener fires before the listener is added, removeListener after it is gone.
    this.on('newListener', (event) => {
      if (event === 'tap') this.tappingPublishes = true;
      if (event === 'tap' || event === 'tapLifecycle') this.tapping = true;
    });
    this.on('removeListener', (event) => {
      if (event !== 'tap' && event !== 'tapLifecycle') return;
      this.tappingPublishes = this.listenerCount('tap') > 0;
      this.tapping = this.tappingPublishes || this.listenerCount('tapLifecycle') > 0;
    });
  }

  /** A session over any Duplex speaking raw-TCP framing (TCP after the bootstrap, or in-memory). */
  handle(stream: Duplex, ip = '127.0.0.1', options: RawTransportOptions = {}): Session | undefined {
    return this.attach(new RawTransport(stream, initIp(ip), options));
  }

  handleWebSocket(ws: WebSocket, ip: string | undefined, socket?: Writable): Session | undefined {
    return this.attach(new WsTransport(ws, initIp(ip), socket));
  }

  /** Starts a session: Init, then a Connect deadline. Over the limit, closing or draining: closed before Init. */
  attach(transport: Transport): Session | undefined {
    const all = this.lifecycle.all;
    const refusal =
      this.refusing ?? (all.size >= this.limits.maxSessions ? CloseReason.SessionLimit : undefined);
    if (refusal !== undefined) {
      transport.close(false);
      this.counters.countClose(refusal);
      // A drain refuses every device that retries it until they all find a survivor: not a warning.
      this.log(refusal === CloseReason.Draining ? 'debug' : 'warn', 'connection refused before Init', {
        ip: transport.remoteIp,
        sessions: all.size,
        reason: refusal,
      });
      return undefined;
    }
    const s = new Session(this, transport);
    all.add(s);
    this.counters.sessionsOpened++;
    if (this.initGate) void this.initGate.then(() => this.lifecycle.greet(s));
    else this.lifecycle.greet(s);
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

  /** A browser page from a foreign origin was refused a WebSocket (403, before any session). */
  refuseOrigin(ip: string | undefined, origin: string | undefined): void {
    this.counters.countClose(CloseReason.OriginRefused);
    this.log('warn', 'WebSocket from a foreign origin refused', { ip, origin });
  }

  /** Connack 0 with an ETID; a live session with the same uid is replaced and its ETID reused. */
  accept(s: Session): void {
    this.lifecycle.accept(s);
  }

  /** Connack with a non-zero code and ETID 0, flushed, then close. */
  refuse(s: Session, code: ConnackCode, reason: string, closeReason: CloseReason): void {
    this.lifecycle.refuse(s, code, reason, closeReason);
  }

  /** Spec rule 5: Disconnect "corrupt frame", then close. */
  corruptFrame(s: Session, detail: string): void {
    s.send(encodeDisconnect(DisconnectReason.CorruptFrame));
    this.closeSession(s, CloseReason.CorruptFrame, detail);
  }

  /** Closes one session with a typed reason (never a Disconnect packet from here) and cleans up. */
  closeSession(s: Session, reason: CloseReason, detail?: string): void {
    this.lifecycle.close(s, reason, detail);
  }

  /** A policy hook threw: logged; the caller denies, passes or ignores, and the node carries on. */
  hookFailed(hook: keyof NodeHooks, err: unknown): void {
    this.log('error', 'policy hook threw', { hook, error: String(err) });
  }

  /** Creates (or finds) a topic; a fixed TID must lie in the TID range and be free. */
  createTopic(name: Bytes, tid?: number): number {
    const n = toBuffer(name);
    if (tid === undefined) {
      const id = this.topics.names.ensure(n);
      if (id === undefined) throw apiError('SMQ_ERR_IDS_EXHAUSTED', 'TIDs exhausted');
      return id;
    }
    if (!isTidRange(tid)) throw apiError('SMQ_ERR_TID_RANGE', `fixed TID ${tid} is outside 2..0xFFFFF`);
    this.topics.names.fix(n, tid);
    return tid;
  }

  subscribe(sub: Session | ServerClient, tid: number): void {
    if (sub instanceof Session) sub.subscriptions.add(tid);
    if (this.topics.subscribe(tid, sub)) this.localSubscribersChanged(tid, sub, 'subscribe');
  }

  unsubscribe(sub: Session | ServerClient, tid: number): void {
    if (sub instanceof Session) sub.subscriptions.delete(tid);
    if (this.topics.unsubscribe(tid, sub)) this.localSubscribersChanged(tid, sub, 'unsubscribe');
  }

  private localSubscribersChanged(
    tid: number,
    sub: Session | ServerClient,
    event: 'subscribe' | 'unsubscribe',
  ): void {
    // Tapped first: the Change it causes follows it in the tap.
    if (this.tapping) this.emitTap(subscriptionTap(this, sub, tid, event));
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
    return this.lifecycle.byEtid.keys();
  }

  sessionByEtid(etid: number): Session | undefined {
    return this.lifecycle.byEtid.get(etid);
  }

  isLiveEtid(id: number): boolean {
    return (
      this.isServerEtid(id) || this.lifecycle.byEtid.has(id) || (this.cluster?.isRemoteEtid(id) ?? false)
    );
  }

  /** ETID 1, or the cluster-unique ETID the server client carries across links. */
  isServerEtid(id: number): boolean {
    return id === SERVER_ETID || id === this.etids.serverEtid;
  }

  emitTap(e: TapEvent): void {
    this.emit('tap', e);
    if (e.kind !== 'publish') this.emit('tapLifecycle', e);
  }

  sessions(): SessionSnapshot[] {
    return [...this.lifecycle.all].map((s) => s.snapshot());
  }

  stats(): NodeStats {
    const all = this.lifecycle.all;
    let pending = 0;
    for (const s of all) pending += s.transport.pendingBytes();
    return this.counters.snapshot(this, all, pending);
  }

  /** Every connection, handshaking ones included, oldest first (a drain closes them in this order). */
  openSessions(): ReadonlySet<Session> {
    return this.lifecycle.all;
  }

  /**
   * Closes new connections before Init with `reason` (a drain), or accepts them again with
   * undefined; a node shutting down keeps refusing.
   */
  refuseNewSessions(reason: CloseReason | undefined): void {
    if (this.refusing !== CloseReason.NodeShutdown) this.refusing = reason;
  }

  /** Closes every session (a plain close: NodeShutdown, no Disconnect) and refuses new ones. */
  shutdown(): void {
    this.refusing = CloseReason.NodeShutdown;
    for (const s of [...this.lifecycle.all]) this.closeSession(s, CloseReason.NodeShutdown);
  }
}
