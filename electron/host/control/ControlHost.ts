import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type {
  ClientView,
  ClusterSnapshot,
  CommandArgs,
  CommandName,
  CommandResult,
  HostApi,
  HostEvent,
  StatsTick,
} from '../../../contract/hostContract.js';
import { LocalCluster } from './LocalCluster.js';
import type { AdminClientJson } from './NodeAdmin.js';
import { FleetHost } from './FleetHost.js';
import { LoadRunner } from './LoadRunner.js';
import { ProfileStore, type ClusterProfile } from './ProfileStore.js';
import { defaultNodeBin } from './nodeBin.js';
import { hostError } from './hostError.js';
import { HostConnection, type ConnectionOptions } from './HostConnection.js';
import { TapHub } from '../inspector/TapHub.js';
import { ClusterWatch } from '../inspector/ClusterWatch.js';

export interface ControlHostOptions {
  /** Where cluster profiles are saved (the app's data folder). */
  dataDir: string;
  /** The smq-node entry script; found next to the host's build by default. */
  nodeBin?: string;
  /** What runs nodeBin: this process's executable (Electron runs it as Node). */
  execPath?: string;
  /** Restore the last profile's cluster at start (default true). */
  restore?: boolean;
  /** Interval of /health polls and stats ticks. */
  pollMs?: number;
  log?(level: 'info' | 'warn', message: string): void;
}

/** Snapshots are coalesced: at most one per this many ms (about 10 per second). */
const SNAPSHOT_MS = 100;
const MAX_NODES = 16;

type Handlers = { [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandResult<K>> };

/** Per-connection commands reach the host only through connect(). */
const needsConnection = async (): Promise<never> => {
  throw hostError({
    code: 'BadArguments',
    message: 'this command belongs to a connection (ControlHost.connect)',
  });
};

/**
 * The control-plane host: starts and supervises a local cluster (nodes are child processes),
 * device fleets and load runs, and implements the contract. Events are coalesced: a snapshot at
 * most every 100 ms, a stats tick per poll, never one event per SMQ message.
 */
export class ControlHost implements HostApi {
  /** Resolves once the last profile's cluster is back (or there was none). */
  readonly restored: Promise<void>;
  /** Where tap recordings are written (served to the page for download). */
  readonly recordingsDir: string;
  private cluster: LocalCluster | undefined;
  private profile: ClusterProfile | undefined;
  private readonly fleets: FleetHost;
  private readonly loads: LoadRunner;
  private readonly store: ProfileStore;
  private readonly tap: TapHub;
  private watch: ClusterWatch | undefined;
  private readonly recordingTimer: NodeJS.Timeout;
  private readonly listeners = new Set<(e: HostEvent) => void>();
  private snapshotTimer: NodeJS.Timeout | undefined;
  private readonly pollTimer: NodeJS.Timeout;
  private polling = false;
  private closed = false;
  private readonly log: NonNullable<ControlHostOptions['log']>;

  constructor(readonly options: ControlHostOptions) {
    this.log = options.log ?? ((level, message) => console[level === 'warn' ? 'warn' : 'log'](message));
    this.store = new ProfileStore(options.dataDir);
    this.fleets = new FleetHost(() => this.markDirty());
    this.loads = new LoadRunner((load) => this.emit({ stream: 'load', load }));
    this.pollTimer = setInterval(() => void this.poll(), options.pollMs ?? 500);
    this.recordingsDir = path.join(options.dataDir, 'recordings');
    this.tap = new TapHub({
      recordingsDir: this.recordingsDir,
      setActive: (on, captureBytes) => this.watch?.setTap(on, captureBytes),
    });
    this.recordingTimer = setInterval(() => {
      const recording = this.tap.recording();
      if (recording) this.emit({ stream: 'recording', recording });
    }, 1000);
    this.restored = options.restore === false ? Promise.resolve() : this.restoreLast();
  }

  call<K extends CommandName>(cmd: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    const handler = this.handlers[cmd] as ((a: CommandArgs<K>) => Promise<CommandResult<K>>) | undefined;
    if (!handler)
      return Promise.reject(hostError({ code: 'BadArguments', message: `unknown command ${cmd}` }));
    return handler(args ?? ({} as CommandArgs<K>)).catch((err: unknown) => {
      throw hostError(err);
    });
  }

  subscribe(listener: (event: HostEvent) => void): () => void {
    this.listeners.add(listener);
    listener({ stream: 'cluster', snapshot: this.snapshot() });
    for (const load of this.loads.list()) listener({ stream: 'load', load });
    return () => this.listeners.delete(listener);
  }

  /** The contract for one connected UI: shared commands plus its own tap feed. */
  connect(options: ConnectionOptions = {}): HostConnection {
    return new HostConnection(this, this.tap, options);
  }

  /** Origins (`http://127.0.0.1:PORT`) of the active cluster's nodes, for the window's CSP. */
  nodeOrigins(): string[] {
    return [...(this.cluster?.ports().values() ?? [])]
      .filter((p) => p > 0)
      .map((p) => `http://127.0.0.1:${p}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearInterval(this.recordingTimer);
    this.watch?.close();
    await this.tap.close();
    clearTimeout(this.snapshotTimer);
    this.loads.close();
    await this.fleets.stopAll();
    await this.cluster?.close();
    this.listeners.clear();
  }

  private readonly handlers: Handlers = {
    createCluster: async ({ nodes, secret, profile }) => {
      if (this.cluster)
        throw hostError({ code: 'ClusterExists', message: 'a cluster is running; destroy it first' });
      if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES)
        throw hostError({ code: 'BadArguments', message: `nodes must be 1..${MAX_NODES}` });
      if (secret !== undefined && secret.length < 16)
        throw hostError({ code: 'BadSecret', message: 'the cluster secret needs 16 or more characters' });
      await this.startCluster({
        name: profile ?? 'local',
        secret: secret ?? randomBytes(24).toString('hex'),
        nodes: Array.from({ length: nodes }, (_, i) => ({ id: `n${i + 1}`, port: 0 })),
        fleets: [],
      });
      return this.snapshot();
    },
    destroyCluster: async () => {
      await this.fleets.stopAll();
      await this.cluster?.close();
      this.watch?.close();
      this.watch = undefined;
      this.cluster = undefined;
      this.profile = undefined;
      await this.store.clearLast();
      this.markDirty();
      return null;
    },
    addNode: async () => {
      const c = this.need();
      if (c.size >= MAX_NODES)
        throw hostError({ code: 'BadArguments', message: `at most ${MAX_NODES} nodes` });
      const nodeId = await c.add();
      await this.saveProfile();
      this.fleets.setNodes(c.ports());
      return { nodeId };
    },
    removeNode: async ({ nodeId }) => {
      await this.need().remove(nodeId);
      this.fleets.setNodes(this.need().ports());
      await this.saveProfile();
      return null;
    },
    stopNode: async ({ nodeId }) => (await this.need().stop(nodeId), null),
    killNode: async ({ nodeId }) => (await this.need().kill(nodeId), null),
    startNode: async ({ nodeId }) => (await this.need().start(nodeId), null),
    restartNode: async ({ nodeId }) => (await this.need().restart(nodeId), null),
    cutLink: async ({ a, b }) => (await this.need().setCut(a, b, true), null),
    restoreLink: async ({ a, b }) => (await this.need().setCut(a, b, false), null),
    startFleet: async ({ count, namePrefix, spread }) => {
      const c = this.need();
      if (spread.kind === 'pinned' && !c.ids().includes(spread.nodeId))
        throw hostError({ code: 'NoSuchNode', message: `no node ${spread.nodeId}` });
      const fleetId = this.fleets.start({ count, namePrefix: namePrefix ?? 'LED', spread });
      await this.saveProfile();
      return { fleetId };
    },
    stopFleet: async ({ fleetId }) => {
      await this.fleets.stop(fleetId);
      await this.saveProfile();
      return null;
    },
    startLoad: async (spec) => {
      const c = this.need();
      if (!Array.isArray(spec.nodeIds) || new Set(spec.nodeIds).size !== spec.nodeIds.length)
        throw hostError({ code: 'BadArguments', message: 'nodeIds must list distinct nodes' });
      const nodes = c.nodes();
      const urls = spec.nodeIds.map((id) => {
        const n = nodes.find((x) => x.id === id);
        if (!n) throw hostError({ code: 'NoSuchNode', message: `no node ${id}` });
        if (n.state !== 'up') throw hostError({ code: 'NodeNotUp', message: `${id} is ${n.state}` });
        return n.wsUrl;
      });
      return { loadId: this.loads.start(spec, urls) };
    },
    listClients: async ({ nodeId }) => (await this.need().admin(nodeId).clients()).map(clientView),
    disconnectClient: async ({ nodeId, etid }) => (await this.need().admin(nodeId).disconnect(etid), null),
    snapshot: async () => this.snapshot(),
    configureTap: async (change) => this.tap.configure(change),
    stopRecording: async () => {
      const recording = await this.tap.stopRecording();
      this.emit({ stream: 'recording', recording });
      return recording;
    },
    watchTap: needsConnection,
    unwatchTap: needsConnection,
    startRecording: needsConnection,
  };

  private async startCluster(p: ClusterProfile): Promise<void> {
    const adminToken = randomBytes(24).toString('hex');
    const watch = new ClusterWatch(adminToken, this.tap, (topics) => this.emit({ stream: 'topics', topics }));
    const c = new LocalCluster({
      nodeBin: this.options.nodeBin ?? defaultNodeBin(),
      execPath: this.options.execPath ?? process.execPath,
      host: '127.0.0.1',
      secret: p.secret,
      adminToken,
      log: this.log,
    });
    c.on('change', () => {
      watch.sync(
        c
          .nodes()
          .filter((n) => n.port > 0)
          .map((n) => ({ id: n.id, url: `http://${n.host}:${n.port}` })),
      );
      this.markDirty();
    });
    this.watch = watch;
    if (this.tap.isActive) watch.setTap(true, this.tap.current.captureBytes);
    this.cluster = c;
    this.profile = p;
    try {
      for (const n of p.nodes) await c.add(n.port, n.id);
    } catch (err) {
      // Keep what started, so the UI shows which node failed and why (port in use …).
      this.log('warn', `cluster start: ${(err as Error).message}`);
      this.markDirty();
      throw err;
    } finally {
      await this.saveProfile();
    }
    this.fleets.setNodes(c.ports());
    for (const f of p.fleets) this.fleets.start(f);
    this.markDirty();
  }

  private async restoreLast(): Promise<void> {
    const p = await this.store.last();
    if (!p || this.closed) return;
    this.log('info', `restoring cluster profile "${p.name}" (${p.nodes.length} nodes)`);
    await this.startCluster(p).catch((err: unknown) =>
      this.log('warn', `restore: ${(err as Error).message}`),
    );
  }

  private async saveProfile(): Promise<void> {
    if (!this.profile || !this.cluster) return;
    const ports = this.cluster.ports();
    this.profile = {
      ...this.profile,
      nodes: [...ports].map(([id, port]) => ({ id, port })),
      fleets: this.fleets.specs(),
    };
    await this.store.save(this.profile);
  }

  private need(): LocalCluster {
    if (!this.cluster) throw hostError({ code: 'NoCluster', message: 'no cluster: create one first' });
    return this.cluster;
  }

  private snapshot(): ClusterSnapshot {
    const c = this.cluster;
    const ports = c?.ports() ?? new Map();
    return {
      exists: c !== undefined,
      profile: this.profile?.name ?? '',
      nodes: c?.nodes() ?? [],
      links: c?.links() ?? [],
      devices: this.fleets.devices(ports),
      fleets: this.fleets.views(),
      partitioned: c?.partitioned() ?? false,
    };
  }

  private markDirty(): void {
    if (this.snapshotTimer || this.closed) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.emit({ stream: 'cluster', snapshot: this.snapshot() });
    }, SNAPSHOT_MS);
  }

  private async poll(): Promise<void> {
    if (!this.cluster || this.polling) return;
    this.polling = true;
    try {
      await this.cluster.poll();
    } finally {
      this.polling = false;
    }
    const nodes = this.cluster?.nodes() ?? [];
    const tick: StatsTick = {
      atMs: Date.now(),
      nodes: nodes.map(({ id, msgsIn, msgsOut, bytesIn, bytesOut, clients }) => ({
        id,
        msgsIn,
        msgsOut,
        bytesIn,
        bytesOut,
        clients,
      })),
    };
    this.emit({ stream: 'stats', tick });
    this.markDirty();
  }

  private emit(e: HostEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log('warn', `event listener failed: ${(err as Error).message}`);
      }
    }
  }
}

function clientView(c: AdminClientJson): ClientView {
  return {
    etid: c.etid,
    uid: c.uid,
    ip: c.ip,
    transport: c.transport,
    info: c.info,
    subscriptions: c.topics,
    msgsIn: c.counters.msgsIn,
    msgsOut: c.counters.msgsOut,
    bytesIn: c.counters.bytesIn,
    bytesOut: c.counters.bytesOut,
    connectedAtMs: c.connectedAt,
  };
}
