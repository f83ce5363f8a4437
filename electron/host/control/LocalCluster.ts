import { EventEmitter } from 'node:events';
import type { HostError, LinkView, NodeId, NodeView } from '../../../contract/hostContract.js';
import { NodeProcess, type NodeProcessOptions } from './NodeProcess.js';
import { NodeAdmin, type NodeHealth } from './NodeAdmin.js';
import { hostError } from './hostError.js';

/** What every node of the cluster shares: all but its id. */
export type LocalClusterOptions = Omit<NodeProcessOptions, 'id'>;

/** /health as this host's nodes serve it: what NodeAdmin reads, plus the subscription total. */
type Health = NodeHealth & { subscriptions?: number };

interface Member {
  proc: NodeProcess;
  admin: NodeAdmin;
  health: Health | undefined;
  /** Deliveries at recent polls (oldest first, within RATE_WINDOW_MS), for msgs/s. */
  samples: { at: number; deliveries: number }[];
  msgsPerSec: number;
}

/**
 * msgs/s is taken over this window rather than between two polls, so a message every second or
 * two reads as a steady 0.5–1 msg/s instead of flickering between 0 and 2.
 */
const RATE_WINDOW_MS = 2000;

/**
 * Adds a sample and returns deliveries per second since the oldest sample in the window, to one
 * decimal. A counter that went down (the node restarted) starts the window again.
 */
function rate(samples: { at: number; deliveries: number }[], at: number, deliveries: number): number {
  const last = samples[samples.length - 1];
  if (last && deliveries < last.deliveries) samples.length = 0;
  samples.push({ at, deliveries });
  // Keep one sample at or before the window's start, so the span covers the whole window.
  while (samples.length > 2 && samples[1]!.at <= at - RATE_WINDOW_MS) samples.shift();
  const first = samples[0]!;
  if (at <= first.at) return 0;
  return Math.round(((deliveries - first.deliveries) * 10_000) / (at - first.at)) / 10;
}

const pairKey = (a: NodeId, b: NodeId): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * The nodes of one local cluster as child processes, all mesh-linked (each is given every other
 * node as a peer). Knows what it asked for (cuts, stops) and learns the rest from each node's
 * /health, polled by the host.
 */
export class LocalCluster extends EventEmitter<{ change: [] }> {
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
      health: undefined,
      samples: [],
      msgsPerSec: 0,
    };
    proc.on('state', () => {
      if (proc.state !== 'up') {
        m.health = undefined;
        m.samples = [];
        m.msgsPerSec = 0;
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

  /** Reads every up node's /health; a node that does not answer keeps its last figures. */
  async poll(): Promise<void> {
    await Promise.all(
      [...this.members.values()].map(async (m) => {
        if (m.proc.state !== 'up') return;
        try {
          const h: Health = await m.admin.health();
          m.msgsPerSec = rate(m.samples, Date.now(), h.deliveries);
          m.health = h;
        } catch {
          // Between a crash and its exit event: the state change will tell.
        }
      }),
    );
  }

  nodes(): NodeView[] {
    return [...this.members.values()].map(({ proc, health: h, msgsPerSec }) => ({
      id: proc.id,
      host: this.o.host,
      port: proc.port,
      wsUrl: `ws://${this.o.host}:${proc.port}/smq.lsp`,
      rawUrl: `http://${this.o.host}:${proc.port}/smq.lsp`,
      state: proc.state,
      pid: proc.pid,
      uptimeMs: proc.state === 'up' ? Date.now() - proc.startedAt : 0,
      clients: h?.sessions ?? 0,
      subscriptions: h?.subscriptions ?? 0,
      topics: h?.topics ?? 0,
      msgsIn: h?.traffic.msgsIn ?? 0,
      msgsOut: h?.traffic.msgsOut ?? 0,
      bytesIn: h?.traffic.bytesIn ?? 0,
      bytesOut: h?.traffic.bytesOut ?? 0,
      msgsPerSec: proc.state === 'up' ? msgsPerSec : 0,
      lastError: proc.lastError satisfies HostError | null,
    }));
  }

  links(): LinkView[] {
    const ids = this.ids().sort();
    const out: LinkView[] = [];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) out.push(this.link(ids[i]!, ids[j]!));
    }
    return out;
  }

  /** True when two up nodes cannot reach each other over up links, directly or through others. */
  partitioned(): boolean {
    const up = this.ids().filter((id) => this.members.get(id)!.proc.state === 'up');
    if (up.length < 2) return false;
    const seen = new Set([up[0]!]);
    const queue = [up[0]!];
    const linked = this.links().filter((l) => l.state === 'up');
    while (queue.length) {
      const at = queue.pop()!;
      for (const l of linked) {
        const other = l.a === at ? l.b : l.b === at ? l.a : undefined;
        if (other && !seen.has(other)) {
          seen.add(other);
          queue.push(other);
        }
      }
    }
    return seen.size < up.length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.members.values()].map((m) => m.proc.stop()));
    this.members.clear();
  }

  private link(a: NodeId, b: NodeId): LinkView {
    const view = (m: Member, other: NodeId) => m.health?.cluster?.links.find((l) => l.remoteName === other);
    const la = view(this.members.get(a)!, b);
    const lb = view(this.members.get(b)!, a);
    const bothUp = [a, b].every((id) => this.members.get(id)!.proc.state === 'up');
    const cut = this.cuts.has(pairKey(a, b));
    const up = bothUp && (la?.state === 'up' || lb?.state === 'up');
    const known = la ?? lb;
    return {
      a,
      b,
      state: up ? 'up' : cut ? 'cut' : bothUp ? 'connecting' : 'down',
      rttMs: up ? (known?.rttMs ?? null) : null,
      queuedBytes: up ? (known?.pendingBytes ?? 0) : 0,
      lastReason: known?.closeReason ?? (cut ? 'LinkCut' : null),
    };
  }

  private member(id: NodeId): Member {
    const m = this.members.get(id);
    if (!m) throw hostError({ code: 'NoSuchNode', message: `no node ${id}` });
    return m;
  }
}
