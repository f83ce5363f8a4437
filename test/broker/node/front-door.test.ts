import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startNode, type RunningNode } from '../../helpers/startNode.js';
import { RawPeer, WsPeer, cClientRequest, httpResponseRequest } from '../../helpers/SmqPeer.js';
import { PacketType } from '../../../broker/src/protocol/constants.js';
import { encodeConnect } from '../../../broker/src/protocol/connect.js';
import { frameToBuffer } from '../../../broker/src/protocol/framing.js';
import { TRANSPORTS, connectPeer, openPeer, publish, subscribe } from '../../helpers/session.js';

let n: RunningNode | undefined;
afterEach(async () => {
  await n?.close();
  n = undefined;
});

/** The exact bytes a socket receives before it is closed or `until` holds. */
async function rawExchange(
  port: number,
  send: string | Buffer,
  until: (b: Buffer) => boolean,
): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1');
  let got = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (until(got)) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.write(send);
  });
}

describe('front door: raw TCP bootstrap (spec Transports 2)', () => {
  it('writes nothing but SMQ frames to a C client: the first bytes are the framed Init', async () => {
    n = await startNode();
    const peer = await RawPeer.connect(n.port, cClientRequest());
    await peer.next(PacketType.Init);
    const init = peer.rawBytes;
    // u16 length 0x0011 = 2 + 1 type + 1 version + 4 seed + "127.0.0.1" (9)
    expect(init.subarray(0, 4).toString('hex')).toBe('00110101');
    expect(init.toString('latin1', 8)).toBe('127.0.0.1');
    expect(init.length).toBe(0x11);
    peer.end();
  });

  it('answers SendSmqHttpResponse with a status block carrying SmqBroker: true, alone, then Init', async () => {
    n = await startNode();
    const got = await rawExchange(n.port, httpResponseRequest(), (b) => b.includes('127.0.0.1'));
    const text = got.toString('latin1');
    const end = text.indexOf('\r\n\r\n') + 4;
    const head = text.slice(0, end);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\nSmqBroker: true\r\n/);
    expect(head).not.toMatch(/content-length|transfer-encoding/i);
    expect(got.subarray(end, end + 4).toString('hex')).toBe('00110101');
  });

  it.each([
    ['Java: SimpleMQ true', httpResponseRequest('/smq.lsp', 'true')],
    [
      'Android: POST',
      'POST /smq.lsp HTTP/1.1\r\nHost: x\r\nSimpleMQ: 1\r\nSendSmqHttpResponse: true\r\n\r\n',
    ],
    [
      'any path, header case',
      'GET /any/where HTTP/1.1\r\nsimplemq: yes\r\nsendsmqhttpresponse: TRUE\r\n\r\n',
    ],
  ])('accepts any SimpleMQ value and method (%s)', async (_name, req) => {
    n = await startNode();
    const peer = await RawPeer.connect(n.port, req);
    await peer.next(PacketType.Init);
    expect(peer.httpHead).toContain('SmqBroker: true');
    peer.end();
  });

  it('keeps bytes that arrive in the same segment as the request header block', async () => {
    n = await startNode();
    const connect = frameToBuffer(encodeConnect({ uid: Buffer.from('0102030405aa', 'hex') }));
    const got = await rawExchange(
      n.port,
      Buffer.concat([Buffer.from(cClientRequest()), connect]),
      (b) => b.length >= 0x11 + 8,
    );
    expect(got.subarray(0x11, 0x11 + 4).toString('hex')).toBe('00080300');
  });

  it('keeps a C-like raw client working with the HTTP server timeouts at 1 s', async () => {
    n = await startNode({}, { http: { headersTimeout: 1000, requestTimeout: 1000, keepAliveTimeout: 1000 } });
    const sub = await connectPeer(n.port, 'raw');
    const pub = await connectPeer(n.port, 'raw');
    const tid = await subscribe(sub.peer, 't');
    // Past every HTTP timeout: wait for something the node does on its own clock instead of sleeping.
    const t0 = Date.now();
    while (Date.now() - t0 < 2500) await pub.peer.sync();
    publish(pub, tid, 'after 2.5 s');
    expect((await sub.peer.next(PacketType.Publish)).toString('utf8', 13)).toBe('after 2.5 s');
    expect(sub.peer.closed || pub.peer.closed).toBe(false);
  });
});

describe('front door: web traffic', () => {
  it('serves a status page at / and 400 on the SMQ path, 404 elsewhere', async () => {
    n = await startNode({ name: 'alpha' });
    const page = await fetch(`http://127.0.0.1:${n.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('alpha');
    expect((await fetch(`http://127.0.0.1:${n.port}/smq.lsp`)).status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${n.port}/nope`)).status).toBe(404);
  });

  it('upgrades WebSocket on any path, including /smq.lsp', async () => {
    n = await startNode();
    for (const path of ['/smq.lsp', '/', '/x/y']) {
      const ws = await WsPeer.connect(n.port, path);
      expect((await ws.next(PacketType.Init))[1]).toBe(1);
      ws.end();
    }
  });

  it('drops a connection whose header block exceeds the cap, and the node carries on', async () => {
    n = await startNode({}, { maxHeadBytes: 1024 });
    const got = await rawExchange(n.port, 'GET / HTTP/1.1\r\nX: ' + 'a'.repeat(4096), () => false);
    expect(got.length).toBe(0);
    expect((await fetch(`http://127.0.0.1:${n.port}/`)).status).toBe(200);
  });

  it('close() does not wait for a connection still sending its request header block', async () => {
    n = await startNode();
    const slow = net.connect(n.port, '127.0.0.1');
    slow.on('error', () => {});
    await new Promise<void>((resolve) => slow.once('connect', resolve));
    slow.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const gone = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    // Accepted in order: once a later connection is served, the slow one is in the front door.
    expect((await fetch(`http://127.0.0.1:${n.port}/health`)).status).toBe(200);
    const t0 = Date.now();
    await n.server.close();
    n = undefined;
    expect(Date.now() - t0).toBeLessThan(1000);
    await gone;
  });
});

describe.each(TRANSPORTS)('TCP keepalive on %s SMQ sockets (spec rule 8)', (t) => {
  it('is turned on for the node side of the socket', async () => {
    const setKeepAlive = vi.spyOn(net.Socket.prototype, 'setKeepAlive');
    try {
      n = await startNode();
      const peer = await openPeer(n.port, t);
      await peer.next(PacketType.Init);
      const socket =
        peer instanceof RawPeer ? peer.socket : (peer as WsPeer & { ws: { _socket: net.Socket } }).ws._socket;
      const onNodeSide = setKeepAlive.mock.contexts
        .map((s, i) => [(s as net.Socket).remotePort, setKeepAlive.mock.calls[i]])
        .filter(([port]) => port === socket.localPort);
      expect(onNodeSide).toEqual([[socket.localPort, [true, expect.any(Number)]]]);
      peer.end();
    } finally {
      setKeepAlive.mockRestore();
    }
  });
});
