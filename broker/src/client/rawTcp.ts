import net from 'node:net';
import tls from 'node:tls';
import { frame, RawFrameDecoder } from '../protocol/framing.js';
import type { ClientTransport, TransportEvents } from './transport.js';
import { connectionErrorText } from '../node/tlsOptions.js';

/** Longest HTTP status block accepted before the first frame. */
const MAX_HEAD = 8192;
const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * How the raw-TCP connection starts. 'status' (the default): as the Python, Java and Lua clients
 * do, asking for the broker's HTTP status block, which tells a broker from any other web server on
 * that port. 'c-client': the C client's and C LED device's bare HTTP/1.0 request, after which the
 * first bytes are the framed Init (for a device that must look like the C one on the wire).
 */
export type RawBootstrap = 'status' | 'c-client';

/** The request line and headers, byte for byte as the client whose bootstrap it is sends them. */
function bootstrapRequest(url: URL, bootstrap: RawBootstrap): string {
  const path = `${url.pathname || '/'}${url.search}`;
  return bootstrap === 'c-client'
    ? // SMQClient.c: the Host header carries the host name without the port.
      `GET ${path} HTTP/1.0\r\nHost: ${url.hostname}\r\nSimpleMQ: 1\r\nUser-Agent: SimpleMQ/1\r\n\r\n`
    : `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nSimpleMQ: 1\r\nSendSmqHttpResponse: true\r\n\r\n`;
}

/**
 * SMQ over raw TCP (http://) or TLS (https://): the bootstrap request, the broker's status block
 * when asked for (must be 200), then packets framed with a u16 length.
 */
export function rawTcpTransport(
  url: URL,
  events: TransportEvents,
  tlsOptions: tls.ConnectionOptions = {},
  bootstrap: RawBootstrap = 'status',
): ClientTransport {
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port) || (secure ? 443 : 80);
  const socket = secure
    ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...tlsOptions })
    : net.connect({ host, port });
  socket.setNoDelay(true);
  // The JavaScript and Lua clients never Ping; TCP keepalive finds a dead peer on an idle link.
  socket.setKeepAlive(true, 60_000);
  // The C form gets no status block: frames from the first byte.
  let head: Buffer | undefined = bootstrap === 'status' ? Buffer.alloc(0) : undefined;
  let first = true;
  let error: string | undefined;
  let closed = false;
  const finish = (reason: string): void => {
    if (closed) return;
    closed = true;
    decoder.stop();
    socket.destroy();
    events.onclose(reason);
  };
  const decoder = new RawFrameDecoder((p) => events.onpacket(p));
  const feed = (chunk: Buffer): void => {
    const err = decoder.push(chunk);
    if (err) finish(err.message);
  };
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    socket.write(bootstrapRequest(url, bootstrap), 'latin1');
  });
  socket.on('data', (chunk: Buffer) => {
    if (first && head === undefined && chunk.toString('latin1', 0, 5) === 'HTTP/') {
      // A web server, not a broker: an Init frame never starts with these bytes.
      return finish(`not an SMQ broker: ${chunk.toString('latin1', 0, chunk.indexOf('\r\n'))}`);
    }
    first = false;
    if (head === undefined) return feed(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf(HEAD_END);
    if (end < 0) {
      if (head.length > MAX_HEAD) finish('HTTP response head too long');
      return;
    }
    const status = head.toString('latin1', 0, head.indexOf('\r\n'));
    const rest = head.subarray(end + HEAD_END.length);
    head = undefined;
    if (!/^HTTP\/1\.[01] 200\b/.test(status)) return finish(`not an SMQ broker: ${status}`);
    if (rest.length > 0) feed(rest);
  });
  socket.on('error', (e) => (error ??= connectionErrorText(e)));
  socket.on('close', () => finish(error ?? 'connection closed'));
  return {
    pubFrag: true,
    send(packet) {
      if (closed) return;
      const [h, body] = frame(packet);
      socket.cork();
      socket.write(h);
      socket.write(body);
      socket.uncork();
    },
    close() {
      if (closed) return;
      closed = true;
      decoder.stop();
      // end() flushes a last Disconnect; destroy once it is written so no socket lingers.
      if (socket.connecting) socket.destroy();
      else socket.end(() => socket.destroy());
    },
  };
}
