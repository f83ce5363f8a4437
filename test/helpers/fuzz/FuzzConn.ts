import { PacketType } from '../../../broker/src/protocol/constants.js';
import { MAX_TID } from '../../../broker/src/node/EtidAllocator.js';
import type { SmqNode } from '../../../broker/src/node/SmqNode.js';
import { frameOf, RawFuzzPeer, WsFuzzPeer, type FuzzPeer, type FuzzTransport } from './FuzzPeer.js';
import { judge, type FragState, type Judgement } from './oracle.js';
import { MAX_RAW_PACKET, type Template } from './packets.js';
import type { Rng } from './rng.js';
import { hex, type Routable, type Tally } from './Tally.js';

/** What all lanes of one run share. */
export interface World {
  node: SmqNode;
  port: number;
  tally: Tally;
  routable: Routable;
  /** Live fuzz connections by ETID. */
  live: Map<number, Conn>;
  /** Every ETID the node handed out in this run (fuzz clients, bystanders, publishers). */
  everEtids: Set<number>;
  /** Every id a fuzz client observed (to check the observer table afterwards). */
  observed: Set<number>;
  topicNames: string[];
  topicTids: number[];
  subtids: number[];
  /** Packets in flight per connection before the lane waits for barrier Pongs. */
  window: number;
  /** Stop when enough mutated/random packets reached the node, or at the deadline. */
  target: number;
  deadline: number;
  maxNameLength: number;
  /** The node's own close reason per ETID (from its sessionClose event), for finding reports. */
  closeReasons: Map<number, string>;
}

/** One packet the node is to read, with what the spec says about it and what came back. */
interface Step {
  template: Template;
  mutation: string;
  wire: string;
  bytes: Buffer;
  /** undefined for framing lies and text frames: the spec only says "close", checked loosely. */
  j: Judgement | undefined;
  selfGot: Buffer[];
  changes: Buffer[];
  ackGot?: Buffer;
}

/** A Pong the node owes: for a barrier Ping (with its step) or for an exact fuzz Ping. */
interface Marker {
  step?: Step;
}

const PING = Buffer.of(PacketType.Ping);
const PING_FRAME = frameOf(PING);
const TIMEOUT = 5000;

export class Conn {
  markers: Marker[] = [];
  ackQueue: Step[] = [];
  subs = new Set<number>();
  everSubs = new Set<number>();
  observed = new Set<number>();
  frag: FragState = { chunks: [], bytes: 0 };
  disconnects: string[] = [];
  desynced = false;
  ending: 'none' | 'replace' | 'closing' = 'none';
  history: Step[] = [];
  sent = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly w: World,
    readonly peer: FuzzPeer,
    readonly uid: Buffer,
    readonly etid: number,
  ) {
    peer.onWireError = (what) => this.find('malformed bytes from the node', what);
    peer.listen((p) => {
      this.onPacket(p);
      this.poke();
    });
    void peer.whenClosed.then(() => {
      this.onClosed();
      this.poke();
    });
  }

  get t(): FuzzTransport {
    return this.peer.kind;
  }

  poke(): void {
    const f = this.wake;
    this.wake = undefined;
    f?.();
  }

  /** Waits until `ok()` or the connection closes; false (and a finding) when the node went silent. */
  async until(ok: () => boolean, what: string): Promise<boolean> {
    const deadline = Date.now() + TIMEOUT;
    while (!ok() && !this.peer.closed) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.find(`node went silent (${what})`, this.repro());
        this.peer.end();
        return false;
      }
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.wake = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
    return true;
  }

  outstanding(): number {
    return this.markers.length;
  }

  find(kind: string, detail: string): void {
    this.w.tally.find(kind, `${this.t} etid=${this.etid}: ${detail}`);
  }

  repro(step?: Step): string {
    const at = step ? this.history.indexOf(step) : this.history.length - 1;
    const steps = at < 0 ? [step!] : this.history.slice(Math.max(0, at - 3), at + 1);
    return steps.map((s) => `[${s.template}/${s.mutation}/${s.wire}] ${hex(s.bytes)}`).join(' then ');
  }

  private current(): Step | undefined {
    for (const m of this.markers) if (m.step) return m.step;
    return undefined;
  }

  private onPacket(p: Buffer): void {
    const w = this.w;
    switch (p[0]) {
      case PacketType.Pong: {
        if (p.length !== 1) this.find('Pong with a body', hex(p));
        const m = this.markers.shift();
        if (!m) this.find('Pong nobody asked for', this.repro());
        else if (m.step) this.completed(m.step);
        return;
      }
      case PacketType.Suback:
      case PacketType.Createack:
      case PacketType.Createsuback:
        if (!this.desynced) this.onAck(p);
        return;
      case PacketType.Publish: {
        if (p.length < 13) return this.find('Publish shorter than its header from the node', hex(p));
        const ptid = p.readUInt32BE(5);
        const dest = p.readUInt32BE(1);
        if (ptid === this.etid) {
          this.current()?.selfGot.push(p);
          if (!this.w.routable.has(p))
            this.find('own Publish came back altered', `${hex(p)} after ${this.repro()}`);
          return;
        }
        if (!w.routable.has(p)) this.find('Publish nobody sent (corrupted or forged)', hex(p));
        if (dest !== this.etid && !this.everSubs.has(dest))
          this.find('Publish to a TID this client never subscribed to', hex(p));
        return;
      }
      case PacketType.Change: {
        if (p.length !== 9) return this.find('Change of the wrong size', hex(p));
        const id = p.readUInt32BE(1);
        if (!this.observed.has(id)) this.find('Change for an id this client never observed', hex(p));
        if (!w.node.topics.has(id) && p.readUInt32BE(5) !== 0)
          this.find('Change with a count for an id that is not a topic', hex(p));
        this.current()?.changes.push(p);
        return;
      }
      case PacketType.Disconnect: {
        const reason = p.toString('latin1', 1);
        w.tally.disconnects.set(reason, (w.tally.disconnects.get(reason) ?? 0) + 1);
        this.disconnects.push(reason);
        if (reason !== 'corrupt frame' && reason !== 'reconnect')
          this.find('Disconnect with a reason other than "corrupt frame" or "reconnect"', hex(p));
        if (reason === 'reconnect' && this.ending !== 'replace')
          this.find('Disconnect "reconnect" without a duplicate uid', this.repro());
        return;
      }
      default:
        this.find(
          `packet type ${p[0]} sent to a client after the handshake`,
          `${hex(p)} after ${this.repro()}`,
        );
    }
  }

  private onAck(p: Buffer): void {
    const s = this.ackQueue.shift();
    if (!s) return this.find('ack nobody asked for', `${hex(p)} after ${this.repro()}`);
    const want = s.j!.ack!;
    s.ackGot = p;
    if (p[0] !== want.type || p.length < 6 || !p.subarray(6).equals(want.name))
      return this.find(
        'ack out of order, of the wrong type, or not echoing the name',
        `${hex(p)} for ${this.repro(s)}`,
      );
    const status = p[1];
    const id = p.readUInt32BE(2);
    const deny = want.name.length === 0 || want.name.length > this.w.maxNameLength;
    const topic = want.type !== PacketType.Createsuback;
    if (deny ? status !== 1 || id !== 0 : status !== 0 || id === 0 || (topic && id > MAX_TID))
      this.find('ack status or id wrong for the name', `${hex(p)} for ${this.repro(s)}`);
    if (status !== 0) return;
    if (want.type === PacketType.Suback) this.everSubs.add(id);
    if (!topic && this.w.subtids.length < 64 && !this.w.subtids.includes(id)) this.w.subtids.push(id);
  }

  /** The barrier Pong after `s` came: the node read `s` and kept the connection. */
  private completed(s: Step): void {
    this.w.tally.count(s.template, s.wire, s.mutation, 'accepted');
    const j = s.j;
    if (!j || this.desynced) return;
    if (j.verdict !== 'accept')
      this.find(`kept the connection after a packet the spec closes on (${j.verdict})`, this.repro(s));
    if (j.ack && !s.ackGot) this.find('no ack for a name request', this.repro(s));
    const self =
      j.routed && (j.routed.readUInt32BE(1) === this.etid || this.subs.has(j.routed.readUInt32BE(1)));
    if (self ? s.selfGot.length !== 1 || !s.selfGot[0]!.equals(j.routed!) : s.selfGot.length !== 0)
      this.find(
        'own Publish not delivered back exactly once (to its ETID or a subscribed TID)',
        this.repro(s),
      );
    if (j.observe !== undefined) this.checkObserve(j.observe, s);
    if (s.ackGot?.[0] === PacketType.Suback && s.ackGot[1] === 0) this.subs.add(s.ackGot.readUInt32BE(2));
    if (j.unsubscribe !== undefined) this.subs.delete(j.unsubscribe);
  }

  private checkObserve(id: number, s: Step): void {
    const got = s.changes.filter((c) => c.readUInt32BE(1) === id);
    let ok: boolean;
    if (id === this.etid) ok = got.length === 0;
    else if (this.w.node.topics.has(id)) ok = got.length >= 1;
    else if (id === 1 || this.w.everEtids.has(id)) ok = got.every((c) => c.readUInt32BE(5) === 0);
    else ok = got.length === 1;
    if (!ok)
      this.find('Observe not answered as rule 7 says', `${got.map(hex).join(',')} for ${this.repro(s)}`);
  }

  private onClosed(): void {
    const tally = this.w.tally;
    if (this.w.live.get(this.etid) === this) this.w.live.delete(this.etid);
    let killer: Step | undefined;
    for (const m of this.markers) {
      if (!m.step) continue;
      if (!killer) killer = m.step;
      else tally.count(m.step.template, m.step.wire, m.step.mutation, 'unreached');
    }
    this.markers = [];
    const corrupt = this.disconnects.includes('corrupt frame');
    if (!killer) {
      if (this.ending === 'none') this.find('node closed an idle connection', this.repro());
      if (corrupt) this.find('Disconnect "corrupt frame" on an idle connection', this.repro());
      return;
    }
    tally.count(killer.template, killer.wire, killer.mutation, 'closedOn');
    const j = killer.j;
    if (!j || this.desynced) return;
    if (j.verdict === 'accept')
      this.find(
        'closed the connection on a packet the spec accepts',
        `${this.repro(killer)}; ${this.sent} steps sent; node says ${this.w.closeReasons.get(this.etid) ?? '?'}`,
      );
    if (j.verdict === 'corrupt' && this.disconnects.at(-1) !== 'corrupt frame')
      this.find('forged publisher closed without Disconnect "corrupt frame"', this.repro(killer));
    if (j.verdict === 'close' && this.disconnects.length > 0)
      this.find(
        'Disconnect sent on a plain protocol close',
        `${this.disconnects.join(',')} ${this.repro(killer)}`,
      );
  }

  /** Registers a step (oracle, markers, acks) before its bytes are written. */
  private register(s: Step, pong: boolean): void {
    const j = s.j;
    if (j?.routed) this.w.routable.add(j.routed);
    if (j?.observe !== undefined) {
      this.observed.add(j.observe);
      this.w.observed.add(j.observe);
    }
    if (j?.ack && j.verdict === 'accept') this.ackQueue.push(s);
    if (pong) this.markers.push({});
    this.markers.push({ step: s });
    this.history.push(s);
    this.sent++;
    if (this.history.length > 24) this.history.shift();
  }

  /** Sends one packet and a barrier Ping, honestly framed (or split / fragmented). */
  async send(template: Template, mutation: string, p: Buffer, rng: Rng): Promise<void> {
    if (this.t === 'raw' && p.length > MAX_RAW_PACKET) p = p.subarray(0, MAX_RAW_PACKET);
    const j = judge(p, this.t, this.etid, this.frag);
    const split = rng.chance(0.1);
    const s: Step = { template, mutation, wire: wireName(p), bytes: p, j, selfGot: [], changes: [] };
    this.register(s, j.pong);
    if (this.peer instanceof RawFuzzPeer) {
      const bytes = Buffer.concat([frameOf(p), PING_FRAME]);
      if (!split) return this.peer.writeRaw(bytes);
      let from = 0;
      for (const cut of cuts(rng, bytes.length)) {
        this.peer.writeRaw(bytes.subarray(from, cut));
        from = cut;
        await new Promise((r) => setImmediate(r));
      }
      this.peer.writeRaw(bytes.subarray(from));
    } else if (this.peer instanceof WsFuzzPeer) {
      if (split && p.length > 1) this.peer.sendFragmented(p, cuts(rng, p.length));
      else this.peer.send(p);
      this.peer.send(PING);
    }
  }

  /** Raw: a frame whose length field lies. The node's view is simulated with the spec's framing. */
  sendLengthLie(template: Template, p: Buffer, rng: Rng): void {
    const actual = Math.min(p.length, MAX_RAW_PACKET) + 2;
    const lie = rng.pick([
      0,
      1,
      2,
      Math.max(3, actual - rng.int(1, 5)),
      Math.min(0xffff, actual + rng.int(1, 20)),
      0xffff,
    ]);
    const head = Buffer.alloc(2);
    head.writeUInt16BE(lie === actual ? actual - 1 : lie);
    const bytes = Buffer.concat([head, p.subarray(0, actual - 2), PING_FRAME]);
    const s: Step = {
      template,
      mutation: 'length lie',
      wire: 'length lie',
      bytes,
      j: undefined,
      selfGot: [],
      changes: [],
    };
    this.desynced = true;
    let pongs = 0;
    for (let o = 0; bytes.length - o >= 2;) {
      const size = bytes.readUInt16BE(o);
      if (size < 3 || bytes.length - o < size) break;
      const j = judge(bytes.subarray(o + 2, o + size), 'raw', this.etid, this.frag);
      if (j.verdict !== 'accept') break;
      if (j.routed) this.w.routable.add(j.routed);
      if (j.pong) pongs++;
      o += size;
    }
    for (let i = 1; i < pongs; i++) this.markers.push({});
    this.markers.push({ step: s });
    this.history.push(s);
    (this.peer as RawFuzzPeer).writeRaw(bytes);
  }

  /** WebSocket: the packet in a text message, which the node must refuse. */
  sendText(template: Template, p: Buffer): void {
    const s: Step = {
      template,
      mutation: 'text frame',
      wire: 'text frame',
      bytes: p,
      j: undefined,
      selfGot: [],
      changes: [],
    };
    this.register(s, false);
    (this.peer as WsFuzzPeer).sendText(p);
  }
}

const TYPE_NAMES = Object.fromEntries(Object.entries(PacketType).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

function wireName(p: Buffer): string {
  if (p.length === 0) return '(empty message)';
  const name = TYPE_NAMES[p[0]!];
  return name ? `${p[0]} ${name}` : 'invalid type (0, 10, 20-255)';
}

function cuts(rng: Rng, length: number): number[] {
  const n = rng.int(1, 3);
  const out = new Set<number>();
  for (let i = 0; i < n; i++) out.add(rng.int(1, length - 1));
  return [...out].sort((a, b) => a - b);
}
