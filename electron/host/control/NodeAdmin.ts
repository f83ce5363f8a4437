import type { ClientView, HostErrorCode } from '../../../contract/hostContract.js';
import { hostError } from './hostError.js';

/** The part of a node's /health JSON the host reads. */
export interface NodeHealth {
  /** The node's cluster name (smq-node --name, or a random one). */
  name?: string;
  uptimeMs: number;
  subscriptions?: number;
  sessions: number;
  topics: number;
  deliveries: number;
  traffic: { msgsIn: number; msgsOut: number; bytesIn: number; bytesOut: number };
  cluster?: {
    links: {
      remoteName: string | undefined;
      state: string;
      rttMs: number | undefined;
      pendingBytes: number;
      closeReason: string | undefined;
    }[];
    /** Names of the nodes this side has cut the link to. */
    cut: string[];
  };
}

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
    uid: c.uid,
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

  async cut(name: string, cut: boolean): Promise<void> {
    await this.request('POST', `/admin/links/${encodeURIComponent(name)}/${cut ? 'cut' : 'restore'}`);
  }

  private async request(method: string, path: string): Promise<unknown> {
    const base = this.base();
    let status: number;
    let text: string;
    try {
      const res = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${this.token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw hostError({ code: 'NodeUnreachable', message: `${base} does not answer (${why(err)})` });
    }
    let body: { error?: string; message?: string } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    if (status === 401)
      throw hostError({
        code: 'Unauthorized',
        message: `${base} refused the admin token${body?.message ? ` (${body.message})` : ''}`,
      });
    if (status < 200 || status > 299 || body === undefined) {
      const code: HostErrorCode = body?.error === 'NoSuchClient' ? 'NoSuchClient' : 'Internal';
      throw hostError({ code, message: body?.message ?? `${method} ${base}${path}: HTTP ${status}` });
    }
    return body;
  }
}

/** ECONNREFUSED, a timeout, a DNS failure: the cause fetch hides under "fetch failed". */
function why(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer in ${TIMEOUT_MS} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
