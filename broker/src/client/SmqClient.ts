import {
  encodeIdPacket,
  encodePublish,
  MAX_PAYLOAD,
  PacketType,
  REQUEST_FOR,
  toBytes,
  type NameRequestType,
} from '../protocol/index.js';
import type { Random } from './backoff.js';
import { Connector, connectorSettings } from './Connector.js';
import { IdTable } from './IdTable.js';
import { Requests } from './Requests.js';
import { deliverFor, Subscriptions } from './Subscriptions.js';
import { Observers } from './Observers.js';
import { Outbox, type Outgoing } from './Outbox.js';
import { pubFragPackets } from './pubFrag.js';
import { assertName, fromUtf8, type BrokerPacket } from './wire.js';
import type { TransportFactory } from './transport.js';
import type {
  ChangeHandler,
  ClientOptions,
  ClientStats,
  CloseInfo,
  Data,
  MessageHandler,
  SubscribeOptions,
} from './types.js';

/**
 * An SMQ v1 client with the API of Real Time Logic's JavaScript client, over any transport.
 * Everything the application asked for (topics, sub-topics, subscriptions, observations) is kept
 * by NAME and replayed on every new connection, because ids are per node; calls made while
 * disconnected wait for the next connection. Acks are matched by echoed name (see Requests).
 */
export class SmqClient {
  /** First connection: own ETID, Init seed, the IP the broker saw. */
  onconnect: ((etid: number, seed: number, ip: string) => void) | undefined;
  /** A later connection, once topics, subscriptions and observations are restored on it. */
  onreconnect: ((etid: number, seed: number, ip: string) => void) | undefined;
  /** A connection ended; `reconnecting` false means for good (refusal, Disconnect, disconnect()). */
  onclose: ((reason: string, reconnecting: boolean, info: CloseInfo) => void) | undefined;
  /** An attempt failed before Connack (dead URL, timeout). */
  onconnecterror: ((url: string, reason: string, retrying: boolean) => void) | undefined;
  /** Messages no subscription handler took (as raw bytes). */
  onmsg: MessageHandler<Uint8Array> | undefined;
  readonly stats: ClientStats = { droppedPublishes: 0, unhandledMessages: 0, unexpectedAcks: 0 };

  private readonly connector: Connector;
  private readonly requests: Requests;
  private readonly subs = new Subscriptions();
  private readonly created = new Set<string>();
  private readonly subtopics = new Set<string>();
  private readonly observers = new Observers();
  private readonly topicIds = new IdTable();
  private readonly subtopicIds = new IdTable();
  private readonly outbox: Outbox;
  private etid = 0;
  /** Connections so far; tags requests with the connection they were sent on. */
  private conn = 0;
  private selfWaiters: ((etid: number) => void)[] = [];
  private readonly fragmentSize: number | undefined;

  constructor(
    urls: string | readonly string[],
    options: ClientOptions,
    transport: TransportFactory,
    random: Random = Math.random,
  ) {
    const size = options.fragmentSize;
    if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > MAX_PAYLOAD)) {
      throw new RangeError(`fragmentSize ${size}; expected 1..${MAX_PAYLOAD}`);
    }
    this.fragmentSize = size;
    this.outbox = new Outbox(options.maxQueuedPublishes ?? 1000, {
      ready: () => this.connector.ready,
      connection: () => this.conn,
      idsNow: (m) => this.idsNow(m),
      fetchIds: (m) => Promise.all([this.topicId(m.topic), this.subtopicId(m.subtopic)]),
      send: (m, [dest, subtid]) => this.sendPublish(m.payload, dest, subtid),
      dropped: () => void this.stats.droppedPublishes++,
    });
    this.requests = new Requests((p) => this.connector.send(p));
    this.connector = new Connector(
      connectorSettings(typeof urls === 'string' ? [urls] : urls, options, transport, random),
      {
        onready: (etid, seed, ip) => this.onReady(etid, seed, ip),
        onpacket: (p) => this.onPacket(p),
        onclose: (info) => this.onClosed(info),
        onattemptfailed: (url, reason, retrying) => this.onconnecterror?.(url, reason, retrying),
      },
    );
    this.connector.start();
  }

  get connected(): boolean {
    return this.connector.ready;
  }

  /** The URL of the current (or last) connection attempt. */
  get url(): string {
    return this.connector.url;
  }

  /** Replaces the broker URLs it (re)connects to; a live connection stays where it is. */
  setUrls(urls: string | readonly string[]): void {
    this.connector.setUrls(typeof urls === 'string' ? [urls] : urls);
  }

  /** Own ETID on the current connection (the last one while reconnecting; 0 before the first). */
  gettid(): number {
    return this.etid;
  }

  topic2tid(topic: string): number | undefined {
    return topic === 'self' ? this.etid || undefined : this.topicIds.id(topic);
  }

  tid2topic(tid: number): string | undefined {
    return this.topicIds.name(tid);
  }

  subtopic2tid(subtopic: string): number | undefined {
    return this.subtopicIds.id(subtopic);
  }

  tid2subtopic(subtid: number): string | undefined {
    return this.subtopicIds.name(subtid);
  }

  /** TID of a topic, created if needed; 0 when denied. Re-created after every reconnect. */
  create(topic: string): Promise<number> {
    if (topic === 'self') return this.selfTid();
    assertName(topic);
    this.created.add(topic);
    return this.topicId(topic);
  }

  /** Sub-topic id, created if needed; 0 when denied. */
  createsub(subtopic: string): Promise<number> {
    assertName(subtopic);
    this.subtopics.add(subtopic);
    return this.subtopicId(subtopic);
  }

  /**
   * Subscribes a handler to a topic ('self': messages to own ETID), optionally to one sub-topic of
   * it. Resolves with the TID (own ETID for 'self'), 0 when denied.
   */
  subscribe(topic: string, options: SubscribeOptions): Promise<number> {
    const sub = options.subtopic;
    assertName(topic);
    assertName(sub);
    const deliver = deliverFor(options);
    this.subs.set(topic, sub, deliver);
    if (sub !== undefined) this.subtopics.add(sub);
    return Promise.all([
      topic === 'self' ? this.selfTid() : this.request(PacketType.Subscribe, topic),
      this.subtopicId(sub),
    ]).then(([tid, subtid]) => {
      const accepted = tid !== 0 && (sub === undefined || subtid !== 0);
      if (!accepted) this.subs.unset(topic, sub, deliver);
      options.onack?.(accepted, topic, tid, sub, subtid);
      return accepted ? tid : 0;
    });
  }

  /** Drops every handler of the topic and tells the broker (never for 'self'). */
  unsubscribe(topic: string): void {
    if (!this.subs.remove(topic) || topic === 'self') return;
    const tid = this.topicIds.id(topic);
    if (tid !== undefined) this.connector.send(encodeIdPacket(PacketType.Unsubscribe, tid));
  }

  /**
   * Publishes to a topic name (created on first use), 'self', or a TID/ETID number, optionally
   * with a sub-topic. Order is kept; while disconnected, messages queue for the next connection.
   */
  publish(data: Data, topic: string | number, subtopic?: string | number): void {
    const payload = toBytes(data);
    assertName(topic);
    assertName(subtopic);
    if (payload.length > MAX_PAYLOAD) {
      throw new RangeError(`payload of ${payload.length} bytes; at most ${MAX_PAYLOAD} reach every receiver`);
    }
    if (this.connector.stopped) this.stats.droppedPublishes++;
    else this.outbox.publish({ payload, topic, subtopic });
  }

  pubjson(value: unknown, topic: string | number, subtopic?: string | number): void {
    this.publish(JSON.stringify(value), topic, subtopic);
  }

  /** Watches a topic's subscriber count, or an ETID until it goes (count 0). Not own ETID. */
  observe(topic: string | number, onchange: ChangeHandler): void {
    if (topic === 'self') return;
    assertName(topic);
    this.observers.set(topic, onchange);
    void this.sendObserve(topic);
  }

  unobserve(topic: string | number): void {
    const id = typeof topic === 'number' ? topic : this.topicIds.id(topic);
    if (this.observers.delete(topic) && id !== undefined) {
      this.connector.send(encodeIdPacket(PacketType.Unobserve, id));
    }
  }

  /** Sends Disconnect, closes, and stops reconnecting. */
  disconnect(): void {
    this.connector.disconnect();
  }

  private onReady(etid: number, seed: number, ip: string): void {
    const first = this.conn === 0;
    const conn = ++this.conn;
    this.etid = etid;
    const waiters = this.selfWaiters;
    this.selfWaiters = [];
    for (const w of waiters) w(etid);
    const restored = this.restore();
    this.requests.resend(conn);
    if (first) {
      this.onconnect?.(etid, seed, ip);
      void this.outbox.pump();
      return;
    }
    void restored.then(() => {
      if (conn !== this.conn || !this.connector.ready) return;
      this.onreconnect?.(etid, seed, ip);
      void this.outbox.pump();
    });
  }

  /**
   * Replays, by name, what the application asked for; resolves when the broker acked it all. The
   * order is the C LED device's (Create, Createsub, Subscribe, then Observe once the TID is known),
   * so a device built on this client sends the same packets on every connection, not only the first.
   */
  private restore(): Promise<unknown> {
    const waits: Promise<unknown>[] = [];
    for (const topic of this.created) if (!this.subs.has(topic)) waits.push(this.topicId(topic));
    for (const s of this.subtopics) waits.push(this.subtopicId(s));
    for (const topic of this.subs.topics()) {
      if (topic !== 'self') waits.push(this.request(PacketType.Subscribe, topic));
    }
    for (const key of this.observers.keys()) waits.push(this.sendObserve(key));
    return Promise.all(waits);
  }

  /** One Publish, or PubFrag fragments when asked for and the transport can carry them (raw TCP). */
  private sendPublish(payload: Uint8Array, dest: number, subtid: number): void {
    const size = this.fragmentSize;
    if (size === undefined || payload.length <= size || !this.connector.pubFrag) {
      this.connector.send(encodePublish(dest, this.etid, subtid, payload));
      return;
    }
    for (const p of pubFragPackets(dest, this.etid, subtid, payload, size)) this.connector.send(p);
  }

  private onPacket(p: BrokerPacket): void {
    switch (p.type) {
      case PacketType.Suback:
      case PacketType.Createack:
      case PacketType.Createsuback: {
        const ok = p.status === 0;
        return this.onAck(REQUEST_FOR[p.type], ok, ok ? p.id : 0, fromUtf8(p.name));
      }
      case PacketType.Publish: {
        const topic = p.dest === this.etid ? 'self' : this.topicIds.name(p.dest);
        const sub = p.subtid === 0 ? undefined : this.subtopicIds.name(p.subtid);
        const deliver = this.subs.find(topic, sub);
        if (deliver?.(p.payload, p.ptid, p.dest, p.subtid)) return;
        if (this.onmsg) this.onmsg(p.payload, p.ptid, p.dest, p.subtid);
        else this.stats.unhandledMessages++;
        return;
      }
      case PacketType.Change:
        return this.observers.change(p.id, p.count, this.topicIds.name(p.id));
      default:
        return;
    }
  }

  private onAck(request: NameRequestType, ok: boolean, id: number, name: string): void {
    if (ok) (request === PacketType.Createsub ? this.subtopicIds : this.topicIds).set(name, id);
    if (!this.requests.settle(request, name, id)) this.stats.unexpectedAcks++;
    // unsubscribe() while the Subscribe was in flight: the broker subscribed us anyway.
    if (ok && request === PacketType.Subscribe && !this.subs.has(name)) {
      this.connector.send(encodeIdPacket(PacketType.Unsubscribe, id));
    }
  }

  private onClosed(info: CloseInfo): void {
    this.topicIds.clear();
    this.subtopicIds.clear();
    this.observers.connectionEnded();
    if (!info.reconnecting) {
      this.requests.abandon();
      for (const w of this.selfWaiters) w(0);
      this.selfWaiters = [];
      this.stats.droppedPublishes += this.outbox.clear();
    }
    this.onclose?.(info.reason, info.reconnecting, info);
  }

  private request(type: NameRequestType, name: string): Promise<number> {
    // After the end nothing will answer: 0 ("none") at once rather than a promise that hangs.
    if (this.connector.stopped) return Promise.resolve(0);
    return this.requests.request(type, name, this.connector.ready ? this.conn : undefined);
  }

  private selfTid(): Promise<number> {
    if (this.connector.ready) return Promise.resolve(this.etid);
    if (this.connector.stopped) return Promise.resolve(0);
    return new Promise((resolve) => this.selfWaiters.push(resolve));
  }

  private topicId(topic: string | number): Promise<number> {
    if (typeof topic === 'number') return Promise.resolve(topic);
    if (topic === 'self') return this.selfTid();
    const known = this.topicIds.id(topic);
    if (known !== undefined) return Promise.resolve(known);
    this.created.add(topic);
    return this.request(PacketType.Create, topic);
  }

  private subtopicId(subtopic: string | number | undefined): Promise<number> {
    if (subtopic === undefined) return Promise.resolve(0);
    if (typeof subtopic === 'number') return Promise.resolve(subtopic);
    const known = this.subtopicIds.id(subtopic);
    if (known !== undefined) return Promise.resolve(known);
    this.subtopics.add(subtopic);
    return this.request(PacketType.Createsub, subtopic);
  }

  private async sendObserve(key: string | number): Promise<void> {
    const conn = this.conn;
    const id = await this.topicId(key);
    if (!this.connector.ready || conn !== this.conn || !this.observers.has(key)) return;
    // The broker ignores Observe of the sender's own ETID: nothing to send.
    if (id === 0 || id === this.etid || !this.observers.markSent(key)) return;
    this.connector.send(encodeIdPacket(PacketType.Observe, id));
  }

  /** Destination and sub-topic ids if known on this connection without asking the broker. */
  private idsNow(m: Outgoing): [number, number] | undefined {
    const t = m.topic;
    const dest = typeof t === 'number' ? t : t === 'self' ? this.etid : this.topicIds.id(t);
    const s = m.subtopic;
    const subtid = s === undefined ? 0 : typeof s === 'number' ? s : this.subtopicIds.id(s);
    return dest === undefined || subtid === undefined ? undefined : [dest, subtid];
  }
}
