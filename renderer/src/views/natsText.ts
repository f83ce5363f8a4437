/* How a node's NATS state reads: on its card, on its spoke to the NATS hub, to screen readers. */
import type { NatsServerView, NodeNatsView, NodeView } from '../../../contract/hostContract.js';
import { formatBytes, formatCount, formatRtt } from '../ui/format.js';

/** The spoke's state, in the mesh links' vocabulary (and colours). */
export function spokeState(n: NodeView): 'up' | 'connecting' | 'down' {
  if (n.state !== 'up' || !n.nats || n.nats.state === 'closed') return 'down';
  return n.nats.state === 'connected' ? 'up' : 'connecting';
}

/** Short, on the spoke: the RTT when connected, else the state. */
export function spokeText(n: NodeView): string {
  const s = spokeState(n);
  if (s !== 'up' || !n.nats) return n.state !== 'up' ? 'down' : (n.nats?.state ?? 'down');
  return n.nats.rttMs === null ? 'connected' : formatRtt(n.nats.rttMs);
}

/** "connected to nats://127.0.0.1:4222 · RTT 0.42 ms · 0 reconnects · 0 B pending". */
export function natsStateText(nats: NodeNatsView): string {
  return [
    nats.server ? `${nats.state} to ${nats.server}` : nats.state,
    `RTT ${formatRtt(nats.rttMs)}`,
    `${formatCount(nats.reconnects)} ${nats.reconnects === 1 ? 'reconnect' : 'reconnects'}`,
    `${formatBytes(nats.pendingBytes)} pending`,
  ].join(' · ');
}

export function spokeLabel(n: NodeView): string {
  return `${n.id} to NATS: ${n.nats ? natsStateText(n.nats) : n.state}`;
}

export function hubLabel(server: NatsServerView | null): string {
  if (!server) return 'NATS';
  return `NATS server ${server.url}, ${server.origin === 'local' ? 'run by the app' : 'external'}, ${server.state}`;
}
