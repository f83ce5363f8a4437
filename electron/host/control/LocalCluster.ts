import { EventEmitter } from 'node:events';
import type { HostError, LinkView, NodeId, NodeView } from '../../../contract/hostContract.js';
import { NodeProcess, type NodeProcessOptions } from './NodeProcess.js';
import { NodeAdmin } from './NodeAdmin.js';
import { NodeFigures } from './NodeFigures.js';
import { meshLinks, unlinkedPairs, type MeshMember } from './meshView.js';
import { smqUrls, type ClusterSource } from './ClusterSource.js';
import { hostError } from './hostError.js';

/** What every node of the cluster shares: all but its id. */
export type LocalClusterOptions = Omit<NodeProcessOptions, 'id'>;

interface Member {
  proc: NodeProcess;
  admin: NodeAdmin;
  figures: NodeFigures;
}

const pairKey = (a: NodeId, b: NodeId): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * The nodes of one local cluster as child processes, all mesh-linked (each is given every other
 * node as a peer). Knows what it asked for (cuts, stops) and learns the rest from each node's
 * /health, polled by the host.
 */
export class LocalCluster extends EventEmitter<{ change: [] }> implements ClusterSource {
  readonly kind = 'local';
  private readonly members = new Map<NodeId, Member>();
  private readonly cuts = new Set<string>();
  private nextId = 1;

  constructor(private readonly o: LocalClusterOptions) {
    super();
  }

  get size(): number {
    return this.members.size;
  }

  /** Adds and starts one node linked to every other; `port` 0 picks a free one. */
  async add(port = 0, given?: NodeId): Promise<NodeId> {
    const id = given ?? `n${this.nextId}`;
    this.nextId = Math.max(this.nextId, (Number(id.slice(1)) || 0) + 1);
    const proc = new NodeProcess({ id, ...this.o });
    proc.port = port;
    const m: Member = {
      proc,
      admin: new NodeAdmin(() => `http://${this.o.host}:${proc.port}`, this.o.adminToken),
      figures: new NodeFigures(),
    };
    proc.on('state', () => {
      if (proc.state !== 'up') m.figures.reset();
      this.emit('change');
    });
    this.members.set(id, m);
    await this.start(id);
    return id;
  }

  async remove(id: NodeId): Promise<void> {
    const m = this.member(id);
    await m.proc.stop();
    this.members.delete(id);
    // Survivors still have it as a configured peer: a cut stops their redials.
    await Promise.allSettled([...this.members.values()].map((o) => o.admin.cut(id, true)));
    this.emit('change');
  }

  async start(id: NodeId): Promise<void> {
    const m = this.member(id);
    if (m.proc.state === 'up' || m.proc.state === 'starting') return;
    const peers = [...this.members.values()]
      .filter((o) => o !== m && o.proc.port !== 0)
      .map((o) => `ws://${this.o.host}:${o.proc.port}`);
    try {
      await m.proc.start(peers);
    } catch (err) {
      throw hostError(err);
    }
    // A restarted node forgets its cuts: tell it again.
    const cuts = [...this.members.keys()].filter((o) => this.cuts.has(pairKey(id, o)));
    await Promise.all(cuts.map((o) => m.admin.cut(o, true)));
  }

  stop(id: NodeId): Promise<void> {
    return this.member(id).proc.stop();
  }

  kill(id: NodeId): Promise<void> {
    return this.member(id).proc.kill();
  }

  async restart(id: NodeId): Promise<void> {
    await this.stop(id);
    await this.start(id);
  }

  /** Cuts (or restores) the link between two nodes, on both sides. */
  async setCut(a: NodeId, b: NodeId, cut: boolean): Promise<void> {
    const ma = this.member(a);
    const mb = this.member(b);
    if (a === b) throw hostError({ code: 'NoSuchLink', message: 'a link joins two different nodes' });
    if (cut) this.cuts.add(pairKey(a, b));
    else this.cuts.delete(pairKey(a, b));
    const live = [
      [ma, b],
      [mb, a],
    ] as const;
    await Promise.all(
      live.filter(([m]) => m.proc.state === 'up').map(([m, other]) => m.admin.cut(other, cut)),
    );
    this.emit('change');
  }

  admin(id: NodeId): NodeAdmin {
    const m = this.member(id);
    if (m.proc.state !== 'up') throw hostError({ code: 'NodeNotUp', message: `${id} is ${m.proc.state}` });
    return m.admin;
  }

  ids(): NodeId[] {
    return [...this.members.keys()];
  }

  ports(): Map<NodeId, number> {
    return new Map([...this.members].map(([id, m]) => [id, m.proc.port]));
  }

  origins(): Map<NodeId, string> {
    return new Map(
      [...this.members]
        .filter(([, m]) => m.proc.port > 0)
        .map(([id, m]) => [id, `http://${this.o.host}:${m.proc.port}`]),
    );
  }

  /** Reads every up node's /health; a node that does not answer keeps its last figures. */
  async poll(): Promise<void> {
    await Promise.all(
      [...this.members.values()].map(async (m) => {
        if (m.proc.state !== 'up') return;
        // Between a crash and its exit event: the state change will tell.
        await m.figures.poll(m.admin).catch(() => undefined);
      }),
    );
  }

  nodes(): NodeView[] {
    return [...this.members.values()].map(({ proc, figures }) => ({
      id: proc.id,
      host: this.o.host,
      port: proc.port,
      ...smqUrls(`http://${this.o.host}:${proc.port}`),
      state: proc.state,
      pid: proc.pid,
      uptimeMs: proc.state === 'up' ? Date.now() - proc.startedAt : 0,
      ...figures.counters(proc.state === 'up'),
      lastError: proc.lastError satisfies HostError | null,
    }));
  }

  links(): LinkView[] {
    return meshLinks(this.mesh(), (a, b) => this.cuts.has(pairKey(a.id, b.id)));
  }

  unlinked(): [NodeId, NodeId][] {
    return unlinkedPairs(this.mesh(), this.links());
  }

  async close(): Promise<void> {
    await Promise.all([...this.members.values()].map((m) => m.proc.stop()));
    this.members.clear();
  }

  /** Local nodes are named by their ids (--name). */
  private mesh(): MeshMember[] {
    return [...this.members].map(([id, m]) => ({
      id,
      up: m.proc.state === 'up',
      name: id,
      health: m.figures.health,
    }));
  }

  private member(id: NodeId): Member {
    const m = this.members.get(id);
    if (!m) throw hostError({ code: 'NoSuchNode', message: `no node ${id}` });
    return m;
  }
}
