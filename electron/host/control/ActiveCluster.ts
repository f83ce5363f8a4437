import { randomBytes } from 'node:crypto';
import type { ClusterSnapshot, ClusterTransport, TopicView } from '../../../contract/hostContract.js';
import type { TapScope } from '../../../broker/src/admin/adminWire.js';
import { ClusterWatch } from '../inspector/ClusterWatch.js';
import type { TapHub } from '../inspector/TapHub.js';
import { smqUrls, type ClusterSource } from './ClusterSource.js';
import type { FleetHost } from './FleetHost.js';
import { hostError } from './hostError.js';
import { LocalCluster } from './LocalCluster.js';
import { LOOPBACK_HOST, restoredHost } from './hostAddresses.js';
import type { ClusterProfile, LocalProfile, ProfileStore, RemoteProfile } from './ProfileStore.js';
import { RemoteCluster } from './RemoteCluster.js';
import { RealDevices } from './RealDevices.js';
import type { LocalCertificate } from './SelfSignedCert.js';
import { NatsTransport } from './NatsTransport.js';
import { reportedServerView } from './natsView.js';

export interface ActiveClusterOptions {
  store: ProfileStore;
  fleets: FleetHost;
  tap: TapHub;
  onTopics(topics: TopicView[]): void;
  /** The cluster changed: the host sends a (coalesced) snapshot. */
  changed(): void;
  nodeBin(): string;
  /** The host's server certificate and CA, for a cluster whose profile asks for TLS. */
  certificate(): Promise<LocalCertificate>;
  execPath: string;
  /** The host's NATS folder (a local nats-server's config, token and ports file). */
  natsDir: string;
  log(level: 'info' | 'warn', message: string): void;
}

/**
 * The one cluster the host has now, local or remote, with its profile and its inspector watch:
 * starts or attaches it, keeps fleets and the watch on its node list, saves and restores its profile.
 */
export class ActiveCluster {
  private source: ClusterSource | undefined;
  private profile: ClusterProfile | undefined;
  private watch: ClusterWatch | undefined;
  private real: RealDevices | undefined;
  /** A local NATS cluster's server (or the user's URL). */
  private nats: NatsTransport | undefined;
  /** The CA the host's own clients of this cluster's nodes verify them with (see install). */
  ca: string | undefined;
  /** That CA's file, which devices are told to pass as --ca. */
  private caFile: string | null = null;
  /** end() or close() is under way: a NATS server move must not restart the nodes being stopped. */
  private ending = false;

  constructor(private readonly o: ActiveClusterOptions) {}

  get exists(): boolean {
    return this.source !== undefined;
  }

  /** A local TLS cluster: its nodes serve the host's own certificate (renewed by the host). */
  get servesHostCertificate(): boolean {
    return this.source instanceof LocalCluster && this.ca !== undefined;
  }

  /** The cluster, if any (for polling). */
  get current(): ClusterSource | undefined {
    return this.source;
  }

  /** The cluster; NoCluster when there is none. */
  need(): ClusterSource {
    if (!this.source) throw hostError({ code: 'NoCluster', message: 'no cluster: create one first' });
    return this.source;
  }

  /** The cluster's node processes; NotLocal on a remote cluster (the host does not run its nodes). */
  local(): LocalCluster {
    const c = this.need();
    if (!(c instanceof LocalCluster))
      throw hostError({
        code: 'NotLocal',
        message: 'a remote cluster’s nodes run elsewhere: start, stop, kill and add them where they run',
      });
    return c;
  }

  /** Starts the profile's nodes (on their saved ports) and fleets. */
  async startLocal(p: LocalProfile): Promise<void> {
    const adminToken = randomBytes(24).toString('hex');
    const tls = p.tls ? await this.o.certificate() : undefined;
    const nats =
      p.transport === 'nats'
        ? await NatsTransport.open({
            cluster: p.name,
            url: p.natsUrl,
            token: p.natsToken,
            dir: this.o.natsDir,
            execPath: this.o.execPath,
            log: this.o.log,
            changed: () => this.o.changed(),
            moved: () => {
              if (!this.ending && this.source instanceof LocalCluster) void this.source.restartUp();
            },
          })
        : undefined;
    this.nats = nats;
    const c = new LocalCluster({
      nodeBin: this.o.nodeBin(),
      execPath: this.o.execPath,
      host: LOOPBACK_HOST,
      secret: p.secret,
      adminToken,
      tls,
      nats: nats?.node,
      log: this.o.log,
    });
    this.install(c, p, adminToken, tls);
    const failed: Error[] = [];
    for (const n of p.nodes) {
      const { host, notice } = restoredHost(n.host);
      await c.add(n.port, n.id, host).catch((err: Error) => failed.push(err));
      if (notice) c.notify(n.id, notice);
    }
    if (failed.length > 0) {
      // Keep every node, so the UI shows which failed and why (port in use …); the saved profile
      // stays as it was: a half-started cluster must not overwrite it.
      for (const err of failed) this.o.log('warn', `cluster start: ${err.message}`);
      this.o.changed();
      throw failed[0]!;
    }
    await this.save();
    this.startFleets(p);
  }

  /** Watches the profile's remote nodes (whether they answer yet or not) and starts its fleets. */
  async attach(p: RemoteProfile): Promise<void> {
    const c = new RemoteCluster(p.nodes, p.adminToken, p.ca?.pem);
    this.install(c, p, p.adminToken, p.ca && { ca: p.ca.pem, caFile: p.ca.file });
    await c.poll();
    await this.save();
    this.startFleets(p);
  }

  /** Local: stops the nodes. Remote: detaches. The host's fleets stop; the profile file stays. */
  async end(): Promise<void> {
    this.ending = true;
    try {
      await this.o.fleets.stopAll();
      await this.source?.close();
      await this.closeNats();
    } finally {
      this.ending = false;
    }
    this.watch?.close();
    this.watch = undefined;
    this.real?.close();
    this.real = undefined;
    this.ca = undefined;
    this.caFile = null;
    this.source = undefined;
    this.profile = undefined;
    await this.o.store.clearLast();
    this.o.changed();
  }

  /** The running cluster's profile name, if any. */
  get profileName(): string | undefined {
    return this.profile?.name;
  }

  /** Brings back a saved cluster: a local one's nodes start, a remote one is watched again. */
  async open(p: ClusterProfile): Promise<void> {
    this.o.log(
      'info',
      `opening ${p.kind ?? 'local'} cluster profile "${p.name}" (${p.nodes.length} ${p.nodes.length === 1 ? 'node' : 'nodes'})`,
    );
    await (p.kind === 'remote' ? this.attach(p) : this.startLocal(p));
  }

  /** open() at the host's start: a failure is logged (the UI shows the nodes that failed). */
  async restore(p: ClusterProfile): Promise<void> {
    await this.open(p).catch((err: unknown) => this.o.log('warn', `restore: ${(err as Error).message}`));
  }

  /** Saves the profile as it is now: local node ports, fleets. */
  async save(): Promise<void> {
    const p = this.profile;
    const c = this.source;
    if (!p || !c) return;
    const fleets = this.o.fleets.specs();
    this.profile =
      p.kind !== 'remote' && c instanceof LocalCluster
        ? { ...p, nodes: c.placements(), fleets }
        : { ...p, fleets, ...reportedTransport(c) };
    await this.o.store.save(this.profile);
  }

  setTap(scope: TapScope, captureBytes: number): void {
    this.watch?.setTap(scope, captureBytes);
  }

  /** The active cluster's node origins (http(s)://host:port), for the window's CSP. */
  origins(): string[] {
    return [...(this.source?.origins().values() ?? [])];
  }

  snapshot(): ClusterSnapshot {
    const c = this.source;
    const unlinked = c?.unlinked() ?? [];
    const nodes = c?.nodes() ?? [];
    return {
      exists: c !== undefined,
      kind: c?.kind ?? 'local',
      profile: this.profile?.name ?? '',
      nodes,
      links: c?.links() ?? [],
      devices: [...this.o.fleets.devices(), ...(this.real?.devices() ?? [])],
      fleets: this.o.fleets.views(),
      unlinked,
      partitioned: unlinked.length > 0,
      transport: this.nats || nodes.some((n) => n.nats) ? 'nats' : 'mesh',
      // A remote cluster's NATS is what its nodes report (the host runs none for it).
      natsServer: this.nats?.view(nodes) ?? (c?.kind === 'remote' ? reportedServerView(nodes) : null),
      tls: c?.tls ?? false,
      caFile: this.caFile,
    };
  }

  async close(): Promise<void> {
    this.ending = true;
    this.watch?.close();
    this.real?.close();
    await this.source?.close();
    await this.closeNats();
  }

  /** After the nodes: they say goodbye over NATS as they stop. */
  private async closeNats(): Promise<void> {
    const nats = this.nats;
    this.nats = undefined;
    await nats?.close();
  }

  /**
   * `trust`: the CA its watch, fleets and devices verify the nodes with: the host's own (a local TLS
   * cluster) or the one given at attach (a remote cluster on a private CA).
   */
  private install(
    c: ClusterSource,
    p: ClusterProfile,
    adminToken: string,
    trust?: Pick<LocalCertificate, 'ca' | 'caFile'>,
  ): void {
    const ca = trust?.ca;
    const real = new RealDevices({
      source: c,
      simulated: () => this.o.fleets.devices(),
      urls: () => [...c.origins().values()].map((url) => smqUrls(url).rawUrl),
      ca,
      changed: () => this.o.changed(),
    });
    const watch = new ClusterWatch(
      adminToken,
      this.o.tap,
      (topics) => {
        real.onTopics(topics);
        this.o.onTopics(topics);
      },
      ca,
      this.o.log,
    );
    this.ca = ca;
    this.caFile = trust?.caFile ?? null;
    const follow = (): void => {
      const origins = c.origins();
      watch.sync([...origins].map(([id, url]) => ({ id, url })));
      watch.nodeStates(c.nodes(), c.kind);
      this.o.fleets.setNodes(new Map([...origins].map(([id, url]) => [id, smqUrls(url).rawUrl])), ca);
      real.nodesChanged();
      this.o.changed();
    };
    c.on('change', follow);
    this.watch = watch;
    this.real = real;
    this.source = c;
    this.profile = p;
    follow();
  }

  private startFleets(p: ClusterProfile): void {
    for (const f of p.fleets) this.o.fleets.start(f);
    this.o.changed();
  }
}

/** A remote cluster's transport as its nodes report it; nothing while none answers. */
function reportedTransport(c: ClusterSource): { transport?: ClusterTransport } {
  const up = c.nodes().filter((n) => n.state === 'up');
  return up.length === 0 ? {} : { transport: up.some((n) => n.nats) ? 'nats' : 'mesh' };
}
