import {
  HostCallError,
  type ClientView,
  type ClusterSnapshot,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type DeviceView,
  type HostApi,
  type HostErrorCode,
  type HostEvent,
  type LinkView,
  type LoadSpec,
  type LoadView,
  type NodeView,
  type ProfileView,
  type TapRow,
  type TapSettings,
  type TopicView,
} from '../../contract/hostContract.js';

/**
 * A dev-only, in-memory HostApi: no nodes run, numbers are made up. It lets the renderer's views
 * be built, screenshotted and tested before (and independently of) the real ControlHost. LED
 * panels need real nodes and are tested against the real host only (test/e2e).
 */
export class FakeHost implements HostApi {
  private snapshot: ClusterSnapshot = emptySnapshot();
  private readonly listeners = new Set<(e: HostEvent) => void>();
  private fleetSeq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Every command received, in order (what the UI asked for). */
  readonly calls: { cmd: CommandName; args: unknown }[] = [];
  /** Errors to answer the next call of a command with, once. */
  readonly failNext = new Map<CommandName, { code: HostErrorCode; message: string }>();

  constructor(options: { ticks?: boolean } = {}) {
    if (options.ticks !== false) this.timer = setInterval(() => this.tick(), 500);
  }

  subscribe(listener: (e: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async call<K extends CommandName>(cmd: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    this.calls.push({ cmd, args });
    const fail = this.failNext.get(cmd);
    if (fail) {
      this.failNext.delete(cmd);
      throw new HostCallError(fail);
    }
    return (await this.run(cmd, args)) as CommandResult<K>;
  }

  close(): void {
    clearInterval(this.timer);
    for (const t of this.loadTimers) clearInterval(t);
  }

  private loadSeq = 0;
  private readonly loadTimers = new Set<ReturnType<typeof setInterval>>();
  /** How long a fake load run's send phase takes, whatever its spec says (tests stay short). */
  loadMs = 1500;

  /**
   * A made-up run with the real one's shape: setup, sending with progress every 250 ms (sent and
   * received grow with time), then the result; every message delivered.
   */
  private startLoad(spec: LoadSpec): string {
    for (const id of spec.nodeIds) {
      const n = this.nodeOf(id);
      if (n.state !== 'up') throw err('NodeNotUp', `${id} is ${n.state}`);
    }
    if (spec.payloadBytes < 16) throw err('BadArguments', `payload of ${spec.payloadBytes} bytes; 16..65520`);
    const id = `load${++this.loadSeq}`;
    const total = Math.round((spec.publishers * spec.rate * spec.durationMs) / 1000);
    const startedAtMs = Date.now();
    let view: LoadView = {
      id,
      spec,
      state: 'running',
      startedAtMs,
      progress: null,
      result: null,
      error: null,
    };
    const send = (v: LoadView): void => this.fire({ stream: 'load', load: (view = v) });
    send(view);
    const t = setInterval(() => {
      const f = Math.min(1, (Date.now() - startedAtMs) / this.loadMs);
      const sent = Math.round(total * f);
      const progress = {
        phase: f < 1 ? ('sending' as const) : ('done' as const),
        sent,
        received: Math.round(sent * spec.subscribers * 0.97),
        sendingMs: Math.round(f * spec.durationMs),
      };
      if (f < 1) return send({ ...view, progress });
      clearInterval(t);
      this.loadTimers.delete(t);
      const seconds = spec.durationMs / 1000;
      send({
        ...view,
        state: 'done',
        progress: { ...progress, received: total * spec.subscribers },
        result: {
          sent: total,
          received: total * spec.subscribers,
          lost: 0,
          sentPerSec: total / seconds,
          receivedPerSec: (total * spec.subscribers) / seconds,
          p50Ms: 0.84,
          p99Ms: 3.2,
        },
      });
    }, 250);
    this.loadTimers.add(t);
    return id;
  }

  /** The saved profiles listProfiles answers with; openProfile makes a 2-node cluster of one. */
  profiles: ProfileView[] = [];

  private run(cmd: CommandName, a: unknown): unknown {
    const s = this.snapshot;
    switch (cmd) {
      case 'snapshot':
        return s;
      case 'listProfiles':
        return this.profiles;
      case 'deleteProfile': {
        const { name } = this.savedProfile(a as CommandArgs<'deleteProfile'>);
        return (this.profiles = this.profiles.filter((p) => p.name !== name));
      }
      case 'openProfile': {
        const { name } = this.savedProfile(a as CommandArgs<'openProfile'>);
        this.run('createCluster', { nodes: 2 });
        this.snapshot.profile = name;
        this.profiles = this.profiles.map((p) => ({ ...p, active: p.name === name }));
        return this.emit();
      }
      case 'createCluster': {
        if (s.exists) throw err('ClusterExists', 'a cluster is already running; destroy it first');
        const { nodes, tls = false } = a as CommandArgs<'createCluster'>;
        this.snapshot = {
          ...emptySnapshot(),
          exists: true,
          profile: 'local-3',
          tls,
          caFile: tls ? FAKE_CA_FILE : null,
        };
        for (let i = 1; i <= nodes; i++) this.snapshot.nodes.push(node(`n${i}`, 18080 + i, tls));
        this.relink();
        return this.emit();
      }
      case 'attachCluster': {
        // As the host does when every node answers: one node per URL (port as id), watched remotely.
        if (s.exists) throw err('ClusterExists', 'a cluster is already running; destroy it first');
        const { urls, profile, caFile } = a as CommandArgs<'attachCluster'>;
        const tls = urls.every((u) => /^(https|wss):/.test(u));
        this.snapshot = {
          ...emptySnapshot(),
          exists: true,
          kind: 'remote',
          profile: profile ?? 'remote',
          tls,
        };
        this.snapshot.caFile = caFile ?? null;
        for (const u of urls) {
          const port = Number(new URL(u).port);
          this.snapshot.nodes.push({ ...node(`p${port}`, port, tls), pid: null, deviceAuth: 'unknown' });
        }
        this.relink();
        return this.emit();
      }
      case 'destroyCluster':
        this.snapshot = emptySnapshot();
        this.emit();
        return null;
      case 'addNode': {
        const id = `n${s.nodes.length + 1}`;
        s.nodes.push(node(id, 18080 + s.nodes.length + 1, s.tls));
        this.relink();
        this.emit();
        return { nodeId: id };
      }
      case 'bindNode': {
        // As the host does: the node restarts on the address, and its URLs name it from then on.
        const { nodeId, host } = a as CommandArgs<'bindNode'>;
        const n = this.nodeOf(nodeId);
        const at = (h: string): string => (h.includes(':') ? `[${h}]` : h);
        const move = (url: string): string => url.replace(`//${at(n.host)}:`, `//${at(host)}:`);
        Object.assign(n, { host, wsUrl: move(n.wsUrl), rawUrl: move(n.rawUrl) });
        this.emit();
        return null;
      }
      case 'removeNode': {
        const { nodeId } = a as { nodeId: string };
        this.nodeOf(nodeId);
        s.nodes = s.nodes.filter((n) => n.id !== nodeId);
        this.relink();
        this.moveDevicesOff(nodeId);
        this.emit();
        return null;
      }
      case 'killNode':
      case 'stopNode': {
        const n = this.nodeOf((a as { nodeId: string }).nodeId);
        if (n.state !== 'up') throw err('NodeNotUp', `${n.id} is ${n.state}`);
        Object.assign(n, {
          state: cmd === 'killNode' ? 'killed' : 'stopped',
          pid: null,
          uptimeMs: 0,
          clients: 0,
          msgsPerSec: 0,
        });
        if (cmd === 'killNode') n.lastError = { code: 'NodeCrashed', message: 'killed with SIGKILL' };
        for (const l of s.links)
          if (l.a === n.id || l.b === n.id)
            Object.assign(l, { state: 'down', rttMs: null, lastReason: 'LinkLost' });
        this.moveDevicesOff(n.id);
        this.emit();
        return null;
      }
      case 'startNode':
      case 'restartNode': {
        const n = this.nodeOf((a as { nodeId: string }).nodeId);
        Object.assign(n, {
          state: 'up',
          pid: 40000 + Math.floor(Math.random() * 1000),
          uptimeMs: 1,
          lastError: null,
        });
        for (const l of s.links)
          if (l.a === n.id || l.b === n.id) Object.assign(l, { state: 'up', rttMs: 0.4, lastReason: null });
        this.emit();
        return null;
      }
      case 'cutLink':
      case 'restoreLink': {
        const { a: x, b: y } = a as { a: string; b: string };
        const l = s.links.find((k) => k.a === x && k.b === y);
        if (!l) throw err('NoSuchLink', `no link ${x}-${y}`);
        Object.assign(
          l,
          cmd === 'cutLink'
            ? { state: 'cut', rttMs: null, lastReason: 'LinkCut' }
            : { state: 'up', rttMs: 0.5, lastReason: null },
        );
        s.unlinked = s.links.filter((k) => k.state !== 'up').map((k): [string, string] => [k.a, k.b]);
        s.partitioned = s.unlinked.length > 0;
        this.emit();
        return null;
      }
      case 'startFleet': {
        const { count, spread, namePrefix } = a as CommandArgs<'startFleet'>;
        const fleetId = `fleet-${++this.fleetSeq}`;
        const prefix = namePrefix ?? `led-${this.fleetSeq}-`;
        const up = s.nodes.filter((n) => n.state === 'up');
        for (let i = 0; i < count; i++) {
          const nodeId =
            spread.kind === 'pinned' ? spread.nodeId : up[(s.devices.length + i) % up.length]!.id;
          s.devices.push(device(`${prefix}${i + 1}`, fleetId, nodeId, s.devices.length + 1));
        }
        s.fleets.push({ id: fleetId, namePrefix: prefix, count, spread });
        this.recount();
        this.emit();
        return { fleetId };
      }
      case 'stopFleet': {
        const { fleetId } = a as { fleetId: string };
        if (!s.fleets.some((f) => f.id === fleetId)) throw err('NoSuchFleet', `no fleet ${fleetId}`);
        s.fleets = s.fleets.filter((f) => f.id !== fleetId);
        s.devices = s.devices.filter((d) => d.fleetId !== fleetId);
        this.recount();
        this.emit();
        return null;
      }
      case 'listClients': {
        const n = this.nodeOf((a as { nodeId: string }).nodeId);
        if (n.state !== 'up') throw err('NodeNotUp', `${n.id} is ${n.state}`);
        return s.devices.filter((d) => d.nodeId === n.id && d.connected).map(clientOf);
      }
      case 'disconnectClient': {
        const { etid } = a as { nodeId: string; etid: number };
        const d = s.devices.find((x) => x.etid === etid);
        if (!d) throw err('NoSuchClient', `no client ${etid}`);
        return null;
      }
      case 'startLoad':
        return { loadId: this.startLoad(a as LoadSpec) };
      case 'watchTap': {
        const { filter, afterSeq = 0 } = a as CommandArgs<'watchTap'>;
        // As the host does: the first batch after a (new) filter replaces the page's rows with its
        // backlog after the page's Clear mark.
        const after = this.tapRows.filter((r) => r.seq > afterSeq);
        const rows = after.filter(
          (r) =>
            (!filter.kinds?.length || filter.kinds.includes(r.kind)) &&
            (!filter.topic || (r.topic ?? '').includes(filter.topic)),
        );
        const n = after.length;
        const throughSeq = this.tapRows.at(-1)?.seq ?? 0;
        queueMicrotask(() =>
          this.fire({
            stream: 'tap',
            batch: {
              rows,
              skipped: 0,
              seen: n,
              matched: rows.length,
              reset: true,
              throughSeq,
              hostInstance: 'fake-host',
            },
          }),
        );
        return this.tapSettings;
      }
      case 'unwatchTap':
        return null;
      case 'configureTap':
        return (this.tapSettings = { ...this.tapSettings, ...(a as Partial<TapSettings>) });
    }
  }

  private savedProfile({ name }: { name: string }): ProfileView {
    const p = this.profiles.find((x) => x.name === name);
    if (!p) throw err('NoSuchProfile', `no saved profile "${name}"`);
    return p;
  }

  /** What the inspector's feed holds: a new watchTap gets the rows its filter matches. */
  tapRows: TapRow[] = sampleTapRows();
  private tapSettings: TapSettings = { captureBytes: 4096, ringRows: 50_000, ringBytes: 64 << 20 };

  /** Sends a topics event, as the host does once a second. */
  /** Changes one node as the host would (e.g. points it at a real node) and sends the snapshot. */
  patchNode(id: string, patch: Partial<NodeView>): void {
    Object.assign(this.nodeOf(id), patch);
    this.emit();
  }

  /** Changes the cluster as a real host could (a node renamed, NATS down …) and sends the snapshot. */
  edit(change: (s: ClusterSnapshot) => void): void {
    change(this.snapshot);
    this.emit();
  }

  emitTopics(topics: TopicView[]): void {
    this.fire({ stream: 'topics', topics });
  }

  private nodeOf(id: string): NodeView {
    const n = this.snapshot.nodes.find((x) => x.id === id);
    if (!n) throw err('NoSuchNode', `no node ${id}`);
    return n;
  }

  private relink(): void {
    const ns = this.snapshot.nodes;
    const links: LinkView[] = [];
    for (let i = 0; i < ns.length; i++)
      for (let j = i + 1; j < ns.length; j++) {
        const up = ns[i]!.state === 'up' && ns[j]!.state === 'up';
        links.push({
          a: ns[i]!.id,
          b: ns[j]!.id,
          state: up ? 'up' : 'down',
          rttMs: up ? 0.3 + 0.2 * (i + j) : null,
          queuedBytes: 0,
          lastReason: null,
        });
      }
    this.snapshot.links = links;
  }

  private moveDevicesOff(nodeId: string): void {
    const up = this.snapshot.nodes.filter((n) => n.state === 'up');
    let i = 0;
    for (const d of this.snapshot.devices) {
      if (d.nodeId !== nodeId) continue;
      const to = up[i++ % Math.max(1, up.length)];
      d.nodeId = to?.id ?? null;
      d.connected = Boolean(to);
    }
    this.recount();
  }

  private recount(): void {
    for (const n of this.snapshot.nodes) {
      if (n.state !== 'up') continue;
      n.clients = this.snapshot.devices.filter((d) => d.nodeId === n.id && d.connected).length;
      n.subscriptions = n.clients;
      n.topics = n.clients ? 3 : 0;
    }
  }

  private tick(): void {
    const s = this.snapshot;
    if (!s.exists) return;
    for (const n of s.nodes) {
      if (n.state !== 'up') continue;
      n.uptimeMs += 500;
      n.msgsPerSec = n.clients * 2 + Math.random() * 3;
      n.msgsOut += Math.round(n.msgsPerSec / 2);
      n.msgsIn += Math.round(n.msgsPerSec / 3);
      n.bytesOut += Math.round(n.msgsPerSec * 20);
      n.bytesIn += Math.round(n.msgsPerSec * 12);
    }
    this.fire({
      stream: 'stats',
      tick: {
        atMs: Date.now(),
        nodes: s.nodes.map((n) => ({
          id: n.id,
          msgsIn: n.msgsIn,
          msgsOut: n.msgsOut,
          bytesIn: n.bytesIn,
          bytesOut: n.bytesOut,
          clients: n.clients,
        })),
      },
    });
    this.emit();
  }

  private emit(): ClusterSnapshot {
    const copy = structuredClone(this.snapshot);
    this.fire({ stream: 'cluster', snapshot: copy });
    return copy;
  }

  private fire(e: HostEvent): void {
    for (const l of this.listeners) l(e);
  }
}

function err(code: HostErrorCode, message: string): HostCallError {
  return new HostCallError({ code, message });
}

function emptySnapshot(): ClusterSnapshot {
  return {
    exists: false,
    kind: 'local',
    profile: 'default',
    nodes: [],
    links: [],
    devices: [],
    fleets: [],
    unlinked: [],
    partitioned: false,
    transport: 'mesh',
    natsServer: null,
    tls: false,
    caFile: null,
  };
}

/** Where a real host keeps the CA of its TLS nodes: `<dataDir>/tls/ca.pem`. */
export const FAKE_CA_FILE = '/home/ada/.config/smq-control-center/tls/ca.pem';

function node(id: string, port: number, tls = false): NodeView {
  return {
    id,
    host: '127.0.0.1',
    port,
    wsUrl: `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/smq.lsp`,
    rawUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/smq.lsp`,
    state: 'up',
    pid: 40000 + port,
    uptimeMs: 1000,
    clients: 0,
    subscriptions: 0,
    topics: 0,
    msgsIn: 0,
    msgsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    msgsPerSec: 0,
    lastError: null,
    deviceAuth: 'none',
    drain: null,
    nats: null,
  };
}

const COLORS = ['red', 'yellow', 'green', 'blue'] as const;

function device(name: string, fleetId: string, nodeId: string, n: number): DeviceView {
  return {
    name,
    fleetId,
    nodeId,
    etid: 0x01000000 + n,
    uid: `02:00:5e:00:00:${n.toString(16).padStart(2, '0')}`,
    connected: true,
    leds: COLORS.map((color, i) => ({ id: i + 1, name: `LED ${i + 1}`, color, on: (n + i) % 3 === 0 })),
    temp: 215 + n * 3,
    simulated: true,
  };
}

function clientOf(d: DeviceView): ClientView {
  return {
    etid: d.etid!,
    uid: d.uid,
    ip: '127.0.0.1',
    transport: 'raw',
    info: d.name,
    subscriptions: ['/m2m/led/display'],
    msgsIn: 12,
    msgsOut: 40,
    bytesIn: 900,
    bytesOut: 3100,
    connectedAtMs: Date.now() - 60_000,
  };
}

/** A few rows of each kind, the publishes with JSON payloads several hex-dump lines long. */
function sampleTapRows(): TapRow[] {
  const base = Date.UTC(2026, 0, 1, 9, 30, 0);
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const row = (seq: number, r: Partial<TapRow>): TapRow => ({
    seq,
    timeMs: base + seq * 37,
    kind: 'publish',
    nodeId: 'n1',
    via: null,
    destKind: 'topic',
    dest: 2,
    topic: '/m2m/led/device',
    destUid: null,
    subtopic: null,
    etid: 0x01000000 + seq,
    uid: `02:00:5e:00:00:${seq.toString(16).padStart(2, '0')}`,
    receivers: 2,
    dropped: null,
    size: 0,
    payload: '',
    truncated: false,
    captureBytes: 4096,
    reason: null,
    detail: null,
    info: null,
    peer: null,
    ...r,
  });
  const rows: TapRow[] = [];
  for (let i = 1; i <= 12; i++) {
    const text = JSON.stringify({
      device: `led-1-${i}`,
      leds: [1, 0, 1, 0],
      temp: 215 + i,
      note: 'x'.repeat(i * 4),
    });
    rows.push(
      row(i, {
        nodeId: `n${(i % 3) + 1}`,
        via: i % 4 === 0 ? 'n1' : null,
        subtopic: i % 2 ? 'state' : null,
        size: text.length,
        payload: b64(text),
      }),
    );
  }
  rows.push(row(13, { kind: 'open', destKind: null, topic: null, size: 0, detail: 'raw 127.0.0.1:51234' }));
  rows.push(row(14, { kind: 'subscribe', topic: '/m2m/led/display', receivers: 1 }));
  rows.push(
    row(15, {
      topic: '/nobody/listens',
      receivers: 0,
      dropped: 'NoSubscribers',
      size: 5,
      payload: b64('hello'),
    }),
  );
  rows.push(
    row(16, {
      kind: 'close',
      destKind: null,
      topic: null,
      reason: 'SlowConsumerPendingBytes',
      detail: 'ws 127.0.0.1:51240',
    }),
  );
  return rows;
}
