import type { DeviceView, FleetSpread, FleetView, NodeId } from '../../../contract/hostContract.js';
import { DeviceFleet } from '../../../broker/src/devices/DeviceFleet.js';
import { nodeTransport } from '../../../broker/src/client/node.js';

export interface FleetSpec {
  namePrefix: string;
  count: number;
  spread: FleetSpread;
}

interface RunningFleet {
  id: string;
  spec: FleetSpec;
  fleet: DeviceFleet;
}

/** host:port of a URL, to tell which node a device's URL names; '' when it is not one. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/**
 * Simulated LED device fleets, run in the host process (a device is a socket and a timer; a
 * child process per fleet would buy nothing). Device names are unique across fleets: they key
 * the Devices view.
 */
export class FleetHost {
  private readonly fleets = new Map<string, RunningFleet>();
  /** Each node's raw-TCP SMQ URL (http://host:port/smq.lsp), as the published C LED device connects. */
  private urls = new Map<NodeId, string>();
  /** The CA of https:// nodes (the host's own TLS cluster). */
  private ca: string | undefined;
  private nextFleet = 1;
  private readonly used = new Map<string, number>();

  constructor(private readonly changed: () => void) {}

  /**
   * The cluster's nodes now (after a start, add, remove or bind): new fleets spread over them and
   * running ones reconnect over them, so a device never keeps dialling a node's old address.
   */
  setNodes(rawUrls: Map<NodeId, string>, ca?: string): void {
    this.urls = new Map(rawUrls);
    this.ca = ca;
    if (this.urls.size === 0) return;
    for (const f of this.fleets.values()) {
      const { urls, pin } = this.targets(f.spec);
      f.fleet.setUrls(urls, pin);
    }
  }

  start(spec: FleetSpec): string {
    if (!Number.isInteger(spec.count) || spec.count < 1 || spec.count > 1000)
      throw Object.assign(new Error('device count must be 1..1000'), { code: 'BadArguments' });
    const { urls, pin } = this.targets(spec);
    const fleet = new DeviceFleet({
      urls,
      ...(pin !== undefined ? { pin } : {}),
      // The C device's bootstrap (LedDevice's default transport), verifying TLS nodes with the CA.
      ...(this.ca !== undefined
        ? { transport: nodeTransport({ rawBootstrap: 'c-client', ca: this.ca }) }
        : {}),
    });
    const id = `f${this.nextFleet++}`;
    fleet.subscribe(() => this.changed());
    const first = this.used.get(spec.namePrefix) ?? 0;
    this.used.set(spec.namePrefix, first + spec.count);
    fleet.startNamed(Array.from({ length: spec.count }, (_, i) => `${spec.namePrefix}-${first + i + 1}`));
    this.fleets.set(id, { id, spec, fleet });
    this.changed();
    return id;
  }

  async stop(id: string): Promise<void> {
    const f = this.fleets.get(id);
    if (!f) throw Object.assign(new Error(`no fleet ${id}`), { code: 'NoSuchFleet' });
    f.fleet.stop();
    this.fleets.delete(id);
    this.changed();
  }

  /** Stops every fleet; numbering starts over (the next cluster's first fleet is f1, its devices LED-1…). */
  async stopAll(): Promise<void> {
    for (const f of this.fleets.values()) f.fleet.stop();
    this.fleets.clear();
    this.nextFleet = 1;
    this.used.clear();
    this.changed();
  }

  specs(): FleetSpec[] {
    return [...this.fleets.values()].map((f) => f.spec);
  }

  views(): FleetView[] {
    return [...this.fleets.values()].map(({ id, spec }) => ({ id, ...spec }));
  }

  /** Every node's URL, or only the pinned node's (a pin to a node that is gone spreads over all). */
  private targets(spec: FleetSpec): { urls: string[]; pin: string | undefined } {
    const pin = spec.spread.kind === 'pinned' ? this.urls.get(spec.spread.nodeId) : undefined;
    return { urls: [...this.urls.values()], pin };
  }

  /** Every device, with the node its URL names (by host:port). */
  devices(): DeviceView[] {
    const byHost = new Map([...this.urls].map(([id, url]) => [hostOf(url), id]));
    const out: DeviceView[] = [];
    for (const f of this.fleets.values()) {
      for (const s of f.fleet.states()) {
        out.push({
          name: s.name,
          fleetId: f.id,
          nodeId: (s.url && byHost.get(hostOf(s.url))) || null,
          etid: s.connected ? (s.etid ?? null) : null,
          uid: s.uid,
          connected: s.connected,
          leds: s.leds.map(({ id, name, color, on }) => ({ id, name, color, on })),
          temp: s.temp ?? 0,
          simulated: true,
        });
      }
    }
    return out;
  }
}
