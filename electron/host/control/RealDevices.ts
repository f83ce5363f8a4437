import { etidHex, type DeviceView, type NodeId, type TopicView } from '../../../contract/hostContract.js';
import { connect } from '../../../broker/src/client/node.js';
import { DisplayModel, type DisplayDevice } from '../../../broker/src/devices/DisplayModel.js';
import { DISPLAY_TOPIC } from '../../../broker/src/devices/ledProtocol.js';
import { formatUid } from '../../../broker/src/devices/uid.js';
import type { ClusterSource } from './ClusterSource.js';

export interface RealDevicesOptions {
  source: ClusterSource;
  /** The host's own simulated devices (FleetHost.devices()). */
  simulated(): DeviceView[];
  /** Each up node's raw-TCP SMQ URL, where the watch connects. */
  urls(): string[];
  /** The CA of https:// nodes (the host's own TLS cluster). */
  ca?: string;
  changed(): void;
}

/** The Connect info of the watch, so the Clients view says what it is. */
export const DEVICE_WATCH_INFO = 'SMQ Control Center device watch';
/** Topic listings (one a second) without a device of someone else's before the watch stops. */
const QUIET_LISTINGS = 3;
/** Listings in a row that must count more devices than the host's before the watch starts. */
const EXCESS_LISTINGS = 3;
/**
 * How long after a node changed state (and while one drains) counts are not trusted: listings lag
 * behind moving devices, and one that moved can be counted on two nodes for a while.
 */
export const SETTLE_MS = 5000;

/** A device the watch sees, placed by its node's client list: its node and uid, or not ours to show. */
type Placement = { nodeId: NodeId; uid: string } | 'simulated' | 'gone';

/**
 * Devices the host did not start (the C LED example, an ESP32, someone's smq-devices), shown
 * like simulated ones. How the host knows: every LED device subscribes to /m2m/led/display, so
 * the nodes' topic listings count the devices online; when they count more than the host's
 * fleets have connected, in EXCESS_LISTINGS listings in a row with no node draining or just
 * changed (a device moving between nodes is counted twice for a while), the host runs an m2m-LED display of its own (the same DisplayModel as
 * the LED panels) to learn their names, LEDs and temperatures, and places each ETID it did not
 * give out by the nodes' client lists (node and uid; a uid of the host's fleets is not real).
 * With no such device the display stops, so a cluster without real devices carries no extra client.
 */
export class RealDevices {
  private display: DisplayModel | undefined;
  private displayUrls = '';
  private readonly placed = new Map<number, Placement>();
  private quiet = 0;
  private excess = 0;
  private nodeStates = '';
  private settlesAt = 0;
  private lookup: Promise<void> | undefined;
  private lookupAgain = false;
  private closed = false;

  constructor(private readonly o: RealDevicesOptions) {}

  /** Called with every topic listing (about once a second). */
  onTopics(topics: readonly TopicView[]): void {
    const up = new Set(upNodes(this.o.source));
    const online =
      topics
        .find((t) => t.name === DISPLAY_TOPIC)
        ?.nodes.reduce((sum, n) => sum + (up.has(n.nodeId) ? n.subscribers : 0), 0) ?? 0;
    const own = this.o.simulated().filter((d) => d.connected).length;
    const settled = this.settled();
    if (online <= own) {
      this.excess = 0;
      if (this.display && ++this.quiet >= QUIET_LISTINGS) this.stopWatch();
      return;
    }
    this.quiet = 0;
    // Hysteresis: a drain or failover moving the host's own devices must not start the watch.
    this.excess = settled ? this.excess + 1 : 0;
    if (this.excess >= EXCESS_LISTINGS) this.watch();
  }

  /** Whether the watch display runs (it does while someone else's devices are online). */
  get watching(): boolean {
    return this.display !== undefined;
  }

  /** False while a node drains and for SETTLE_MS after any node changed state. */
  private settled(): boolean {
    const nodes = this.o.source.nodes();
    const states = nodes.map((n) => `${n.id}:${n.state}`).join(' ');
    const now = Date.now();
    if (states !== this.nodeStates) {
      this.nodeStates = states;
      this.settlesAt = now + SETTLE_MS;
    }
    const draining = nodes.some((n) => n.drain !== null && n.drain.state !== 'cancelled' && n.state === 'up');
    return !draining && now >= this.settlesAt;
  }

  /** The node list changed: a running watch reconnects to the nodes' current URLs. */
  nodesChanged(): void {
    if (this.display && this.urlKey() !== this.displayUrls) {
      this.stopWatch();
      this.watch();
    }
  }

  devices(): DeviceView[] {
    const seen = this.display?.getSnapshot().devices ?? [];
    const simulated = this.o.simulated();
    const names = new Set(simulated.map((d) => d.name));
    const out: DeviceView[] = [];
    for (const d of seen) {
      const p = this.placed.get(d.etid);
      if (p === undefined || typeof p === 'string') continue;
      const name = names.has(d.devname) || d.devname === '' ? `${d.devname} ${etidHex(d.etid)}` : d.devname;
      names.add(name);
      out.push(view(d, name, p));
    }
    return out;
  }

  close(): void {
    this.closed = true;
    this.stopWatch();
  }

  private watch(): void {
    if (this.display || this.closed) return;
    const urls = this.o.urls();
    if (urls.length === 0) return;
    this.displayUrls = this.urlKey();
    const display = new DisplayModel(() => connect(urls, { info: DEVICE_WATCH_INFO, ca: this.o.ca }));
    display.subscribe(() => {
      this.placeNew();
      this.o.changed();
    });
    this.display = display;
  }

  private stopWatch(): void {
    this.display?.close();
    this.display = undefined;
    this.placed.clear();
    this.quiet = 0;
    this.o.changed();
  }

  private urlKey(): string {
    return [...this.o.urls()].sort().join(' ');
  }

  /** Places the ETIDs the watch sees for the first time (one lookup at a time; forgets the gone). */
  private placeNew(): void {
    const seen = new Set(this.display?.getSnapshot().devices.map((d) => d.etid));
    for (const etid of this.placed.keys()) if (!seen.has(etid)) this.placed.delete(etid);
    const ours = new Set(this.o.simulated().flatMap((d) => (d.etid === null ? [] : [d.etid])));
    for (const etid of seen) if (ours.has(etid)) this.placed.set(etid, 'simulated');
    if (![...seen].some((etid) => !this.placed.has(etid))) return;
    if (this.lookup) {
      this.lookupAgain = true;
      return;
    }
    this.lookup = this.placeByClientLists(seen).finally(() => {
      this.lookup = undefined;
      if (this.lookupAgain && this.display) {
        this.lookupAgain = false;
        this.placeNew();
      }
      this.o.changed();
    });
  }

  private async placeByClientLists(seen: ReadonlySet<number>): Promise<void> {
    const src = this.o.source;
    const where = new Map<number, { nodeId: NodeId; uid: string }>();
    let everyNode = true;
    await Promise.all(
      upNodes(src).map(async (nodeId) => {
        try {
          for (const c of await src.admin(nodeId).clients())
            where.set(c.etid, { nodeId, uid: formatUid(Buffer.from(c.uid, 'hex')) });
        } catch {
          everyNode = false;
        }
      }),
    );
    const fleetUids = new Set(this.o.simulated().map((d) => d.uid));
    for (const etid of seen) {
      if (this.placed.has(etid)) continue;
      const at = where.get(etid);
      // Not listed by any node: it left (the watch drops it on its Change). Unless a node did not
      // answer: then it is tried again at the next change.
      if (at) this.placed.set(etid, fleetUids.has(at.uid) ? 'simulated' : at);
      else if (everyNode) this.placed.set(etid, 'gone');
    }
  }
}

function upNodes(source: ClusterSource): NodeId[] {
  return source.nodes().flatMap((n) => (n.state === 'up' ? [n.id] : []));
}

function view(d: DisplayDevice, name: string, at: { nodeId: NodeId; uid: string }): DeviceView {
  return {
    name,
    fleetId: '',
    nodeId: at.nodeId,
    etid: d.etid,
    uid: at.uid,
    connected: true,
    leds: d.leds.map(({ id, name: ledName, color, on }) => ({ id, name: ledName, color, on })),
    temp: d.temp ?? 0,
    simulated: false,
  };
}
