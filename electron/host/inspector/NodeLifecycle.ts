import type { NodeId, NodeLifecycleReason, NodeState, NodeView } from '../../../contract/hostContract.js';
import type { UnnumberedRow } from './TapRing.js';
import { nodeRow } from './tapRows.js';

/**
 * Each state a node can end an incarnation in, with the reason its nodeStop row carries; a node
 * stopped whose view shows the drain that ended it is 'Drained' instead.
 */
const STOP_REASONS: Partial<Record<NodeState, NodeLifecycleReason>> = {
  stopped: 'Stopped',
  killed: 'Killed',
  crashed: 'Exited',
  unreachable: 'Unreachable',
};

/**
 * The host's side of the lifecycle tap: nodeStart and nodeStop rows from the node states it
 * follows (a local node's process spawning and exiting, a remote node's /health answering or
 * not). One row per transition: 'starting' and 'stopping' are not an end, and a node first seen
 * down (a remote one before its first answer) reports nothing until it comes up.
 */
export class NodeLifecycle {
  private readonly up = new Map<NodeId, boolean>();

  constructor(private readonly emit: (row: UnnumberedRow) => void) {}

  /** Call with every cluster change; `kind` tells a start by the host from a remote node answering. */
  update(nodes: readonly NodeView[], kind: 'local' | 'remote'): void {
    const seen = new Set<NodeId>();
    for (const n of nodes) {
      seen.add(n.id);
      const wasUp = this.up.get(n.id) ?? false;
      if (n.state === 'up' && !wasUp) {
        this.up.set(n.id, true);
        const renamed = n.renamedFrom === undefined ? null : `restarted as ${n.id} (was ${n.renamedFrom})`;
        this.emit(nodeRow(n.id, 'nodeStart', kind === 'local' ? 'Started' : 'Reachable', renamed));
        continue;
      }
      const stop = n.state === 'stopped' && n.drain?.state === 'drained' ? 'Drained' : STOP_REASONS[n.state];
      if (stop && wasUp) {
        this.up.set(n.id, false);
        this.emit(nodeRow(n.id, 'nodeStop', stop, stopDetail(stop, n, kind)));
      }
    }
    for (const id of this.up.keys()) if (!seen.has(id)) this.up.delete(id);
  }
}

function stopDetail(reason: NodeLifecycleReason, n: NodeView, kind: 'local' | 'remote'): string | null {
  if (reason === 'Killed') return 'SIGKILL from the host';
  if (reason === 'Stopped') return 'SIGTERM from the host';
  if (reason === 'Drained') {
    const moved = `its ${n.drain?.total ?? 0} clients moved`;
    return kind === 'local' ? `${moved}, then SIGTERM from the host` : `${moved}, it exited by itself`;
  }
  return n.lastError?.message ?? null;
}
