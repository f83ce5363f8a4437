import { networkInterfaces } from 'node:os';
import type { SmqNode } from '../node/SmqNode.js';
import type { NodeServer } from '../node/NodeServer.js';
import type { Logger } from '../node/options.js';
import { ClusterRouter, type PeerSnapshot } from './ClusterRouter.js';
import { LINK_PATH, MeshBackplane, type MeshLinkInfo, type MeshOptions } from './MeshBackplane.js';
import { LinkCloseReason } from './LinkCloseReason.js';

export interface ClusterOptions {
  /** Shared by every node of the cluster; proven by challenge-response, never sent. */
  secret: string;
  /** ws://host:port of nodes to link to; gossip finds the rest. */
  peers?: string[];
  /** The URL peers dial to reach this node (default: ws:// + the bound address). */
  advertiseUrl?: string;
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

/** One node's membership in a cluster: a WebSocket full mesh carrying the ClusterRouter's logic. */
export class Cluster {
  readonly mesh: MeshBackplane;
  readonly router: ClusterRouter;

  constructor(
    readonly node: SmqNode,
    server: NodeServer,
    o: ClusterOptions,
  ) {
    if (!o.secret) throw new Error('a cluster needs a shared secret');
    const addr = server.address();
    const log = o.log ?? (() => {});
    this.mesh = new MeshBackplane({
      secret: o.secret,
      name: node.name,
      url: o.advertiseUrl ?? `ws://${advertisedHost(addr.address, addr.family)}:${addr.port}`,
      prefixes: () => [...node.etids.prefixes],
      settlePrefixes: (remote) => this.settlePrefixes(remote),
      timing: o.timing,
      backoffBaseMs: o.backoffBaseMs,
      backoffMaxMs: o.backoffMaxMs,
      log,
    });
    this.router = new ClusterRouter(node, this.mesh);
    server.route(LINK_PATH, (ws) => this.mesh.accept(ws));
    node.etids.avoid = () => this.mesh.peerPrefixes();
    node.on('etidPrefix', this.announcePrefixes);
    server.addStatus('cluster', () => ({
      nodeId: this.nodeId,
      links: this.links(),
      peers: this.peers(),
      cut: this.mesh.cuts(),
    }));
    for (const url of o.peers ?? []) this.mesh.addPeer(url);
    if (o.peers?.length) node.holdInitUntil(this.syncedWithCluster(), o.warmupMs ?? 2000);
  }

  /**
   * Resolves once every configured peer, and every member they told us about, has linked and sent
   * its Sync (its interest and ETIDs): then a device's first broadcast reaches every node.
   */
  private syncedWithCluster(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        const configured = this.mesh.wanted().filter((w) => w.origin === 'configured');
        const ids = [...configured.map((w) => w.nodeId), ...this.mesh.members()];
        if (ids.every((id) => id !== undefined && this.router.hasSynced(id))) {
          this.router.onSynced = undefined;
          this.mesh.onMembers = undefined;
          resolve();
        }
      };
      this.router.onSynced = check;
      this.mesh.onMembers = check;
    });
  }

  get nodeId(): string {
    return this.mesh.nodeId;
  }

  addPeer(url: string): void {
    this.mesh.addPeer(url);
  }

  removePeer(url: string): void {
    this.mesh.removePeer(url);
  }

  links(): MeshLinkInfo[] {
    return this.mesh.links();
  }

  peers(): PeerSnapshot[] {
    return this.router.peerSnapshots();
  }

  private readonly announcePrefixes = (): void => this.mesh.announcePrefixes();

  close(): void {
    this.node.off('etidPrefix', this.announcePrefixes);
    this.mesh.close();
    this.router.detach();
  }

  /**
   * ETIDs must be unique across the cluster. A node that has issued none yet takes a new prefix;
   * otherwise the link is refused with a reason both sides log and the UI shows.
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
