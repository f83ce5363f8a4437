import type { HostError } from '../../../contract/hostContract.js';

/** The part of a node's /health JSON the host reads. */
export interface NodeHealth {
  uptimeMs: number;
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
    const res = await fetch(this.base() + path, {
      method,
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = (await res.json()) as { error?: string; message?: string };
    if (!res.ok) {
      const error: HostError = {
        code: body.error === 'NoSuchClient' ? 'NoSuchClient' : 'Internal',
        message: body.message ?? `${method} ${path}: HTTP ${res.status}`,
      };
      throw Object.assign(new Error(error.message), error);
    }
    return body;
  }
}
