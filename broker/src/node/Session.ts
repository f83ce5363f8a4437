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

/** One SMQ client connection on this node, from Init to close. */
export class Session implements TransportSink, Subscriber, Observer {
  etid = 0;
  uid: Buffer = Buffer.alloc(0);
  info: Buffer = Buffer.alloc(0);
  state: SessionState = 'handshake';
  readonly seed = (Math.random() * 0x100000000) >>> 0;
  readonly connectedAt = Date.now();
  readonly subscriptions = new Set<number>();
  readonly counters: TrafficCounters = { msgsIn: 0, msgsOut: 0, bytesIn: 0, bytesOut: 0, drops: 0 };
  /** PubFrag chunks of the message being reassembled. */
  fragments: Buffer[] = [];
  fragmentBytes = 0;
  /** Packets that arrived while authenticate was pending. */
  queued: Buffer[] = [];
  handshakeTimer: NodeJS.Timeout | undefined;
  closeReason: CloseReason | undefined;

  constructor(
    readonly node: SmqNode,
    readonly transport: Transport,
  ) {}

  get ip(): string {
    return this.transport.remoteIp;
  }

  onPacket(packet: Buffer): void {
    const c = this.counters;
    c.msgsIn++;
    c.bytesIn += packet.length;
    if (this.state === 'authenticating') {
      if (this.queued.length >= this.node.limits.maxQueuedDuringAuth) {
        this.node.closeSession(this, Reasons.ProtocolViolation, 'too many packets before Connack');
      } else this.queued.push(packet);
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
