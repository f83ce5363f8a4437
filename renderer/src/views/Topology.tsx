import { useEffect, useMemo } from 'react';
import {
  BaseEdge,
  EdgeLabelRenderer,
  getStraightPath,
  Handle,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/base.css';
import type { ClusterSnapshot, LinkView, NodeView } from '../../../contract/hostContract.js';
import { formatCount, formatRate, formatRtt } from '../ui/format.js';
import { linkKey } from '../ui/cluster.js';
import type { Theme } from '../ui/theme.js';

type TopoNode = Node<{ node: NodeView }, 'smq'>;
type TopoEdge = Edge<{ link: LinkView; selected: boolean }, 'link'>;

const NODE_W = 168;
const NODE_H = 68;

/**
 * Nodes on an ellipse (a triangle for three), first one at the top. Wider than tall, like the
 * panel the graph sits in, so a small cluster is drawn at full size.
 */
function layout(count: number, i: number): { x: number; y: number } {
  if (count === 1) return { x: -NODE_W / 2, y: -NODE_H / 2 };
  const rx = Math.max(200, 70 * count);
  const ry = Math.max(110, 42 * count);
  const a = -Math.PI / 2 + (2 * Math.PI * i) / count;
  return { x: Math.round(rx * Math.cos(a)) - NODE_W / 2, y: Math.round(ry * Math.sin(a)) - NODE_H / 2 };
}

function SmqNode({ data }: NodeProps<TopoNode>) {
  const n = data.node;
  return (
    <div className={`topo-node state-${n.state}`} data-testid={`topo-node-${n.id}`} data-state={n.state}>
      {/* One hidden handle at the centre: links are drawn centre to centre, under the nodes. */}
      <Handle type="source" position={Position.Top} className="topo-handle" isConnectable={false} />
      <Handle type="target" position={Position.Top} className="topo-handle" isConnectable={false} />
      <div className="topo-node-head">
        <span className={`dot dot-${n.state}`} aria-hidden="true" />
        <span className="topo-node-id">{n.id}</span>
        <span className="topo-node-state">{n.state}</span>
      </div>
      <div className="topo-node-stats">
        <span title="Deliveries out per second">
          {n.state === 'up' ? `${formatRate(n.msgsPerSec)} msg/s` : '—'}
        </span>
        <span title="Connected clients">
          {formatCount(n.clients)} {n.clients === 1 ? 'client' : 'clients'}
        </span>
      </div>
    </div>
  );
}

function LinkEdge({ id, sourceX, sourceY, targetX, targetY, data }: EdgeProps<TopoEdge>) {
  const [path, labelX, labelY] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  const link = data!.link;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={`topo-link link-${link.state}${data!.selected ? ' selected' : ''}`}
      />
      <EdgeLabelRenderer>
        <div
          className={`topo-link-label link-${link.state}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`topo-link-${linkKey(link)}`}
          data-state={link.state}
        >
          {link.state !== 'up' ? link.state : link.rttMs === null ? 'up' : formatRtt(link.rttMs)}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

const nodeTypes = { smq: SmqNode };
const edgeTypes = { link: LinkEdge };

interface TopologyProps {
  snapshot: ClusterSnapshot;
  theme: Theme;
  selectedLink: string | null;
  onSelectLink: (key: string | null) => void;
}

function Graph({ snapshot, theme, selectedLink, onSelectLink }: TopologyProps) {
  const { fitView } = useReactFlow();
  const nodes = useMemo<TopoNode[]>(
    () =>
      snapshot.nodes.map((node, i) => ({
        id: node.id,
        type: 'smq',
        position: layout(snapshot.nodes.length, i),
        data: { node },
        draggable: false,
        selectable: false,
        width: NODE_W,
        height: NODE_H,
      })),
    [snapshot.nodes],
  );
  const edges = useMemo<TopoEdge[]>(
    () =>
      snapshot.links.map((link) => ({
        id: linkKey(link),
        source: link.a,
        target: link.b,
        type: 'link',
        data: { link, selected: selectedLink === linkKey(link) },
      })),
    [snapshot.links, selectedLink],
  );
  const count = snapshot.nodes.length;
  useEffect(() => {
    // Re-fit when nodes are added or removed; the frame lets React Flow measure them first.
    const t = requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1.1 }));
    return () => cancelAnimationFrame(t);
  }, [count, fitView]);

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      colorMode={theme}
      fitView
      fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      minZoom={0.3}
      maxZoom={2}
      proOptions={{ hideAttribution: true }}
      onEdgeClick={(_, e) => onSelectLink(e.id === selectedLink ? null : e.id)}
      onPaneClick={() => onSelectLink(null)}
      aria-label="Cluster topology"
    />
  );
}

/**
 * The topology graph: node state colours, msgs/s per node, RTT on up links, cut and down links
 * dashed. The graph is for seeing; every action on it also exists as a button (keyboard).
 */
export function Topology(props: TopologyProps) {
  return (
    <div className="topology">
      <div className="topology-graph" role="img" aria-label={describe(props.snapshot)}>
        <ReactFlowProvider>
          <Graph {...props} />
        </ReactFlowProvider>
      </div>
      <ul className="topo-legend" aria-hidden="true">
        <li>
          <span className="legend-line link-up" /> up
        </li>
        <li>
          <span className="legend-line link-connecting" /> connecting
        </li>
        <li>
          <span className="legend-line link-down" /> down
        </li>
        <li>
          <span className="legend-line link-cut" /> cut
        </li>
        <li className="hint-right">click a link to find it in the table · scroll to zoom</li>
      </ul>
    </div>
  );
}

function describe(s: ClusterSnapshot): string {
  const nodes = s.nodes.map((n) => `${n.id} ${n.state}`).join(', ');
  const links = s.links.map((l) => `${l.a}-${l.b} ${l.state}`).join(', ');
  return `Cluster topology. Nodes: ${nodes}. Links: ${links}.`;
}
