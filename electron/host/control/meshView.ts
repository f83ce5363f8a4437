import type { LinkView, NodeId } from '../../../contract/hostContract.js';
import type { NodeHealth } from './NodeAdmin.js';

/** One node as the mesh view needs it: whether it answers, its name on the mesh, its /health. */
export interface MeshMember {
  id: NodeId;
  up: boolean;
  /** The node's cluster name: how its peers' /health names it (remoteName, cut). */
  name: string;
  health: NodeHealth | undefined;
}

type HealthLink = NonNullable<NonNullable<NodeHealth['cluster']>['links']>[number];

/** `m`'s side of its link to `other`: an up entry first (a redial may list a stale one too). */
function side(m: MeshMember, other: MeshMember): HealthLink | undefined {
  const all = m.health?.cluster?.links?.filter((l) => l.remoteName === other.name) ?? [];
  return all.find((l) => l.state === 'up') ?? all[0];
}

/** True when either side's /health lists the other among the links it cut. */
export function cutInHealth(a: MeshMember, b: MeshMember): boolean {
  return Boolean(a.health?.cluster?.cut.includes(b.name) || b.health?.cluster?.cut.includes(a.name));
}

function link(a: MeshMember, b: MeshMember, cut: boolean): LinkView {
  const la = side(a, b);
  const lb = side(b, a);
  const bothUp = a.up && b.up;
  const up = bothUp && (la?.state === 'up' || lb?.state === 'up');
  const known = la?.state === 'up' ? la : lb?.state === 'up' ? lb : (la ?? lb);
  return {
    a: a.id,
    b: b.id,
    state: up ? 'up' : cut ? 'cut' : bothUp ? 'connecting' : 'down',
    rttMs: up ? (known?.rttMs ?? null) : null,
    queuedBytes: up ? (known?.pendingBytes ?? 0) : 0,
    lastReason: known?.closeReason ?? (cut ? 'LinkCut' : null),
  };
}

/** Every pair of members (a full mesh), in id order, each seen from both of its ends' /health. */
export function meshLinks(
  members: readonly MeshMember[],
  isCut: (a: MeshMember, b: MeshMember) => boolean,
): LinkView[] {
  const sorted = [...members].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const out: LinkView[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      out.push(link(a, b, isCut(a, b)));
    }
  }
  return out;
}

/** A link needs a moment after its nodes start: a pair still linking then is not reported. */
export const LINK_SETTLE_MS = 5000;

/**
 * Pairs of up members without an up direct link. Links are one hop (a message crosses at most one
 * link), so such a pair exchanges no messages even when both reach a third member. A 'connecting'
 * link while either node is younger than LINK_SETTLE_MS is still coming up, not missing.
 */
export function unlinkedPairs(
  members: readonly MeshMember[],
  links: readonly LinkView[],
): [NodeId, NodeId][] {
  const byId = new Map(members.map((m) => [m.id, m]));
  const settling = (m: MeshMember | undefined): boolean => (m?.health?.uptimeMs ?? 0) < LINK_SETTLE_MS;
  return links
    .filter((l) => {
      const a = byId.get(l.a);
      const b = byId.get(l.b);
      if (!a?.up || !b?.up || l.state === 'up') return false;
      return !(l.state === 'connecting' && (settling(a) || settling(b)));
    })
    .map((l): [NodeId, NodeId] => [l.a, l.b]);
}
