import { performance } from 'node:perf_hooks';
import { ConnackCode, DisconnectReason } from '../protocol/constants.js';
import { encodeInit } from '../protocol/init.js';
import { encodeConnack } from '../protocol/connack.js';
import { encodeDisconnect } from '../protocol/control.js';
import { CloseReason } from './CloseReason.js';
import type { Session } from './Session.js';
import type { SmqNode } from './SmqNode.js';
import type { Logger } from './options.js';
import type { TapSessionEvent } from './tap.js';

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

/**
 * A node's sessions from Init to close: the tables (every connection, by ETID, by uid), the
 * handshake deadline, accept (Connack 0, duplicate uid replaced), refuse and close with cleanup.
 */
export class SessionLifecycle {
  /** Every connection, handshaking ones included. */
  readonly all = new Set<Session>();
  /** Sessions past Connack. */
  readonly byEtid = new Map<number, Session>();
  private readonly byUid = new Map<string, Session>();
  /**
   * Sessions between Init and accept/refuse, in greeting order. Every deadline is its greeting
   * plus the same timeout, so this order is deadline order too: one timer for the node, set for
   * the oldest, replaces a timer (and its closure) per connection.
   */
  private readonly handshaking = new Set<Session>();
  private deadlineTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly node: SmqNode,
    private readonly log: Logger,
  ) {}

  /**
   * Init, then the handshake deadline: it runs until accept or refuse, so an authenticate hook
   * that never settles cannot hold a session forever.
   */
  greet(s: Session): void {
    if (s.state === 'closed') return;
    s.send(encodeInit(s.seed, s.ip));
    s.handshakeDeadline = performance.now() + this.node.limits.handshakeTimeoutMs;
    this.handshaking.add(s);
    this.deadlineTimer ??= setTimeout(
      () => this.checkDeadlines(),
      this.node.limits.handshakeTimeoutMs,
    ).unref();
    // Reading starts after Init is queued: bytes that came with the bootstrap request (a Connect)
    // are handled at once, and their Connack must follow Init on the wire.
    s.transport.start(s);
  }

  /** Times out every session past its deadline, then waits for the next oldest. */
  private checkDeadlines(): void {
    this.deadlineTimer = undefined;
    const now = performance.now();
    for (const s of this.handshaking) {
      if (s.handshakeDeadline > now) {
        this.deadlineTimer = setTimeout(() => this.checkDeadlines(), s.handshakeDeadline - now).unref();
        return;
      }
      this.handshaking.delete(s);
      this.handshakeTimedOut(s);
    }
  }

  /**
   * The spec table says Connack 2, but a Connack refusal makes the C LED device stop reconnecting
   * for good (rule 10, issue #8 point 6): clients that read Connack reasons (WebSocket, raw clients
   * that asked for the HTTP status block) get Connack 2; C-style raw clients are just closed.
   */
  private handshakeTimedOut(s: Session): void {
    if (s.state !== 'handshake' && s.state !== 'authenticating') return;
    const detail = s.state === 'handshake' ? 'no Connect in time' : 'authenticate did not answer in time';
    if (s.transport.connackReasons)
      this.refuse(s, ConnackCode.ServerUnavailable, 'timeout', CloseReason.HandshakeTimeout, detail);
    else this.close(s, CloseReason.HandshakeTimeout, detail);
  }

  /** Connack 0 with an ETID; a live session with the same uid is replaced and its ETID reused. */
  accept(s: Session): void {
    this.handshaking.delete(s);
    const uidKey = s.uidKey;
    const old = this.byUid.get(uidKey);
    let etid: number;
    if (old !== undefined) {
      etid = old.etid;
      old.send(encodeDisconnect(DisconnectReason.Reconnect));
      this.close(old, CloseReason.Replaced, 'same uid connected again');
    } else etid = this.node.etids.next();
    s.etid = etid;
    s.state = 'ready';
    this.byEtid.set(etid, s);
    this.byUid.set(uidKey, s);
    // Before the Connack: if sending it closes the session (slow consumer), sessionDown pairs with it.
    this.node.cluster?.sessionUp(s);
    if (!s.send(encodeConnack(ConnackCode.Accepted, etid))) return;
    this.node.emit('sessionOpen', s);
    if (this.node.tapping) this.node.emitTap(sessionTap(this.node, s, 'open', undefined, undefined));
    const queued = s.queued;
    s.queued = undefined;
    if (queued) for (const p of queued) s.onPacket(p);
  }

  /** Connack with a non-zero code and ETID 0 (reason text only for clients that read it), then close. */
  refuse(s: Session, code: ConnackCode, reason: string, closeReason: CloseReason, detail = reason): void {
    const text = s.transport.connackReasons ? reason.slice(0, MAX_CONNACK_REASON) : '';
    s.send(encodeConnack(code, 0, text));
    this.close(s, closeReason, detail);
  }

  /** Closes one session with a typed reason (never a Disconnect packet from here) and cleans up. */
  close(s: Session, reason: CloseReason, detail?: string): void {
    if (s.state === 'closed') return;
    const wasReady = s.state === 'ready';
    const node = this.node;
    s.state = 'closed';
    s.closeReason = reason;
    this.handshaking.delete(s);
    s.transport.close(FLUSH_ON_CLOSE.has(reason));
    this.all.delete(s);
    node.counters.countClose(reason);
    node.counters.absorb(s.counters);
    if (wasReady) {
      for (const tid of s.subscriptions) node.unsubscribe(s, tid);
      node.observers.removeObserver(s);
      if (this.byEtid.get(s.etid) === s) {
        this.byEtid.delete(s.etid);
        node.observers.notifyGone(s.etid);
        node.cluster?.sessionDown(s);
      }
      if (this.byUid.get(s.uidKey) === s) this.byUid.delete(s.uidKey);
    }
    const level =
      reason === CloseReason.ClientClosed || reason === CloseReason.ClientDisconnect ? 'debug' : 'info';
    this.log(level, 'session closed', { etid: s.etid, ip: s.ip, reason, detail });
    node.emit('sessionClose', s, reason, detail);
    if (node.tapping) node.emitTap(sessionTap(node, s, 'close', reason, detail));
  }
}

function sessionTap(
  node: SmqNode,
  s: Session,
  event: 'open' | 'close',
  reason: CloseReason | undefined,
  detail: string | undefined,
): TapSessionEvent {
  return {
    kind: 'session',
    node: node.name,
    time: Date.now(),
    event,
    etid: s.etid,
    uid: s.uid.toString('hex'),
    ip: s.ip,
    transport: s.transport.kind,
    info: s.info.toString('utf8'),
    reason,
    detail,
  };
}
