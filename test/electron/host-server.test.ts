import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, HostReply } from '../../contract/hostContract.js';
import { HostServer, type HostAddress } from '../../electron/host/HostServer.js';
import { waitFor } from '../helpers/waitFor.js';
import { fixtureRenderer, HostSocketClient, login, ScriptedApi, shared } from './helpers/host.js';

const EMPTY: ClusterSnapshot = {
  exists: false,
  kind: 'local',
  profile: 'default',
  nodes: [],
  links: [],
  devices: [],
  fleets: [],
  unlinked: [],
  partitioned: false,
  transport: 'mesh',
  natsServer: null,
  tls: false,
  caFile: null,
};

let nodeOrigins: string[] = ['http://127.0.0.1:41001', 'http://127.0.0.1:41002'];
const api = new ScriptedApi({
  snapshot: () => EMPTY,
  killNode: (args) => {
    throw Object.assign(new Error(`no node ${(args as { nodeId: string }).nodeId}`), { code: 'NoSuchNode' });
  },
  stopNode: () => {
    throw new Error('disk on fire');
  },
  startNode: () => {
    throw Object.assign(new Error('odd'), { code: 'NotAContractCode' });
  },
});
let server: HostServer;
let addr: HostAddress;
const sockets: HostSocketClient[] = [];

beforeAll(async () => {
  server = new HostServer({
    connect: shared(api),
    rendererDir: fixtureRenderer(),
    nodeOrigins: () => nodeOrigins,
  });
  addr = await server.listen();
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(() => server.close());

async function cookie(): Promise<string> {
  return (await login(addr.launchUrl)).cookie;
}

async function openSocket(headers: Record<string, string>): ReturnType<typeof HostSocketClient.open> {
  const result = await HostSocketClient.open(`ws://127.0.0.1:${addr.port}/host`, headers);
  if (result.kind === 'open') sockets.push(result.socket);
  return result;
}

async function connected(): Promise<HostSocketClient> {
  const result = await openSocket({ Origin: addr.origin, Cookie: await cookie() });
  if (result.kind !== 'open') throw new Error(`refused with ${result.status}`);
  return result.socket;
}

describe('HostServer over HTTP', () => {
  it('binds 127.0.0.1 on a port the OS chose and prints a token URL', () => {
    expect(addr.origin).toBe(`http://127.0.0.1:${addr.port}`);
    expect(addr.launchUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${addr.port}/\\?token=[\\w-]{43}$`));
  });

  it('answers 401 with a pointer to the printed URL when a request has neither cookie nor token', async () => {
    for (const path of ['/', '/index.html', '/assets/app-1a2b.js', '/connection.json']) {
      const res = await fetch(addr.origin + path);
      expect(res.status, path).toBe(401);
      expect(await res.text()).toMatch(/URL printed when it started/);
    }
  });

  it('answers 401 to a wrong token and to a forged cookie', async () => {
    expect((await fetch(`${addr.origin}/?token=nope`, { redirect: 'manual' })).status).toBe(401);
    const forged = `smq_cc_${addr.port}=${'A'.repeat(43)}`;
    expect((await fetch(addr.origin, { headers: { Cookie: forged } })).status).toBe(401);
  });

  it('exchanges the token for an HttpOnly SameSite=Strict cookie and redirects (303) to the clean URL', async () => {
    const res = await login(addr.launchUrl);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/');
    expect(res.setCookie).toMatch(
      new RegExp(`^smq_cc_${addr.port}=[\\w-]{43}; HttpOnly; SameSite=Strict; Path=/$`),
    );
    expect(res.setCookie).not.toContain(new URL(addr.launchUrl).searchParams.get('token')!);
    const page = await fetch(addr.origin, { headers: { Cookie: res.cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('sends the strict CSP, no-referrer and nosniff on the page, with exactly the node origins in connect-src', async () => {
    const res = await fetch(addr.origin, { headers: { Cookie: await cookie() } });
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values.join(' ')];
      }),
    );
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src':
        `'self' ${addr.origin} ws://127.0.0.1:${addr.port} ` +
        'http://127.0.0.1:41001 ws://127.0.0.1:41001 http://127.0.0.1:41002 ws://127.0.0.1:41002',
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
  });

  it('asks for the node origins on every page, so a new cluster is in the next CSP', async () => {
    const c = await cookie();
    nodeOrigins = ['http://127.0.0.1:42000'];
    try {
      const csp = (await fetch(addr.origin, { headers: { Cookie: c } })).headers.get(
        'content-security-policy',
      )!;
      expect(csp).toContain('http://127.0.0.1:42000 ws://127.0.0.1:42000');
      expect(csp).not.toContain('41001');
    } finally {
      nodeOrigins = ['http://127.0.0.1:41001', 'http://127.0.0.1:41002'];
    }
  });

  it('serves assets with their type, and the page for paths without an extension', async () => {
    const c = await cookie();
    const js = await fetch(`${addr.origin}/assets/app-1a2b.js`, { headers: { Cookie: c } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const spa = await fetch(`${addr.origin}/devices`, { headers: { Cookie: c } });
    expect(await spa.text()).toContain('<div id="root">');
    expect((await fetch(`${addr.origin}/assets/none.js`, { headers: { Cookie: c } })).status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    const c = await cookie();
    for (const path of [
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2fpackage.json',
      '/%00.js',
      '/a%5c..%5cb.js',
    ]) {
      const res = await rawGet(path, { Cookie: c });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toMatch(/root:|"name"/);
    }
  });

  it('refuses another Host name (DNS rebinding) even with a valid cookie', async () => {
    const res = await rawGet('/', { Cookie: await cookie(), Host: `evil.example:${addr.port}` });
    expect(res.status).toBe(403);
  });

  it('hands the page its connection details', async () => {
    const res = await fetch(`${addr.origin}/connection.json`, { headers: { Cookie: await cookie() } });
    expect(await res.json()).toEqual({ hostUrl: addr.origin, wsPath: '/host' });
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(addr.origin, { method: 'POST', headers: { Cookie: await cookie() } });
    expect(res.status).toBe(405);
  });
});

describe('HostServer contract WebSocket', () => {
  it('refuses a foreign Origin with 403, even with the cookie', async () => {
    for (const origin of [
      'http://evil.example',
      'http://127.0.0.1:1',
      'http://localhost:' + addr.port,
      'null',
    ]) {
      const result = await openSocket({ Origin: origin, Cookie: await cookie() });
      expect(result, origin).toMatchObject({ kind: 'refused', status: 403 });
    }
    const noOrigin = await openSocket({ Cookie: await cookie() });
    expect(noOrigin).toMatchObject({ kind: 'refused', status: 403 });
  });

  it('refuses a socket without the session cookie with 401', async () => {
    const result = await openSocket({ Origin: addr.origin });
    expect(result).toMatchObject({ kind: 'refused', status: 401 });
    const forged = await openSocket({ Origin: addr.origin, Cookie: `smq_cc_${addr.port}=x` });
    expect(forged).toMatchObject({ kind: 'refused', status: 401 });
  });

  it('says hello with the contract version first, then answers a call by id', async () => {
    const s = await connected();
    await s.reply((r) => r.kind === 'hello');
    expect(s.replies[0]).toEqual({ kind: 'hello', version: 1 });
    s.send({ kind: 'call', id: 7, cmd: 'snapshot', args: {} });
    expect(await s.reply((r) => r.kind === 'result' && r.id === 7)).toEqual({
      kind: 'result',
      id: 7,
      result: EMPTY,
    });
  });

  it("maps a thrown error to the contract's HostError: its own code when it is one, else Internal", async () => {
    const s = await connected();
    s.send({ kind: 'call', id: 1, cmd: 'killNode', args: { nodeId: 'n9' } });
    s.send({ kind: 'call', id: 2, cmd: 'stopNode', args: { nodeId: 'n1' } });
    s.send({ kind: 'call', id: 3, cmd: 'startNode', args: { nodeId: 'n1' } });
    const byId = async (id: number): Promise<HostReply> => s.reply((r) => r.kind === 'error' && r.id === id);
    expect(await byId(1)).toEqual({
      kind: 'error',
      id: 1,
      error: { code: 'NoSuchNode', message: 'no node n9' },
    });
    expect(await byId(2)).toEqual({
      kind: 'error',
      id: 2,
      error: { code: 'Internal', message: 'disk on fire' },
    });
    expect(await byId(3)).toEqual({ kind: 'error', id: 3, error: { code: 'Internal', message: 'odd' } });
  });

  it('answers malformed messages with a typed error and keeps serving', async () => {
    const s = await connected();
    s.send('{not json');
    s.send('[1,2]');
    s.send({ kind: 'call', id: 5, cmd: 'formatDisk', args: {} });
    s.send({ kind: 'call', id: 6, cmd: 'snapshot', args: 'x' });
    s.send({ kind: 'reply', id: 8, cmd: 'snapshot' });
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    s.send({ kind: 'call', id: 9, cmd: 'snapshot', args: {} });
    await s.reply((r) => r.kind === 'result' && r.id === 9);
    const errors = s.replies.filter((r) => r.kind === 'error');
    expect(errors.map((e) => [e.id, e.error.code])).toEqual([
      [-1, 'BadArguments'],
      [-1, 'BadArguments'],
      [5, 'BadArguments'],
      [6, 'BadArguments'],
      [8, 'BadArguments'],
      [-1, 'BadArguments'],
    ]);
    expect(s.closed).toBe(false);
  });

  it('forwards host events to every connected window and unsubscribes when one leaves', async () => {
    await waitFor(() => api.subscribers === 0, { what: 'earlier sockets to be gone' });
    const a = await connected();
    const b = await connected();
    await waitFor(() => api.subscribers === 2, { what: 'two subscribers' });
    api.emit({ stream: 'cluster', snapshot: EMPTY });
    for (const s of [a, b]) {
      expect(await s.reply((r) => r.kind === 'event')).toEqual({
        kind: 'event',
        event: { stream: 'cluster', snapshot: EMPTY },
      });
    }
    a.close();
    await waitFor(() => api.subscribers === 1, { what: 'one subscriber left' });
  });
});

describe('HostServer send queue', () => {
  it('drops a window that stops reading instead of queueing without bound', async () => {
    const small = new HostServer({
      connect: shared(api),
      rendererDir: fixtureRenderer(),
      nodeOrigins: () => [],
      maxQueuedBytes: 256 * 1024,
    });
    const a = await small.listen();
    try {
      const c = (await login(a.launchUrl)).cookie;
      const result = await HostSocketClient.open(`ws://127.0.0.1:${a.port}/host`, {
        Origin: a.origin,
        Cookie: c,
      });
      if (result.kind !== 'open') throw new Error('refused');
      const s = result.socket;
      await s.reply((r) => r.kind === 'hello');
      // The renderer stops reading: its socket is paused, so the kernel buffers fill and then the host's.
      const tcp = (s.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      tcp.pause();
      const big = { ...EMPTY, profile: 'x'.repeat(64 * 1024) };
      let sent = 0;
      await waitFor(
        () => {
          for (let i = 0; i < 16; i++, sent++) api.emit({ stream: 'cluster', snapshot: big });
          return small.stats.slowConsumerDrops === 1;
        },
        { timeout: 10_000, what: 'the slow window to be dropped' },
      );
      expect(sent * 64 * 1024).toBeGreaterThan(256 * 1024);
      tcp.resume();
      await waitFor(() => s.closed, { what: 'the client to see the close' });
    } finally {
      await small.close();
    }
  });
});

function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: addr.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
