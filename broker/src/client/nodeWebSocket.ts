import { WebSocket, type ClientOptions as WsOptions, type RawData } from 'ws';
import type { ClientTransport, TransportEvents } from './transport.js';
import { connectionErrorText } from '../node/tlsOptions.js';

/** SMQ over WebSocket in Node (the `ws` package): one binary message per packet, no framing. */
export function nodeWebSocketTransport(
  url: string,
  events: TransportEvents,
  options: WsOptions = {},
): ClientTransport {
  const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
  let error: string | undefined;
  let closed = false;
  const finish = (reason: string): void => {
    if (closed) return;
    closed = true;
    ws.terminate();
    events.onclose(reason);
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (closed) return;
    if (!isBinary) return finish('text WebSocket message; SMQ packets are binary');
    events.onpacket(toBytes(data));
  });
  ws.on('error', (e) => (error ??= connectionErrorText(e)));
  ws.on('close', (code) => finish(error ?? `WebSocket closed (${code})`));
  return {
    send(packet) {
      if (!closed && ws.readyState === WebSocket.OPEN) ws.send(packet);
    },
    close() {
      if (closed) return;
      closed = true;
      // close() flushes a last Disconnect; a socket still connecting can only be dropped.
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
