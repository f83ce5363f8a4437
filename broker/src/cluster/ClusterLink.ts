import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import {
  LinkMsg,
  decodeBatch,
  decodeJson,
  decodeTimestamp,
  encodeJson,
  encodeTimestamp,
  type AuthBody,
  type Identity,
  type RefuseBody,
  type WelcomeBody,
} from './linkCodec.js';
import { proofOf, verifyProof, type Challenge } from './linkAuth.js';
import { LinkCloseReason } from './LinkCloseReason.js';
import type { LinkInfo, LinkOrigin } from './linkInfo.js';
import { LinkOutbound } from './LinkOutbound.js';
import { certificateErrorCode } from '../node/tlsOptions.js';

export interface LinkTiming {
  handshakeTimeoutMs: number;
  heartbeatMs: number;
  /** No message at all for this long: the peer is gone (partitions do not close TCP). */
  deadAfterMs: number;
  /** Publishes are dropped (counted) while more than this is unsent; control past 4× closes the link. */
  maxPendingBytes: number;
}

export const DEFAULT_LINK_TIMING: LinkTiming = {
  handshakeTimeoutMs: 5000,
  heartbeatMs: 1000,
  deadAfterMs: 3500,
  maxPendingBytes: 8 * 1024 * 1024,
};

export type { LinkCounters, LinkInfo, LinkOrigin, LinkState } from './linkInfo.js';

/** Largest message accepted before the peer has proved the secret. */
const MAX_HANDSHAKE_MESSAGE = 64 * 1024;

/** What a link reports to the mesh that owns it. */
export interface LinkOwner {
  readonly secret: string;
  /** This node's identity, with a fresh nonce for this link. */
  identity(): Identity;
  /** A solicitor saw the acceptor's ETID prefixes: take a new prefix now if that settles a clash. */
  settleEarly(remotePrefixes: number[]): void;
  /** After the peer proved the secret: undefined to admit it, or why not. */
  admit(link: ClusterLink, remote: Identity): RefuseBody | undefined;
  linkUp(link: ClusterLink): void;
  linkMessage(link: ClusterLink, msg: Buffer): void;
  /** The peer fell behind (publishes now dropped), or caught up again: logged as a pair. */
  linkSlow(link: ClusterLink, slow: boolean): void;
  linkDown(link: ClusterLink, reason: LinkCloseReason, detail: string): void;
}

/**
 * One authenticated WebSocket link to a peer node: handshake (Hello → Auth → Welcome, see
 * linkAuth), then heartbeat with RTT, the slow-peer policy and stats. Sending, batched per
 * event-loop turn once up, is LinkOutbound's; the slow-peer policy reads the socket's backlog.
 */
export class ClusterLink extends LinkOutbound {
  remote: Identity | undefined;
  /** This node as the peer sees it; its prefixes may change once, at the Hello (see settleEarly). */
  private local: Identity;
  private readonly timer: NodeJS.Timeout;
  private heartbeat: NodeJS.Timeout | undefined;
  private lastRx = performance.now();
  private rttMs: number | undefined;
  private slow = false;
  private upSince: number | undefined;
  private lastActivity = Date.now();
  private closeReason: LinkCloseReason | undefined;
  private closeDetail: string | undefined;

  constructor(
    ws: WebSocket,
    readonly didSolicit: boolean,
    readonly origin: LinkOrigin,
    private readonly owner: LinkOwner,
    private readonly timing: LinkTiming,
    readonly url?: string,
  ) {
    super(ws);
    this.local = owner.identity();
    this.timer = setTimeout(
      () => this.close(LinkCloseReason.HandshakeTimeout, 'no handshake in time'),
      timing.handshakeTimeoutMs,
    ).unref();
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.receive(data);
      else this.close(LinkCloseReason.ProtocolViolation, 'text frame on a cluster link');
    });
    ws.on('close', (code: number, why: Buffer) =>
      this.down(LinkCloseReason.TransportClosed, `socket closed (${code} ${why.toString()})`),
    );
    ws.on('error', (err: Error) => {
      const certError = certificateErrorCode(err);
      if (certError) this.down(LinkCloseReason.TlsVerifyFailed, `${certError}: ${err.message}`);
      else this.down(LinkCloseReason.TransportClosed, err.message);
    });
    if (!didSolicit) this.write(encodeJson(LinkMsg.Hello, this.local));
  }

  /** Sends a publish; dropped and counted while the peer is slow. */
  send(msg: Buffer): boolean {
    if (this.state !== 'up') return false;
    if (this.ws.bufferedAmount > this.timing.maxPendingBytes) {
      this.s.drops++;
      if (!this.slow) {
        this.slow = true;
        this.owner.linkSlow(this, true);
      }
      return false;
    }
    if (this.slow) {
      this.slow = false;
      this.owner.linkSlow(this, false);
    }
    this.write(msg);
    return true;
  }

  /** Sends state the peer must not miss (interest, ETIDs); a link too far behind is closed to resync. */
  sendControl(msg: Buffer): void {
    if (this.state !== 'up') return;
    if (this.ws.bufferedAmount > 4 * this.timing.maxPendingBytes) {
      this.close(LinkCloseReason.SlowLink, `over ${4 * this.timing.maxPendingBytes} bytes unsent`);
      return;
    }
    this.write(msg);
  }

  close(reason: LinkCloseReason, detail: string, refuse = false): void {
    if (this.state === 'closed') return;
    if (refuse) {
      // What this turn wrote goes first; the Refuse cannot wait for the turn to end.
      this.flush();
      const msg = encodeJson(LinkMsg.Refuse, { code: reason, reason: detail } satisfies RefuseBody);
      this.s.msgsOut++;
      this.s.bytesOut += msg.length;
      this.sendFrame(msg);
    }
    this.down(reason, detail);
    if (refuse) this.ws.close(4000, reason);
    else this.ws.terminate();
  }

  info(): LinkInfo {
    return {
      remoteNodeId: this.remote?.nodeId,
      remoteName: this.remote?.name,
      url: this.url ?? this.remote?.url,
      didSolicit: this.didSolicit,
      origin: this.origin,
      state: this.state,
      rttMs: this.rttMs,
      ...this.s,
      pendingBytes: this.pendingBytes(),
      slow: this.slow,
      upSince: this.upSince,
      lastActivity: this.lastActivity,
      closeReason: this.closeReason,
      closeDetail: this.closeDetail,
    };
  }

  private down(reason: LinkCloseReason, detail: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.dropTurn();
    this.closeReason = reason;
    this.closeDetail = detail;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    this.owner.linkDown(this, reason, detail);
  }

  private receive(frame: Buffer): void {
    this.lastRx = performance.now();
    this.lastActivity = Date.now();
    this.s.framesIn++;
    if (this.state === 'up' && frame[0] === LinkMsg.Batch) {
      const msgs = decodeBatch(frame);
      if (!msgs) return this.close(LinkCloseReason.ProtocolViolation, 'malformed batch');
      // A message may close the link (a Refuse): the rest of the frame is then dropped.
      for (let i = 0; i < msgs.length && this.state === 'up'; i++) this.receiveOne(msgs[i]!);
    } else this.receiveOne(frame);
  }

  private receiveOne(msg: Buffer): void {
    this.s.msgsIn++;
    this.s.bytesIn += msg.length;
    if (this.state === 'up') this.receiveUp(msg);
    else if (this.state === 'handshake') this.receiveHandshake(msg);
  }

  private receiveUp(msg: Buffer): void {
    const type = msg[0];
    if (type === LinkMsg.Ping) {
      const t = decodeTimestamp(msg);
      if (t !== undefined) this.write(encodeTimestamp(LinkMsg.Pong, t));
    } else if (type === LinkMsg.Pong) {
      const t = decodeTimestamp(msg);
      if (t !== undefined) this.rttMs = performance.now() - t;
    } else if (type === LinkMsg.Refuse) {
      const r = decodeJson<RefuseBody>(msg);
      this.close(
        LinkCloseReason.PeerRefused,
        `peer closed the link: ${r?.code ?? '?'} ${r?.reason ?? ''}`.trim(),
      );
    } else this.owner.linkMessage(this, msg);
  }

  private receiveHandshake(msg: Buffer): void {
    // Nothing before Welcome needs more than a few hundred bytes; the path is open to anyone.
    if (msg.length > MAX_HANDSHAKE_MESSAGE) {
      return this.close(LinkCloseReason.ProtocolViolation, `handshake message of ${msg.length} bytes`);
    }
    const type = msg[0];
    if (type === LinkMsg.Refuse) {
      const r = decodeJson<RefuseBody>(msg);
      const reason =
        r?.code === LinkCloseReason.BadSecret ? LinkCloseReason.BadSecret : LinkCloseReason.PeerRefused;
      this.close(reason, `peer refused the link: ${r?.code ?? '?'} ${r?.reason ?? ''}`.trim());
    } else if (this.didSolicit && type === LinkMsg.Hello) {
      const hello = decodeJson<Identity>(msg);
      if (!isIdentity(hello)) return this.close(LinkCloseReason.ProtocolViolation, 'malformed Hello');
      this.remote = hello;
      // A clash we can settle by taking a new ETID prefix is settled before we state ours.
      this.owner.settleEarly(hello.prefixes);
      this.local = { ...this.local, prefixes: this.owner.identity().prefixes };
      const proof = proofOf(this.owner.secret, 'solicitor', this.challenge());
      this.write(encodeJson(LinkMsg.Auth, { ...this.local, proof } satisfies AuthBody));
    } else if (this.didSolicit && type === LinkMsg.Welcome && this.remote) {
      const w = decodeJson<WelcomeBody>(msg);
      if (!verifyProof(this.owner.secret, 'acceptor', this.challenge(), w?.proof)) {
        return this.close(
          LinkCloseReason.BadSecret,
          `${this.remote.name} could not prove the cluster secret`,
        );
      }
      this.admitAndGoUp(this.remote, false);
    } else if (!this.didSolicit && type === LinkMsg.Auth) {
      const auth = decodeJson<AuthBody>(msg);
      if (!isIdentity(auth)) return this.close(LinkCloseReason.ProtocolViolation, 'malformed Auth');
      this.remote = auth;
      if (!verifyProof(this.owner.secret, 'solicitor', this.challenge(), auth.proof)) {
        return this.close(
          LinkCloseReason.BadSecret,
          `${auth.name} (${auth.url}) failed to prove the cluster secret`,
          true,
        );
      }
      this.admitAndGoUp(auth, true);
    } else this.close(LinkCloseReason.ProtocolViolation, `link message ${type} during the handshake`);
  }

  private admitAndGoUp(remote: Identity, sendWelcome: boolean): void {
    const refusal = this.owner.admit(this, remote);
    if (refusal) return this.close(refusal.code as LinkCloseReason, refusal.reason, true);
    if (sendWelcome) {
      const proof = proofOf(this.owner.secret, 'acceptor', this.challenge());
      this.write(encodeJson(LinkMsg.Welcome, { proof } satisfies WelcomeBody));
    }
    clearTimeout(this.timer);
    this.state = 'up';
    this.upSince = Date.now();
    this.heartbeat = setInterval(() => this.beat(), this.timing.heartbeatMs).unref();
    this.owner.linkUp(this);
  }

  private beat(): void {
    if (performance.now() - this.lastRx > this.timing.deadAfterMs) {
      this.close(LinkCloseReason.LinkTimeout, `nothing heard for ${this.timing.deadAfterMs} ms`);
      return;
    }
    this.write(encodeTimestamp(LinkMsg.Ping, performance.now()));
  }

  private challenge(): Challenge {
    const remote = this.remote!;
    const [acceptor, solicitor] = this.didSolicit ? [remote, this.local] : [this.local, remote];
    return {
      acceptorNonce: acceptor.nonce,
      solicitorNonce: solicitor.nonce,
      acceptorId: acceptor.nodeId,
      solicitorId: solicitor.nodeId,
    };
  }
}

function isIdentity(v: unknown): v is Identity {
  const i = v as Identity | undefined;
  return (
    typeof i?.nodeId === 'string' &&
    typeof i.name === 'string' &&
    typeof i.url === 'string' &&
    typeof i.nonce === 'string' &&
    Array.isArray(i.prefixes)
  );
}
