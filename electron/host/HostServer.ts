import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import type { ConnectionDetails } from '../../contract/hostContract.js';
import { HostCredentials } from './auth.js';
import { contentSecurityPolicy, SECURITY_HEADERS } from './csp.js';
import { serveHostSocket, type ConnectHost } from './hostSocket.js';
import { lookupStatic } from './staticFiles.js';
import type { HostMetrics } from './HostMetrics.js';

/** Where the page downloads tap recordings (the host's recordings folder). */
export const RECORDINGS_PREFIX = '/recordings/';

export interface HostServerOptions {
  /** The contract for each accepted WebSocket (ControlHost.connect, or a test's). */
  connect: ConnectHost;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** Origins (`http://127.0.0.1:PORT`, or remote nodes' URLs) of the active cluster, for connect-src. */
  nodeOrigins: () => readonly string[];
  /** The host process's health at /metrics.json (`?reset=1` starts a new window). */
  metrics?: HostMetrics;
  /** Tap recordings (`*.jsonl`) the page may download under /recordings/. */
  recordingsDir?: string;
  /** Default 0: a free port chosen by the OS. The host binds 127.0.0.1 only. */
  port?: number;
  /** Default `/host`. */
  wsPath?: string;
  /** Default: 32 random bytes. */
  token?: string;
  /** Unsent bytes per contract WebSocket before it is dropped as not reading. Default 8 MiB. */
  maxQueuedBytes?: number;
  /** Largest message a renderer may send. Default 1 MiB. */
  maxPayload?: number;
  log?: (message: string) => void;
}

export interface HostAddress {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `http://127.0.0.1:PORT/?token=…`: what the window loads and browser mode prints. */
  launchUrl: string;
}

export interface HostServerStats {
  /** Contract WebSockets closed because their reader fell behind by more than maxQueuedBytes. */
  slowConsumerDrops: number;
  /** HTTP requests and upgrades refused for a missing credential, a foreign Origin or Host. */
  refused: number;
}

const LOOPBACK = '127.0.0.1';

/**
 * The control-plane host's front door, plain Node: serves the built renderer and the contract
 * WebSocket on http://127.0.0.1:PORT to exactly one kind of visitor, a page that presented the
 * per-launch token (once, for a cookie) and came from this origin. The Electron window and browser
 * mode use it the same way.
 */
export class HostServer {
  readonly stats: HostServerStats = { slowConsumerDrops: 0, refused: 0 };
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly credentials: HostCredentials;
  private readonly wsPath: string;
  private bound: HostAddress | null = null;

  constructor(private readonly options: HostServerOptions) {
    this.credentials = new HostCredentials(options.token);
    this.wsPath = options.wsPath ?? '/host';
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 1024 * 1024 });
    this.http = createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        this.log(`request failed: ${(err as Error).message}`);
        if (!res.headersSent) this.text(res, 500, 'Internal error\n');
        else res.destroy();
      });
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
  }

  async listen(): Promise<HostAddress> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, LOOPBACK, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const { port } = this.http.address() as AddressInfo;
    this.credentials.bindPort(port);
    const origin = `http://${LOOPBACK}:${port}`;
    this.bound = { port, origin, launchUrl: `${origin}/?token=${this.credentials.token}` };
    return this.bound;
  }

  get address(): HostAddress {
    if (!this.bound) throw new Error('HostServer is not listening');
    return this.bound;
  }

  /** What the preload hands the window. */
  connectionDetails(): ConnectionDetails {
    return { hostUrl: this.address.origin, wsPath: this.wsPath };
  }

  /** The page's CSP now: the node origins are asked for on every HTML response. */
  csp(): string {
    return contentSecurityPolicy(this.address.origin, this.options.nodeOrigins());
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.close(1001, 'host shutting down');
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    if (!this.http.listening) return;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { origin } = this.address;
    if (req.headers.host !== new URL(origin).host) {
      this.refuse(res, 403, `Forbidden: this host answers only as ${origin}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      this.text(res, 405, 'Method not allowed\n');
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const token = url.searchParams.get('token');
    if (token !== null) {
      if (!this.credentials.tokenMatches(token)) {
        this.refuse(res, 401, this.unauthorizedText());
        return;
      }
      url.searchParams.delete('token');
      this.headers(res, false);
      res.setHeader('Set-Cookie', this.credentials.sessionCookie());
      res.setHeader('Location', url.pathname + url.search + url.hash);
      res.setHeader('Cache-Control', 'no-store');
      res.writeHead(303).end();
      return;
    }
    if (!this.credentials.hasSession(req)) {
      this.refuse(res, 401, this.unauthorizedText());
      return;
    }
    if (url.pathname === this.wsPath) {
      this.text(res, 426, 'This path is the host WebSocket\n');
      return;
    }
    const json =
      url.pathname === '/connection.json'
        ? this.connectionDetails()
        : url.pathname === '/metrics.json' && this.options.metrics
          ? this.options.metrics.snapshot(url.searchParams.get('reset') === '1')
          : undefined;
    if (json !== undefined) {
      this.headers(res, false);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.writeHead(200).end(req.method === 'HEAD' ? undefined : JSON.stringify(json));
      return;
    }
    if (url.pathname.startsWith(RECORDINGS_PREFIX) && this.options.recordingsDir) {
      await this.sendRecording(req, res, decodeURIComponent(url.pathname.slice(RECORDINGS_PREFIX.length)));
      return;
    }
    const found = await lookupStatic(this.options.rendererDir, url.pathname);
    if (found.kind === 'bad-path') {
      this.text(res, 400, 'Bad path\n');
    } else if (found.kind === 'missing') {
      const isPage = url.pathname === '/' || url.pathname.endsWith('.html');
      if (isPage) this.text(res, 503, 'The control center page is not built: run npm run build\n');
      else this.text(res, 404, 'Not found\n');
    } else {
      const { file } = found;
      this.headers(res, file.isHtml);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', file.body.length);
      res.setHeader('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.writeHead(200).end(req.method === 'HEAD' ? undefined : file.body);
    }
  }

  /** A recording as an attachment; only plain file names of the recordings folder. */
  private async sendRecording(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const file = /^[\w.-]+\.jsonl$/.test(name) ? path.join(this.options.recordingsDir!, name) : undefined;
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) {
      this.text(res, 404, 'No such recording\n');
      return;
    }
    this.headers(res, false);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Length', info.size);
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.writeHead(200);
    if (req.method === 'HEAD') res.end();
    else await pipeline(createReadStream(file), res);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const { origin } = this.address;
    const url = new URL(req.url ?? '/', origin);
    let refusal: [number, string] | null = null;
    if (req.headers.host !== new URL(origin).host) refusal = [403, 'Forbidden: wrong Host'];
    else if (url.pathname !== this.wsPath) refusal = [404, 'Not found'];
    else if (req.headers.origin !== origin) refusal = [403, 'Forbidden: Origin not allowed'];
    else if (!this.credentials.hasSession(req)) refusal = [401, 'Unauthorized: no session cookie'];
    if (refusal) {
      if (refusal[0] !== 404) this.stats.refused++;
      const body = `${refusal[1]}\n`;
      socket.end(
        `HTTP/1.1 ${refusal[0]} ${refusal[1].split(':')[0]}\r\nConnection: close\r\n` +
          `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      serveHostSocket(ws, this.options.connect, {
        maxQueuedBytes: this.options.maxQueuedBytes ?? 8 * 1024 * 1024,
        onSlowConsumer: (queued) => {
          this.stats.slowConsumerDrops++;
          this.log(`closed a window's host connection: it stopped reading (${queued} bytes queued)`);
        },
      });
    });
  }

  private unauthorizedText(): string {
    return (
      'Unauthorized. Open the control center with the URL printed when it started ' +
      `(${this.address.origin}/?token=…); the token is new on every start.\n`
    );
  }

  private headers(res: ServerResponse, html: boolean): void {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (html) res.setHeader('Content-Security-Policy', this.csp());
  }

  private refuse(res: ServerResponse, status: number, body: string): void {
    this.stats.refused++;
    this.text(res, status, body);
  }

  private text(res: ServerResponse, status: number, body: string): void {
    this.headers(res, false);
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.writeHead(status).end(body);
  }

  private log(message: string): void {
    this.options.log?.(message);
  }
}
