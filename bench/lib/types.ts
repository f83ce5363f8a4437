/** Shared between the orchestrator (bench/run.ts) and the load generator (bench/load/loadgen.ts). */

/** The wire a load-generator client speaks. */
export type Proto = 'relay' | 'mqtt' | 'smq-ws' | 'smq-raw';

export type TargetId = 'relay' | 'aedes' | 'mosquitto' | 'ours-ws' | 'ours-raw';

export type WorkloadId =
  'w1-1to100' | 'w1-paced' | 'w1-1to1' | 'w1-100to1' | 'w2-pairs' | 'w3-fleet' | 'w4-hold';

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
  notes: string[];
}

/** Load generator → orchestrator over IPC. */
export type LoadMessage = { kind: 'result'; result: JobResult } | { kind: 'error'; message: string };
