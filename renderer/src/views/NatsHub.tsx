import {
  BaseEdge,
  EdgeLabelRenderer,
  getStraightPath,
  Handle,
  Position,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import type { ClusterSnapshot, NatsServerView, NodeView } from '../../../contract/hostContract.js';
import { HUB_H, HUB_W } from './topologyLayout.js';
import {
  hubDetailText,
  hubLabel,
  hubStateText,
  natsStateText,
  spokeLabel,
  spokeState,
  spokeText,
} from './natsText.js';
import '../styles/nats.css';

/*
 * A cluster on NATS drawn as a star: the NATS server in the middle, each SMQ node linked to it by
 * a spoke that carries that node's NATS state (RTT on the spoke, the rest in its tooltip).
 */

export const HUB_ID = 'nats-hub';

export type HubNode = Node<{ server: NatsServerView | null }, 'natsHub'>;
export type SpokeEdge = Edge<{ node: NodeView }, 'natsSpoke'>;

export function NatsHubNode({ data }: NodeProps<HubNode>) {
  const s = data.server;
  const state = s?.state ?? 'unknown';
  const detail = hubDetailText(s);
  return (
    <div
      className={`nats-hub hub-${state}`}
      data-testid="topo-nats-hub"
      data-state={state}
      title={hubLabel(s)}
    >
      <Handle type="source" position={Position.Top} className="topo-handle" isConnectable={false} />
      <Handle type="target" position={Position.Top} className="topo-handle" isConnectable={false} />
      <div className="nats-hub-name">NATS</div>
      <div className="nats-hub-detail" data-testid="topo-nats-hub-state">
        {hubStateText(s)}
      </div>
      {detail && (
        <div className="nats-hub-detail" data-testid="topo-nats-hub-detail">
          {detail}
        </div>
      )}
    </div>
  );
}

export function NatsSpoke({ id, sourceX, sourceY, targetX, targetY, data }: EdgeProps<SpokeEdge>) {
  const [path, labelX, labelY] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  const node = data!.node;
  const state = spokeState(node);
  return (
    <>
      <BaseEdge id={id} path={path} className={`topo-link link-${state}`} />
      <EdgeLabelRenderer>
        <div
          className={`topo-link-label nats-spoke-label link-${state}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`topo-nats-${node.id}`}
          data-state={state}
          title={spokeLabel(node)}
        >
          {spokeText(node)}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export function hubNode(snapshot: ClusterSnapshot): HubNode {
  return {
    id: HUB_ID,
    type: 'natsHub',
    position: { x: -HUB_W / 2, y: -HUB_H / 2 },
    data: { server: snapshot.natsServer },
    draggable: false,
    selectable: false,
    focusable: false,
    width: HUB_W,
    height: HUB_H,
    measured: { width: HUB_W, height: HUB_H },
    ariaLabel: hubLabel(snapshot.natsServer),
  };
}

/** One spoke per SMQ node, from the node to the hub. */
export function spokes(snapshot: ClusterSnapshot): SpokeEdge[] {
  return snapshot.nodes.map((node) => ({
    id: `nats~${node.id}`,
    source: node.id,
    target: HUB_ID,
    type: 'natsSpoke',
    data: { node },
    focusable: false,
    selectable: false,
    ariaLabel: spokeLabel(node),
  }));
}

/** A node card's NATS line: the server it is connected to, RTT, reconnects, pending bytes. */
export function NatsState({ node }: { node: NodeView }) {
  if (!node.nats) return null;
  const down = spokeState(node) !== 'up';
  return (
    <p className={`nats-state${down ? ' nats-down' : ''}`} data-testid={`node-nats-${node.id}`}>
      <strong>NATS</strong> {natsStateText(node.nats)}
    </p>
  );
}
