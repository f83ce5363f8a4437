import { afterEach } from 'vitest';
import { connect, type NodeClientOptions, type SmqClient } from '../../../broker/src/client/node.js';
import type { RunningNode } from '../../helpers/startNode.js';
import { waitFor } from '../../helpers/waitFor.js';

/** The client's two transports, picked by URL scheme. */
export type ClientTransportName = 'ws' | 'raw';
export const CLIENT_TRANSPORTS: ClientTransportName[] = ['ws', 'raw'];
export const CLIENT_PAIRS: [ClientTransportName, ClientTransportName][] = CLIENT_TRANSPORTS.flatMap((a) =>
  CLIENT_TRANSPORTS.map((b): [ClientTransportName, ClientTransportName] => [a, b]),
);

export function urlFor(port: number, transport: ClientTransportName, path = '/smq.lsp'): string {
  return `${transport === 'ws' ? 'ws' : 'http'}://127.0.0.1:${port}${path}`;
}

const open = new Set<SmqClient>();
const nodes = new Set<RunningNode>();

/** Fast reconnects, so tests that restart nodes stay short. */
export const FAST: NodeClientOptions = {
  reconnect: { minDelayMs: 20, maxDelayMs: 200 },
  handshakeTimeoutMs: 3000,
};

/** A client that afterEach disconnects. */
export function client(urls: string | string[], options: NodeClientOptions = {}): SmqClient {
  const c = connect(urls, { ...FAST, ...options });
  open.add(c);
  return c;
}

/** A client past Connack. */
export async function connected(
  urls: string | string[],
  options: NodeClientOptions = {},
): Promise<SmqClient> {
  const c = client(urls, options);
  await waitFor(() => c.connected, { what: `client on ${String(urls)} connected` });
  return c;
}

/** A node that afterEach closes. */
export function track(n: RunningNode): RunningNode {
  nodes.add(n);
  return n;
}

afterEach(async () => {
  for (const c of open) c.disconnect();
  open.clear();
  for (const n of nodes) await n.close();
  nodes.clear();
});

/** Collects what a handler receives, for waitFor and exact assertions. */
export function inbox<T>(): { got: T[]; push: (m: T) => void } {
  const got: T[] = [];
  return { got, push: (m) => got.push(m) };
}

/**
 * For negative claims ("does not retry"): `fn` must stay true for `ms`, polled. The window is many
 * times the FAST reconnect delay, so a retry would show.
 */
export async function holds(fn: () => boolean, ms = 300, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!fn()) throw new Error(`${what} stopped holding`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
