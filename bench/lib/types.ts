/** Shared between the orchestrator (bench/run.ts) and the load generator (bench/load/loadgen.ts). */
import type { ScalePlan, ScaleResult } from './scaleTypes.js';

/** The wire a load-generator client speaks. */
export type Proto = 'relay' | 'mqtt' | 'smq-ws' | 'smq-raw';

/** `base-*`: our node from another build (`--baseline=<dir>`), run beside ours for a before/after. */
export type TargetId = 'relay' | 'aedes' | 'mosquitto' | 'ours-ws' | 'ours-raw' | 'base-ws' | 'base-raw';

export type WorkloadId =
  | 'w1-1to100'
  | 'w1-paced'
  | 'w1-1to1'
  | 'w1-100to1'
  | 'w2-pairs'
  | 'w3-fleet'
  | 'w4-hold'
  | 'w5-same'
  | 'w5-cross'
  | 'w5-same-nats'
  | 'w5-cross-nats'
  | 'w6-failover'
  | 'scale';

/** W5/W6/scale: the linked smq-node processes of one trial, node A first. */
export interface ClusterNodes {
  ports: number[];
  pids: number[];
  /** Over NATS: the cluster's nats-server (its CPU counts as broker CPU; /connz for the scale run). */
  nats?: { pid: number; monitorUrl: string };
}

/** W6: what the failover job does and how long it may take. */
export interface FailoverPlan {
  /** Index (in ClusterNodes) of the node the display connects to; it survives. */
  display: number;
  /** Index of the node SIGKILLed (its process group). */
  victim: number;
  /** Reconnect backoff of the device clients. */
  minDelayMs: number;
  maxDelayMs: number;
  /** After the kill, devices still missing after this long are reported as missing. */
  limitMs: number;
}

/** What the orchestrator asks one load-generator process to do. */
export interface Job {
  workload: WorkloadId;
  proto: Proto;
  port: number;
  /** The broker's pid, so the load generator samples its CPU and RSS over the same window. */
  brokerPid: number;
  warmupMs: number;
  measureMs: number;
  /** Max-rate rows: messages in flight per publisher (sent, not yet seen by all its receivers). */
  window: number;
  /** Paced rows: messages per second over all publishers. */
  rate: number;
  /** W3/W4: device connections. */
  devices: number;
  /** W3: subscribers of the fleet topic. */
  displays: number;
  /** W4: connections kept open this long before RSS is read. */
  holdMs: number;
  /** Connections opened at once while setting up. */
  connectConcurrency: number;
  /** Distinguishes uids between jobs on one broker (a repeated uid would replace a session). */
  runTag: string;
  /**
   * W5/W6: every node of the cluster (CPU is summed over them). W5 publishes on node A (`port`)
   * and subscribes on `subPort` (node A for w5-same, node B for w5-cross).
   */
  cluster?: ClusterNodes;
  subPort?: number;
  /** W6 only. */
  failover?: FailoverPlan;
  /** Scale run only. */
  scale?: ScalePlan;
}

export interface CpuWindow {
  /** Broker CPU over the measured window, % of one core. */
  brokerCpu: number;
  /** Load-generator CPU over the measured window, % of one core. */
  loadCpu: number;
  /** CPU used by every other process of the machine meanwhile (other users' builds and tests), % of one core. */
  otherCpu: number;
}

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface JobResult extends CpuWindow {
  workload: WorkloadId;
  connections: number;
  measuredMs: number;
  /** Messages published per second during the measured window. */
  publishedPerSec: number;
  /** Messages received by subscribers per second during the measured window. */
  deliveredPerSec: number;
  /** Over the whole job: published × fan-out, what arrived, and the difference. */
  expected: number;
  delivered: number;
  drops: number;
  latency: LatencySummary;
  /** W3/W4: broker RSS before any connection and at the end, bytes. */
  rssIdle?: number;
  rssLoaded?: number;
  /** W3/W4: (loaded − idle) per 1,000 connections, MB (10^6 bytes). */
  mbPer1000?: number;
  /** W4: connections still open when RSS was read. */
  held?: number;
  /** W3/W4: connections (handshake and subscription done) per second while setting up. */
  connectPerSec?: number;
  /** W6 only. */
  failover?: FailoverResult;
  /** Scale run only. */
  scale?: ScaleResult;
  notes: string[];
}

/** W6: one trial of killing a node under 100 devices. Times are ms after the SIGKILL. */
export interface FailoverResult {
  devices: number;
  /** Devices per node just before the kill. */
  perNode: number[];
  victim: number;
  display: number;
  /** Devices that were on the killed node. */
  victimDevices: number;
  /**
   * Of those: connected to a survivor with the topic re-created (onreconnect), p50 and max. A max
   * is NaN (null in the JSON) when some device never got there.
   */
  reconnectP50Ms: number;
  reconnectMaxMs: number;
  /** Of those: their post-reconnect devinfo reached the display (the failover time), p50 and max. */
  visibleP50Ms: number;
  visibleMaxMs: number;
  /** Per victim device, sorted: the failover time. */
  visibleMs: number[];
  /** Victim devices not visible again within the plan's limit. */
  missing: number;
  /** Devices of surviving nodes that lost their connection anyway (should be 0). */
  survivorDrops: number;
  /** Latest moment a victim device saw its connection end (onclose). */
  detectMaxMs: number;
  /** Victim devices whose first attempt failed (the rotation picked the dead node again). */
  retried: number;
  /** Setup: time until the display had seen the first devinfo of every device. */
  allVisibleMs: number;
}

/** Load generator → orchestrator over IPC. */
export type LoadMessage = { kind: 'result'; result: JobResult } | { kind: 'error'; message: string };
