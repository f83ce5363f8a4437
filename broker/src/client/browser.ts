import { SmqClient } from './SmqClient.js';
import type { ClientTransport, TransportEvents, TransportFactory } from './transport.js';
import type { ClientOptions } from './types.js';

export { SmqClient } from './SmqClient.js';
export type * from './types.js';

/** The part of the WHATWG WebSocket this client uses (no DOM lib in this tsconfig). */
interface BrowserWebSocket {
  binaryType: string;
  readonly readyState: number;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number): void;
}
type WebSocketConstructor = new (url: string) => BrowserWebSocket;

const OPEN = 1;

/** SMQ over the platform WebSocket: one binary message per packet. */
export function browserWebSocketTransport(url: string, events: TransportEvents): ClientTransport {
  const Ctor = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Ctor) throw new Error('no WebSocket in this environment');
  const ws = new Ctor(url);
  ws.binaryType = 'arraybuffer';
  let closed = false;
  const finish = (reason: string): void => {
    if (closed) return;
    closed = true;
    ws.onmessage = ws.onclose = ws.onerror = null;
    ws.close();
    events.onclose(reason);
  };
  ws.onmessage = (e) => {
    if (e.data instanceof ArrayBuffer) events.onpacket(new Uint8Array(e.data));
    else finish('text WebSocket message; SMQ packets are binary');
  };
  // Browsers give no detail on errors; the close event that follows carries the code.
  ws.onclose = (e) => finish(`WebSocket closed (${e.code})`);
  return {
    send(packet) {
      if (!closed && ws.readyState === OPEN) ws.send(packet);
    },
    close() {
      if (closed) return;
      closed = true;
      ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close(1000);
    },
  };
}

/** http(s):// names the same broker; a browser can only reach it by WebSocket. */
export const browserTransport: TransportFactory = (url, events) =>
  browserWebSocketTransport(url.replace(/^http(s?):/, 'ws$1:'), events);

/** Starts a client on one broker URL or a list picked at random (DNS round robin). */
export function connect(urls: string | readonly string[], options: ClientOptions = {}): SmqClient {
  return new SmqClient(urls, options, browserTransport);
}
