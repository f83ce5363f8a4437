import type { EventEmitter } from 'node:events';
import type { DrainPace, LinkView, NodeId, NodeView } from '../../../contract/hostContract.js';
import type { NodeAdmin } from './NodeAdmin.js';

/**
 * What the host needs of a cluster, whoever runs its nodes: LocalCluster (child processes the
 * host starts) or RemoteCluster (nodes elsewhere, attached by URL and admin token). Emits
 * 'change' when its nodes or their states change; figures move on poll().
 */
export interface ClusterSource extends EventEmitter<{ change: [] }> {
  readonly kind: 'local' | 'remote';
  /** The nodes serve https:// and wss:// (ClusterSnapshot.tls). */
  readonly tls: boolean;
  ids(): NodeId[];
  nodes(): NodeView[];
  links(): LinkView[];
  /** Pairs of up nodes without a working direct link (links are one hop: no messages cross). */
  unlinked(): [NodeId, NodeId][];
  /** Each node's http(s)://host:port origin, for nodes that have one (a local node before its first start has none). */
  origins(): Map<NodeId, string>;
  /** The node's admin endpoint; NodeNotUp when it is not up, NoSuchNode when unknown. */
  admin(id: NodeId): NodeAdmin;
  /**
   * Starts draining a node (clients moved off it a batch at a time); it ends stopped: a local node
   * by the host, a remote one by its own exit. `pace` unset: the node's defaults.
   */
  drain(id: NodeId, pace?: DrainPace): Promise<void>;
  /** Cuts (or restores) the link between two nodes, on both sides. */
  setCut(a: NodeId, b: NodeId, cut: boolean): Promise<void>;
  /** Reads every node's /health once. */
  poll(): Promise<void>;
  /** Local: stops the nodes. Remote: stops watching them (never touches the nodes). */
  close(): Promise<void>;
}

/** `http://h:p` → the SMQ URLs clients use: WebSocket and raw TCP (https → wss). */
export function smqUrls(origin: string): { wsUrl: string; rawUrl: string } {
  const ws = origin.startsWith('https:') ? origin.replace(/^https/, 'wss') : origin.replace(/^http/, 'ws');
  return { wsUrl: `${ws}/smq.lsp`, rawUrl: `${origin}/smq.lsp` };
}
