import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
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
import { formatCount, formatMsgRate, formatRtt } from '../ui/format.js';
import { linkKey } from '../ui/cluster.js';
import type { Theme } from '../ui/theme.js';
import { TopologyActions, type TopoSelection } from './TopologyActions.js';

type TopoNode = Node<{ node: NodeView; selected: boolean }, 'smq'>;
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

const clientsText = (n: number): string => `${formatCount(n)} ${n === 1 ? 'client' : 'clients'}`;

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

function SmqNode({ data }: NodeProps<TopoNode>) {
  const n = data.node;
  return (
    <div
      className={`topo-node state-${n.state}${data.selected ? ' selected' : ''}`}
      data-testid={`topo-node-${n.id}`}
      data-state={n.state}
    >
      {/* One hidden handle at the centre: links are drawn centre to centre, under the nodes. */}
      <Handle type="source" position={Position.Top} className="topo-handle" isConnectable={false} />
      <Handle type="target" position={Position.Top} className="topo-handle" isConnectable={false} />
      <div className="topo-node-head">
        <span className={`dot dot-${n.state}`} aria-hidden="true" />
        <span className="topo-node-id">{n.id}</span>
        <span className="topo-node-state">{n.state}</span>
      </div>
      <div className="topo-node-stats">
        <span title="Deliveries out per second">{n.state === 'up' ? formatMsgRate(n.msgsPerSec) : '—'}</span>
        <span title="Connected clients">{clientsText(n.clients)}</span>
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
        interactionWidth={18}
        className={`topo-link link-${link.state}${data!.selected ? ' selected' : ''}`}
      />
      <EdgeLabelRenderer>
        <div
          className={`topo-link-label link-${link.state}${data!.selected ? ' selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`topo-link-${linkKey(link)}`}
          data-state={link.state}
          aria-hidden="true"
        >
          {link.state !== 'up' ? link.state : link.rttMs === null ? 'up' : formatRtt(link.rttMs)}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

const nodeTypes = { smq: SmqNode };
const edgeTypes = { link: LinkEdge };

/** Read by screen readers on every focusable node and link of the graph. */
const ARIA = {
  'node.a11yDescription.default':
    'Press Enter or Space for this node’s actions (start, stop, restart, kill), Escape to close them.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter or Space for this node’s actions.',
  'edge.a11yDescription.default': 'Press Enter or Space to cut or restore this link, Escape to close.',
};

interface TopologyProps {
  snapshot: ClusterSnapshot;
  theme: Theme;
  selectedLink: string | null;
  onSelectLink: (key: string | null) => void;
}

interface GraphProps {
  snapshot: ClusterSnapshot;
  theme: Theme;
  selectedNode: string | null;
  selectedLink: string | null;
  select: (s: TopoSelection | null, fromKeyboard: boolean) => void;
  close: () => void;
}

function Graph({ snapshot, theme, selectedNode, selectedLink, select, close }: GraphProps) {
  const { fitView } = useReactFlow();
  const nodes = useMemo<TopoNode[]>(
    () =>
      snapshot.nodes.map((node, i) => ({
        id: node.id,
        type: 'smq',
        position: layout(snapshot.nodes.length, i),
        data: { node, selected: selectedNode === node.id },
        draggable: false,
        selectable: false,
        width: NODE_W,
        height: NODE_H,
        // Known size: React Flow keeps the measured handles when a snapshot brings new node objects.
        // Without it, every snapshot unmeasures the nodes and redraws every link from scratch
        // (a flicker, and a focused link loses the focus).
        measured: { width: NODE_W, height: NODE_H },
        ariaRole: 'button',
        ariaLabel: nodeLabel(node),
        domAttributes: {
          'aria-expanded': selectedNode === node.id,
          'aria-controls': selectedNode === node.id ? 'topo-actions' : undefined,
        },
      })),
    [snapshot.nodes, selectedNode],
  );
  const edges = useMemo<TopoEdge[]>(
    () =>
      snapshot.links.map((link) => ({
        id: linkKey(link),
        source: link.a,
        target: link.b,
        type: 'link',
        data: { link, selected: selectedLink === linkKey(link) },
        ariaRole: 'button',
        ariaLabel: linkLabel(link),
        domAttributes: {
          'aria-expanded': selectedLink === linkKey(link),
          'aria-controls': selectedLink === linkKey(link) ? 'topo-actions' : undefined,
        },
      })),
    [snapshot.links, selectedLink],
  );
  const count = snapshot.nodes.length;
  useEffect(() => {
    // Re-fit when nodes are added or removed; the frame lets React Flow measure them first.
    const t = requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1.1 }));
    return () => cancelAnimationFrame(t);
  }, [count, fitView]);

  /** Enter or Space on a focused node or link opens (or closes) its actions; Escape closes them. */
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Escape' && (selectedNode || selectedLink)) {
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const target = e.target as Element;
    const node = target.closest('.react-flow__node')?.getAttribute('data-id');
    const edge = target.closest('.react-flow__edge')?.getAttribute('data-id');
    if (!node && !edge) return;
    e.preventDefault();
    if (node) select(selectedNode === node ? null : { kind: 'node', id: node }, selectedNode !== node);
    else if (edge) select(selectedLink === edge ? null : { kind: 'link', key: edge }, selectedLink !== edge);
  };

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
      nodesFocusable
      edgesFocusable
      autoPanOnNodeFocus={false}
      ariaLabelConfig={ARIA}
      minZoom={0.3}
      maxZoom={2}
      proOptions={{ hideAttribution: true }}
      onNodeClick={(_, n) => select(selectedNode === n.id ? null : { kind: 'node', id: n.id }, false)}
      onEdgeClick={(_, e) => select(selectedLink === e.id ? null : { kind: 'link', key: e.id }, false)}
      onPaneClick={() => select(null, false)}
      onKeyDown={onKeyDown}
      aria-label="Cluster topology"
    />
  );
}

/**
 * The topology graph: node state colours, msgs/s per node, RTT on up links, cut and down links
 * dashed. Nodes and links are buttons: Tab to one, Enter or Space (or a click) opens its actions
 * in the strip under the graph; Escape closes them and gives focus back.
 */
export function Topology({ snapshot, theme, selectedLink, onSelectLink }: TopologyProps) {
  const [selectedNode, setSelectedNode] = useState<string | null>(null);
  /** Set when the actions were opened from the keyboard: focus moves into them. */
  const [focusActions, setFocusActions] = useState(false);

  const nodeGone = selectedNode !== null && !snapshot.nodes.some((n) => n.id === selectedNode);
  useEffect(() => {
    if (nodeGone) setSelectedNode(null);
  }, [nodeGone]);

  const select = useCallback(
    (s: TopoSelection | null, fromKeyboard: boolean) => {
      setSelectedNode(s?.kind === 'node' ? s.id : null);
      onSelectLink(s?.kind === 'link' ? s.key : null);
      setFocusActions(fromKeyboard && s !== null);
    },
    [onSelectLink],
  );

  const selection: TopoSelection | null =
    selectedNode && !nodeGone
      ? { kind: 'node', id: selectedNode }
      : selectedLink
        ? { kind: 'link', key: selectedLink }
        : null;

  /** Closes the actions and puts focus back on the node or link they belong to. */
  const close = useCallback(() => {
    const target = selection
      ? selection.kind === 'node'
        ? `.react-flow__node[data-id="${CSS.escape(selection.id)}"]`
        : `.react-flow__edge[data-id="${CSS.escape(selection.key)}"]`
      : null;
    select(null, false);
    if (!target) return;
    const focus = (): boolean => {
      const el = document.querySelector<HTMLElement | SVGElement>(target);
      el?.focus();
      return el !== null;
    };
    // A node or link added just now may not be drawn yet: then on the next frame.
    if (!focus()) requestAnimationFrame(() => void focus());
  }, [selection, select]);

  return (
    <div className="topology">
      <div
        className="topology-graph"
        role="group"
        aria-label="Cluster topology"
        aria-describedby="topo-summary"
      >
        <p id="topo-summary" className="sr-only">
          {describe(snapshot)}
        </p>
        <ReactFlowProvider>
          <Graph
            snapshot={snapshot}
            theme={theme}
            selectedNode={selectedNode}
            selectedLink={selectedLink}
            select={select}
            close={close}
          />
        </ReactFlowProvider>
      </div>
      {selection ? (
        <TopologyActions snapshot={snapshot} selection={selection} focus={focusActions} onClose={close} />
      ) : (
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
          <li className="hint-right">click, or Tab and Enter, on a node or link for its actions</li>
        </ul>
      )}
    </div>
  );
}

function describe(s: ClusterSnapshot): string {
  const nodes = s.nodes.map((n) => `${n.id} ${n.state}`).join(', ');
  const links = s.links.map((l) => `${l.a}-${l.b} ${l.state}`).join(', ');
  return `Nodes: ${nodes}. Links: ${links}.`;
}
