/** What the bench reads from a node's /health `cluster` section, for both transports. */

export type ClusterTransport = 'mesh' | 'nats';

export interface LinkHealth {
  remoteNodeId?: string;
  state?: string;
  msgsIn: number;
  msgsOut: number;
  bytesIn: number;
  bytesOut: number;
}

export interface PeerHealth {
  name: string;
  /** ETIDs of that peer this node knows (its directory). */
  etids: number;
  topicsOfInterest: number;
}

export interface NodeHealth {
  sessions: number;
  cluster?: {
    transport?: ClusterTransport;
    links?: LinkHealth[];
    peers?: PeerHealth[];
    nats?: { state: string; subscriptions: number; peers?: { awaitingSnapshot: boolean }[] };
  };
}

export async function readHealth(port: number, timeoutMs = 2000): Promise<NodeHealth | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return (await res.json()) as NodeHealth;
  } catch {
    return undefined;
  }
}

/**
 * The peers a node is fully joined with: on the mesh, distinct peers with a link in state 'up'; on
 * NATS, peers heard on presence whose snapshot came (none awaiting one), while connected to NATS.
 */
export function joinedPeers(h: NodeHealth | undefined): number {
  const c = h?.cluster;
  if (!c) return 0;
  if (c.nats) {
    if (c.nats.state !== 'connected' || (c.nats.peers ?? []).some((p) => p.awaitingSnapshot)) return 0;
    return c.nats.peers?.length ?? 0;
  }
  return new Set((c.links ?? []).filter((l) => l.state === 'up').map((l) => l.remoteNodeId)).size;
}
