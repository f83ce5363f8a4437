/** One job of the run: its settings, its time limit, and its result or failure in its row. */
import { runLoad } from './loadrun.js';
import { log } from './log.js';
import { delay, machineBusyMs } from './proc.js';
import type { Row } from './report.js';
import { quick, repo, settings } from './settings.js';
import type { RunningBroker, RunningCluster, TargetDef } from './targets.js';
import type { ScalePlan } from './scaleTypes.js';
import type { FailoverPlan, Job, TargetId, WorkloadId } from './types.js';

let jobCounter = 0;

/** W5/W6/scale extras of a job: the cluster, the subscriber's node (W5), the failover plan (W6), the scale plan. */
export interface ClusterJob {
  cluster: RunningCluster;
  subNode?: number;
  failover?: FailoverPlan;
  scale?: ScalePlan;
}

function makeJob(workload: WorkloadId, target: TargetDef, broker: RunningBroker, c?: ClusterJob): Job {
  const fleet = workload === 'w3-fleet';
  const hold = workload === 'w4-hold';
  const extra: Partial<Job> = {};
  if (c) {
    extra.cluster = { ports: c.cluster.nodes.map((n) => n.port), pids: c.cluster.nodes.map((n) => n.pid) };
    const nats = c.cluster.natsServer;
    if (nats) extra.cluster.nats = { pid: nats.pid, monitorUrl: nats.monitorUrl };
    if (c.subNode !== undefined) extra.subPort = c.cluster.nodes[c.subNode]!.port;
    if (c.failover) extra.failover = c.failover;
    if (c.scale) extra.scale = c.scale;
  }
  return {
    ...extra,
    workload,
    proto: target.proto,
    port: broker.port,
    brokerPid: broker.pid,
    warmupMs: fleet
      ? settings.fleet.warmupMs
      : workload.startsWith('w5-')
        ? settings.hopWarmupMs
        : settings.warmupMs,
    measureMs: fleet ? settings.fleet.measureMs : settings.measureMs,
    window: settings.window[workload] ?? 100,
    rate: workload.startsWith('w5-') ? settings.hopRate : settings.pacedRate,
    devices: hold
      ? settings.hold.devices
      : workload === 'w6-failover'
        ? settings.failoverSetup.devices
        : settings.fleet.devices,
    displays: settings.fleet.displays,
    holdMs: settings.hold.holdMs,
    connectConcurrency: settings.connectConcurrency,
    runTag: `j${++jobCounter}`,
  };
}

/** Time limit of one job: its own windows plus set-up and drain. */
function limitMs(job: Job): number {
  if (job.workload === 'w4-hold') return job.holdMs + 150_000;
  // Display, interest, devices (each phase with its own limit inside), then the failover itself.
  if (job.workload === 'w6-failover') return (job.failover?.limitMs ?? 10_000) + 60_000;
  if (job.scale) {
    const s = job.scale;
    return s.settleLimitMs + s.restMs + s.fanoutWarmupMs + s.fanoutMeasureMs + 40_000;
  }
  return job.warmupMs + job.measureMs + (job.workload === 'w3-fleet' ? 60_000 : 30_000);
}

export function rowFor(rows: Row[], workload: WorkloadId, target: TargetId): Row {
  let row = rows.find((r) => r.workload === workload && r.target === target);
  if (!row) {
    row = { workload, target, status: 'ok', trials: [] };
    rows.push(row);
  }
  return row;
}

/**
 * Other users build and test on this machine too: before each job, wait (a bounded time) for their
 * CPU use to drop below a fifth of a core. What remains is recorded per row as "other CPU".
 */
let quietBudgetMs = quick ? 10_000 : 150_000;
async function waitForQuiet(maxMs = 5000): Promise<void> {
  const until = Date.now() + Math.min(maxMs, quietBudgetMs);
  while (Date.now() < until) {
    const b0 = machineBusyMs();
    await delay(300);
    quietBudgetMs -= 300;
    if ((machineBusyMs() - b0) / 300 < 0.2) return;
  }
}

export async function runOne(
  row: Row,
  trial: number,
  target: TargetDef,
  broker: RunningBroker,
  c?: ClusterJob,
): Promise<void> {
  await waitForQuiet();
  const job = makeJob(row.workload, target, broker, c);
  const host = c?.cluster ?? broker;
  try {
    const result = await runLoad(repo, job, limitMs(job));
    row.trials.push({ trial, ok: true, result });
    // NaN crosses IPC as null.
    const f = (n: number | null, d: number): string => (n === null ? '-' : n.toFixed(d));
    const lat = `p50 ${f(result.latency.p50Ms, 2)} p99 ${f(result.latency.p99Ms, 2)} ms`;
    const cpu = `cpu broker/load/other ${[result.brokerCpu, result.loadCpu, result.otherCpu].map((c) => f(c, 0)).join('/')}%`;
    const mem = result.mbPer1000 === undefined ? '' : `, ${f(result.mbPer1000, 1)} MB/1,000 conns`;
    const fo = result.failover;
    if (fo) {
      const node = String.fromCharCode(65 + fo.victim);
      log(
        `${row.workload} ${target.id} #${trial}: killed ${node} (${fo.victimDevices} of ${fo.perNode.join('/')} devices): ` +
          `back on the display p50 ${f(fo.visibleP50Ms, 0)} max ${f(fo.visibleMaxMs, 0)} ms, ` +
          `reconnected max ${f(fo.reconnectMaxMs, 0)} ms, loss seen max ${f(fo.detectMaxMs, 0)} ms, ` +
          `${fo.retried} retried after a failed attempt, ${fo.missing} missing`,
      );
    } else
      log(
        `${row.workload} ${target.id} #${trial}: ${Math.round(result.deliveredPerSec)}/s, ${lat}, ${cpu}${mem}`,
      );
    for (const note of result.notes) log(`  note: ${note}`);
  } catch (err) {
    const tail =
      c && row.workload === 'w6-failover'
        ? ` (${host.tail()})`
        : host.alive()
          ? ''
          : ` (broker died: ${host.tail().trim().split('\n').slice(-2).join(' | ')})`;
    row.trials.push({ trial, ok: false, error: `${(err as Error).message}${tail}` });
    log(`${row.workload} ${target.id}: FAILED ${(err as Error).message}${tail}`);
  }
}
