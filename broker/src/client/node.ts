import type { ConnectionOptions } from 'node:tls';
import type { ClientOptions as WsOptions } from 'ws';
import { SmqClient } from './SmqClient.js';
import { rawTcpTransport, type RawBootstrap } from './rawTcp.js';
import { nodeWebSocketTransport } from './nodeWebSocket.js';
import type { TransportFactory } from './transport.js';
import type { ClientOptions } from './types.js';

export { SmqClient } from './SmqClient.js';
export type * from './types.js';
export type { ClientTransport, TransportEvents, TransportFactory } from './transport.js';
export type { RawBootstrap } from './rawTcp.js';

export interface NodeClientOptions extends ClientOptions {
  /**
   * PEM CA certificate(s) that an https:// or wss:// node's certificate is verified against
   * (default: the system roots); `tls.ca` or `ws.ca` win where given.
   */
  ca?: string | Buffer | (string | Buffer)[];
  /** For https:// (raw TCP over TLS): CA, rejectUnauthorized, ... */
  tls?: ConnectionOptions;
  /** For ws:// and wss:// (TLS settings too), passed to the `ws` package. */
  ws?: WsOptions;
  /** For http:// and https://: the request that starts raw TCP (see RawBootstrap). Default 'status'. */
  rawBootstrap?: RawBootstrap;
}

/** ws:// and wss:// → WebSocket; http:// and https:// → raw TCP (TLS for https). */
export function nodeTransport(
  options: Pick<NodeClientOptions, 'ca' | 'tls' | 'ws' | 'rawBootstrap'> = {},
): TransportFactory {
  const { ca } = options;
  const tlsOptions = ca === undefined ? options.tls : { ca, ...options.tls };
  const wsOptions = ca === undefined ? options.ws : { ca, ...options.ws };
  return (url, events) => {
    const u = new URL(url);
    switch (u.protocol) {
      case 'ws:':
      case 'wss:':
        return nodeWebSocketTransport(url, events, wsOptions);
      case 'http:':
      case 'https:':
        return rawTcpTransport(u, events, tlsOptions, options.rawBootstrap);
      default:
        throw new Error(`unsupported URL scheme ${u.protocol} (ws, wss, http, https)`);
    }
  };
}

/** Starts a client on one broker URL or a list picked at random (DNS round robin). */
export function connect(urls: string | readonly string[], options: NodeClientOptions = {}): SmqClient {
  return new SmqClient(urls, options, nodeTransport(options));
}
