import { randomBytes } from 'node:crypto';
import type { ClusterSnapshot, TopicView } from '../../../contract/hostContract.js';
import { ClusterWatch } from '../inspector/ClusterWatch.js';
import type { TapHub } from '../inspector/TapHub.js';
import { smqUrls, type ClusterSource } from './ClusterSource.js';
import type { FleetHost } from './FleetHost.js';
import { hostError } from './hostError.js';
import { LocalCluster } from './LocalCluster.js';
import type { ClusterProfile, LocalProfile, ProfileStore, RemoteProfile } from './ProfileStore.js';
import { RemoteCluster } from './RemoteCluster.js';

export interface ActiveClusterOptions {
  store: ProfileStore;
  fleets: FleetHost;
  tap: TapHub;
  onTopics(topics: TopicView[]): void;
  /** The cluster changed: the host sends a (coalesced) snapshot. */
  changed(): void;
  nodeBin(): string;
  execPath: string;
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

  constructor(private readonly o: ActiveClusterOptions) {}

  get exists(): boolean {
    return this.source !== undefined;
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
    const c = new LocalCluster({
      nodeBin: this.o.nodeBin(),
      execPath: this.o.execPath,
      host: '127.0.0.1',
      secret: p.secret,
      adminToken,
      log: this.o.log,
    });
    this.install(c, p, adminToken);
    const failed: Error[] = [];
    for (const n of p.nodes) await c.add(n.port, n.id).catch((err: Error) => failed.push(err));
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
    const c = new RemoteCluster(p.nodes, p.adminToken);
    this.install(c, p, p.adminToken);
    await c.poll();
    await this.save();
    this.startFleets(p);
  }

  /** Local: stops the nodes. Remote: detaches. The host's fleets stop; the profile file stays. */
  async end(): Promise<void> {
    await this.o.fleets.stopAll();
    await this.source?.close();
    this.watch?.close();
    this.watch = undefined;
    this.source = undefined;
    this.profile = undefined;
    await this.o.store.clearLast();
    this.o.changed();
  }

  /** Brings back a saved cluster: a local one's nodes start, a remote one is watched again. */
  async restore(p: ClusterProfile): Promise<void> {
    this.o.log(
      'info',
      `restoring ${p.kind ?? 'local'} cluster profile "${p.name}" (${p.nodes.length} ${p.nodes.length === 1 ? 'node' : 'nodes'})`,
    );
    await (p.kind === 'remote' ? this.attach(p) : this.startLocal(p)).catch((err: unknown) =>
      this.o.log('warn', `restore: ${(err as Error).message}`),
    );
  }

  /** Saves the profile as it is now: local node ports, fleets. */
  async save(): Promise<void> {
    const p = this.profile;
    const c = this.source;
    if (!p || !c) return;
    const fleets = this.o.fleets.specs();
    this.profile =
      p.kind !== 'remote' && c instanceof LocalCluster
        ? { ...p, nodes: [...c.ports()].map(([id, port]) => ({ id, port })), fleets }
        : { ...p, fleets };
    await this.o.store.save(this.profile);
  }

  setTap(on: boolean, captureBytes: number): void {
    this.watch?.setTap(on, captureBytes);
  }

  /** The active cluster's node origins (http(s)://host:port), for the window's CSP. */
  origins(): string[] {
    return [...(this.source?.origins().values() ?? [])];
  }

  snapshot(): ClusterSnapshot {
    const c = this.source;
    const unlinked = c?.unlinked() ?? [];
    return {
      exists: c !== undefined,
      kind: c?.kind ?? 'local',
      profile: this.profile?.name ?? '',
      nodes: c?.nodes() ?? [],
      links: c?.links() ?? [],
      devices: this.o.fleets.devices(),
      fleets: this.o.fleets.views(),
      unlinked,
      partitioned: unlinked.length > 0,
    };
  }

  async close(): Promise<void> {
    this.watch?.close();
    await this.source?.close();
  }

  private install(c: ClusterSource, p: ClusterProfile, adminToken: string): void {
    const watch = new ClusterWatch(adminToken, this.o.tap, (topics) => this.o.onTopics(topics));
    const follow = (): void => {
      const origins = c.origins();
      watch.sync([...origins].map(([id, url]) => ({ id, url })));
      this.o.fleets.setNodes(new Map([...origins].map(([id, url]) => [id, smqUrls(url).rawUrl])));
      this.o.changed();
    };
    c.on('change', follow);
    this.watch = watch;
    if (this.o.tap.isActive) watch.setTap(true, this.o.tap.current.captureBytes);
    this.source = c;
    this.profile = p;
    follow();
  }

  private startFleets(p: ClusterProfile): void {
    for (const f of p.fleets) this.o.fleets.start(f);
    this.o.changed();
  }
}
