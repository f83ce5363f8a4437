import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  HostCallError,
  type HostEvent,
  type HostReply,
  type HostRequest,
} from '../../contract/hostContract.js';
import {
  HostClient,
  HostConnectionError,
  hostSocketUrl,
  STALE_PAGE_REASON,
  type HostSocket,
  type HostStatus,
} from '../../renderer/src/host/HostClient.js';
import { waitFor } from '../helpers/waitFor.js';

/** A real WebSocket host stub on 127.0.0.1:0 whose replies each test scripts. */
class StubHost {
  readonly server = http.createServer();
  readonly wss = new WebSocketServer({ noServer: true });
  readonly requests: HostRequest[] = [];
  readonly cookies: (string | undefined)[] = [];
  /** When false, upgrades are refused (the host is "down") while the port stays ours. */
  accepting = true;
  hello: number | null = 1;
  onRequest: (req: HostRequest, ws: WebSocket) => void = (req, ws) =>
    reply(ws, { kind: 'result', id: req.id, result: null });
  url = '';

  async start(): Promise<this> {
    this.server.on('upgrade', (req, socket, head) => {
      if (!this.accepting || req.url !== '/host') {
        socket.destroy();
        return;
      }
      this.cookies.push(req.headers.cookie);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        if (this.hello !== null) reply(ws, { kind: 'hello', version: this.hello });
        ws.on('message', (data) => {
          const req = JSON.parse(String(data)) as HostRequest;
          this.requests.push(req);
          this.onRequest(req, ws);
        });
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/host`;
    return this;
  }

  broadcast(event: HostEvent): void {
    for (const ws of this.wss.clients) reply(ws, { kind: 'event', event });
  }

  /** Drops every connection (a host restart, from the page's side). */
  dropAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

function reply(ws: WebSocket, r: HostReply): void {
  ws.send(JSON.stringify(r));
}

/** The page's cookie goes with the upgrade, as the browser sends it. */
const withCookie =
  (cookie: string) =>
  (url: string): HostSocket =>
    new WebSocket(url, { headers: { cookie } }) as unknown as HostSocket;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(options: Partial<ConstructorParameters<typeof HostClient>[0]> = {}) {
  const stub = await new StubHost().start();
  const client = new HostClient({
    url: stub.url,
    socket: withCookie('smq_host=abc'),
    minDelayMs: 20,
    maxDelayMs: 200,
    ...options,
  });
  const statuses: HostStatus[] = [];
  client.onStatus((s) => statuses.push(s));
  cleanup.push(
    () => stub.close(),
    () => client.close(),
  );
  return { stub, client, statuses };
}

const SNAP = {
  exists: false,
  kind: 'local' as const,
  profile: 'p',
  nodes: [],
  links: [],
  devices: [],
  fleets: [],
  unlinked: [],
  partitioned: false,
  transport: 'mesh' as const,
  natsServer: null,
  tls: false,
  caFile: null,
};

describe('hostSocketUrl', () => {
  it('derives the socket from the connection details the preload exposes', () => {
    expect(
      hostSocketUrl({ hostUrl: 'http://127.0.0.1:4100', wsPath: '/host' }, { protocol: 'http:', host: 'x' }),
    ).toBe('ws://127.0.0.1:4100/host');
    expect(hostSocketUrl({ hostUrl: 'https://h:1/', wsPath: 'ws' }, { protocol: 'http:', host: 'x' })).toBe(
      'wss://h:1/ws',
    );
  });

  it('falls back to the page origin with /host in browser mode', () => {
    expect(hostSocketUrl(undefined, { protocol: 'http:', host: '127.0.0.1:5555' })).toBe(
      'ws://127.0.0.1:5555/host',
    );
    expect(hostSocketUrl(undefined, { protocol: 'https:', host: 'h' })).toBe('wss://h/host');
  });
});

describe('HostClient', () => {
  it('matches replies to calls by request id, also out of order', async () => {
    const { stub, client } = await setup();
    const held: HostRequest[] = [];
    stub.onRequest = (req, ws) => {
      held.push(req);
      if (held.length < 2) return;
      // Answer the second call first.
      for (const r of [...held].reverse()) reply(ws, { kind: 'result', id: r.id, result: { echo: r.cmd } });
    };
    const [a, b] = await Promise.all([client.call('snapshot', {}), client.call('addNode', {})]);
    expect(a).toEqual({ echo: 'snapshot' });
    expect(b).toEqual({ echo: 'addNode' });
    expect(new Set(stub.requests.map((r) => r.id)).size).toBe(2);
    expect(stub.cookies).toEqual(['smq_host=abc']);
  });

  it('rejects with a typed HostCallError carrying the host error code', async () => {
    const { stub, client } = await setup();
    stub.onRequest = (req, ws) =>
      reply(ws, { kind: 'error', id: req.id, error: { code: 'NoSuchNode', message: 'no node n9' } });
    const err = await client.call('killNode', { nodeId: 'n9' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect((err as HostCallError).error).toEqual({ code: 'NoSuchNode', message: 'no node n9' });
    expect(stub.requests[0]).toMatchObject({ kind: 'call', cmd: 'killNode', args: { nodeId: 'n9' } });
  });

  it('fans events out to every subscriber; a throwing one does not starve the others', async () => {
    const { stub, client } = await setup();
    const a: HostEvent[] = [];
    const b: HostEvent[] = [];
    client.subscribe(() => {
      throw new Error('broken view');
    });
    client.subscribe((e) => a.push(e));
    const stopB = client.subscribe((e) => b.push(e));
    await waitFor(() => client.status.state === 'open', { what: 'open' });
    const origError = console.error;
    console.error = () => undefined;
    try {
      stub.broadcast({ stream: 'cluster', snapshot: SNAP });
      await waitFor(() => a.length === 1 && b.length === 1, { what: 'first event' });
      stopB();
      stub.broadcast({ stream: 'stats', tick: { atMs: 1, nodes: [] } });
      await waitFor(() => a.length === 2, { what: 'second event' });
    } finally {
      console.error = origError;
    }
    expect(b).toHaveLength(1);
    expect(a.map((e) => e.stream)).toEqual(['cluster', 'stats']);
  });

  it('holds calls made before the socket opens and sends them once it does', async () => {
    const { stub, client } = await setup();
    stub.accepting = false;
    stub.dropAll();
    // Connecting, with the host refusing: the call waits.
    const pending = client.call('snapshot', {});
    await waitFor(() => client.status.state === 'connecting' && client.status.attempt >= 2, {
      what: 'a refused attempt',
    });
    expect(stub.requests).toHaveLength(0);
    stub.onRequest = (req, ws) => reply(ws, { kind: 'result', id: req.id, result: SNAP });
    stub.accepting = true;
    await expect(pending).resolves.toEqual(SNAP);
  });

  it('fails calls in flight when the host goes away, then reconnects when it is back', async () => {
    const { stub, client, statuses } = await setup();
    stub.onRequest = () => undefined; // never answers
    const inFlight = client.call('restartNode', { nodeId: 'n1' });
    await waitFor(() => stub.requests.length === 1, { what: 'request sent' });
    stub.accepting = false;
    stub.dropAll();
    const err = await inFlight.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostConnectionError);
    expect((err as HostConnectionError).code).toBe('HostClosed');
    // Not resent on the next connection: the host may have run it already.
    await waitFor(() => statuses.some((s) => s.state === 'connecting' && s.attempt >= 2), {
      what: 'retries',
    });
    stub.accepting = true;
    stub.onRequest = (req, ws) => reply(ws, { kind: 'result', id: req.id, result: 'again' });
    await waitFor(() => client.status.state === 'open', { what: 'reconnected', timeout: 5000 });
    await expect(client.call('snapshot', {})).resolves.toBe('again');
    expect(stub.requests.filter((r) => r.cmd === 'restartNode')).toHaveLength(1);
  });

  it('backs off exponentially between attempts up to the cap', async () => {
    const stub = await new StubHost().start();
    stub.accepting = false;
    const dials: number[] = [];
    const client = new HostClient({
      url: stub.url,
      socket: (url) => {
        dials.push(Date.now());
        return new WebSocket(url) as unknown as HostSocket;
      },
      minDelayMs: 40,
      maxDelayMs: 160,
      random: () => 1, // no jitter: delay = base
    });
    cleanup.push(
      () => stub.close(),
      () => client.close(),
    );
    await waitFor(() => dials.length >= 6, { timeout: 5000, what: 'six attempts' });
    const gaps = dials.slice(1).map((t, i) => t - dials[i]!);
    // 40, 80, 160, 160, 160 (plus the time a refused dial takes).
    expect(gaps[0]).toBeGreaterThanOrEqual(38);
    expect(gaps[1]).toBeGreaterThanOrEqual(78);
    expect(gaps[2]).toBeGreaterThanOrEqual(158);
    expect(gaps[3]).toBeGreaterThanOrEqual(158);
    expect(Math.max(...gaps)).toBeLessThan(160 + 400);
  });

  it('stops for good when the host speaks another contract version', async () => {
    const stub = await new StubHost().start();
    stub.hello = 99;
    const client = new HostClient({ url: stub.url, socket: withCookie('x=1'), minDelayMs: 10 });
    cleanup.push(
      () => stub.close(),
      () => client.close(),
    );
    const pending = client.call('snapshot', {}).catch((e: unknown) => e);
    stub.onRequest = () => undefined;
    await waitFor(() => client.status.state === 'closed', { what: 'closed' });
    expect(client.status).toMatchObject({ state: 'closed', reason: expect.stringContaining('version 99') });
    const err = await pending;
    expect((err as HostConnectionError).code).toBe('HostIncompatible');
    const upgrades = stub.cookies.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(stub.cookies.length).toBe(upgrades);
  });

  it('times out a call the host never answers', async () => {
    const { stub, client } = await setup({ callTimeoutMs: 100 });
    stub.onRequest = () => undefined;
    const err = await client.call('snapshot', {}).catch((e: unknown) => e);
    expect((err as HostConnectionError).code).toBe('HostTimeout');
  });
});

describe('HostClient after the host restarted with a new token', () => {
  it('stops retrying with a clear reason once the host says this page is unauthorized', async () => {
    let probes = 0;
    let answer: 'ok' | 'unauthorized' = 'ok';
    const { stub, client, statuses } = await setup({
      probe: () => {
        probes++;
        return Promise.resolve(answer);
      },
    });
    await waitFor(() => client.status.state === 'open');
    stub.accepting = false;
    stub.dropAll();
    // The host is away (ok): keep retrying. Back with a new token (unauthorized): stop.
    await waitFor(() => probes >= 2);
    expect(client.status.state).toBe('connecting');
    answer = 'unauthorized';
    await waitFor(() => client.status.state === 'closed');
    expect(statuses.at(-1)).toEqual({ state: 'closed', reason: STALE_PAGE_REASON });
    await expect(client.call('snapshot', {})).rejects.toMatchObject({ code: 'HostClosed' });
  });
});
