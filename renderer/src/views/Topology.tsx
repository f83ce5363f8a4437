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
  useStore,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/base.css';
import type { ClusterSnapshot, LinkView, NodeView } from '../../../contract/hostContract.js';
import { formatMsgRate, formatRtt } from '../ui/format.js';
import { linkKey } from '../ui/cluster.js';
import type { Theme } from '../ui/theme.js';
import { TopologyActions, type TopoSelection } from './TopologyActions.js';
import { ARIA, clientsText, describe, linkLabel, nodeLabel } from './topologyText.js';
import { labelPlacement, NODE_H, NODE_W, nodePosition, spokePosition } from './topologyLayout.js';
import { HUB_ID, hubNode, NatsHubNode, NatsSpoke, spokes, type HubNode, type SpokeEdge } from './NatsHub.js';

type TopoNode = Node<{ node: NodeView; selected: boolean }, 'smq'>;
/** `labelAt`: how far along the link (from a to b) its label sits, 0..1 (topologyLayout). */
type TopoEdge = Edge<{ link: LinkView; selected: boolean; labelAt: number }, 'link'>;

/** What fitView keeps around the graph, and how far it may zoom in on a small cluster. */
const FIT = { padding: 0.2, maxZoom: 1.1 };

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
      {/* A long name ends in an ellipsis (the full one in its tooltip); the state gets a line of its own. */}
      <div className="topo-node-head">
        <span className={`dot dot-${n.state}`} aria-hidden="true" />
        <span className="topo-node-id" title={n.id}>
          {n.id}
        </span>
      </div>
      <div className="topo-node-stats">
        {n.state === 'up' ? (
          <span title="Deliveries out per second">{formatMsgRate(n.msgsPerSec)}</span>
        ) : (
          <span className="topo-node-state">{n.state}</span>
        )}
        {n.state === 'up' && <span title="Connected clients">{clientsText(n.clients)}</span>}
      </div>
    </div>
  );
}

function LinkEdge({ id, sourceX, sourceY, targetX, targetY, data }: EdgeProps<TopoEdge>) {
  const [path] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  const link = data!.link;
  // Not always the middle: off the crossings of other links, nodes and other labels.
  const labelX = sourceX + data!.labelAt * (targetX - sourceX);
  const labelY = sourceY + data!.labelAt * (targetY - sourceY);
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

const nodeTypes = { smq: SmqNode, natsHub: NatsHubNode };
const edgeTypes = { link: LinkEdge, natsSpoke: NatsSpoke };

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
  const count = snapshot.nodes.length;
  const onNats = snapshot.transport === 'nats';
  // Label spots depend on which nodes and links exist, not on their state: the same across snapshots.
  const shape = JSON.stringify([snapshot.nodes.map((n) => n.id), snapshot.links.map((l) => [l.a, l.b])]);
  const labelAt = useMemo(() => {
    const [ids, links] = JSON.parse(shape) as [string[], [string, string][]];
    return labelPlacement(
      ids,
      links.map(([a, b]) => ({ a, b })),
    );
  }, [shape]);
  const nodes = useMemo<(TopoNode | HubNode)[]>(
    () => [
      ...snapshot.nodes.map((node, i): TopoNode => ({
        id: node.id,
        type: 'smq',
        position: (onNats ? spokePosition : nodePosition)(snapshot.nodes.length, i),
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
      ...(onNats ? [hubNode(snapshot)] : []),
    ],
    [snapshot, onNats, selectedNode],
  );
  const edges = useMemo<(TopoEdge | SpokeEdge)[]>(
    () =>
      onNats
        ? spokes(snapshot)
        : snapshot.links.map((link): TopoEdge => ({
            id: linkKey(link),
            source: link.a,
            target: link.b,
            type: 'link',
            data: {
              link,
              selected: selectedLink === linkKey(link),
              labelAt: labelAt.get(linkKey(link)) ?? 0.5,
            },
            ariaRole: 'button',
            ariaLabel: linkLabel(link),
            domAttributes: {
              'aria-expanded': selectedLink === linkKey(link),
              'aria-controls': selectedLink === linkKey(link) ? 'topo-actions' : undefined,
            },
          })),
    [snapshot, onNats, selectedLink, labelAt],
  );
  // React Flow tracks its container's size (a splitter drag, a window resize): refit on every
  // change, and when nodes are added or removed. The frame lets React Flow measure them first.
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  useEffect(() => {
    if (!width || !height) return;
    const t = requestAnimationFrame(() => void fitView(FIT));
    return () => cancelAnimationFrame(t);
  }, [count, width, height, fitView]);

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
      fitViewOptions={FIT}
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
      onNodeClick={(_, n) =>
        n.id !== HUB_ID && select(selectedNode === n.id ? null : { kind: 'node', id: n.id }, false)
      }
      onEdgeClick={(_, e) =>
        e.type === 'link' && select(selectedLink === e.id ? null : { kind: 'link', key: e.id }, false)
      }
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
