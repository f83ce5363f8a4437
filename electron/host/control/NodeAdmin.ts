import type { ClientView, DrainPace, HostErrorCode } from '../../../contract/hostContract.js';
import type { DrainStatus } from '../../../broker/src/node/NodeDrain.js';
import { hostError } from './hostError.js';
import { nodeRequest } from './nodeHttp.js';
import { uidText } from '../inspector/tapRows.js';
import { certificateErrorCode } from '../../../broker/src/node/tlsOptions.js';

/** The part of a node's /health JSON the host reads. */
export interface NodeHealth {
  /** The node's cluster name (smq-node --name, or a random one). */
  name?: string;
  uptimeMs: number;
  /** The node serves https:// and wss:// (absent on older nodes). */
  tls?: boolean;
  subscriptions?: number;
  sessions: number;
  topics: number;
  deliveries: number;
  traffic: { msgsIn: number; msgsOut: number; bytesIn: number; bytesOut: number };
  cluster?: {
    /** 'nats': the node joined through NATS (no links; its state under `nats`). Older nodes: absent. */
    transport?: 'mesh' | 'nats';
    /** NATS's own state (broker NatsBackplaneInfo), read by natsNodeView, which tolerates any shape. */
    nats?: unknown;
    /** Mesh links; absent on a NATS node. */
    links?: {
      remoteName: string | undefined;
      state: string;
      rttMs: number | undefined;
      pendingBytes: number;
      closeReason: string | undefined;
    }[];
    /** Names of the nodes this side has cut the link to. */
    cut: string[];
  };
  /** The node's last drain (admin endpoint nodes only); null or absent when never drained. */
  drain?: DrainStatus | null;
}

/** The node's typed admin errors that are contract codes too. */
const ADMIN_ERRORS: Readonly<Record<string, HostErrorCode>> = {
  NoSuchClient: 'NoSuchClient',
  AlreadyDraining: 'AlreadyDraining',
  NotDraining: 'NotDraining',
  BadArguments: 'BadArguments',
};

/** A client as a node's admin endpoint lists it. */
export interface AdminClientJson {
  etid: number;
  uid: string;
  info: string;
  ip: string;
  transport: 'ws' | 'raw';
  state: string;
  connectedAt: number;
  topics: string[];
  counters: { msgsIn: number; msgsOut: number; bytesIn: number; bytesOut: number };
}

/** A listed client as the contract shows it. */
export function clientView(c: AdminClientJson): ClientView {
  return {
    etid: c.etid,
    uid: uidText(c.uid),
    ip: c.ip,
    transport: c.transport,
    info: c.info,
    subscriptions: c.topics,
    msgsIn: c.counters.msgsIn,
    msgsOut: c.counters.msgsOut,
    bytesIn: c.counters.bytesIn,
    bytesOut: c.counters.bytesOut,
    connectedAtMs: c.connectedAt,
  };
}

const TIMEOUT_MS = 2000;

/** HTTP calls to one node: public /health and the token-protected /admin/ routes. */
export class NodeAdmin {
  constructor(
    private readonly base: () => string,
    private readonly token: string,
    /** The CA of the host's own TLS nodes (its self-signed certificate). */
    private readonly ca?: string,
  ) {}

  async health(): Promise<NodeHealth> {
    return (await this.request('GET', '/health')) as NodeHealth;
  }

  async clients(): Promise<AdminClientJson[]> {
    return ((await this.request('GET', '/admin/clients')) as { clients: AdminClientJson[] }).clients;
  }

  async disconnect(etid: number): Promise<void> {
    await this.request('POST', `/admin/clients/${etid}/disconnect`);
  }

  /** Starts a drain at `pace`; with `exit` the node's process ends once drained (smq-node only). */
  async drain(exit: boolean, pace: DrainPace = {}): Promise<void> {
    const query = new URLSearchParams();
    if (pace.batch !== undefined) query.set('batch', String(pace.batch));
    if (pace.intervalMs !== undefined) query.set('intervalMs', String(pace.intervalMs));
    if (exit) query.set('then', 'exit');
    await this.request('POST', `/admin/drain${query.size ? `?${query}` : ''}`);
  }

  async cancelDrain(): Promise<void> {
    await this.request('DELETE', '/admin/drain');
  }

  async cut(name: string, cut: boolean): Promise<void> {
    await this.request('POST', `/admin/links/${encodeURIComponent(name)}/${cut ? 'cut' : 'restore'}`);
  }

  /** Adds a configured peer (ws:// or wss:// URL) the node keeps dialling, or drops one. */
  async peer(url: string, add: boolean): Promise<void> {
    await this.request(add ? 'PUT' : 'DELETE', `/admin/peers/${encodeURIComponent(url)}`);
  }

  private async request(method: string, path: string): Promise<unknown> {
    const base = this.base();
    let status: number;
    let text: string;
    try {
      ({ status, text } = await nodeRequest(base + path, {
        method,
        headers: { authorization: `Bearer ${this.token}` },
        timeoutMs: TIMEOUT_MS,
        ca: this.ca,
      }));
    } catch (err) {
      const cause = (err as Error).cause;
      const tls = cause instanceof Error ? certificateErrorCode(cause) : undefined;
      throw hostError(
        tls
          ? { code: 'TlsVerifyFailed', message: refusedCertificate(base, tls) }
          : { code: 'NodeUnreachable', message: `${base} does not answer (${why(err)})` },
      );
    }
    let body: { error?: string; message?: string } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    // The node says "token required" whether one came or not: the host knows which it was.
    if (status === 401)
      throw hostError({
        code: 'Unauthorized',
        message:
          this.token === ''
            ? `${base} requires an admin token`
            : `${base} refused the admin token: it is not the one the node was started with`,
      });
    if (status < 200 || status > 299 || body === undefined) {
      const code: HostErrorCode = ADMIN_ERRORS[body?.error ?? ''] ?? 'Internal';
      throw hostError({ code, message: body?.message ?? `${method} ${base}${path}: HTTP ${status}` });
    }
    return body;
  }
}

/** Verification codes that mean "issuer not trusted": a private CA the host was not given. */
const UNTRUSTED_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** The handshake failed on the node's certificate, with the fix when the issuer is unknown. */
function refusedCertificate(base: string, code: string): string {
  const hint = UNTRUSTED_ISSUER.has(code) ? '. If a private CA signed it, attach with that CA file' : '';
  return `${base} presented a certificate the host refused: ${code}${hint}`;
}

/** ECONNREFUSED, a timeout, a DNS failure: the cause fetch hides under "fetch failed". */
function why(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer in ${TIMEOUT_MS} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
