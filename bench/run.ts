/**
 * `npm run bench [-- --quick] [-- --profile]`: our SMQ node against a bare ws relay, Aedes and
 * Mosquitto on the workloads of issue #9, and our node linked in a cluster (W5 hop, W6 failover,
 * issue #3). Brokers and load generators are separate processes in their own process groups
 * (brokers on CPU 0, load on CPU 1 where taskset exists). Prints the table on stdout (progress on
 * stderr) and writes bench/results/<ISO date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineFacts, versions } from './lib/facts.js';
import { comparisons, comparisonsText, evaluateGoals, goalsText } from './lib/goals.js';
import { runLoad } from './lib/loadrun.js';
import { delay, killAllSync, machineBusyMs } from './lib/proc.js';
import { summarizeProfiles, type ProfileSummary } from './lib/profile.js';
import {
  addHopCosts,
  addRatios,
  failoverTable,
  failoverWorstMs,
  hopTable,
  memoryTable,
  summarize,
  trafficTable,
  type Row,
} from './lib/report.js';
import {
  BASELINE_SNAPSHOT,
  MOSQUITTO,
  OUR_NODE_FLAGS,
  OUR_NODE_TARGETS,
  snapshotBroker,
  startBroker,
  startCluster,
  TARGETS,
  type RunningBroker,
  type RunningCluster,
  type TargetDef,
} from './lib/targets.js';
import type { FailoverPlan, Job, TargetId, WorkloadId } from './lib/types.js';
import { hostPlacementTable, runHostPlacement, type PlacementRow } from './ui/hostPlacement.js';
import { runUiPipeline, uiPipelineTable, type UiPipelineResult } from './ui/pipeline.js';
import { existsSync } from 'node:fs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const profileMode = argv.includes('--profile') ? 'always' : argv.includes('--no-profile') ? 'never' : 'auto';

/** `--name=a,b` option values. */
function listArg(name: string): string[] | undefined {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a?.slice(name.length + 3).split(',');
}
const onlyWorkloads = listArg('workloads');
const onlyTargets = listArg('targets');
/** `--name=value`. */
const stringArg = (name: string): string | undefined =>
  argv.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3);
/** `--baseline=<broker dir>`: another build of our node (dist/, bin/), run as base-ws / base-raw. */
const baseline = stringArg('baseline');
/** `--ours=<broker dir>`: our node from that build instead of broker/ (e.g. a commit plus one change). */
const oursDir = stringArg('ours');
/** `--node-flags="--a --b"`: node/V8 flags for the processes of our node (not the baseline's). */
OUR_NODE_FLAGS.push(...(stringArg('node-flags')?.split(' ').filter(Boolean) ?? []));
/** `--workloads=` takes ids (w1-paced) or groups (W1, W5: every id starting w1-, w5-). */
const pickW = (ws: WorkloadId[]): WorkloadId[] =>
  ws.filter(
    (w) =>
      !onlyWorkloads ||
      onlyWorkloads.some((x) => x.toLowerCase() === w || x.toLowerCase() === w.split('-')[0]),
  );

const settings = {
  quick,
  ours: oursDir && path.resolve(oursDir),
  baseline: baseline && path.resolve(baseline),
  nodeFlags: OUR_NODE_FLAGS,
  trials: Number(listArg('trials')?.[0] ?? (quick ? 1 : 3)),
  warmupMs: quick ? 700 : 1500,
  measureMs: quick ? 2000 : 4000,
  traffic: pickW(
    quick
      ? ['w1-1to100', 'w1-paced', 'w2-pairs']
      : ['w1-1to100', 'w1-paced', 'w2-pairs', 'w1-1to1', 'w1-100to1'],
  ),
  memory: pickW(quick ? [] : ['w3-fleet', 'w4-hold']),
  memTrials: Number(stringArg('mem-trials') ?? 1),
  /** Messages in flight per publisher at max rate (sent, not yet seen by all its receivers). */
  window: { 'w1-1to100': 100, 'w1-1to1': 100, 'w1-100to1': 30, 'w2-pairs': 30 } as Partial<
    Record<WorkloadId, number>
  >,
  pacedRate: 500,
  fleet: { devices: 1000, displays: 10, warmupMs: 2000, measureMs: 10_000 },
  hold: { devices: 10_000, holdMs: 5000 },
  connectConcurrency: 100,
  /** W5: same-node and cross-node rows, on a 2-node cluster per trial and transport. */
  hop: pickW(['w5-same', 'w5-cross']),
  /** W5: messages/s of the one publisher (one subscriber); `--hop-rate=N` for a CPU comparison. */
  hopRate: Number(stringArg('hop-rate') ?? 10_000),
  /** W6: a 3-node cluster per trial and transport. */
  failover: pickW(['w6-failover']),
  /** The UI pipeline (#6) and host placement (#10): full runs, or `--workloads=ui`. */
  ui: onlyWorkloads ? onlyWorkloads.some((x) => x.toLowerCase() === 'ui') : !quick,
  failoverSetup: { nodes: 3, devices: 100, minDelayMs: 50, maxDelayMs: 500, limitMs: 10_000 },
};

const log = (msg: string): void => void process.stderr.write(`[bench ${elapsed()}] ${msg}\n`);
const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)}s`;
let jobCounter = 0;

const targets = TARGETS.filter(
  (t) => (!onlyTargets || onlyTargets.includes(t.id)) && (baseline || !t.id.startsWith('base-')),
);

function available(t: TargetDef): boolean {
  return t.id !== 'mosquitto' || existsSync(MOSQUITTO);
}

/** W5/W6 extras of a job: the cluster, the subscriber's node (W5), the failover plan (W6). */
interface ClusterJob {
  cluster: RunningCluster;
  subNode?: number;
  failover?: FailoverPlan;
}

function makeJob(workload: WorkloadId, target: TargetDef, broker: RunningBroker, c?: ClusterJob): Job {
  const fleet = workload === 'w3-fleet';
  const hold = workload === 'w4-hold';
  const extra: Partial<Job> = {};
  if (c) {
    extra.cluster = { ports: c.cluster.nodes.map((n) => n.port), pids: c.cluster.nodes.map((n) => n.pid) };
    if (c.subNode !== undefined) extra.subPort = c.cluster.nodes[c.subNode]!.port;
    if (c.failover) extra.failover = c.failover;
  }
  return {
    ...extra,
    workload,
    proto: target.proto,
    port: broker.port,
    brokerPid: broker.pid,
    warmupMs: fleet ? settings.fleet.warmupMs : settings.warmupMs,
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
  return job.warmupMs + job.measureMs + (job.workload === 'w3-fleet' ? 60_000 : 30_000);
}

function rowFor(rows: Row[], workload: WorkloadId, target: TargetId): Row {
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

async function runOne(
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

/** W1/W2: trials interleaved across targets (relay, ours, ..., relay, ours, ...), one broker per target per trial. */
async function trafficPhase(rows: Row[]): Promise<void> {
  for (let trial = 1; trial <= settings.trials; trial++) {
    for (const target of targets) {
      if (!available(target)) {
        for (const w of settings.traffic) rowFor(rows, w, target.id).status = 'not installed';
        continue;
      }
      let broker: RunningBroker | undefined;
      for (const w of settings.traffic) {
        const row = rowFor(rows, w, target.id);
        try {
          if (!broker?.alive()) broker = await startBroker(target.id, { repo });
        } catch (err) {
          row.trials.push({ trial, ok: false, error: `broker did not start: ${(err as Error).message}` });
          continue;
        }
        await runOne(row, trial, target, broker);
      }
      await broker?.stop();
    }
  }
}

/**
 * W3/W4: a fresh broker each, idle RSS read after it settles. One trial by default (memory moves
 * little with the machine's load); `--mem-trials=N` interleaves N across targets, for a before/after.
 */
async function memoryPhase(rows: Row[]): Promise<void> {
  for (const w of settings.memory) {
    for (let trial = 1; trial <= settings.memTrials; trial++) {
      for (const target of targets) {
        const row = rowFor(rows, w, target.id);
        if (!available(target)) {
          row.status = 'not installed';
          continue;
        }
        let broker: RunningBroker | undefined;
        try {
          broker = await startBroker(target.id, { repo });
          await delay(1000);
          await runOne(row, trial, target, broker);
        } catch (err) {
          row.trials.push({ trial, ok: false, error: `broker did not start: ${(err as Error).message}` });
        } finally {
          await broker?.stop();
        }
      }
    }
  }
}

/** Our node's targets (and the baseline's): W5 and W6 run them as clusters. */
const oursTargets = (): TargetDef[] => targets.filter((t) => OUR_NODE_TARGETS.includes(t.id));

/** A cluster that would not start or link: a FAILED trial for each of `workloads`, and the run goes on. */
async function withCluster(
  rows: Row[],
  workloads: WorkloadId[],
  trial: number,
  target: TargetDef,
  size: number,
  body: (cluster: RunningCluster) => Promise<void>,
  cpuProfileDir?: string,
): Promise<void> {
  let cluster: RunningCluster;
  const t0 = Date.now();
  try {
    const snapshot = target.id.startsWith('base-') ? BASELINE_SNAPSHOT : undefined;
    cluster = await startCluster({ repo, cpuProfileDir, snapshot }, size);
    log(
      `${size}-node cluster linked in ${Date.now() - t0} ms (ports ${cluster.nodes.map((n) => n.port).join(', ')})`,
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
 * W5: per trial and transport a fresh 2-node cluster (A, B linked), the same-node job (publisher
 * and subscriber on A) and the cross-node job (publisher on A, subscriber on B) back to back, in
 * alternating order per trial (same, cross | cross, same | ...), so drift in the machine's load
 * hits both alike.
 */
async function hopPhase(rows: Row[]): Promise<void> {
  if (settings.hop.length === 0) return;
  for (let trial = 1; trial <= settings.trials; trial++) {
    for (const target of oursTargets()) {
      const order = trial % 2 === 1 ? settings.hop : [...settings.hop].reverse();
      await withCluster(rows, order, trial, target, 2, async (cluster) => {
        for (const w of order) {
          const subNode = w === 'w5-cross' ? 1 : 0;
          await runOne(rowFor(rows, w, target.id), trial, target, cluster.nodes[0]!, { cluster, subNode });
        }
      });
    }
  }
}

/** W6: per trial and transport a fresh 3-node cluster; the display on A, and B or C (at random) killed. */
async function failoverPhase(rows: Row[]): Promise<void> {
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

/** W5 cross-node once per transport with both nodes under `node --cpu-prof`. */
async function hopProfilePhase(stamp: string): Promise<ProfileSummary[]> {
  const out: ProfileSummary[] = [];
  for (const target of oursTargets().filter((t) => t.id.startsWith('ours-'))) {
    const dir = path.join(repo, 'bench', 'results', `profiles-${stamp}`, `w5-${target.id}`);
    mkdirSync(dir, { recursive: true });
    const scratch: Row[] = [];
    await withCluster(
      scratch,
      ['w5-cross'],
      1,
      target,
      2,
      async (cluster) => {
        const row = rowFor(scratch, 'w5-cross', target.id);
        await runOne(row, 1, target, cluster.nodes[0]!, { cluster, subNode: 1 });
      },
      dir,
    );
    for (const node of ['a', 'b']) out.push(...summarizeProfiles(repo, path.join(dir, node)));
  }
  return out;
}

/** Our node under `node --cpu-prof`, W1 and W2 once per transport; not part of the table's numbers. */
async function profilePhase(stamp: string): Promise<ProfileSummary[]> {
  const out: ProfileSummary[] = [];
  for (const target of targets.filter((t) => t.id === 'ours-ws' || t.id === 'ours-raw')) {
    const dir = path.join(repo, 'bench', 'results', `profiles-${stamp}`, target.id);
    mkdirSync(dir, { recursive: true });
    let broker: RunningBroker | undefined;
    try {
      broker = await startBroker(target.id, { repo, cpuProfileDir: dir });
      for (const w of ['w1-1to100', 'w2-pairs'] as WorkloadId[]) {
        const row: Row = { workload: w, target: target.id, status: 'ok', trials: [] };
        await runOne(row, 1, target, broker);
      }
    } catch (err) {
      log(`profile ${target.id}: ${(err as Error).message}`);
    } finally {
      await broker?.stop();
    }
    out.push(...summarizeProfiles(repo, dir));
  }
  return out;
}

function profileText(profiles: ProfileSummary[]): string {
  return profiles
    .map((p) => {
      const fns = p.top.map(
        (e) => `    ${e.selfPct.toFixed(1).padStart(5)}%  ${e.functionName}  ${e.location}`,
      );
      const files = p.byFile.slice(0, 8).map((f) => `    ${f.selfPct.toFixed(1).padStart(5)}%  ${f.file}`);
      return [`  ${p.file} (${p.samples} samples, self time)`, ...fns, '  by file:', ...files].join('\n');
    })
    .join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(path.join(repo, 'broker/dist/index.js')))
    throw new Error('broker/dist missing: run npm run build');
  const stamp = new Date()
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  snapshotBroker(repo, settings.ours);
  if (settings.baseline) snapshotBroker(repo, settings.baseline, BASELINE_SNAPSHOT);
  const facts = machineFacts();
  const vers = versions(repo);
  log(`${quick ? 'quick' : 'full'} run, ${facts.cpus} CPUs, node ${facts.node}, taskset ${facts.taskset}`);
  const rows: Row[] = [];
  await trafficPhase(rows);
  await memoryPhase(rows);
  await hopPhase(rows);
  await failoverPhase(rows);
  const ui = settings.ui ? await uiPhase() : undefined;
  rows.forEach(summarize);
  addRatios(rows);
  addHopCosts(rows);
  // Goals of the workload groups this run measured (all of them unless --workloads= narrows it).
  const ran = new Set(
    [...settings.traffic, ...settings.memory, ...settings.hop, ...settings.failover].map((w) =>
      w.slice(0, 2).toUpperCase(),
    ),
  );
  const goals = evaluateGoals(rows).filter((g) => !onlyWorkloads || ran.has(g.goal.slice(0, 2)));
  const compared = comparisons(rows);
  const missedIn = (prefixes: string[]): boolean =>
    goals.some((g) => g.verdict === 'missed' && prefixes.includes(g.goal.slice(0, 2)));
  const profileOn = (missed: boolean): boolean =>
    profileMode === 'always' || (profileMode === 'auto' && missed && !quick);
  const profiles = [
    ...(settings.traffic.length > 0 && profileOn(missedIn(['W1', 'W2', 'W3', 'W4']))
      ? await profilePhase(stamp)
      : []),
    ...(settings.hop.length > 0 && profileOn(missedIn(['W5'])) ? await hopProfilePhase(stamp) : []),
  ];

  const traffic = rows.filter((r) => settings.traffic.includes(r.workload));
  const memory = rows.filter((r) => settings.memory.includes(r.workload));
  const byTarget = (a: Row, b: Row): number =>
    TARGETS.findIndex((t) => t.id === a.target) - TARGETS.findIndex((t) => t.id === b.target);
  const hop = rows
    .filter((r) => settings.hop.includes(r.workload))
    .sort((a, b) => byTarget(a, b) || settings.hop.indexOf(a.workload) - settings.hop.indexOf(b.workload));
  const failover = rows.filter((r) => settings.failover.includes(r.workload)).sort(byTarget);
  const sections = (...parts: (string | false)[]): string[] =>
    parts.flatMap((p) => (p === false ? [] : ['', p]));
  const text = [
    `SMQ bench (${quick ? 'quick' : 'full'}): ${facts.cpus} × ${facts.cpuModel}, node ${facts.node}, ws ${vers.ws}, aedes ${vers.aedes}, mosquitto ${vers.mosquitto}, broker ${vers.broker.commit}${vers.broker.srcChangedSinceCommit ? ' (+ uncommitted src)' : ''}`,
    ...(settings.ours ? [`our node (ours-ws, ours-raw): ${settings.ours}`] : []),
    ...(settings.baseline ? [`baseline (base-ws, base-raw): ${settings.baseline}`] : []),
    ...(OUR_NODE_FLAGS.length > 0 ? [`node flags of our node: ${OUR_NODE_FLAGS.join(' ')}`] : []),
    `${settings.trials} interleaved trial(s) per row, median ±half-range; ${settings.warmupMs} ms warm-up, ${settings.measureMs} ms measured; 64-byte body; broker CPU ${facts.taskset ? '0' : 'any'}, load CPU ${facts.taskset ? '1' : 'any'}; load-limited = load generator ≥ 90% of its core`,
    ...sections(
      traffic.length > 0 && trafficTable(traffic, TARGETS),
      memory.length > 0 && memoryTable(memory, TARGETS),
      hop.length > 0 &&
        `W5 cluster hop (2 linked smq-node processes, 1 publisher → 1 subscriber, ${settings.hopRate} msg/s paced; hop = cross − same, paired by trial, median over the pairs not contended by other processes):\n` +
          hopTable(hop, TARGETS, facts.taskset),
      failover.length > 0 &&
        `W6 failover (${settings.failoverSetup.nodes} linked nodes, ${settings.failoverSetup.devices} devices at random, display on A; B or C (at random) SIGKILLed; ms from the kill until a device of the dead node is reconnected to a survivor and its devinfo is on the display):\n` +
          failoverTable(failover, TARGETS),
      traffic.length > 0 && `Other ratios (medians):\n${comparisonsText(compared)}`,
      ui !== undefined && uiText(ui),
    ),
    '',
    'Targets (our node):',
    goalsText(goals),
    ...(profiles.length > 0
      ? [
          '',
          'CPU profile of our node (node --cpu-prof: W1 1→100 + W2 on one node; W5 cross-node per node a/b), top self time:',
          profileText(profiles),
        ]
      : []),
  ].join('\n');
  process.stdout.write(`${text}\n`);

  const file = path.join(repo, 'bench', 'results', `${stamp}${quick ? '-quick' : ''}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const json = {
    startedAt: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    mode: quick ? 'quick' : 'full',
    settings,
    machine: facts,
    versions: vers,
    rows,
    goals,
    comparisons: compared,
    cluster: {
      hop: hop.flatMap((r) => (r.hop ? [{ target: r.target, ...r.hop }] : [])),
      failover: failover.map((r) => ({
        target: r.target,
        worstMs: failoverWorstMs(r),
        trials: r.trials.map((t) =>
          t.ok ? { trial: t.trial, ...t.result.failover } : { trial: t.trial, error: t.error },
        ),
      })),
    },
    ratios: rows.flatMap((r) =>
      r.vsRelay === undefined ? [] : [{ workload: r.workload, target: r.target, vsRelay: r.vsRelay }],
    ),
    profiles,
    ui,
    table: text,
  };
  writeFileSync(
    file,
    `${JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
  log(`wrote ${path.relative(repo, file)} in ${elapsed()}`);
}

interface UiResults {
  pipeline: UiPipelineResult | { error: string };
  placement: PlacementRow[] | { error: string };
}

/** The UI pipeline in browser mode (needs `npm run build`) and the host-placement comparison. */
async function uiPhase(): Promise<UiResults> {
  const failed = (err: unknown): { error: string } => ({ error: (err as Error).message });
  log('ui: the inspector under 5,000 msgs/s for 60 s (browser mode + Chromium)');
  const pipeline = await runUiPipeline({ repo, rate: 5000, durationMs: quick ? 10_000 : 60_000, log }).catch(
    failed,
  );
  const placement = await runHostPlacement({
    repo,
    rate: PLACEMENT_RATE,
    seconds: 10,
    trials: settings.trials,
    log,
  }).catch(failed);
  return { pipeline, placement };
}

const PLACEMENT_RATE = 20_000;

function uiText(ui: UiResults): string {
  return [
    'error' in ui.pipeline ? `UI pipeline: FAILED (${ui.pipeline.error})` : uiPipelineTable(ui.pipeline),
    'error' in ui.placement
      ? `Host placement: FAILED (${ui.placement.error})`
      : hostPlacementTable(ui.placement, PLACEMENT_RATE),
  ].join('\n\n');
}

process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAllSync();
    process.exit(130);
  });
}
main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    killAllSync();
    process.exit(1);
  },
);
