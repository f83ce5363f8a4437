import { Backoff, UrlRotation, type Random } from './backoff.js';
import { encodeConnect, encodeDisconnect, PacketType, PONG, toBytes } from '../protocol/index.js';
import { decodeFromBroker, fromUtf8, type BrokerPacket } from './wire.js';
import type { ClientTransport, TransportFactory } from './transport.js';
import type { ClientOptions, CloseInfo, Credentials } from './types.js';

export interface ConnectorSettings {
  urls: readonly string[];
  transport: TransportFactory;
  uid: Uint8Array;
  info: Uint8Array;
  credentials: Credentials | undefined;
  /** undefined: never reconnect. */
  backoff: Backoff | undefined;
  handshakeTimeoutMs: number;
  rotation?: UrlRotation;
}

/** The connection settings a client's options stand for, with their defaults. */
export function connectorSettings(
  urls: readonly string[],
  options: ClientOptions,
  transport: TransportFactory,
  random: Random,
): ConnectorSettings {
  const r = options.reconnect;
  return {
    urls,
    transport,
    uid: options.uid === undefined ? randomUid() : toBytes(options.uid),
    info: toBytes(options.info ?? ''),
    credentials: options.credentials,
    backoff: r === false ? undefined : new Backoff(r?.minDelayMs ?? 250, r?.maxDelayMs ?? 30_000, random),
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
    rotation: new UrlRotation(urls, random),
  };
}

export interface ConnectorEvents {
  /** Connack 0 on a fresh connection. */
  onready(etid: number, seed: number, ip: string): void;
  /** Packets after the handshake, except Ping (answered here) and Disconnect (ends the session). */
  onpacket(packet: BrokerPacket): void;
  /** A ready connection ended, or the client stopped for good. */
  onclose(info: CloseInfo): void;
  /** An attempt failed before Connack; another follows when `retrying`. */
  onattemptfailed(url: string, reason: string, retrying: boolean): void;
}

type State = 'connecting' | 'handshake' | 'ready' | 'waiting' | 'stopped';

/**
 * Owns the connection lifecycle: pick a URL, open a transport, Init → Connect → Connack, answer
 * Ping, and after a loss wait (backoff) and start over. A generation number tags every
 * transport, so events of an abandoned connection are ignored instead of racing the new one.
 */
export class Connector {
  state: State = 'waiting';
  url = '';
  private gen = 0;
  private transport: ClientTransport | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly rotation: UrlRotation;

  constructor(
    private readonly settings: ConnectorSettings,
    private readonly events: ConnectorEvents,
  ) {
    this.rotation = settings.rotation ?? new UrlRotation(settings.urls);
  }

  start(): void {
    this.attempt();
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  get stopped(): boolean {
    return this.state === 'stopped';
  }

  /** True when the ready connection can carry PubFrag (raw TCP). */
  get pubFrag(): boolean {
    return this.state === 'ready' && this.transport?.pubFrag === true;
  }

  /** Sends on the ready connection; false (nothing sent) otherwise. */
  send(packet: Uint8Array): boolean {
    if (this.state !== 'ready') return false;
    this.transport!.send(packet);
    return true;
  }

  /**
   * Replaces the URL list (the cluster's nodes changed). A live connection stays; a client
   * waiting out a backoff tries the new list at once, since its old URLs may be the dead ones.
   */
  setUrls(urls: readonly string[]): void {
    if (!this.rotation.replace(urls) || this.state !== 'waiting' || this.timer === undefined) return;
    clearTimeout(this.timer);
    this.attempt();
  }

  /** Ends for good: Disconnect to the broker when connected, then close; no reconnect. */
  disconnect(): void {
    if (this.state === 'stopped') return;
    if (this.state === 'ready') this.transport!.send(encodeDisconnect());
    this.stop({ reason: 'disconnect', cause: 'client', reconnecting: false, url: this.url });
  }

  private attempt(): void {
    const gen = ++this.gen;
    this.url = this.rotation.next();
    this.state = 'connecting';
    this.timer = setTimeout(
      () => this.fail(gen, 'lost', 'no Connack in time'),
      this.settings.handshakeTimeoutMs,
    );
    try {
      this.transport = this.settings.transport(this.url, {
        onpacket: (p) => this.onPacket(gen, p),
        onclose: (reason) => this.fail(gen, 'lost', reason),
      });
    } catch (e) {
      // A URL the factory cannot open (bad scheme) fails like a dead node, but asynchronously.
      const reason = e instanceof Error ? e.message : String(e);
      queueMicrotask(() => this.fail(gen, 'lost', reason));
    }
  }

  private onPacket(gen: number, bytes: Uint8Array): void {
    if (gen !== this.gen) return;
    const p = decodeFromBroker(bytes);
    if (typeof p !== 'string' && p.type === PacketType.Ping) {
      this.transport!.send(PONG);
    } else if (this.state === 'connecting') {
      if (typeof p === 'string' || p.type !== PacketType.Init) {
        this.fail(gen, 'protocol', `expected Init, got ${describe(p)}`);
      } else if (p.version !== 1) this.fail(gen, 'protocol', `Init version ${p.version}`);
      else void this.sendConnect(gen, p.seed, p.ip);
    } else if (this.state === 'handshake') {
      if (typeof p === 'string' || p.type !== PacketType.Connack) {
        this.fail(gen, 'protocol', `expected Connack, got ${describe(p)}`);
      } else if (p.rc !== 0) {
        const reason = fromUtf8(p.reason);
        this.stop({ reason, cause: 'refused', code: p.rc, reconnecting: false, url: this.url });
      } else {
        clearTimeout(this.timer);
        this.state = 'ready';
        this.settings.backoff?.reset();
        this.events.onready(p.etid, this.seed, this.ip);
      }
    } else if (this.state === 'ready') {
      if (typeof p === 'string' || p.type === PacketType.Init || p.type === PacketType.Connack) {
        this.fail(gen, 'protocol', describe(p));
      } else if (p.type === PacketType.Disconnect) {
        const reason = fromUtf8(p.reason) || 'disconnect';
        this.stop({ reason, cause: 'disconnect', reconnecting: false, url: this.url });
      } else this.events.onpacket(p);
    }
  }

  private seed = 0;
  private ip = '';

  private async sendConnect(gen: number, seed: number, ip: string): Promise<void> {
    this.seed = seed;
    this.ip = ip;
    this.state = 'handshake';
    let packet: Uint8Array;
    try {
      const c = this.settings.credentials;
      const credentials = typeof c === 'function' ? await c(seed, ip) : (c ?? new Uint8Array(0));
      const uid = this.settings.uid;
      // The broker refuses a uid under 6 bytes (Connack 1); the C client's Connect v2 with hint 0.
      if (uid.length < 6) throw new RangeError('uid must be 6..255 bytes');
      packet = encodeConnect({ version: 2, maxFrame: 0, uid, credentials, info: this.settings.info });
    } catch (e) {
      this.fail(gen, 'protocol', `cannot build Connect: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (gen === this.gen) this.transport!.send(packet);
  }

  /** The current attempt or connection failed: report it, then retry after a backoff delay. */
  private fail(gen: number, cause: 'lost' | 'protocol', reason: string): void {
    if (gen !== this.gen || this.state === 'stopped' || this.state === 'waiting') return;
    const wasReady = this.state === 'ready';
    this.drop();
    const backoff = this.settings.backoff;
    if (backoff === undefined) {
      if (!wasReady) this.events.onattemptfailed(this.url, reason, false);
      this.stop({ reason, cause, reconnecting: false, url: this.url });
      return;
    }
    this.state = 'waiting';
    if (wasReady) this.events.onclose({ reason, cause, reconnecting: true, url: this.url });
    else this.events.onattemptfailed(this.url, reason, true);
    if (this.state === 'waiting') this.timer = setTimeout(() => this.attempt(), backoff.next());
  }

  private stop(info: CloseInfo): void {
    if (this.state === 'stopped') return;
    this.drop();
    this.state = 'stopped';
    this.events.onclose(info);
  }

  /** Abandons the current transport: later events from it carry an old generation. */
  private drop(): void {
    this.gen++;
    clearTimeout(this.timer);
    this.transport?.close();
    this.transport = undefined;
  }
}

const TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(PacketType).map(([name, type]) => [type, name]),
);

function describe(p: BrokerPacket | string): string {
  return typeof p === 'string' ? p : `unexpected ${TYPE_NAMES[p.type]}`;
}

/** 8 random bytes: unique enough, and above the broker's 6-byte minimum. */
function randomUid(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(8));
}
