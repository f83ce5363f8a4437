import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { SmqNode } from '../node/SmqNode.js';
import type { NodeServer } from '../node/NodeServer.js';
import type { SessionSnapshot } from '../node/Session.js';
import { CloseReason } from '../node/CloseReason.js';
import type { Cluster } from '../cluster/Cluster.js';

/** The admin path prefix on every node's port (off unless the node has an admin token). */
export const ADMIN_PREFIX = '/admin/';

/** A client as the admin channel lists it: the session snapshot plus its topic names. */
export interface AdminClient extends SessionSnapshot {
  topics: string[];
}

/**
 * The node's operator channel: list and disconnect clients, cut and restore cluster links.
 * Every request carries `Authorization: Bearer <token>`; there is no anonymous access.
 */
export class AdminEndpoint {
  private readonly token: Buffer;

  constructor(
    private readonly node: SmqNode,
    server: NodeServer,
    token: string,
    private readonly cluster?: Cluster,
  ) {
    if (token.length < 16) throw new Error('an admin token needs 16 or more characters');
    this.token = Buffer.from(token);
    server.httpRoute(ADMIN_PREFIX, (req, res) => this.serve(req, res));
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (!this.authorized(req.headers.authorization)) {
      reply(401, { error: 'Unauthorized', message: 'admin token required (Authorization: Bearer …)' });
      return;
    }
    const parts = (req.url ?? '').split('?')[0]!.slice(ADMIN_PREFIX.length).split('/');
    const route = `${req.method} ${parts[0]}${parts.length > 2 ? ` ${parts[2]}` : ''}`;
    const arg = parts[1] === undefined ? '' : decodeURIComponent(parts[1]);
    switch (route) {
      case 'GET clients':
        return reply(200, { clients: this.clients() });
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

  private authorized(header: string | undefined): boolean {
    const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }

  private clients(): AdminClient[] {
    return this.node.sessions().map((snap) => {
      const topics: string[] = [];
      for (const tid of this.node.sessionByEtid(snap.etid)?.subscriptions ?? []) {
        const name = this.node.topics.names.nameOf(tid);
        if (name) topics.push(name.toString('utf8'));
      }
      return { ...snap, topics };
    });
  }
}
