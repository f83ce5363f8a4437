/* What the topology graph says to screen readers: node and link labels, the summary, the hints. */
import type { ClusterSnapshot, LinkView, NodeView } from '../../../contract/hostContract.js';
import { formatCount, formatMsgRate, formatRtt } from '../ui/format.js';

export const clientsText = (n: number): string => `${formatCount(n)} ${n === 1 ? 'client' : 'clients'}`;

/** What a screen reader says on a node: "node n2, up, 3 clients, 0.4 msg/s". */
export function nodeLabel(n: NodeView): string {
  if (n.state !== 'up') return `node ${n.id}, ${n.state}`;
  return `node ${n.id}, up, ${clientsText(n.clients)}, ${formatMsgRate(n.msgsPerSec)}`;
}

/** "link n1 to n2, up, RTT 0.42 ms", "link n1 to n2, cut". */
export function linkLabel(l: LinkView): string {
  const rtt = l.state === 'up' && l.rttMs !== null ? `, RTT ${formatRtt(l.rttMs)}` : '';
  return `link ${l.a} to ${l.b}, ${l.state}${rtt}`;
}

/** Read by screen readers on every focusable node and link of the graph. */
export const ARIA = {
  'node.a11yDescription.default':
    'Press Enter or Space for this node’s actions (start, stop, restart, kill), Escape to close them.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter or Space for this node’s actions.',
  'edge.a11yDescription.default': 'Press Enter or Space to cut or restore this link, Escape to close.',
};

/** The graph in one sentence, for screen readers. */
export function describe(s: ClusterSnapshot): string {
  const nodes = s.nodes.map((n) => `${n.id} ${n.state}`).join(', ');
  const links = s.links.map((l) => `${l.a}-${l.b} ${l.state}`).join(', ');
  return `Nodes: ${nodes}. Links: ${links}.`;
}
