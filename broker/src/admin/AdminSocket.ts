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
  type TappingFrame,
} from './adminWire.js';

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
 * builds no tap event at all.
 */
export class AdminSocket {
  private batcher: TapBatcher | undefined;
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
    if (req.on) {
      if (this.batcher) this.batcher.captureBytes = captureBytes;
      else {
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
        this.node.on('tap', this.onTap);
      }
    } else this.releaseTap(true);
    const ack: TappingFrame = { t: 'tapping', on: req.on, captureBytes: req.on ? captureBytes : 0 };
    if (req.id !== undefined) ack.id = req.id;
    this.send(ack);
  }

  /** Removes the node listener; with `flush`, what is queued goes out first if the socket can take it. */
  private releaseTap(flush: boolean): void {
    if (!this.batcher) return;
    this.node.off('tap', this.onTap);
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
