import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../node/options.js';
import { Backoff } from '../Backoff.js';

/** How a node reaches NATS: the official client does reconnects, the server list, auth and TLS. */
export interface NatsConnectOptions {
  /** nats://host:port (or tls://) of one or more servers of the same NATS system. */
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
  /** PEM CA file the servers' certificates are verified against (turns TLS on). */
  caFile?: string;
}

export type NatsConnState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** NATS's own state, shown per node under `cluster` in /health and in the app. */
export interface NatsInfo {
  state: NatsConnState;
  /** The server this node is connected to now. */
  server: string | undefined;
  /** Last measured round trip to it (ms). */
  rttMs: number | undefined;
  reconnects: number;
  /** Bytes written but not yet handed to the socket (grows while NATS is unreachable). */
  pendingBytes: number;
  lastError: string | undefined;
}

/** The client's outbound buffer is not public API: read it when present, else report 0. */
interface WithOutbound {
  protocol?: { outbound?: { size(): number } };
}

/**
 * Called when connected: the first time; `reconnected` by the client (its subscriptions live
 * on); or `redialled` on a new connection after the client gave up on the old one.
 */
export type OnConnected = (how: 'first' | 'reconnected' | 'redialled') => void;

/**
 * One round trip in ms with sub-ms precision: a flush is a PING answered by a PONG. (nats.js's own
 * `rtt()` times the same flush with Date.now(), whole ms: 0 or 1 on loopback.)
 */
export async function roundTripMs(
  flush: () => Promise<void>,
  now: () => number = () => performance.now(),
): Promise<number> {
  const start = now();
  await flush();
  return now() - start;
}

/** One NATS connection per node (one connection keeps a node's messages in order). */
export class NatsConnector {
  nc: NatsConnection | undefined;
  private state: NatsConnState = 'connecting';
  private rttMs: number | undefined;
  private reconnects = 0;
  private lastError: string | undefined;
  private closed = false;

  constructor(
    private readonly o: NatsConnectOptions,
    private readonly clientName: string,
    private readonly onConnected: OnConnected,
    private readonly log: Logger,
  ) {}

  /**
   * Dials until a server takes us (never gives up; each refusal, a bad password say, is kept for
   * /health and logged when it changes), then follows the connection's status.
   */
  async start(how: 'first' | 'redialled' = 'first'): Promise<void> {
    const options: ConnectionOptions = {
      servers: this.o.servers,
      name: this.clientName,
      // A node never needs its own messages back: it publishes on subjects it also subscribes to.
      noEcho: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      user: this.o.user,
      pass: this.o.pass,
      token: this.o.token,
      tls: this.o.caFile ? { caFile: this.o.caFile } : undefined,
    };
    const backoff = new Backoff(250, 5000);
    let nc: NatsConnection | undefined;
    while (!nc && !this.closed) {
      try {
        nc = await connect(options);
      } catch (err) {
        const error = (err as Error).message;
        if (error !== this.lastError)
          this.log('warn', 'cannot connect to NATS yet', { servers: this.o.servers, error });
        this.lastError = error;
        await new Promise((r) => setTimeout(r, backoff.next()).unref());
      }
    }
    if (!nc) return;
    if (this.closed) return void nc.close();
    this.nc = nc;
    this.state = 'connected';
    this.log('info', 'connected to NATS', { server: nc.getServer() });
    this.onConnected(how);
    void this.follow(nc);
  }

  private async follow(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        this.state = 'reconnecting';
        this.log('warn', 'lost NATS, reconnecting', { server: s.server });
      } else if (s.type === 'reconnect') {
        this.state = 'connected';
        this.reconnects++;
        this.log('info', 'reconnected to NATS', { server: s.server });
        this.onConnected('reconnected');
      } else if (s.type === 'error') {
        this.lastError = s.error.message;
        this.log('warn', 'NATS error', { error: s.error.message });
      }
    }
    // The client closed for good (say, refused again on a reconnect): dial afresh.
    if (this.closed) return;
    this.nc = undefined;
    this.state = 'connecting';
    this.log('warn', 'NATS connection closed, dialling again', { error: this.lastError });
    void this.start('redialled');
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  pendingBytes(): number {
    return (this.nc as WithOutbound | undefined)?.protocol?.outbound?.size() ?? 0;
  }

  measureRtt(): void {
    const nc = this.nc;
    if (!nc || !this.connected) return;
    roundTripMs(() => nc.flush()).then(
      (ms) => (this.rttMs = ms),
      () => (this.rttMs = undefined),
    );
  }

  info(): NatsInfo {
    return {
      state: this.state,
      server: this.connected ? this.nc?.getServer() : undefined,
      rttMs: this.rttMs,
      reconnects: this.reconnects,
      pendingBytes: this.pendingBytes(),
      lastError: this.lastError,
    };
  }

  /** Flushes what is written (a goodbye), then closes. */
  close(): void {
    this.closed = true;
    this.state = 'closed';
    const nc = this.nc;
    this.nc = undefined;
    nc?.drain().catch(() => nc.close());
  }
}
