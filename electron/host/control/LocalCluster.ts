import { EventEmitter } from 'node:events';
import {
  toHostError,
  type DrainPace,
  type HostError,
  type LinkView,
  type NodeId,
  type NodeView,
} from '../../../contract/hostContract.js';
import { NodeProcess, type NodeProcessOptions } from './NodeProcess.js';
import { NodeAdmin, type NodeHealth } from './NodeAdmin.js';
import { NodeFigures } from './NodeFigures.js';
import { meshLinks, unlinkedPairs, type MeshMember } from './meshView.js';
import { natsUnlinked } from './natsView.js';
import { smqUrls, type ClusterSource } from './ClusterSource.js';
import { hostError } from './hostError.js';
import { urlHost } from '../../../broker/src/page/pageOrigin.js';

/** What every node of the cluster shares: all but its id. */
export type LocalClusterOptions = Omit<NodeProcessOptions, 'id'>;

interface Member {
  proc: NodeProcess;
  admin: NodeAdmin;
  figures: NodeFigures;
  /** Why the last /health poll of the up node failed (TlsVerifyFailed, NodeUnreachable). */
  readError: HostError | null;
  /** Why the node is not where its profile put it (AddressUnavailable), until it is bound again. */
  notice: HostError | null;
}

const pairKey = (a: NodeId, b: NodeId): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * The nodes of one local cluster as child processes, all mesh-linked (each is given every other
 * node as a peer) or all on one NATS (options.nats). Knows what it asked for (cuts, stops) and
 * learns the rest from each node's /health, polled by the host.
 */
export class LocalCluster extends EventEmitter<{ change: [] }> implements ClusterSource {
  readonly kind = 'local';
  private readonly members = new Map<NodeId, Member>();
  private readonly cuts = new Set<string>();
  private nextId = 1;

  constructor(private readonly o: LocalClusterOptions) {
    super();
  }

  get tls(): boolean {
    return this.o.tls !== undefined;
  }

  get size(): number {
    return this.members.size;
  }

  /** Adds and starts one node linked to every other; `port` 0 picks a free one, `host` defaults to the cluster's. */
  async add(port = 0, given?: NodeId, host = this.o.host): Promise<NodeId> {
    const id = given ?? `n${this.nextId}`;
    this.nextId = Math.max(this.nextId, (Number(id.slice(1)) || 0) + 1);
    const proc = new NodeProcess({ id, ...this.o, host });
    proc.port = port;
    const m: Member = {
      proc,
      admin: new NodeAdmin(() => origin(proc), this.o.adminToken, this.o.tls?.ca),
      figures: new NodeFigures(),
      readError: null,
      notice: null,
    };
    proc.on('state', () => {
      if (proc.state !== 'up') {
        m.figures.reset();
        m.readError = null;
      }
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
    // Survivors still have it as a configured peer: a cut stops their redials (NATS: nothing to redial).
    if (!this.o.nats) await Promise.allSettled([...this.members.values()].map((o) => o.admin.cut(id, true)));
    this.emit('change');
  }

  async start(id: NodeId): Promise<void> {
    const m = this.member(id);
    if (m.proc.state === 'up' || m.proc.state === 'starting') return;
    const peers = [...this.members.values()]
      .filter((o) => o !== m && o.proc.port !== 0 && !this.o.nats)
      .map((o) => this.peerUrl(o.proc.host, o.proc.port));
    try {
      await m.proc.start(peers);
    } catch (err) {
      throw hostError(err);
    }
    // A restarted node forgets its cuts: tell it again.
    const cuts = [...this.members.keys()].filter((o) => this.cuts.has(pairKey(id, o)));
    await Promise.all(cuts.map((o) => m.admin.cut(o, true)));
  }

  /** Starts draining the node; poll() stops it once the node reports it drained. */
  async drain(id: NodeId, pace: DrainPace = {}): Promise<void> {
    const m = this.member(id);
    await this.admin(id).drain(false, pace);
    await m.figures.poll(m.admin).catch(() => undefined);
    this.emit('change');
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

  /** Restarts every node that is up, one at a time (to take a new NATS URL); others take it at their next start. */
  async restartUp(): Promise<void> {
    for (const [id, m] of this.members) {
      if (m.proc.state !== 'up') continue;
      await this.restart(id).catch((err: Error) => this.o.log('warn', `restart ${id}: ${err.message}`));
    }
  }

  /**
   * Restarts the node bound to `host`, on its port, and moves it in the other nodes' peer lists.
   * When it cannot start there (port taken, address gone) it goes back to its old address and
   * the error is thrown: nothing (the profile included) keeps the failed address.
   */
  async bind(id: NodeId, host: string): Promise<void> {
    const m = this.member(id);
    const old = m.proc.host;
    await m.proc.stop();
    m.proc.host = host;
    try {
      await this.start(id);
    } catch (err) {
      m.proc.host = old;
      await this.start(id).catch(() => undefined);
      throw err;
    }
    m.notice = null;
    if (old !== host && !this.o.nats) await this.movePeer(m, this.peerUrl(old, m.proc.port));
    this.emit('change');
  }

  /**
   * The others were given the node's old URL as a configured peer and would dial it forever:
   * each drops it and takes the new one (a node down now gets the new one at its next start).
   */
  private async movePeer(moved: Member, oldUrl: string): Promise<void> {
    const newUrl = this.peerUrl(moved.proc.host, moved.proc.port);
    const others = [...this.members.values()].filter((o) => o !== moved && o.proc.state === 'up');
    const results = await Promise.allSettled(
      others.map(async (o) => {
        await o.admin.peer(oldUrl, false);
        await o.admin.peer(newUrl, true);
      }),
    );
    for (const r of results)
      if (r.status === 'rejected') this.o.log('warn', `peer move: ${(r.reason as Error).message}`);
  }

  /** Marks the node with why it is not where its profile put it (until it is bound again). */
  notify(id: NodeId, notice: HostError): void {
    this.member(id).notice = notice;
    this.emit('change');
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

  /** Each node's port and bound address, as the profile keeps them. */
  placements(): { id: NodeId; port: number; host: string }[] {
    return [...this.members].map(([id, m]) => ({ id, port: m.proc.port, host: m.proc.host }));
  }

  origins(): Map<NodeId, string> {
    return new Map(
      [...this.members].filter(([, m]) => m.proc.port > 0).map(([id, m]) => [id, origin(m.proc)]),
    );
  }

  /** Reads every up node's /health; a node that does not answer keeps its last figures. */
  async poll(): Promise<void> {
    await Promise.all(
      [...this.members.values()].map(async (m) => {
        if (m.proc.state !== 'up') return;
        // A node the host cannot read must not look healthy: the failure is its lastError until a
        // poll succeeds (a crash's own error comes with its exit event).
        let health: NodeHealth | undefined;
        try {
          health = await m.figures.poll(m.admin);
          m.readError = null;
        } catch (err) {
          if (m.proc.state === 'up') m.readError = toHostError(err);
        }
        // A drain (drainNode) ends with the node stopped; 'stopping' keeps the next poll off it.
        if (health?.drain?.state === 'drained') {
          m.figures.endedByDrain();
          void m.proc.stop();
        }
      }),
    );
  }

  nodes(): NodeView[] {
    return [...this.members.values()].map(({ proc, figures, readError, notice }) => ({
      id: proc.id,
      host: proc.host,
      port: proc.port,
      ...smqUrls(origin(proc)),
      state: proc.state,
      pid: proc.pid,
      uptimeMs: proc.state === 'up' ? Date.now() - proc.startedAt : 0,
      ...figures.counters(proc.state === 'up'),
      lastError: (proc.lastError ?? readError ?? notice) satisfies HostError | null,
      deviceAuth: 'none',
    }));
  }

  /** Mesh links; none on NATS (the topology links each node to the NATS server instead). */
  links(): LinkView[] {
    if (this.o.nats) return [];
    return meshLinks(this.mesh(), (a, b) => this.cuts.has(pairKey(a.id, b.id)));
  }

  unlinked(): [NodeId, NodeId][] {
    return this.o.nats ? natsUnlinked(this.mesh()) : unlinkedPairs(this.mesh(), this.links());
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

  /** The URL other nodes dial this one at: ws://, or wss:// with TLS. */
  private peerUrl(host: string, port: number): string {
    return `${this.o.tls ? 'wss' : 'ws'}://${urlHost(host)}:${port}`;
  }

  private member(id: NodeId): Member {
    const m = this.members.get(id);
    if (!m) throw hostError({ code: 'NoSuchNode', message: `no node ${id}` });
    return m;
  }
}

/** The node's http(s)://host:port, where its SMQ, /health and admin routes answer. */
function origin(proc: NodeProcess): string {
  return `${proc.o.tls ? 'https' : 'http'}://${urlHost(proc.host)}:${proc.port}`;
}
