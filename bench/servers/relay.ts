/**
 * Target (a): a bare `ws` relay, the ceiling for a Node WebSocket broker. The channel is the URL
 * path; each binary message is re-sent, unparsed, to the other clients of its channel. A client
 * whose URL carries `?pub` only sends (devices, publishers) and is not a receiver.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const channels = new Map<string, Set<WebSocket>>();
const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, perMessageDeflate: false });

wss.on('connection', (ws, req) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const channel = q < 0 ? url : url.slice(0, q);
  const receiver =
    q < 0 ||
    !url
      .slice(q + 1)
      .split('&')
      .includes('pub');
  let peers = channels.get(channel);
  if (!peers) {
    peers = new Set();
    channels.set(channel, peers);
  }
  const group = peers;
  if (receiver) group.add(ws);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    for (const peer of group) if (peer !== ws) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => group.delete(ws));
  ws.on('error', () => ws.terminate());
});

server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object') process.stdout.write(`relay listening on ${addr.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
