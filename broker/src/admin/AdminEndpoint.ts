import type http from 'node:http';
import type { SmqNode } from '../node/SmqNode.js';
import type { NodeServer } from '../node/NodeServer.js';
import { CloseReason } from '../node/CloseReason.js';
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
}

/**
 * The node's operator channel: list and disconnect clients, list topics, cut and restore cluster
 * links over HTTP, and the admin WebSocket (ADMIN_WS_PATH) for the tap and live stats. Every
 * request and upgrade carries `Authorization: Bearer <token>`; there is no anonymous access.
 */
export class AdminEndpoint {
  private readonly token: AdminToken;

  constructor(
    private readonly node: SmqNode,
    server: NodeServer,
    token: string,
    private readonly cluster?: Cluster,
    options: AdminEndpointOptions = {},
  ) {
    this.token = new AdminToken(token);
    server.httpRoute(ADMIN_PREFIX, (req, res) => this.serve(req, res));
    serveAdminSocket(node, server, this.token, cluster, options.socket);
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply = (status: number, body: unknown): void => {
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
        if (parts[2] === 'cut') this.cluster.mesh.cut(arg);
        else this.cluster.mesh.restore(arg);
        return reply(200, { cut: this.cluster.mesh.cuts() });
      }
      default:
        return reply(404, { error: 'NotFound', message: `no admin route ${req.method} ${req.url}` });
    }
  }
}
