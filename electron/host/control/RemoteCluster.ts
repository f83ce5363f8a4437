import { EventEmitter } from 'node:events';
import {
  toHostError,
  type DrainPace,
  type HostError,
  type LinkView,
  type NodeId,
  type NodeView,
} from '../../../contract/hostContract.js';
import { NodeAdmin } from './NodeAdmin.js';
import { NodeFigures } from './NodeFigures.js';
import { cutInHealth, meshLinks, unlinkedPairs, type MeshMember } from './meshView.js';
import { smqUrls, type ClusterSource } from './ClusterSource.js';
import type { RemoteNode } from './remoteNodes.js';
import { hostError } from './hostError.js';

interface Member {
  id: NodeId;
  url: URL;
  admin: NodeAdmin;
  figures: NodeFigures;
  up: boolean;
  lastError: HostError | null;
  /** A drain asked it to exit when drained: once it stops answering, it shows as stopped. */
  exitsDrained: boolean;
  /** Its id before it came back under a new name, until it next goes down. */
  renamedFrom?: NodeId;
}

/**
 * Nodes someone else runs (smq-node on other hosts), attached by URL and admin token. Everything
 * comes from each node's public /health (polled like a local node's) and its admin endpoint: a
 * node is up while /health answers, unreachable otherwise; links and cuts are what the nodes
 * report. The host never starts, stops or kills these nodes, and detaching leaves them running.
 */
export class RemoteCluster extends EventEmitter<{ change: [] }> implements ClusterSource {
  readonly kind = 'remote';
  private readonly members = new Map<NodeId, Member>();

  /** `ca`: the PEM CA the nodes' certificates are verified against (attachCluster's caFile). */
  constructor(nodes: readonly RemoteNode[], token: string, ca?: string) {
    super();
    for (const n of nodes) {
      this.members.set(n.id, {
        id: n.id,
        url: new URL(n.url),
        admin: new NodeAdmin(() => n.url, token, ca),
        figures: new NodeFigures(),
        up: false,
        lastError: { code: 'NodeUnreachable', message: `${n.url}: not polled yet` },
        exitsDrained: false,
      });
    }
  }

  /** As the nodes' /health last said; until one answers, whether its URL is https://. */
  get tls(): boolean {
    return [...this.members.values()].some((m) => m.figures.health?.tls ?? m.url.protocol === 'https:');
  }

  ids(): NodeId[] {
    return [...this.members.keys()];
  }

  /** The nodes as the host knows them: for a saved profile. */
  targets(): RemoteNode[] {
    return [...this.members.values()].map((m) => ({ id: m.id, url: m.url.origin }));
  }

  origins(): Map<NodeId, string> {
    return new Map([...this.members].map(([id, m]) => [id, m.url.origin]));
  }

  /** Reads every node's /health; one that does not answer is unreachable until it does. */
  async poll(): Promise<void> {
    let changed = false;
    await Promise.all(
      [...this.members.values()].map(async (m) => {
        const was = m.up;
        try {
          const health = await m.figures.poll(m.admin);
          m.up = true;
          m.lastError = null;
          // Cancelled (or a new incarnation): it will not exit by itself.
          const drain = health.drain?.state;
          if (drain !== 'draining' && drain !== 'drained') m.exitsDrained = false;
        } catch (err) {
          if (m.up && m.exitsDrained) m.figures.endedByDrain();
          m.figures.reset();
          m.up = false;
          m.renamedFrom = undefined;
          m.lastError = toHostError(err);
        }
        if (m.up !== was) changed = true;
      }),
    );
    if (this.followRenames()) changed = true;
    if (changed) this.emit('change');
  }

  /**
   * A node's id is the cluster name it had when attached: one that now answers under another name
   * (restarted without --name) takes that name as its id, so cards, links and tap rows all say
   * the same. Kept when another node has that id already. True when one was renamed.
   */
  private followRenames(): boolean {
    const renamed = [...this.members.values()].filter((m) => {
      const name = m.figures.health?.name;
      return m.up && typeof name === 'string' && name !== '' && name !== m.id && !this.members.has(name);
    });
    if (renamed.length === 0) return false;
    const members = [...this.members.values()];
    for (const m of renamed) {
      m.renamedFrom = m.id;
      m.id = m.figures.health!.name!;
    }
    this.members.clear();
    for (const m of members) this.members.set(m.id, m);
    return true;
  }

  nodes(): NodeView[] {
    return [...this.members.values()].map((m) => ({
      id: m.id,
      host: m.url.hostname,
      port: Number(m.url.port) || (m.url.protocol === 'https:' ? 443 : 80),
      ...smqUrls(m.url.origin),
      state: m.up ? 'up' : m.exitsDrained ? 'stopped' : 'unreachable',
      pid: null,
      uptimeMs: m.up ? (m.figures.health?.uptimeMs ?? 0) : 0,
      ...m.figures.counters(m.up),
      lastError: m.up || m.exitsDrained ? null : m.lastError,
      deviceAuth: 'unknown',
      ...(m.renamedFrom !== undefined && { renamedFrom: m.renamedFrom }),
    }));
  }

  links(): LinkView[] {
    return meshLinks(this.mesh(), cutInHealth);
  }

  unlinked(): [NodeId, NodeId][] {
    return unlinkedPairs(this.mesh(), this.links());
  }

  admin(id: NodeId): NodeAdmin {
    const m = this.member(id);
    if (!m.up) throw hostError({ code: 'NodeNotUp', message: `${id} is unreachable` });
    return m.admin;
  }

  /** The node drains, then its smq-node exits (then=exit): the host cannot stop it otherwise. */
  async drain(id: NodeId, pace: DrainPace = {}): Promise<void> {
    const m = this.member(id);
    await this.admin(id).drain(true, pace);
    m.exitsDrained = true;
    await this.poll();
    this.emit('change');
  }

  /** Asks both nodes (those that answer) to cut or restore; the nodes' /health then tells. */
  async setCut(a: NodeId, b: NodeId, cut: boolean): Promise<void> {
    const ma = this.member(a);
    const mb = this.member(b);
    if (a === b) throw hostError({ code: 'NoSuchLink', message: 'a link joins two different nodes' });
    const sides = [
      [ma, mb],
      [mb, ma],
    ].filter(([m]) => m!.up);
    if (!sides.length) throw hostError({ code: 'NodeNotUp', message: `${a} and ${b} are unreachable` });
    await Promise.all(sides.map(([m, other]) => m!.admin.cut(this.nameOf(other!), cut)));
    await this.poll();
    this.emit('change');
  }

  /** Detaching: nothing to stop, the nodes are not ours. */
  async close(): Promise<void> {
    this.removeAllListeners();
  }

  /** A node's name on the mesh: the one its /health gives now (a restart may pick a new one). */
  private nameOf(m: Member): string {
    return m.figures.health?.name ?? m.id;
  }

  private mesh(): MeshMember[] {
    return [...this.members.values()].map((m) => ({
      id: m.id,
      up: m.up,
      name: this.nameOf(m),
      health: m.figures.health,
    }));
  }

  private member(id: NodeId): Member {
    const m = this.members.get(id);
    if (!m) throw hostError({ code: 'NoSuchNode', message: `no node ${id}` });
    return m;
  }
}
