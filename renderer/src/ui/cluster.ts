import type { ClusterSnapshot, LinkView, NodeState, NodeView } from '../../../contract/hostContract.js';

export const DOWN_STATES: readonly NodeState[] = ['stopped', 'killed', 'crashed', 'unreachable'];

export function isDown(n: NodeView): boolean {
  return DOWN_STATES.includes(n.state);
}

/** Groups of up nodes that reach each other over up links (more than one group: partitioned). */
export function reachGroups(snapshot: ClusterSnapshot): string[][] {
  const up = snapshot.nodes.filter((n) => n.state === 'up').map((n) => n.id);
  const adj = new Map<string, string[]>(up.map((id) => [id, []]));
  for (const l of snapshot.links) {
    if (l.state !== 'up' || !adj.has(l.a) || !adj.has(l.b)) continue;
    adj.get(l.a)!.push(l.b);
    adj.get(l.b)!.push(l.a);
  }
  const seen = new Set<string>();
  const groups: string[][] = [];
  for (const id of up) {
    if (seen.has(id)) continue;
    const group: string[] = [];
    const stack = [id];
    seen.add(id);
    while (stack.length) {
      const cur = stack.pop()!;
      group.push(cur);
      for (const next of adj.get(cur) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    groups.push(group.sort(byNodeId));
  }
  return groups;
}

/** n2 before n10. */
export function byNodeId(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

export function linkKey(l: Pick<LinkView, 'a' | 'b'>): string {
  return `${l.a}~${l.b}`;
}

export function joinNames(ids: string[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}
