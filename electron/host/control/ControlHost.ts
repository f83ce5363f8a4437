import { randomBytes } from 'node:crypto';
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
import { attachArgs, probeRemote, readCaFile } from './remoteNodes.js';
import { maintenanceCommands, type CommandHandlers } from './maintenanceCommands.js';
import { TapHub } from '../inspector/TapHub.js';
import { CertificateStore } from './SelfSignedCert.js';
import { findNatsServer, natsAvailability } from './NatsServerProcess.js';
import { natsProfile } from './natsArgs.js';

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
    createCluster: async ({ nodes, secret, profile, replace, tls, ...transport }) => {
      this.noCluster();
      if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES)
        throw hostError({ code: 'BadArguments', message: `nodes must be 1..${MAX_NODES}` });
      if (secret !== undefined && secret.length < 16)
        throw hostError({ code: 'BadSecret', message: 'the cluster secret needs 16 or more characters' });
      const name = profile === undefined ? await this.store.freeName('local') : profileName(profile, 'local');
      if (replace !== true && (await this.store.load(name)))
        throw hostError({ code: 'ProfileExists', message: `a profile named "${name}" is saved already` });
      await this.cluster.startLocal({
        kind: 'local',
        name,
        secret: secret ?? randomBytes(24).toString('hex'),
        nodes: Array.from({ length: nodes }, (_, i) => ({ id: `n${i + 1}`, port: 0 })),
        fleets: [],
        ...(tls === true ? { tls } : {}),
        ...natsProfile(transport, findNatsServer),
      });
      return this.cluster.snapshot();
    },
    attachCluster: async ({ urls, adminToken, profile, caFile }) => {
      this.noCluster();
      const name = profileName(profile, 'remote');
      const { origins, token } = attachArgs(urls, adminToken);
      const ca = caFile === undefined ? undefined : { pem: await readCaFile(caFile), file: caFile.trim() };
      const nodes = await probeRemote(origins, token, ca?.pem);
      this.noCluster(); // another call may have won while the nodes answered
      await this.cluster.attach({
        kind: 'remote',
        name,
        adminToken: token,
        nodes,
        fleets: [],
        ...(ca && { ca }),
      });
      return this.cluster.snapshot();
    },
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
    listProfiles: async () => this.store.list(this.cluster.profileName),
    openProfile: async ({ name }) => {
      this.noCluster();
      const p = await this.store.load(profileName(name, ''));
      if (!p) throw hostError({ code: 'NoSuchProfile', message: `no saved profile "${name}"` });
      this.noCluster(); // another call may have won while the file was read
      await this.cluster.open(p);
      return this.cluster.snapshot();
    },
    deleteProfile: async ({ name }) => {
      const profile = profileName(name, '');
      if (profile === this.cluster.profileName)
        throw hostError({ code: 'ProfileActive', message: `"${profile}" is the running cluster’s profile` });
      if (!(await this.store.delete(profile)))
        throw hostError({ code: 'NoSuchProfile', message: `no saved profile "${profile}"` });
      return this.store.list(this.cluster.profileName);
    },
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

  private noCluster(): void {
    if (this.cluster.exists)
      throw hostError({ code: 'ClusterExists', message: 'a cluster is active: destroy or detach it first' });
  }

  private async restoreLast(): Promise<void> {
    const p = await this.store.last();
    if (!p || this.closed) return;
    await this.cluster.restore(p);
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

/** A profile name as given, or the default; its file is named after it. */
function profileName(name: unknown, fallback: string): string {
  if (name === undefined) return fallback;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 64)
    throw hostError({ code: 'BadArguments', message: 'profile must be a name of 1 to 64 characters' });
  return name.trim();
}
