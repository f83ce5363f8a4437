import { EventEmitter } from 'node:events';
import type { HostError, NatsServerView } from '../../../contract/hostContract.js';
import { Backoff } from '../../../broker/src/cluster/Backoff.js';
import type { NatsServerProcess } from './NatsServerProcess.js';

export interface NatsSupervision {
  /** Quick failures in a row it restarts after; one more and it gives up (NatsGaveUp). */
  maxRestarts: number;
  /** A run at least this long was not a quick failure: the count starts again. */
  stableMs: number;
  /** Backoff between restarts: first delay, cap. */
  backoffMs: [number, number];
}

export const NATS_SUPERVISION: NatsSupervision = { maxRestarts: 5, stableMs: 10_000, backoffMs: [250, 5000] };

type Phase = 'running' | 'restarting' | 'failed' | 'stopped';

/**
 * Keeps a local nats-server up the way a user expects of the app's own server: when it dies
 * (crash, kill -9) it is started again on the same port with the same token, so the nodes' NATS
 * clients reconnect by themselves (and resync their interest). When another program took that
 * port (PortInUse) waiting will not free it: the next start takes a free port and `moved` tells
 * the owner, whose nodes must restart onto the new URL. After `maxRestarts` quick failures in a
 * row it gives up with NatsGaveUp, which the hub shows.
 */
export class NatsSupervisor extends EventEmitter<{ state: []; moved: [url: string] }> {
  private phase: Phase = 'stopped';
  /** Quick failures in a row (the restart under way is number `failures`). */
  private failures = 0;
  private upSince = 0;
  /** The port the nodes were given. */
  private port = 0;
  /** Why it is not running (kept while a restart starts, which clears the server's own error). */
  private reason: HostError | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** The last restart (stop() waits for it). */
  private restarting: Promise<void> = Promise.resolve();
  /** failed() ran for the restart under way (its server exited): its start() rejection is not counted again. */
  private counted = false;
  private readonly backoff: Backoff;

  constructor(
    readonly server: NatsServerProcess,
    private readonly log: (level: 'info' | 'warn', message: string) => void,
    private readonly o: NatsSupervision = NATS_SUPERVISION,
  ) {
    super();
    this.backoff = new Backoff(o.backoffMs[0], o.backoffMs[1]);
    server.on('state', () => this.onServerState());
  }

  /** The first start is not supervised: it fails the cluster's creation with its own error. */
  async start(): Promise<void> {
    await this.server.start();
    this.port = this.server.port;
    this.phase = 'running';
  }

  async stop(): Promise<void> {
    this.phase = 'stopped';
    clearTimeout(this.timer);
    await this.server.stop();
    // A restart in start()'s setup had no process to stop yet: the server it starts is stopped too.
    await this.restarting;
    await this.server.stop();
  }

  view(): NatsServerView {
    const s = this.server;
    const phase = this.phase;
    const supervised = phase === 'restarting' || phase === 'failed';
    return {
      origin: 'local',
      url: s.url,
      state: supervised ? phase : s.state === 'up' ? 'up' : s.state === 'starting' ? 'starting' : 'down',
      pid: s.pid,
      restart: supervised ? { attempt: this.failures, max: this.o.maxRestarts } : null,
      lastExit: s.lastExit,
      lastError: supervised ? this.reason : s.state === 'up' ? null : s.lastError,
    };
  }

  private onServerState(): void {
    const state = this.server.state;
    if (state === 'up') {
      this.upSince = Date.now();
      if (this.phase === 'restarting') {
        this.phase = 'running';
        this.reason = null;
        this.log('info', `nats-server back on ${this.server.url} (pid ${this.server.pid})`);
      }
      if (this.phase !== 'stopped' && this.port !== 0 && this.server.port !== this.port) {
        this.port = this.server.port;
        this.emit('moved', this.server.url);
      }
    } else if (state === 'crashed' && (this.phase === 'running' || this.phase === 'restarting')) {
      this.failed();
    }
    this.emit('state');
  }

  private failed(): void {
    this.counted = true;
    const ranMs = this.upSince ? Date.now() - this.upSince : 0;
    this.upSince = 0;
    if (ranMs >= this.o.stableMs) {
      this.failures = 0;
      this.backoff.reset();
    }
    this.failures++;
    const cause: HostError = this.server.lastError ?? {
      code: 'NatsUnavailable',
      message: 'did not report its port in time',
    };
    if (this.failures > this.o.maxRestarts) {
      this.phase = 'failed';
      this.failures = this.o.maxRestarts;
      this.reason = {
        code: 'NatsGaveUp',
        message: `gave up after ${this.o.maxRestarts} quick restarts: ${cause.message}`,
      };
      this.log('warn', `nats-server ${this.reason.message}`);
      return;
    }
    this.phase = 'restarting';
    this.reason = cause;
    if (cause.code === 'PortInUse') this.server.port = 0;
    const delay = this.backoff.next();
    this.log(
      'warn',
      `nats-server ${cause.message}: restart ${this.failures} of ${this.o.maxRestarts} in ${delay} ms`,
    );
    this.timer = setTimeout(() => {
      this.restarting = this.restart();
    }, delay);
  }

  private async restart(): Promise<void> {
    if (this.phase !== 'restarting') return;
    this.counted = false;
    try {
      await this.server.start();
    } catch {
      // An exit is counted by its 'crashed' state; a server that never reported its port (stopped
      // by start() itself) or never ran (its files could not be written) is counted here.
      if (this.phase === 'restarting' && !this.counted) this.failed();
      this.emit('state');
    }
  }
}
