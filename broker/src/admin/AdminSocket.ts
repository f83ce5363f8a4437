import type { RawData, WebSocket } from 'ws';
import type { SmqNode } from '../node/SmqNode.js';
import type { NodeServer } from '../node/NodeServer.js';
import type { TapEvent } from '../node/tap.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { AdminToken } from './AdminToken.js';
import { adminStats, listClients, listTopics } from './adminData.js';
import { DEFAULT_TAP_BUDGET, TapBatcher, type TapBudget } from './TapBatcher.js';
import {
  ADMIN_WIRE_VERSION,
  ADMIN_WS_PATH,
  clampCapture,
  parseAdminRequest,
  type AdminFrame,
  type HelloFrame,
  type RequestId,
  type StatsFrame,
  type TapRequest,
  type TapScope,
  type TappingFrame,
} from './adminWire.js';

/** The node event each tap scope listens to: only 'tap' makes the publish path build events. */
const SCOPE_EVENT = { all: 'tap', lifecycle: 'tapLifecycle' } as const satisfies Record<TapScope, string>;

export interface AdminSocketOptions {
  /** A stats frame goes out this often (default 1000 ms). */
  statsIntervalMs?: number;
  tapBudget?: Partial<TapBudget>;
  /**
   * A client with more unsent bytes than this when it asks for something (it sends requests but
   * does not read replies) is cut off (default 8 MiB). Tap and stats never go past
   * tapBudget.maxBufferedBytes: they wait or are skipped.
   */
  maxBufferedBytes?: number;
}

/** Opens the admin WebSocket on `server`: upgrades without the token get HTTP 401, no socket. */
export function serveAdminSocket(
  node: SmqNode,
  server: NodeServer,
  token: AdminToken,
  cluster: Cluster | undefined,
  options: AdminSocketOptions = {},
): void {
  server.route(
    ADMIN_WS_PATH,
    (ws) => void new AdminSocket(ws, node, cluster, options),
    (req) => token.allows(req.headers.authorization),
  );
}

/**
 * One operator's WebSocket to one node (see adminWire.ts for the frames): hello on open, requests
 * answered by id, the tap in bounded batches while it asked for it, and stats about every second.
 * The node's 'tap' listener exists only while this socket has the tap on, so a node nobody taps
 * builds no tap event at all; a lifecycle-only tap listens to 'tapLifecycle', so no publish event.
 */
export class AdminSocket {
  private batcher: TapBatcher | undefined;
  private scope: TapScope = 'all';
  private readonly statsTimer: NodeJS.Timeout;
  private readonly budget: TapBudget;
  private readonly maxBufferedBytes: number;
  private closed = false;
  private readonly onTap = (e: TapEvent): void => this.batcher?.push(e);

  constructor(
    private readonly ws: WebSocket,
    private readonly node: SmqNode,
    private readonly cluster: Cluster | undefined,
    options: AdminSocketOptions = {},
  ) {
    this.budget = { ...DEFAULT_TAP_BUDGET, ...options.tapBudget };
    this.maxBufferedBytes = options.maxBufferedBytes ?? 8 << 20;
    const hello: HelloFrame = {
      t: 'hello',
      node: node.name,
      version: ADMIN_WIRE_VERSION,
      startedAt: node.startedAt,
    };
    if (cluster) hello.nodeId = cluster.nodeId;
    this.send(hello);
    this.statsTimer = setInterval(() => this.periodicStats(), options.statsIntervalMs ?? 1000);
    this.statsTimer.unref();
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.stop());
    ws.on('error', () => this.ws.terminate());
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      // It asks but does not read: a close frame would wait behind what it does not read either.
      this.ws.terminate();
      this.stop();
      return;
    }
    if (isBinary) return this.send({ t: 'error', message: 'admin frames are JSON text' });
    const req = parseAdminRequest(data.toString());
    if ('t' in req) return this.send(req);
    switch (req.op) {
      case 'tap':
        return this.setTap(req);
      case 'topics':
        return this.send({ t: 'topics', id: req.id, topics: listTopics(this.node) });
      case 'clients':
        return this.send({ t: 'clients', id: req.id, clients: listClients(this.node) });
      case 'stats':
        return this.send(this.statsFrame(req.id));
    }
  }

  private setTap(req: TapRequest): void {
    const captureBytes = clampCapture(req.captureBytes);
    const scope = req.scope ?? 'all';
    if (req.on) {
      if (this.batcher) {
        this.batcher.captureBytes = captureBytes;
        this.setScope(scope);
      } else {
        this.batcher = new TapBatcher(
          {
            send: (text) => {
              if (this.ws.readyState === this.ws.OPEN) this.ws.send(text);
            },
            bufferedAmount: () => this.ws.bufferedAmount,
          },
          captureBytes,
          this.budget,
        );
        this.scope = scope;
        this.node.on(SCOPE_EVENT[scope], this.onTap);
      }
    } else this.releaseTap(true);
    const ack: TappingFrame = { t: 'tapping', on: req.on, captureBytes: req.on ? captureBytes : 0 };
    if (req.on) ack.scope = scope;
    if (req.id !== undefined) ack.id = req.id;
    this.send(ack);
  }

  /** Moves the listener to `scope`'s event, the new one first so no lifecycle event falls between. */
  private setScope(scope: TapScope): void {
    if (scope === this.scope) return;
    this.node.on(SCOPE_EVENT[scope], this.onTap);
    this.node.off(SCOPE_EVENT[this.scope], this.onTap);
    this.scope = scope;
  }

  /** Removes the node listener; with `flush`, what is queued goes out first if the socket can take it. */
  private releaseTap(flush: boolean): void {
    if (!this.batcher) return;
    this.node.off(SCOPE_EVENT[this.scope], this.onTap);
    if (flush) this.batcher.flush();
    this.batcher.stop();
    this.batcher = undefined;
  }

  private periodicStats(): void {
    // A snapshot: when the client is behind, skipping one loses nothing the next one does not carry.
    if (this.ws.bufferedAmount <= this.budget.maxBufferedBytes) this.send(this.statsFrame(undefined));
  }

  private statsFrame(id: RequestId | undefined): StatsFrame {
    const f: StatsFrame = { t: 'stats', time: Date.now(), stats: adminStats(this.node, this.cluster) };
    if (id !== undefined) f.id = id;
    return f;
  }

  private send(frame: AdminFrame): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private stop(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.statsTimer);
    this.releaseTap(false);
  }
}
