import net, { type AddressInfo } from 'node:net';
import http from 'node:http';
import tls from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_PAYLOAD, PUBLISH_HEADER_SIZE } from '../protocol/constants.js';
import { headEnd, isRawSmq, parseRequestHead, SMQ_HTTP_RESPONSE, wantsHttpResponse } from './RequestHead.js';
import { LedPage } from '../page/LedPage.js';
import { OriginPolicy } from './OriginPolicy.js';
import type { SmqNode } from './SmqNode.js';
import type { NodeTlsOptions } from './tlsOptions.js';

export interface ListenOptions {
  /** Default 127.0.0.1: nothing is exposed unless asked. */
  host?: string;
  /** Default 0: the OS picks a free port, reported by `address`. */
  port?: number;
  /** The path a plain GET answers with 400 (SMQ itself works on any path). */
  smqPath?: string;
  /** Longest header block the front door reads before sorting a connection. */
  maxHeadBytes?: number;
  /** Time allowed for that header block. */
  headTimeoutMs?: number;
  /** Browser origins allowed to open SMQ WebSockets besides loopback and the node's own. */
  allowOrigins?: string[];
  /** Timeouts of the HTTP server for ordinary web traffic; they never reach SMQ sockets. */
  http?: { headersTimeout?: number; requestTimeout?: number; keepAliveTimeout?: number };
  /** Directory of the built LED page (index.html, led-page.js, led-page.css); see `defaultPageDir`. */
  pageDir?: string;
  /**
   * Serve the port over TLS: https:// raw TCP bootstrap, wss:// and the web pages. Without it the
   * port is plain (http://, ws://). The TLS handshake shares the header block's deadline.
   */
  tls?: NodeTlsOptions;
}

export type RouteHandler = (ws: WebSocket, req: http.IncomingMessage) => void;
/** Decides from the upgrade request's headers, before any socket exists. */
export type RouteAuthorizer = (req: http.IncomingMessage) => boolean;

/** Largest WebSocket message: a Publish with the largest payload a raw-TCP receiver can take. */
const MAX_WS_MESSAGE = PUBLISH_HEADER_SIZE + MAX_PAYLOAD;
const TCP_KEEPALIVE_MS = 60_000;

/**
 * One TCP port for everything. A net.Server front door reads each connection's header block and
 * sorts it: `SimpleMQ` → raw SMQ socket (bytes after the blank line kept); anything else → the
 * HTTP server, which hands `Upgrade: websocket` to ws. Raw SMQ sockets never meet Node's HTTP
 * parser, so HTTP/1.0 requests and HTTP timeouts cannot break them.
 */
export class NodeServer {
  readonly smqPath: string;
  private readonly tcp: net.Server;
  private readonly http: http.Server;
  private readonly wss: WebSocketServer;
  private readonly maxHeadBytes: number;
  private readonly headTimeoutMs: number;
  private origins: OriginPolicy | undefined;
  /** The LED page at `/` and its assets, read once here. */
  private readonly page: LedPage;
  /** WebSocket paths served by something other than SMQ (cluster links), with their own size cap. */
  private readonly routes = new Map<string, { handler: RouteHandler; authorize?: RouteAuthorizer }>();
  /** Extra sections of /health (the cluster adds its links). */
  private readonly statusSections = new Map<string, () => unknown>();
  private readonly httpRoutes = new Map<
    string,
    (req: http.IncomingMessage, res: http.ServerResponse) => void
  >();
  private readonly routeWss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 16 << 20,
  });
  /** Sockets handed to the HTTP server (web pages, WebSockets), destroyed on close. */
  private readonly webSockets = new Set<net.Socket>();
  /** Sockets still sending their request header block, destroyed on close. */
  private readonly sorting = new Set<net.Socket>();

  constructor(
    private readonly node: SmqNode,
    private readonly options: ListenOptions = {},
  ) {
    this.smqPath = options.smqPath ?? '/smq.lsp';
    this.maxHeadBytes = options.maxHeadBytes ?? 8192;
    this.headTimeoutMs = options.headTimeoutMs ?? 10_000;
    this.page = new LedPage(node, this, options.pageDir);
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_WS_MESSAGE });
    this.http = http.createServer((req, res) => this.serveHttp(req, res));
    Object.assign(this.http, options.http ?? {});
    this.http.on('upgrade', (req, socket, head) => {
      if (!this.origins?.allows(req.headers.origin)) {
        this.node.refuseOrigin(req.socket.remoteAddress, req.headers.origin);
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const route = this.routes.get((req.url ?? '/').split('?')[0]!);
      if (route) {
        if (route.authorize && !route.authorize(req)) {
          socket.end(
            'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
          );
          return;
        }
        this.routeWss.handleUpgrade(req, socket, head, (ws) => route.handler(ws, req));
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        // As raw SMQ sockets: clients ping rarely or never (spec rule 8), so TCP finds dead peers.
        (socket as net.Socket).setNoDelay(true).setKeepAlive(true, TCP_KEEPALIVE_MS);
        this.node.handleWebSocket(ws, req.socket.remoteAddress, socket);
      });
    });
    const context = options.tls && tls.createSecureContext(options.tls);
    // TLS wraps the socket before the front door, which then sorts decrypted bytes exactly as plain
    // ones, its deadline covering the handshake; the plain path stays one listener, no wrapping.
    this.tcp = net.createServer(
      context
        ? (socket) => this.sort(new tls.TLSSocket(socket, { isServer: true, secureContext: context }))
        : (socket) => this.sort(socket),
    );
  }

  /** Whether the port speaks TLS (https://, wss://). */
  get secure(): boolean {
    return this.options.tls !== undefined;
  }

  async listen(): Promise<AddressInfo> {
    const { host = '127.0.0.1', port = 0 } = this.options;
    await new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', reject);
        resolve();
      });
    });
    const addr = this.address();
    this.origins = new OriginPolicy(host, addr.port, this.options.allowOrigins);
    return addr;
  }

  /**
   * Hands WebSocket upgrades on `path` to `handler` instead of SMQ (the cluster's link path, the
   * admin socket). With `authorize`, an upgrade it refuses gets HTTP 401 and no socket.
   */
  route(path: string, handler: RouteHandler, authorize?: RouteAuthorizer): void {
    this.routes.set(path, authorize ? { handler, authorize } : { handler });
  }

  /** Hands HTTP requests under `prefix` (e.g. '/admin/') to `handler` (the admin endpoint). */
  httpRoute(prefix: string, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): void {
    this.httpRoutes.set(prefix, handler);
  }

  /** Adds a section to the /health JSON. */
  addStatus(key: string, section: () => unknown): void {
    this.statusSections.set(key, section);
  }

  address(): AddressInfo {
    return this.tcp.address() as AddressInfo;
  }

  /** Stops listening, closes every session (plain close) and every web connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    this.node.shutdown();
    for (const socket of this.sorting) socket.destroy();
    for (const socket of this.webSockets) socket.destroy();
    await closed;
  }

  private sort(socket: net.Socket): void {
    let buffered: Buffer = Buffer.alloc(0);
    this.sorting.add(socket);
    const timer = setTimeout(() => socket.destroy(), this.headTimeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const end = headEnd(buffered);
      if (end < 0) {
        if (buffered.length > this.maxHeadBytes) done(() => socket.destroy());
        return;
      }
      const head = parseRequestHead(buffered.subarray(0, end));
      if (head && isRawSmq(head))
        done(() => this.startRawSmq(socket, wantsHttpResponse(head), buffered.subarray(end)));
      else done(() => this.toHttp(socket, buffered));
    };
    const done = (next: () => void): void => {
      clearTimeout(timer);
      this.sorting.delete(socket);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      next();
    };
    const onError = (): void => {
      clearTimeout(timer);
      socket.destroy();
    };
    const onClose = (): void => {
      clearTimeout(timer);
      this.sorting.delete(socket);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  }

  private startRawSmq(socket: net.Socket, httpResponse: boolean, leftover: Buffer): void {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
    const start = (): void =>
      void this.node.handle(socket, socket.remoteAddress, { leftover, connackReasons: httpResponse });
    // The status block goes out alone; Init follows in its own write once it has been flushed.
    if (httpResponse) socket.write(SMQ_HTTP_RESPONSE, start);
    else start();
  }

  private toHttp(socket: net.Socket, buffered: Buffer): void {
    this.webSockets.add(socket);
    socket.once('close', () => this.webSockets.delete(socket));
    socket.pause();
    socket.unshift(buffered);
    this.http.emit('connection', socket);
    socket.resume();
  }

  private health(): Record<string, unknown> {
    const h: Record<string, unknown> = { ...this.node.stats(), tls: this.secure };
    for (const [key, section] of this.statusSections) h[key] = section();
    return h;
  }

  private serveHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    for (const [prefix, handler] of this.httpRoutes) {
      if (path?.startsWith(prefix)) return handler(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') send(405, 'text/plain', 'method not allowed\n');
    else if (path === this.smqPath) send(400, 'text/plain', 'SMQ endpoint: connect with an SMQ client\n');
    else if (path === '/health') send(200, 'application/json', JSON.stringify(this.health()));
    else if (!this.page.serve(req, res, path ?? '/')) send(404, 'text/plain', 'not found\n');
  }
}
