import type http from 'node:http';
import type { SmqNode } from '../node/SmqNode.js';
import type { NodeServer } from '../node/NodeServer.js';
import { CloseReason } from '../node/CloseReason.js';
import { NodeDrain, type DrainOptions } from '../node/NodeDrain.js';
import type { Cluster } from '../cluster/Cluster.js';
import { AdminToken } from './AdminToken.js';
import { listClients, listTopics } from './adminData.js';
import { serveAdminSocket, type AdminSocketOptions } from './AdminSocket.js';

export type { AdminClient, AdminTopic } from './adminWire.js';

/** The admin path prefix on every node's port (off unless the node has an admin token). */
export const ADMIN_PREFIX = '/admin/';

export interface AdminEndpointOptions {
  /** The admin WebSocket at ADMIN_WS_PATH (tap, topics, clients, stats). */
  socket?: AdminSocketOptions;
  /**
   * Ends this node's process (smq-node passes its clean stop): then `POST /admin/drain?then=exit`
   * stops the process once drained. Without it that request gets 400 CannotExit.
   */
  stopProcess?: () => void;
}

type Reply = (status: number, body: unknown) => void;

/**
 * The node's operator channel: list and disconnect clients, list topics, cut and restore cluster
 * links, add and drop configured peers (one that moved to another address), drain the node over
 * HTTP, and the admin WebSocket (ADMIN_WS_PATH) for the tap and live stats. Every request and
 * upgrade carries `Authorization: Bearer <token>`; no anonymous access.
 */
export class AdminEndpoint {
  private readonly token: AdminToken;
  /** The last drain started (running, drained or cancelled); its status is /health's `drain`. */
  private drain: NodeDrain | undefined;

  constructor(
    private readonly node: SmqNode,
    server: NodeServer,
    token: string,
    private readonly cluster?: Cluster,
    private readonly options: AdminEndpointOptions = {},
  ) {
    this.token = new AdminToken(token);
    server.httpRoute(ADMIN_PREFIX, (req, res) => this.serve(req, res));
    server.addStatus('drain', () => this.drain?.status() ?? null);
    serveAdminSocket(node, server, this.token, cluster, options.socket);
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply: Reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (!this.token.allows(req.headers.authorization)) {
      reply(401, { error: 'Unauthorized', message: 'admin token required (Authorization: Bearer …)' });
      return;
    }
    const parts = (req.url ?? '').split('?')[0]!.slice(ADMIN_PREFIX.length).split('/');
    const route = `${req.method} ${parts[0]}${parts.length > 2 ? ` ${parts[2]}` : ''}`;
    const arg = parts[1] === undefined ? '' : decodeURIComponent(parts[1]);
    switch (route) {
      case 'GET clients':
        return reply(200, { clients: listClients(this.node) });
      case 'GET topics':
        return reply(200, { topics: listTopics(this.node) });
      case 'POST clients disconnect': {
        const s = this.node.sessionByEtid(Number(arg));
        if (!s) return reply(404, { error: 'NoSuchClient', message: `no client with ETID ${arg}` });
        this.node.closeSession(s, CloseReason.ClosedByAdmin, 'disconnected by the operator');
        return reply(200, {});
      }
      case 'POST links cut':
      case 'POST links restore': {
        if (!this.cluster)
          return reply(409, { error: 'NoCluster', message: 'this node is not in a cluster' });
        if (parts[2] === 'cut') this.cluster.cut(arg);
        else this.cluster.restore(arg);
        return reply(200, { cut: this.cluster.cuts() });
      }
      case 'PUT peers':
      case 'DELETE peers': {
        const mesh = this.cluster?.mesh;
        if (!mesh) return reply(409, { error: 'NoMesh', message: 'this node has no WebSocket mesh' });
        if (!isPeerUrl(arg))
          return reply(400, { error: 'BadArguments', message: 'a peer is a ws:// or wss:// URL' });
        if (req.method === 'PUT') mesh.addPeer(arg);
        else mesh.removePeer(arg);
        return reply(200, { peers: mesh.wanted().map((w) => w.url) });
      }
      case 'GET drain':
        return reply(200, { drain: this.drain?.status() ?? null });
      case 'POST drain':
        return this.startDrain(new URL(req.url ?? '', 'http://admin').searchParams, res, reply);
      case 'DELETE drain':
        // Only a running drain can be cancelled: a drained node stops next, a cancelled one runs.
        if (!this.drain?.active)
          return reply(409, { error: 'NotDraining', message: 'this node is not draining' });
        this.drain.cancel();
        return reply(200, { drain: this.drain.status() });
      default:
        return reply(404, { error: 'NotFound', message: `no admin route ${req.method} ${req.url}` });
    }
  }

  /**
   * `?batch=N&intervalMs=M` set the pace (NodeDrain's defaults otherwise); `?then=exit` ends the
   * process once drained, after this reply went out.
   */
  private startDrain(query: URLSearchParams, res: http.ServerResponse, reply: Reply): void {
    if (this.drain?.active)
      return reply(409, { error: 'AlreadyDraining', message: 'this node is draining already' });
    const then = query.get('then');
    if (then !== null && then !== 'exit')
      return reply(400, { error: 'BadArguments', message: 'then may only be exit' });
    const exit = then === 'exit';
    const stopProcess = this.options.stopProcess;
    if (exit && !stopProcess)
      return reply(400, { error: 'CannotExit', message: 'this node runs inside another program' });
    const options: DrainOptions = {};
    const batch = query.get('batch');
    const intervalMs = query.get('intervalMs');
    if (batch !== null) options.batchSize = Number(batch);
    if (intervalMs !== null) options.intervalMs = Number(intervalMs);
    let drain: NodeDrain;
    try {
      drain = new NodeDrain(this.node, options);
    } catch (err) {
      return reply(400, { error: 'BadArguments', message: (err as Error).message });
    }
    this.drain = drain;
    if (exit && stopProcess) {
      const sent = new Promise((resolve) => res.once('finish', resolve));
      const drained = new Promise<void>((resolve) =>
        drain.on('progress', (s) => s.state === 'drained' && resolve()),
      );
      void Promise.all([sent, drained]).then(stopProcess);
    }
    reply(200, { drain: drain.status() });
  }
}

function isPeerUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.host !== '';
  } catch {
    return false;
  }
}
