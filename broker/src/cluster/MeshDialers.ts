import { Backoff } from './Backoff.js';
import type { ClusterLink, LinkOrigin } from './ClusterLink.js';
import { LinkCloseReason } from './LinkCloseReason.js';
import type { Identity } from './linkCodec.js';

export type DialOrigin = Exclude<LinkOrigin, 'inbound'>;

/** What the mesh tells its dialers, and does for them. */
export interface DialerHost {
  readonly closed: boolean;
  /** A link to that node is up (it may have dialled us). */
  isLinked(nodeId: string): boolean;
  /** The operator cut this node off from the node of that name. */
  isCut(name: string): boolean;
  /** Opens an outbound link to `url` (a WebSocket to its link path). */
  open(url: string, origin: DialOrigin): ClusterLink;
}

export interface DialersOptions {
  /** This node's own URL: never dialled. */
  selfUrl: string;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A discovered member is given up after this many failed dials in a row (gossip brings it back). */
  maxDiscoveredFailures?: number;
}

/** A wanted peer as /health shows it. */
export interface WantedPeer {
  url: string;
  origin: DialOrigin;
  nodeId: string | undefined;
  linked: boolean;
  /** Why the last dial ended before the link came up (a refused certificate, say). */
  lastFailure: { reason: LinkCloseReason; detail: string } | undefined;
}

/** An outbound link this node wants: dialled, and redialled with backoff while wanted. */
interface Dialer {
  url: string;
  origin: DialOrigin;
  nodeId: string | undefined;
  /** The peer's node name, once a handshake told it (names survive restarts, node ids do not). */
  name: string | undefined;
  backoff: Backoff;
  timer: NodeJS.Timeout | undefined;
  link: ClusterLink | undefined;
  failures: number;
  lastFailure: WantedPeer['lastFailure'];
}

export function normalizeUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The peers a mesh node dials (configured by URL, or discovered by gossip): one dial at a time per
 * peer, redialled with backoff while wanted, waiting while the peer is linked the other way round or
 * cut off by the operator.
 */
export class MeshDialers {
  private readonly dialers = new Map<string, Dialer>();

  constructor(
    private readonly o: DialersOptions,
    private readonly host: DialerHost,
  ) {}

  add(url: string, origin: DialOrigin): void {
    const key = normalizeUrl(url);
    if (this.host.closed || this.dialers.has(key) || key === normalizeUrl(this.o.selfUrl)) return;
    const d: Dialer = {
      url: key,
      origin,
      nodeId: undefined,
      name: undefined,
      backoff: new Backoff(this.o.backoffBaseMs ?? 200, this.o.backoffMaxMs ?? 5000),
      timer: undefined,
      link: undefined,
      failures: 0,
      lastFailure: undefined,
    };
    this.dialers.set(key, d);
    this.dial(d);
  }

  /** Stops dialling `url`; returns what the mesh must close: its link in progress, or its node's id. */
  remove(url: string): { link: ClusterLink | undefined; nodeId: string | undefined } | undefined {
    const d = this.dialers.get(normalizeUrl(url));
    if (!d) return undefined;
    this.dialers.delete(d.url);
    clearTimeout(d.timer);
    return { link: d.link, nodeId: d.nodeId };
  }

  /** A cut was lifted: dials the node of that name again at once. */
  redial(name: string): void {
    for (const d of this.dialers.values()) {
      if (d.name !== name || d.link) continue;
      clearTimeout(d.timer);
      d.timer = undefined;
      d.backoff.reset();
      this.dial(d);
    }
  }

  wanted(): WantedPeer[] {
    return [...this.dialers.values()].map((d) => ({
      url: d.url,
      origin: d.origin,
      nodeId: d.nodeId,
      linked: d.nodeId !== undefined && this.host.isLinked(d.nodeId),
      lastFailure: d.lastFailure,
    }));
  }

  close(): void {
    for (const d of this.dialers.values()) clearTimeout(d.timer);
    this.dialers.clear();
  }

  /** A link came up: the dialers of that node (by link or URL) learn who it is and start afresh. */
  linkUp(link: ClusterLink, remote: Identity): void {
    for (const d of this.dialers.values()) {
      if (d.link === link || d.url === normalizeUrl(remote.url)) {
        d.nodeId = remote.nodeId;
        d.name = remote.name;
        d.backoff.reset();
        d.failures = 0;
        d.lastFailure = undefined;
      }
    }
  }

  /** A link ended: its dialer redials (or gives up); a lost peer is redialled by whoever wants it. */
  linkDown(
    link: ClusterLink,
    remote: Identity | undefined,
    wasUp: boolean,
    reason: LinkCloseReason,
    detail: string,
  ): void {
    for (const d of this.dialers.values()) {
      if (d.link === link) {
        d.link = undefined;
        // Known even when refused (a duplicate): dial() then waits while that node is linked.
        if (remote) {
          d.nodeId = remote.nodeId;
          d.name = remote.name;
        }
        if (!wasUp) d.lastFailure = { reason, detail };
        this.afterDialEnded(d, reason, wasUp);
      } else if (
        wasUp &&
        remote &&
        d.nodeId === remote.nodeId &&
        !d.link &&
        !d.timer &&
        !this.host.isCut(remote.name)
      )
        this.schedule(d);
    }
  }

  private afterDialEnded(d: Dialer, reason: LinkCloseReason, wasUp: boolean): void {
    if (reason === LinkCloseReason.SelfLink || reason === LinkCloseReason.LinkRemoved) {
      this.dialers.delete(d.url);
      return;
    }
    // Kept, not redialled: redial() dials it again when the cut is lifted.
    if (d.name !== undefined && this.host.isCut(d.name)) return;
    if (!wasUp) d.failures++;
    if (d.origin === 'discovered' && d.failures >= (this.o.maxDiscoveredFailures ?? 10)) {
      this.dialers.delete(d.url);
      return;
    }
    this.schedule(d);
  }

  private schedule(d: Dialer): void {
    if (this.host.closed || !this.dialers.has(d.url)) return;
    clearTimeout(d.timer);
    d.timer = setTimeout(() => {
      d.timer = undefined;
      this.dial(d);
    }, d.backoff.next()).unref();
  }

  private dial(d: Dialer): void {
    if (this.host.closed || d.link) return;
    // Linked already (the peer dialled us): wait; linkDown reschedules.
    if (d.nodeId !== undefined && this.host.isLinked(d.nodeId)) return;
    d.link = this.host.open(d.url, d.origin);
  }
}
