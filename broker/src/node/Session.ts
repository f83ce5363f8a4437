import { encodeChange } from '../protocol/ids.js';
import type { CloseReason } from './CloseReason.js';
import type { Transport, TransportSink } from './transports/Transport.js';
import type { Observer, Subscriber } from './Subscriber.js';
import type { SmqNode } from './SmqNode.js';
import { dispatch } from './handlers/dispatch.js';
import { CloseReason as Reasons } from './CloseReason.js';
import type { SmqProtocolError } from '../protocol/errors.js';

export type SessionState = 'handshake' | 'authenticating' | 'ready' | 'closed';

export interface TrafficCounters {
  msgsIn: number;
  msgsOut: number;
  bytesIn: number;
  bytesOut: number;
  drops: number;
}

/** A flat, serializable view of a session for stats, the admin channel and the UI. */
export interface SessionSnapshot {
  etid: number;
  uid: string;
  info: string;
  ip: string;
  transport: Transport['kind'];
  state: SessionState;
  connectedAt: number;
  subscriptions: number;
  pendingBytes: number;
  counters: TrafficCounters;
  closeReason?: CloseReason;
}

/**
 * The TIDs one session subscribes to. Most hold one (a device subscribes to its display topic):
 * that one is kept inline, and a Set only from the second on. A Set costs ~190 bytes even when
 * empty, per connection (issue #9, W4 holds 10,000).
 */
export class TidSet implements Iterable<number> {
  /** The only TID while `many` is unset; 0 (never a TID) when none. */
  private one = 0;
  private many: Set<number> | undefined;

  get size(): number {
    return this.many ? this.many.size : this.one === 0 ? 0 : 1;
  }

  has(tid: number): boolean {
    return this.many ? this.many.has(tid) : tid !== 0 && this.one === tid;
  }

  add(tid: number): this {
    if (this.many) this.many.add(tid);
    else if (this.one === 0) this.one = tid;
    else if (this.one !== tid) this.many = new Set([this.one, tid]);
    return this;
  }

  delete(tid: number): boolean {
    if (this.many) return this.many.delete(tid);
    if (tid === 0 || this.one !== tid) return false;
    this.one = 0;
    return true;
  }

  *[Symbol.iterator](): Iterator<number> {
    if (this.many) yield* this.many;
    else if (this.one !== 0) yield this.one;
  }
}

/**
 * One SMQ client connection on this node, from Init to close. A node holds thousands (issue #9,
 * W3/W4), so what only some sessions need is allocated when needed (the auth queue), and uid and
 * info are kept as latin1 text (a short string, not two Buffers on a shared slab).
 */
export class Session implements TransportSink, Subscriber, Observer {
  etid = 0;
  /** uid as latin1 text, one char per byte: the node's key for duplicate-uid detection. */
  uidKey = '';
  private infoText = '';
  state: SessionState = 'handshake';
  readonly seed = (Math.random() * 0x100000000) >>> 0;
  readonly connectedAt = Date.now();
  readonly subscriptions = new TidSet();
  readonly counters: TrafficCounters = { msgsIn: 0, msgsOut: 0, bytesIn: 0, bytesOut: 0, drops: 0 };
  /** PubFrag chunks of the message being reassembled. */
  fragments: Buffer[] = [];
  fragmentBytes = 0;
  /** Packets that arrived while authenticate was pending; only while they do. */
  queued: Buffer[] | undefined;
  /** When the handshake must be done (performance.now() ms); see SessionLifecycle. */
  handshakeDeadline = 0;
  closeReason: CloseReason | undefined;

  constructor(
    readonly node: SmqNode,
    readonly transport: Transport,
  ) {}

  /** The uid bytes from Connect (a fresh copy on each read: read at the handshake and by the tap). */
  get uid(): Buffer {
    return Buffer.from(this.uidKey, 'latin1');
  }

  set uid(bytes: Uint8Array) {
    this.uidKey = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }

  /** The info bytes from Connect (a fresh copy on each read). */
  get info(): Buffer {
    return Buffer.from(this.infoText, 'latin1');
  }

  set info(bytes: Uint8Array) {
    this.infoText = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }

  get ip(): string {
    return this.transport.remoteIp;
  }

  onPacket(packet: Buffer): void {
    const c = this.counters;
    c.msgsIn++;
    c.bytesIn += packet.length;
    if (this.state === 'authenticating') {
      const queued = (this.queued ??= []);
      if (queued.length >= this.node.limits.maxQueuedDuringAuth) {
        this.node.closeSession(this, Reasons.ProtocolViolation, 'too many packets before Connack');
      } else queued.push(packet);
      return;
    }
    if (this.state !== 'closed') dispatch(this.node, this, packet);
  }

  onTransportFault(reason: CloseReason, error: SmqProtocolError | Error): void {
    this.node.closeSession(this, reason, error.message);
  }

  onTransportClosed(): void {
    this.node.closeSession(this, Reasons.ClientClosed);
  }

  /** Sends a routed Publish; false when it was dropped (not ready, or a slow consumer: see send). */
  deliver(packet: Buffer): boolean {
    return this.state === 'ready' && this.send(packet);
  }

  /**
   * Sends any packet (type byte first); counted. Every packet, control replies included, counts
   * against maxPendingBytes: over it the packet is dropped (counted) and this slow consumer closed,
   * or a client that stops reading and keeps sending requests would grow memory without bound.
   * One too large to frame closes the connection. False when nothing was sent.
   */
  send(packet: Uint8Array): boolean {
    if (this.state === 'closed') return false;
    if (packet.length > this.transport.maxPacket) {
      // An ack echoing a name near 0xFFFF bytes cannot be framed: no valid reply exists (rule 10).
      this.node.closeSession(this, Reasons.FrameTooLarge, `reply of ${packet.length} bytes cannot be framed`);
      return false;
    }
    const c = this.counters;
    const limit = this.node.limits.maxPendingBytes;
    if (this.transport.pendingBytes() > limit) {
      c.drops++;
      this.node.closeSession(this, Reasons.SlowConsumerPendingBytes, `over ${limit} bytes`);
      return false;
    }
    c.msgsOut++;
    c.bytesOut += packet.length;
    this.transport.send(packet);
    return true;
  }

  sendChange(id: number, count: number): void {
    if (this.state === 'ready') this.send(encodeChange(id, count));
  }

  snapshot(): SessionSnapshot {
    return {
      etid: this.etid,
      uid: this.uid.toString('hex'),
      info: this.info.toString('utf8'),
      ip: this.ip,
      transport: this.transport.kind,
      state: this.state,
      connectedAt: this.connectedAt,
      subscriptions: this.subscriptions.size,
      pendingBytes: this.transport.pendingBytes(),
      counters: { ...this.counters },
      ...(this.closeReason ? { closeReason: this.closeReason } : {}),
    };
  }
}
