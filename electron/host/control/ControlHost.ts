import path from 'node:path';
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  HostApi,
  HostEvent,
  StatsTick,
} from '../../../contract/hostContract.js';
import { clientView } from './NodeAdmin.js';
import { ActiveCluster } from './ActiveCluster.js';
import { FleetHost } from './FleetHost.js';
import { LoadRunner } from './LoadRunner.js';
import { ProfileStore } from './ProfileStore.js';
import { defaultNodeBin } from './nodeBin.js';
import { hostError } from './hostError.js';
import { HostConnection, type ConnectionOptions } from './HostConnection.js';
import { maintenanceCommands, type CommandHandlers } from './maintenanceCommands.js';
import { MAX_NODES, profileCommands } from './profileCommands.js';
import { TapHub } from '../inspector/TapHub.js';
import { CertificateStore } from './SelfSignedCert.js';
import { findNatsServer, natsAvailability } from './NatsServerProcess.js';

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

type Handlers = CommandHandlers<CommandName>;

/** Per-connection commands reach the host only through connect(). */
const needsConnection = async (): Promise<never> => {
  throw hostError({
    code: 'BadArguments',
    message: 'this command belongs to a connection (ControlHost.connect)',
  });
};

/**
 * The control-plane host: starts and supervises a local cluster (nodes are child processes) or
 * attaches to a remote one (node URLs + admin token), runs device fleets and load runs, and
 * implements the contract. Events are coalesced: a snapshot at most every 100 ms, a stats tick
 * per poll, never one event per SMQ message.
 */
export class ControlHost implements HostApi {
  /** Resolves once the last profile's cluster is back (or there was none). */
  readonly restored: Promise<void>;
  /** Where tap recordings are written (served to the page for download). */
  readonly recordingsDir: string;
  private readonly cluster: ActiveCluster;
  private readonly fleets: FleetHost;
  private readonly loads: LoadRunner;
  private readonly store: ProfileStore;
  /** The local CA and server certificate of local TLS clusters, in `<dataDir>/tls/`. */
  private readonly certificates: CertificateStore;
  private readonly tap: TapHub;
  private readonly recordingTimer: NodeJS.Timeout;
  private readonly listeners = new Set<(e: HostEvent) => void>();
  private snapshotTimer: NodeJS.Timeout | undefined;
  private readonly pollTimer: NodeJS.Timeout;
  private polling = false;
  /** A cluster is starting (see startAlone). */
  private starting = false;
  private closed = false;
  private readonly log: NonNullable<ControlHostOptions['log']>;

  constructor(readonly options: ControlHostOptions) {
    this.log = options.log ?? ((level, message) => console[level === 'warn' ? 'warn' : 'log'](message));
    this.store = new ProfileStore(options.dataDir);
    this.certificates = new CertificateStore(path.join(options.dataDir, 'tls'));
    this.fleets = new FleetHost(() => this.markDirty());
    this.loads = new LoadRunner((load) => this.emit({ stream: 'load', load }));
    this.pollTimer = setInterval(() => void this.poll(), options.pollMs ?? 500);
    this.recordingsDir = path.join(options.dataDir, 'recordings');
    this.tap = new TapHub({
      recordingsDir: this.recordingsDir,
      setTapScope: (scope, captureBytes) => this.cluster.setTap(scope, captureBytes),
    });
    this.cluster = new ActiveCluster({
      store: this.store,
      fleets: this.fleets,
      tap: this.tap,
      onTopics: (topics) => this.emit({ stream: 'topics', topics }),
      changed: () => this.markDirty(),
      nodeBin: () => options.nodeBin ?? defaultNodeBin(),
      certificate: () => this.certificates.current(),
      execPath: options.execPath ?? process.execPath,
      natsDir: path.join(options.dataDir, 'nats'),
      log: this.log,
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
    listener({ stream: 'cluster', snapshot: this.cluster.snapshot() });
    for (const load of this.loads.list()) listener({ stream: 'load', load });
    return () => this.listeners.delete(listener);
  }

  /** The contract for one connected UI: shared commands plus its own tap feed. */
  connect(options: ConnectionOptions = {}): HostConnection {
    return new HostConnection(this, this.tap, options);
  }

  /**
   * Origins of the active cluster's nodes, for the window's CSP: `http://127.0.0.1:PORT` for local
   * nodes, the URLs a remote cluster was attached with.
   */
  nodeOrigins(): string[] {
    return this.cluster.origins();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearInterval(this.recordingTimer);
    await this.tap.close();
    clearTimeout(this.snapshotTimer);
    this.loads.close();
    await this.fleets.stopAll();
    await this.cluster.close();
    this.listeners.clear();
  }

  private readonly handlers: Handlers = {
    ...profileCommands(() => ({
      cluster: this.cluster,
      store: this.store,
      startAlone: (start) => this.startAlone(start),
    })),
    destroyCluster: async () => (await this.cluster.end(), null),
    addNode: async () => {
      const c = this.cluster.local();
      if (c.size >= MAX_NODES)
        throw hostError({ code: 'BadArguments', message: `at most ${MAX_NODES} nodes` });
      const nodeId = await c.add();
      await this.cluster.save();
      return { nodeId };
    },
    removeNode: async ({ nodeId }) => {
      await this.cluster.local().remove(nodeId);
      await this.cluster.save();
      return null;
    },
    stopNode: async ({ nodeId }) => (await this.cluster.local().stop(nodeId), null),
    killNode: async ({ nodeId }) => (await this.cluster.local().kill(nodeId), null),
    startNode: async ({ nodeId }) => (await this.cluster.local().start(nodeId), null),
    restartNode: async ({ nodeId }) => (await this.cluster.local().restart(nodeId), null),
    ...maintenanceCommands(() => ({ cluster: this.cluster, certificates: this.certificates })),
    natsAvailability: async () => natsAvailability(findNatsServer()),
    cutLink: async ({ a, b }) => (await this.cluster.need().setCut(a, b, true), null),
    restoreLink: async ({ a, b }) => (await this.cluster.need().setCut(a, b, false), null),
    startFleet: async ({ count, namePrefix, spread }) => {
      const c = this.cluster.need();
      if (spread.kind === 'pinned' && !c.ids().includes(spread.nodeId))
        throw hostError({ code: 'NoSuchNode', message: `no node ${spread.nodeId}` });
      const fleetId = this.fleets.start({ count, namePrefix: namePrefix ?? 'LED', spread });
      await this.cluster.save();
      return { fleetId };
    },
    stopFleet: async ({ fleetId }) => {
      await this.fleets.stop(fleetId);
      await this.cluster.save();
      return null;
    },
    startLoad: async (spec) => {
      const c = this.cluster.need();
      if (!Array.isArray(spec.nodeIds) || new Set(spec.nodeIds).size !== spec.nodeIds.length)
        throw hostError({ code: 'BadArguments', message: 'nodeIds must list distinct nodes' });
      const nodes = c.nodes();
      const urls = spec.nodeIds.map((id) => {
        const n = nodes.find((x) => x.id === id);
        if (!n) throw hostError({ code: 'NoSuchNode', message: `no node ${id}` });
        if (n.state !== 'up') throw hostError({ code: 'NodeNotUp', message: `${id} is ${n.state}` });
        return n.wsUrl;
      });
      return { loadId: this.loads.start(spec, urls, this.cluster.ca) };
    },
    listClients: async ({ nodeId }) => (await this.cluster.need().admin(nodeId).clients()).map(clientView),
    disconnectClient: async ({ nodeId, etid }) => {
      await this.cluster.need().admin(nodeId).disconnect(etid);
      return null;
    },
    snapshot: async () => this.cluster.snapshot(),
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

  /**
   * One start at a time: the cluster exists only once its nodes are installed, after the awaits of
   * a start (profile files, certificate, nats-server, probes), so a second one would start too.
   */
  private async startAlone<T>(start: () => Promise<T>): Promise<T> {
    if (this.cluster.exists || this.starting)
      throw hostError({
        code: 'ClusterExists',
        message: `a cluster is ${this.starting ? 'starting' : 'active'}: destroy or detach it first`,
      });
    this.starting = true;
    try {
      return await start();
    } finally {
      this.starting = false;
    }
  }

  /**
   * Only a profile to restore takes the start guard: with none, a create sent while the host reads
   * its data folder must not be refused. One the user started meanwhile wins over the last used.
   */
  private async restoreLast(): Promise<void> {
    const p = await this.store.last();
    if (!p || this.closed || this.cluster.exists || this.starting) return;
    await this.startAlone(() => this.cluster.restore(p));
  }

  private markDirty(): void {
    if (this.snapshotTimer || this.closed) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.emit({ stream: 'cluster', snapshot: this.cluster.snapshot() });
    }, SNAPSHOT_MS);
  }

  private async poll(): Promise<void> {
    const c = this.cluster.current;
    if (!c || this.polling) return;
    this.polling = true;
    try {
      await c.poll();
    } finally {
      this.polling = false;
    }
    const tick: StatsTick = {
      atMs: Date.now(),
      nodes: (this.cluster.current?.nodes() ?? []).map(
        ({ id, msgsIn, msgsOut, bytesIn, bytesOut, clients }) => ({
          id,
          msgsIn,
          msgsOut,
          bytesIn,
          bytesOut,
          clients,
        }),
      ),
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
