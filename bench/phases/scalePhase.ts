/**
 * The scale run (issue #12): for N in settings.scaleSetup.sizes and each transport (mesh, NATS), a
 * fresh N-node cluster of our node, 1,000 raw-TCP devices round robin, each node's cost at rest,
 * and a fan-out across all nodes. The transports alternate per size so drift in the machine's load
 * hits both alike.
 */
import type { ClusterTransport } from '../lib/clusterHealth.js';
import { runOne } from '../lib/jobs.js';
import { log } from '../lib/log.js';
import { natsServerInstalled } from '../lib/natsServer.js';
import type { Row } from '../lib/report.js';
import type { ScalePlan, ScaleRun } from '../lib/scaleTypes.js';
import { repo, settings } from '../lib/settings.js';
import { startCluster, TARGETS, type RunningCluster } from '../lib/targets.js';

const TRANSPORTS: readonly ClusterTransport[] = ['mesh', 'nats'];

export async function scalePhase(): Promise<ScaleRun[]> {
  if (!settings.scale) return [];
  const s = settings.scaleSetup;
  const target = TARGETS.find((t) => t.id === 'ours-raw')!;
  const runs: ScaleRun[] = [];
  for (const nodes of s.sizes) {
    for (const transport of TRANSPORTS) {
      const run: ScaleRun = { nodes, transport, status: 'ok', notes: [] };
      runs.push(run);
      if (transport === 'nats' && !natsServerInstalled()) {
        run.status = 'not installed';
        continue;
      }
      const t0 = Date.now();
      let cluster: RunningCluster;
      try {
        cluster = await startCluster({ repo, transport }, nodes, s.joinLimitMs);
      } catch (err) {
        run.status = 'FAILED';
        run.error = `cluster did not start: ${(err as Error).message}`;
        log(`scale ${nodes} ${transport}: FAILED ${run.error}`);
        continue;
      }
      log(`scale: ${nodes}-node cluster (${transport}) joined in ${Date.now() - t0} ms`);
      const plan: ScalePlan = {
        transport,
        devices: s.devices,
        settleLimitMs: s.settleLimitMs,
        restMs: s.restMs,
        fanoutRate: s.fanoutRate,
        fanoutWarmupMs: s.fanoutWarmupMs,
        fanoutMeasureMs: s.fanoutMeasureMs,
      };
      const row: Row = { workload: 'scale', target: target.id, status: 'ok', trials: [] };
      try {
        await runOne(row, 1, target, cluster.nodes[0]!, { cluster, scale: plan });
      } finally {
        await cluster.stop();
      }
      const trial = row.trials[0];
      if (trial?.ok && trial.result.scale) {
        run.result = trial.result.scale;
        run.loadCpu = trial.result.loadCpu;
        run.otherCpu = trial.result.otherCpu;
        run.notes.push(...trial.result.notes);
      } else {
        run.status = 'FAILED';
        run.error = trial && !trial.ok ? trial.error : 'no result';
      }
    }
  }
  return runs;
}
