import {
  HOST_CONTRACT_VERSION,
  HostCallError,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type ConnectionDetails,
  type HostApi,
  type HostEvent,
  type HostReply,
  type HostRequest,
} from '../../../contract/hostContract.js';

/*
 * No DOM types here on purpose: this file is also compiled by the repo's Node tsconfig (the unit
 * tests run it against a real `ws` server), so the WebSocket it needs is described structurally.
 */

/** The part of a WHATWG WebSocket (browser, or the `ws` package) the client uses. */
export interface HostSocket {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => HostSocket;

/** The host could not be asked, or did not answer: not an answer from the host itself. */
export class HostConnectionError extends Error {
  constructor(
    readonly code: 'HostUnreachable' | 'HostTimeout' | 'HostClosed' | 'HostIncompatible',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'HostConnectionError';
  }
}

export type HostStatus =
  /** Dialing (first time, or again after a loss). */
  | { state: 'connecting'; attempt: number; lastError: string | null }
  | { state: 'open'; version: number | null }
  /** close() was called, or the host speaks another contract version: no more attempts. */
  | { state: 'closed'; reason: string };

export interface HostClientOptions {
  url: string;
  /** Default: the platform WebSocket. */
  socket?: SocketFactory;
  /** First reconnect delay; doubles per failure up to maxDelayMs, with jitter. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A call that gets no reply in this time fails with HostTimeout. Default 30 s. */
  callTimeoutMs?: number;
  random?: () => number;
  /**
   * Asks the host over HTTP whether this page may still connect (browsers hide a refused
   * WebSocket upgrade's status): 'unauthorized' after a restart of the host (new token) ends the
   * retries with a clear reason instead of reconnecting forever.
   */
  probe?: () => Promise<'ok' | 'unauthorized' | 'unreachable'>;
}

/** Why a page stops reconnecting once the host no longer knows it. */
export const STALE_PAGE_REASON =
  'Unauthorized: the control center was restarted and this page belongs to the earlier start. ' +
  'Open the URL it printed when it started (the token is new on every start).';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Serialized request, kept until it is sent on an open socket. */
  frame: string | null;
}

const OPEN = 1;

/**
 * The contract over the host's WebSocket. Calls made while disconnected wait (up to the call
 * timeout) and go out once connected; calls already sent when the socket drops fail with
 * HostClosed, since the host may or may not have run them (kill, restart … are not idempotent).
 * Reconnects with exponential backoff and jitter until close().
 */
export class HostClient implements HostApi {
  private readonly listeners = new Set<(event: HostEvent) => void>();
  private readonly statusListeners = new Set<(status: HostStatus) => void>();
  private readonly pending = new Map<number, Pending>();
  private readonly factory: SocketFactory;
  private socket: HostSocket | null = null;
  private nextId = 1;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private current: HostStatus = { state: 'connecting', attempt: 0, lastError: null };

  constructor(private readonly options: HostClientOptions) {
    this.factory = options.socket ?? platformSocket;
    this.dial();
  }

  get status(): HostStatus {
    return this.current;
  }

  call<K extends CommandName>(cmd: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
    if (this.current.state === 'closed') {
      return Promise.reject(new HostConnectionError('HostClosed', this.current.reason));
    }
    const id = this.nextId++;
    const request = { kind: 'call', id, cmd, args } as HostRequest;
    return new Promise<CommandResult<K>>((resolve, reject) => {
      const timeoutMs = this.options.callTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HostConnectionError('HostTimeout', `no answer to ${cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: Pending = {
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
        frame: JSON.stringify(request),
      };
      this.pending.set(id, entry);
      this.flush();
    });
  }

  subscribe(listener: (event: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Connection state changes; called at once with the current state. */
  onStatus(listener: (status: HostStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.current);
    return () => void this.statusListeners.delete(listener);
  }

  /** Stops for good: pending calls fail, no more reconnects. */
  close(): void {
    if (this.current.state === 'closed') return;
    this.shutdown('closed by the page');
  }

  private dial(): void {
    this.retryTimer = undefined;
    let socket: HostSocket;
    try {
      socket = this.factory(this.options.url);
    } catch (e) {
      this.scheduleRetry(e instanceof Error ? e.message : String(e));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.failures = 0;
      this.setStatus({ state: 'open', version: null });
      this.flush();
    };
    socket.onmessage = (e) => {
      if (this.socket === socket && typeof e.data === 'string') this.onFrame(e.data);
    };
    socket.onclose = (e) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failSent(`the host connection closed (${e.code}${e.reason ? ` ${e.reason}` : ''})`);
      if (this.current.state !== 'closed') this.scheduleRetry(`closed with code ${e.code}`);
    };
    // Browsers give no detail on errors; the close event that follows carries the code.
    socket.onerror = () => undefined;
  }

  private scheduleRetry(lastError: string): void {
    if (this.failures >= 1 && this.options.probe) {
      void this.options.probe().then((answer) => {
        if (answer === 'unauthorized' && this.current.state !== 'closed' && this.socket === null)
          this.shutdown(STALE_PAGE_REASON);
      });
    }
    const min = this.options.minDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 5000;
    const base = Math.min(max, min * 2 ** Math.min(this.failures, 16));
    this.failures++;
    const delay = base / 2 + (base / 2) * (this.options.random ?? Math.random)();
    this.setStatus({ state: 'connecting', attempt: this.failures, lastError });
    this.retryTimer = setTimeout(() => this.dial(), delay);
  }

  private onFrame(text: string): void {
    let reply: HostReply;
    try {
      reply = JSON.parse(text) as HostReply;
    } catch {
      return;
    }
    switch (reply.kind) {
      case 'hello':
        if (reply.version !== HOST_CONTRACT_VERSION) {
          this.shutdown(
            `the host speaks contract version ${reply.version}; this page speaks ${HOST_CONTRACT_VERSION}`,
          );
          return;
        }
        this.setStatus({ state: 'open', version: reply.version });
        return;
      case 'event':
        for (const l of [...this.listeners]) {
          try {
            l(reply.event);
          } catch (e) {
            // One broken view must not starve the others of events.
            console.error('host event listener failed', e);
          }
        }
        return;
      case 'result':
      case 'error': {
        const p = this.pending.get(reply.id);
        if (!p) return;
        this.pending.delete(reply.id);
        clearTimeout(p.timer);
        if (reply.kind === 'result') p.resolve(reply.result);
        else p.reject(new HostCallError(reply.error));
        return;
      }
    }
  }

  /** Sends every call not sent yet, if the socket is open. */
  private flush(): void {
    const s = this.socket;
    if (!s || s.readyState !== OPEN || this.current.state !== 'open') return;
    for (const p of this.pending.values()) {
      if (p.frame === null) continue;
      s.send(p.frame);
      p.frame = null;
    }
  }

  private failSent(reason: string): void {
    for (const [id, p] of this.pending) {
      if (p.frame !== null) continue;
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new HostConnectionError('HostClosed', reason));
    }
  }

  private shutdown(reason: string): void {
    clearTimeout(this.retryTimer);
    this.setStatus({ state: 'closed', reason });
    const s = this.socket;
    this.socket = null;
    s?.close(1000);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(
        new HostConnectionError(
          reason.startsWith('the host speaks') ? 'HostIncompatible' : 'HostClosed',
          reason,
        ),
      );
    }
    this.pending.clear();
  }

  private setStatus(status: HostStatus): void {
    this.current = status;
    for (const l of [...this.statusListeners]) l(status);
  }
}

function platformSocket(url: string): HostSocket {
  const Ctor = (globalThis as unknown as { WebSocket?: new (url: string) => HostSocket }).WebSocket;
  if (!Ctor) throw new Error('no WebSocket in this environment');
  return new Ctor(url);
}

/** The part of `window.location` the URL is derived from. */
export interface PageLocation {
  protocol: string;
  host: string;
}

/**
 * The host WebSocket URL: from the connection details the Electron preload (or browser mode)
 * put on the window, else the page's own origin with the `/host` path.
 */
export function hostSocketUrl(details: ConnectionDetails | undefined, location: PageLocation): string {
  if (details) {
    const base = details.hostUrl.replace(/^http(s?):/, 'ws$1:').replace(/\/+$/, '');
    const path = details.wsPath.startsWith('/') ? details.wsPath : `/${details.wsPath}`;
    return base + path;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/host`;
}
