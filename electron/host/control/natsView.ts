import type { NatsServerView, NodeId, NodeNatsView, NodeView } from '../../../contract/hostContract.js';
import { LINK_SETTLE_MS, type MeshMember } from './meshView.js';

/*
 * NATS as the host shows it, read from each node's /health (`cluster.nats`, written by the broker's
 * NatsBackplane). The reader takes the JSON as unknown and tolerates missing fields, so a node of
 * another version shows what it reports and nothing breaks on what it does not.
 */

const STATES: readonly NodeNatsView['state'][] = ['connecting', 'connected', 'reconnecting', 'closed'];

type Json = Record<string, unknown>;
const record = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A node's NATS state from its /health `cluster` object; null when the node is not on NATS. */
export function natsNodeView(cluster: unknown): NodeNatsView | null {
  const nats = record(record(cluster)?.nats);
  if (!nats) return null;
  const peers = Array.isArray(nats.peers) ? nats.peers.map((p) => text(record(p)?.name)) : [];
  return {
    state: STATES.find((s) => s === nats.state) ?? 'connecting',
    server: text(nats.server),
    rttMs: count(nats.rttMs),
    reconnects: count(nats.reconnects) ?? 0,
    pendingBytes: count(nats.pendingBytes) ?? 0,
    peers: peers.filter((p): p is string => p !== null),
    lastError: text(nats.lastError),
  };
}

/**
 * Pairs (a < b) of up members on NATS where one does not hear the other: their clients exchange
 * no messages. A member younger than LINK_SETTLE_MS is still joining and not counted.
 */
export function natsUnlinked(members: readonly MeshMember[]): [NodeId, NodeId][] {
  const settled = members
    .filter((m) => m.up && (m.health?.uptimeMs ?? 0) >= LINK_SETTLE_MS)
    .map((m) => ({ m, peers: natsNodeView(m.health?.cluster)?.peers ?? [] }))
    .sort((x, y) => (x.m.id < y.m.id ? -1 : x.m.id > y.m.id ? 1 : 0));
  const out: [NodeId, NodeId][] = [];
  for (let i = 0; i < settled.length; i++)
    for (let j = i + 1; j < settled.length; j++) {
      const a = settled[i]!;
      const b = settled[j]!;
      if (!a.peers.includes(b.m.name) || !b.peers.includes(a.m.name)) out.push([a.m.id, b.m.id]);
    }
  return out;
}

/** A NATS server the host does not run: up while any node is connected, unknown with no node up. */
export function externalServerView(url: string, nodes: readonly NodeView[]): NatsServerView {
  const up = nodes.filter((n) => n.state === 'up' && n.nats);
  const state = up.length === 0 ? 'unknown' : up.some((n) => n.nats!.state === 'connected') ? 'up' : 'down';
  return { origin: 'external', url, state, pid: null, restart: null, lastExit: null, lastError: null };
}

/**
 * The NATS of a remote cluster, as its nodes' /health tells it: the servers they are connected to
 * now; null when no node reports NATS (a mesh cluster, or none answers).
 */
export function reportedServerView(nodes: readonly NodeView[]): NatsServerView | null {
  if (!nodes.some((n) => n.nats)) return null;
  const servers = [...new Set(nodes.flatMap((n) => (n.nats?.server ? [n.nats.server] : [])))].sort();
  return externalServerView(servers.join(', '), nodes);
}
