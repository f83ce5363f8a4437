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

/**
 * The NATS server is known not to carry messages now (down, failed, restarting): the nodes cannot
 * reach each other through it, which is not a partition between nodes.
 */
export function natsUnreachable(server: NatsServerView | null): server is NatsServerView {
  return (
    server !== null && (server.state === 'down' || server.state === 'failed' || server.state === 'restarting')
  );
}

/** "running" (a local server up), "restarting 2/5", "unreachable" (an external one down), else the state. */
function stateWord(server: NatsServerView): string {
  if (server.state === 'up' && server.origin === 'local') return 'running';
  if (server.state === 'down' && server.origin === 'external') return 'unreachable';
  if (server.state === 'restarting' && server.restart)
    return `restarting ${server.restart.attempt}/${server.restart.max}`;
  return server.state;
}

/** The hub's state line: "local · running", "local · restarting 2/5", "external · up". */
export function hubStateText(server: NatsServerView | null): string {
  return server ? `${server.origin} · ${stateWord(server)}` : 'unknown';
}

/**
 * The hub's detail line: why a local server is not up (its error code, how its last run ended),
 * else where it is (the address nodes are connected to).
 */
export function hubDetailText(server: NatsServerView | null): string {
  if (!server) return '';
  if (server.state !== 'up' && server.lastError)
    return [server.lastError.code, server.lastExit && exitText(server.lastExit)].filter(Boolean).join(' · ');
  const [first, ...more] = server.url.split(/,\s*/).map((u) => u.replace(/^[a-z]+:\/\//, ''));
  return more.length > 0 ? `${first} +${more.length}` : (first ?? '');
}

function exitText(exit: NonNullable<NatsServerView['lastExit']>): string {
  return exit.signal ?? `exit ${exit.code}`;
}

/** Everything about the server, for its tooltip and screen readers. */
export function hubLabel(server: NatsServerView | null): string {
  if (!server) return 'NATS';
  return [
    `NATS server ${server.url || '(no node connected)'}, ${server.origin === 'local' ? 'run by the app' : 'external'}, ${stateWord(server)}`,
    server.pid !== null && `pid ${server.pid}`,
    server.lastExit && `last run ended by ${exitText(server.lastExit)}`,
    server.lastError && `${server.lastError.code}: ${server.lastError.message}`,
  ]
    .filter(Boolean)
    .join('; ');
}
