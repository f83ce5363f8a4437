/** The scale run (issue #12): what one load-generator job does on an N-node cluster, and what it reads. */
import type { ClusterTransport } from './clusterHealth.js';
import type { LatencySummary } from './types.js';

export interface ScalePlan {
  transport: ClusterTransport;
  /** Raw-TCP device connections, spread round robin over the nodes. */
  devices: number;
  /** Every node must know every device (its directory) within this long, or the job fails. */
  settleLimitMs: number;
  /** The at-rest window: devices connected and idle, control traffic only. */
  restMs: number;
  /** Fan-out: one publisher on node A, one subscriber per node, this many messages/s. */
  fanoutRate: number;
  fanoutWarmupMs: number;
  fanoutMeasureMs: number;
}

/** One node, from the at-rest window. */
export interface ScaleNodeResult {
  name: string;
  /** Device connections on this node. */
  sessions: number;
  rssBytes: number;
  /** Mesh: links in state 'up'. NATS: 1 (its one connection). */
  links: number;
  /** NATS: the node's subscriptions (its /health `cluster.nats.subscriptions`). */
  natsSubscriptions?: number;
  /**
   * Cluster messages in + out per second at rest (no publishes then, so all control: heartbeats,
   * directory). Mesh: Σ msgsIn + msgsOut of its links in /health; NATS: in_msgs + out_msgs of its
   * connection in the nats-server's /connz (the node's /health has no message counters on NATS).
   */
  controlMsgsPerSec: number;
  controlBytesPerSec: number;
  /** CPU at rest, % of one core. */
  restCpu: number;
}

export interface ScaleResult {
  transport: ClusterTransport;
  nodes: number;
  devices: number;
  /** From the first device connect until every node's directory held every device. */
  settleMs: number;
  perNode: ScaleNodeResult[];
  natsServer?: {
    rssBytes: number;
    /** % of one core: at rest, and during the fan-out's measured window. */
    restCpu: number;
    fanoutCpu: number;
  };
  fanout: {
    rate: number;
    publishedPerSec: number;
    deliveredPerSec: number;
    /** Over the whole paced phase after every subscriber saw a probe: published × nodes. */
    expected: number;
    delivered: number;
    drops: number;
    latency: LatencySummary;
    /** % of one core, summed over the nodes (without the nats-server). */
    nodesCpu: number;
  };
}

/** One cluster size and transport of the scale run, as the table and the JSON show it. */
export interface ScaleRun {
  nodes: number;
  transport: ClusterTransport;
  status: 'ok' | 'FAILED' | 'not installed';
  error?: string;
  result?: ScaleResult;
  /** % of a core during the fan-out's measured window: the load generator, and other processes. */
  loadCpu?: number;
  otherCpu?: number;
  notes: string[];
}
