import { connect, type NodeClientOptions, type SmqClient } from '../client/node.js';
import { seededHash } from '../node/auth.js';
import { Latencies } from './Latencies.js';
import { decodeStamp, encodeStamp, nowMs, STAMP_SIZE } from './stamp.js';

export interface LoadSpec {
  /** Node URLs; clients are spread over them in turn (ws:// WebSocket, http:// raw TCP). */
  urls: readonly string[];
  publishers: number;
  subscribers: number;
  /** Messages per second, per publisher. */
  rate: number;
  /** Payload size in bytes, at least 16 (the send time and sequence number). */
  payloadBytes: number;
  durationMs: number;
  /** Topics the publishers share out (publisher i sends to topic i mod topics); every subscriber takes all. Default 1. */
  topics?: number;
  /** How long to wait after the last publish for messages in flight. Default 2000 ms. */
  drainMs?: number;
  /** Time for every client to connect and every subscription to reach the publishers. Default 10 s. */
  setupTimeoutMs?: number;
  /** The nodes' password (seeded SHA-1 credentials, as smq-node --password expects). */
  password?: string;
  /** PEM CA certificate(s) for https:// and wss:// nodes (default: the system roots). */
  ca?: string | Buffer;
}

export interface LoadResult {
  sent: number;
  received: number;
  /** sent × subscribers: every subscriber takes every topic. */
  expected: number;
  /** expected − received (never negative). */
  lost: number;
  /** Publishes the clients gave up (queue overflow while disconnected). */
  dropped: number;
  /** Messages that came in before an earlier one of the same publisher (per subscriber). */
  outOfOrder: number;
  /** Client connections that closed during the run. */
  disconnects: number;
  sentPerSec: number;
  receivedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The send phase, ms. */
  durationMs: number;
}

/** Where a run is, for a live display: cheap to read at any time. */
export interface LoadProgress {
  phase: 'setup' | 'sending' | 'draining' | 'done';
  sent: number;
  received: number;
  /** Time since the send phase began (0 during setup). */
  sendingMs: number;
}

/** Send-loop tick: publishers catch up to rate × elapsed at each one. */
const TICK_MS = 10;

/**
 * One load run: N publishers × M subscribers on one or more topics at a fixed rate, counting every
 * message (sent, received, lost, out of order) and its latency. Topics are named per run, so runs
 * side by side never count each other's messages. Used by smq-load and in-process by the app.
 */
export class LoadRun {
  private readonly clients: SmqClient[] = [];
  private readonly latencies = new Latencies();
  private readonly topicNames: string[];
  private received = 0;
  private sent = 0;
  private phase: LoadProgress['phase'] = 'setup';
  private sendStart = 0;
  private sendEnd = 0;
  private outOfOrder = 0;
  private disconnects = 0;
  private sendTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(private readonly spec: LoadSpec) {
    const { publishers, subscribers, rate, payloadBytes, durationMs, urls } = spec;
    const topics = spec.topics ?? 1;
    if (urls.length === 0) throw new RangeError('at least one node URL');
    for (const [name, v] of Object.entries({ publishers, subscribers, topics })) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
    }
    if (!(rate > 0) || !(durationMs > 0)) throw new RangeError('rate and duration must be positive');
    if (!Number.isInteger(payloadBytes) || payloadBytes < STAMP_SIZE || payloadBytes > 0xfff0) {
      throw new RangeError(`payload of ${payloadBytes} bytes; ${STAMP_SIZE}..${0xfff0}`);
    }
    const run = Math.floor(Math.random() * 0xffffffff).toString(16);
    this.topicNames = Array.from({ length: topics }, (_, i) => `/load/${run}/${i}`);
  }

  async run(): Promise<LoadResult> {
    try {
      const pubs = await this.setUp();
      const sendPhase = await this.send(pubs);
      this.phase = 'draining';
      await this.drain(this.expected(sendPhase.sent));
      return this.result(pubs, sendPhase);
    } finally {
      this.phase = 'done';
      this.stop();
    }
  }

  progress(): LoadProgress {
    const end = this.sendEnd || (this.sendStart ? nowMs() : 0);
    return {
      phase: this.phase,
      sent: this.sent,
      received: this.received,
      sendingMs: Math.round(end - this.sendStart),
    };
  }

  /** Ends the run early: timers stop and every client disconnects. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.sendTimer);
    for (const c of this.clients) c.disconnect();
  }

  private client(i: number): SmqClient {
    const { urls, password, ca } = this.spec;
    const options: NodeClientOptions = { reconnect: false, ca };
    if (password !== undefined) options.credentials = (seed) => seededHash(password, seed);
    const c = connect(urls[i % urls.length]!, options);
    c.onclose = (_reason, _reconnecting, info) => {
      if (info.cause !== 'client') this.disconnects++;
    };
    this.clients.push(c);
    return c;
  }

  /** Subscribers subscribed, publishers connected, and each topic's count (cluster-wide) complete. */
  private async setUp(): Promise<SmqClient[]> {
    const { publishers, subscribers } = this.spec;
    const lastSeq = new Map<string, number>();
    const subscribed: Promise<number>[] = [];
    for (let s = 0; s < subscribers; s++) {
      const c = this.client(s);
      for (const topic of this.topicNames) {
        subscribed.push(c.subscribe(topic, { onmsg: (data) => this.onMessage(s, data, lastSeq) }));
      }
    }
    const pubs = Array.from({ length: publishers }, (_, p) => this.client(subscribers + p));
    const ready = pubs.map(
      (c, p) =>
        new Promise<void>((resolve) => {
          const topic = this.topicFor(p);
          void c.create(topic);
          c.observe(topic, (count) => count >= subscribers && resolve());
        }),
    );
    await this.within(
      Promise.all([...subscribed, ...ready]).then((ids) => {
        if (ids.some((id) => id === 0)) throw new Error('a subscription was denied or its client closed');
      }),
      'every subscription to reach the publishers',
    );
    return pubs;
  }

  private async send(pubs: SmqClient[]): Promise<{ sent: number; ms: number }> {
    const { rate, durationMs, payloadBytes } = this.spec;
    const perPublisher = Math.max(1, Math.round((rate * durationMs) / 1000));
    const counts = pubs.map(() => 0);
    const start = nowMs();
    this.phase = 'sending';
    this.sendStart = start;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const elapsed = nowMs() - start;
        const due = Math.min(perPublisher, Math.floor((elapsed * rate) / 1000) + 1);
        pubs.forEach((c, p) => {
          for (; counts[p]! < due; counts[p]!++) {
            const payload = encodeStamp({ sentAt: nowMs(), publisher: p, seq: counts[p]! }, payloadBytes);
            c.publish(payload, this.topicFor(p));
            this.sent++;
          }
        });
        if (this.stopped || counts.every((n) => n >= perPublisher)) {
          clearInterval(this.sendTimer);
          resolve();
        }
      };
      this.sendTimer = setInterval(tick, TICK_MS);
      tick();
    });
    this.sendEnd = nowMs();
    return { sent: counts.reduce((a, b) => a + b, 0), ms: this.sendEnd - start };
  }

  private async drain(expected: number): Promise<void> {
    const deadline = Date.now() + (this.spec.drainMs ?? 2000);
    while (this.received < expected && Date.now() < deadline && !this.stopped) {
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  }

  private onMessage(subscriber: number, data: Uint8Array, lastSeq: Map<string, number>): void {
    const stamp = decodeStamp(data);
    if (!stamp) return;
    this.received++;
    this.latencies.add(nowMs() - stamp.sentAt);
    const key = `${subscriber}/${stamp.publisher}`;
    if (stamp.seq <= (lastSeq.get(key) ?? -1)) this.outOfOrder++;
    else lastSeq.set(key, stamp.seq);
  }

  private result(pubs: SmqClient[], send: { sent: number; ms: number }): LoadResult {
    const expected = this.expected(send.sent);
    const [p50, p99, max] = this.latencies.percentiles(0.5, 0.99, 1);
    const seconds = send.ms / 1000;
    return {
      sent: send.sent,
      received: this.received,
      expected,
      lost: Math.max(0, expected - this.received),
      dropped: pubs.reduce((n, c) => n + c.stats.droppedPublishes, 0),
      outOfOrder: this.outOfOrder,
      disconnects: this.disconnects,
      sentPerSec: round(send.sent / seconds),
      receivedPerSec: round(this.received / seconds),
      p50Ms: round(p50!),
      p99Ms: round(p99!),
      maxMs: round(max!),
      durationMs: Math.round(send.ms),
    };
  }

  private expected(sent: number): number {
    return sent * this.spec.subscribers;
  }

  private topicFor(publisher: number): string {
    return this.topicNames[publisher % this.topicNames.length]!;
  }

  private async within<T>(p: Promise<T>, what: string): Promise<T> {
    const ms = this.spec.setupTimeoutMs ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Runs one load run to its end. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new LoadRun(spec).run();
}
