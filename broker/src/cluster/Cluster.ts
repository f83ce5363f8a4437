import { networkInterfaces } from 'node:os';
import type { SmqNode } from '../node/SmqNode.js';
import type { NodeServer } from '../node/NodeServer.js';
import type { Logger } from '../node/options.js';
import { ClusterRouter, type PeerSnapshot } from './ClusterRouter.js';
import { LINK_PATH, MeshBackplane, type MeshLinkInfo, type MeshOptions } from './MeshBackplane.js';
import { LinkCloseReason } from './LinkCloseReason.js';
import { NatsBackplane, type NatsBackplaneInfo, type NatsTiming } from './nats/NatsBackplane.js';
import type { NatsConnectOptions } from './nats/NatsConnector.js';

/** A cluster carried by NATS: the servers, this node's credentials, and the cluster's name on it. */
export interface NatsClusterOptions extends NatsConnectOptions {
  /** Keeps two clusters on one NATS apart (default "smq"). */
  cluster?: string;
  timing?: Partial<NatsTiming>;
}

export interface ClusterOptions {
  /** Mesh links: shared by every node of the cluster; proven by challenge-response, never sent. */
  secret?: string;
  /** Joins through NATS instead of mesh links (then no `peers`; NATS authenticates the node). */
  nats?: NatsClusterOptions;
  /** ws://host:port of nodes to link to; gossip finds the rest. */
  peers?: string[];
  /** The URL peers dial to reach this node (default: ws://, or wss:// on a TLS port, + the bound address). */
  advertiseUrl?: string;
  /** PEM CA certificate(s) that wss:// peers are verified against (default: the system roots). */
  ca?: string | Buffer;
  /** At start, Init waits at most this long for the configured peers' Sync (default 2000 ms). */
  warmupMs?: number;
  timing?: MeshOptions['timing'];
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  log?: Logger;
}

/**
 * The host peers dial: the bound address, or for a wildcard bind the first non-internal IPv4
 * interface address (gossiping 127.0.0.1 would make every other host dial itself).
 */
export function advertisedHost(address: string, family: string): string {
  if (address !== '0.0.0.0' && address !== '::') return family === 'IPv6' ? `[${address}]` : address;
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) return i.address;
  }
  return '127.0.0.1';
}

/** One node's membership in a cluster: a WebSocket full mesh or NATS carrying the ClusterRouter's logic. */
export class Cluster {
  readonly backplane: MeshBackplane | NatsBackplane;
  readonly router: ClusterRouter;

  constructor(
    readonly node: SmqNode,
    server: NodeServer,
    o: ClusterOptions,
  ) {
    const log = o.log ?? (() => {});
    node.on('etidPrefix', this.announcePrefixes);
    if (o.nats) {
      if (o.peers?.length) throw new Error('a cluster runs over NATS or over peer links, not both');
      const nats = new NatsBackplane({
        ...o.nats,
        name: node.name,
        prefixes: () => [...node.etids.prefixes],
        settlePrefixes: (remote) => this.settlePrefixes(remote),
        log,
      });
      this.backplane = nats;
      this.router = new ClusterRouter(node, nats);
      node.etids.avoid = () => nats.peerPrefixes();
      server.addStatus('cluster', () => ({
        nodeId: this.nodeId,
        transport: 'nats',
        links: this.links(),
        peers: this.peers(),
        nats: nats.info(),
        cut: this.cuts(),
      }));
      node.holdInitUntil(nats.settled(), o.warmupMs ?? 2000);
      return;
    }
    if (!o.secret) throw new Error('a cluster needs a shared secret');
    const addr = server.address();
    const mesh = new MeshBackplane({
      secret: o.secret,
      name: node.name,
      url:
        o.advertiseUrl ??
        `${server.secure ? 'wss' : 'ws'}://${advertisedHost(addr.address, addr.family)}:${addr.port}`,
      ca: o.ca,
      prefixes: () => [...node.etids.prefixes],
      settlePrefixes: (remote) => this.settlePrefixes(remote),
      timing: o.timing,
      backoffBaseMs: o.backoffBaseMs,
      backoffMaxMs: o.backoffMaxMs,
      log,
    });
    this.backplane = mesh;
    this.router = new ClusterRouter(node, mesh);
    server.route(LINK_PATH, (ws) => mesh.accept(ws));
    node.etids.avoid = () => mesh.peerPrefixes();
    server.addStatus('cluster', () => ({
      nodeId: this.nodeId,
      transport: 'mesh',
      links: this.links(),
      peers: this.peers(),
      dials: mesh.wanted(),
      cut: this.cuts(),
    }));
    for (const url of o.peers ?? []) mesh.addPeer(url);
    if (o.peers?.length) node.holdInitUntil(this.syncedWithCluster(mesh), o.warmupMs ?? 2000);
  }

  /** The WebSocket mesh, when the cluster runs on it. */
  get mesh(): MeshBackplane | undefined {
    return this.backplane instanceof MeshBackplane ? this.backplane : undefined;
  }

  /** The NATS backplane, when the cluster runs on NATS. */
  get nats(): NatsBackplane | undefined {
    return this.backplane instanceof NatsBackplane ? this.backplane : undefined;
  }

  natsInfo(): NatsBackplaneInfo | undefined {
    return this.nats?.info();
  }

  /**
   * Resolves once every configured peer, and every member they told us about, has linked and sent
   * its Sync (its interest and ETIDs): then a device's first broadcast reaches every node.
   */
  private syncedWithCluster(mesh: MeshBackplane): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        const configured = mesh.wanted().filter((w) => w.origin === 'configured');
        const ids = [...configured.map((w) => w.nodeId), ...mesh.members()];
        if (ids.every((id) => id !== undefined && this.router.hasSynced(id))) {
          this.router.onSynced = undefined;
          mesh.onMembers = undefined;
          resolve();
        }
      };
      this.router.onSynced = check;
      mesh.onMembers = check;
    });
  }

  get nodeId(): string {
    return this.backplane.nodeId;
  }

  /** Mesh only: links to a peer by URL (a NATS cluster finds its members by presence). */
  addPeer(url: string): void {
    this.mesh?.addPeer(url);
  }

  removePeer(url: string): void {
    this.mesh?.removePeer(url);
  }

  /** Mesh links (none on NATS: natsInfo() tells its state). */
  links(): MeshLinkInfo[] {
    return this.mesh?.links() ?? [];
  }

  /** Drops the node named `name` from this node's cluster and refuses it until restore(name). */
  cut(name: string): void {
    this.backplane.cut(name);
  }

  restore(name: string): void {
    this.backplane.restore(name);
  }

  cuts(): string[] {
    return this.backplane.cuts();
  }

  peers(): PeerSnapshot[] {
    return this.router.peerSnapshots();
  }

  private readonly announcePrefixes = (): void => this.backplane.announcePrefixes();

  close(): void {
    this.node.off('etidPrefix', this.announcePrefixes);
    this.backplane.close();
    this.router.detach();
  }

  /**
   * ETIDs must be unique across the cluster. A node that has issued none yet takes a new prefix;
   * otherwise the link (or on NATS, the peer) is refused with a reason both sides log and the UI shows.
   */
  private settlePrefixes(remote: number[]): { code: string; reason: string } | undefined {
    const mine = this.node.etids.prefixes;
    if (!remote.some((p) => mine.has(p))) return undefined;
    if (!this.node.etids.issuedAny) {
      this.node.etids.repick(new Set(remote));
      return undefined;
    }
    return {
      code: LinkCloseReason.EtidPrefixClash,
      reason: `ETID prefix ${remote.find((p) => mine.has(p))} in use on both nodes`,
    };
  }
}
