/** W5 (cluster hop, over the mesh and over NATS) and W6 (failover): smq-node clusters per target and trial. */
import type { ClusterTransport } from '../lib/clusterHealth.js';
import { rowFor, runOne } from '../lib/jobs.js';
import { log } from '../lib/log.js';
import { natsServerInstalled } from '../lib/natsServer.js';
import type { Row } from '../lib/report.js';
import { oursTargets, repo, settings } from '../lib/settings.js';
import { BASELINE_SNAPSHOT, startCluster, type RunningCluster, type TargetDef } from '../lib/targets.js';
import type { FailoverPlan, WorkloadId } from '../lib/types.js';

/** How withCluster starts its cluster. */
export interface ClusterStart {
  /** Every node writes a V8 CPU profile into a subfolder of this (a, b, ...). */
  cpuProfileDir?: string;
  /** 'mesh' by default; 'nats': the nodes attached to a nats-server of their own. */
  transport?: ClusterTransport;
}

/**
 * A cluster that would not start or link: a FAILED trial for each of `workloads`, and the run goes
 * on; without nats-server, rows over NATS are "not installed".
 */
export async function withCluster(
  rows: Row[],
  workloads: WorkloadId[],
  trial: number,
  target: TargetDef,
  size: number,
  body: (cluster: RunningCluster) => Promise<void>,
  start: ClusterStart = {},
): Promise<void> {
  if (start.transport === 'nats' && !natsServerInstalled()) {
    for (const w of workloads) rowFor(rows, w, target.id).status = 'not installed';
    return;
  }
  let cluster: RunningCluster;
  const t0 = Date.now();
  try {
    const snapshot = target.id.startsWith('base-') ? BASELINE_SNAPSHOT : undefined;
    cluster = await startCluster({ repo, snapshot, ...start }, size);
    log(
      `${size}-node cluster (${start.transport ?? 'mesh'}) joined in ${Date.now() - t0} ms (ports ${cluster.nodes.map((n) => n.port).join(', ')})`,
    );
  } catch (err) {
    const error = `cluster did not start: ${(err as Error).message}`;
    for (const w of workloads) rowFor(rows, w, target.id).trials.push({ trial, ok: false, error });
    log(`${workloads.join(', ')} ${target.id}: FAILED ${error}`);
    return;
  }
  try {
    await body(cluster);
  } finally {
    await cluster.stop();
  }
}

/**
 * W5: per trial and transport a fresh 2-node cluster (A, B linked; then A, B on one nats-server),
 * the same-node job (publisher and subscriber on A) and the cross-node job (publisher on A,
 * subscriber on B) back to back, in alternating order per trial (same, cross | cross, same | ...),
 * so drift in the machine's load hits both alike.
 */
export async function hopPhase(rows: Row[]): Promise<void> {
  if (settings.hop.length === 0) return;
  const backplanes: { transport: ClusterTransport; workloads: WorkloadId[] }[] = [
    { transport: 'mesh', workloads: settings.hop.filter((w) => !w.endsWith('-nats')) },
    { transport: 'nats', workloads: settings.hop.filter((w) => w.endsWith('-nats')) },
  ];
  for (let trial = 1; trial <= settings.trials; trial++) {
    for (const target of oursTargets()) {
      for (const { transport, workloads } of backplanes) {
        if (workloads.length === 0) continue;
        const order = trial % 2 === 1 ? workloads : [...workloads].reverse();
        const body = async (cluster: RunningCluster): Promise<void> => {
          for (const w of order) {
            const subNode = w.startsWith('w5-cross') ? 1 : 0;
            await runOne(rowFor(rows, w, target.id), trial, target, cluster.nodes[0]!, { cluster, subNode });
          }
        };
        await withCluster(rows, order, trial, target, 2, body, { transport });
      }
    }
  }
}

/** W6: per trial and transport a fresh 3-node cluster; the display on A, and B or C (at random) killed. */
export async function failoverPhase(rows: Row[]): Promise<void> {
  if (settings.failover.length === 0) return;
  const s = settings.failoverSetup;
  for (let trial = 1; trial <= settings.trials; trial++) {
    for (const target of oursTargets()) {
      const row = rowFor(rows, 'w6-failover', target.id);
      await withCluster(rows, ['w6-failover'], trial, target, s.nodes, async (cluster) => {
        const failover: FailoverPlan = {
          display: 0,
          victim: 1 + Math.floor(Math.random() * (s.nodes - 1)),
          minDelayMs: s.minDelayMs,
          maxDelayMs: s.maxDelayMs,
          limitMs: s.limitMs,
        };
        await runOne(row, trial, target, cluster.nodes[0]!, { cluster, failover });
      });
    }
  }
}
