import type { DeviceView, FleetSpread, FleetView, NodeId } from '../../../contract/hostContract.js';
import { DeviceFleet } from '../../../broker/src/devices/DeviceFleet.js';

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

/** The URL devices use: raw TCP, as the published C LED device connects. */
const rawUrl = (port: number): string => `http://127.0.0.1:${port}/smq.lsp`;

/**
 * Simulated LED device fleets, run in the host process (a device is a socket and a timer; a
 * child process per fleet would buy nothing). Device names are unique across fleets: they key
 * the Devices view.
 */
export class FleetHost {
  private readonly fleets = new Map<string, RunningFleet>();
  private ports = new Map<NodeId, number>();
  private nextFleet = 1;
  private readonly used = new Map<string, number>();

  constructor(private readonly changed: () => void) {}

  /** The nodes new fleets spread over (existing devices keep the URL list they started with). */
  setNodes(ports: Map<NodeId, number>): void {
    this.ports = new Map(ports);
  }

  start(spec: FleetSpec): string {
    if (!Number.isInteger(spec.count) || spec.count < 1 || spec.count > 1000)
      throw Object.assign(new Error('device count must be 1..1000'), { code: 'BadArguments' });
    const urls = [...this.ports.values()].filter((p) => p > 0).map(rawUrl);
    const pinPort = spec.spread.kind === 'pinned' ? this.ports.get(spec.spread.nodeId) : undefined;
    const fleet = new DeviceFleet({
      urls,
      ...(pinPort !== undefined ? { pin: rawUrl(pinPort) } : {}),
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

  async stopAll(): Promise<void> {
    for (const f of this.fleets.values()) f.fleet.stop();
    this.fleets.clear();
    this.changed();
  }

  specs(): FleetSpec[] {
    return [...this.fleets.values()].map((f) => f.spec);
  }

  views(): FleetView[] {
    return [...this.fleets.values()].map(({ id, spec }) => ({ id, ...spec }));
  }

  devices(ports: Map<NodeId, number>): DeviceView[] {
    const byPort = new Map([...ports].map(([id, port]) => [port, id]));
    const out: DeviceView[] = [];
    for (const f of this.fleets.values()) {
      for (const s of f.fleet.states()) {
        const port = s.url ? Number(new URL(s.url).port) : undefined;
        out.push({
          name: s.name,
          fleetId: f.id,
          nodeId: (port !== undefined && byPort.get(port)) || null,
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
