import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  HOST_CONTRACT_VERSION,
  HostCallError,
  type HostApi,
  type HostReply,
  type HostRequest,
} from '../../contract/hostContract.js';

/** The same policy the real host sends (electron/host/csp.ts): no inline script, no eval. */
const CSP = (origin: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${origin.replace('http:', 'ws:')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export interface ServedRenderer {
  url: string;
  close(): Promise<void>;
}

/**
 * A test-only stand-in for the host server: serves dist/renderer under the host's CSP from an
 * http://127.0.0.1 origin (port 0) and the contract on `/host`, for any HostApi (a fake one).
 */
export async function serveRenderer(
  api: HostApi,
  root = path.resolve('dist/renderer'),
): Promise<ServedRenderer> {
  let origin = '';
  const server = http.createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
      const file = path.resolve(root, rel);
      if (!file.startsWith(root + path.sep)) {
        res.writeHead(400).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CSP(origin),
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  const wss = new WebSocketServer({ server, path: '/host' });
  wss.on('connection', (ws) => bind(ws, api));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function bind(ws: WebSocket, api: HostApi): void {
  const send = (r: HostReply): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(r));
  };
  send({ kind: 'hello', version: HOST_CONTRACT_VERSION });
  const stop = api.subscribe((event) => send({ kind: 'event', event }));
  ws.on('message', (data) => {
    const req = JSON.parse(String(data)) as HostRequest;
    api.call(req.cmd, req.args as never).then(
      (result) => send({ kind: 'result', id: req.id, result }),
      (e: unknown) =>
        send({
          kind: 'error',
          id: req.id,
          error: e instanceof HostCallError ? e.error : { code: 'Internal', message: String(e) },
        }),
    );
  });
  ws.on('close', stop);
}
