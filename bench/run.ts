/**
 * `npm run bench [-- --quick] [-- --profile]`: our SMQ node against a bare ws relay, Aedes and
 * Mosquitto on the workloads of issue #9. Brokers and load generators are separate processes in
 * their own process groups (broker on CPU 0, load on CPU 1 where taskset exists). Prints the table
 * on stdout (progress on stderr) and writes bench/results/<ISO date>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineFacts, versions } from './lib/facts.js';
import { comparisons, comparisonsText, evaluateGoals, goalsText } from './lib/goals.js';
import { runLoad } from './lib/loadrun.js';
import { delay, killAllSync, machineBusyMs } from './lib/proc.js';
import { summarizeProfiles, type ProfileSummary } from './lib/profile.js';
import { addRatios, memoryTable, summarize, trafficTable, type Row } from './lib/report.js';
import {
  MOSQUITTO,
  snapshotBroker,
  startBroker,
  TARGETS,
  type RunningBroker,
  type TargetDef,
} from './lib/targets.js';
import type { Job, TargetId, WorkloadId } from './lib/types.js';
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
const pickW = (ws: WorkloadId[]): WorkloadId[] =>
  ws.filter((w) => !onlyWorkloads || onlyWorkloads.includes(w));

const settings = {
  quick,
  trials: Number(listArg('trials')?.[0] ?? (quick ? 1 : 3)),
  warmupMs: quick ? 700 : 1500,
  measureMs: quick ? 2000 : 4000,
  traffic: pickW(
    quick
      ? ['w1-1to100', 'w1-paced', 'w2-pairs']
      : ['w1-1to100', 'w1-paced', 'w2-pairs', 'w1-1to1', 'w1-100to1'],
  ),
  memory: pickW(quick ? [] : ['w3-fleet', 'w4-hold']),
  /** Messages in flight per publisher at max rate (sent, not yet seen by all its receivers). */
  window: { 'w1-1to100': 100, 'w1-1to1': 100, 'w1-100to1': 30, 'w2-pairs': 30 } as Partial<
    Record<WorkloadId, number>
  >,
  pacedRate: 500,
  fleet: { devices: 1000, displays: 10, warmupMs: 2000, measureMs: 10_000 },
  hold: { devices: 10_000, holdMs: 5000 },
  connectConcurrency: 100,
};

const log = (msg: string): void => void process.stderr.write(`[bench ${elapsed()}] ${msg}\n`);
const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)}s`;
let jobCounter = 0;

const targets = TARGETS.filter((t) => !onlyTargets || onlyTargets.includes(t.id));

function available(t: TargetDef): boolean {
  return t.id !== 'mosquitto' || existsSync(MOSQUITTO);
}

function makeJob(workload: WorkloadId, target: TargetDef, broker: RunningBroker): Job {
  const fleet = workload === 'w3-fleet';
  const hold = workload === 'w4-hold';
  return {
    workload,
    proto: target.proto,
    port: broker.port,
    brokerPid: broker.pid,
    warmupMs: fleet ? settings.fleet.warmupMs : settings.warmupMs,
    measureMs: fleet ? settings.fleet.measureMs : settings.measureMs,
    window: settings.window[workload] ?? 100,
    rate: settings.pacedRate,
    devices: hold ? settings.hold.devices : settings.fleet.devices,
    displays: settings.fleet.displays,
    holdMs: settings.hold.holdMs,
    connectConcurrency: settings.connectConcurrency,
    runTag: `j${++jobCounter}`,
  };
}

/** Time limit of one job: its own windows plus set-up and drain. */
function limitMs(job: Job): number {
  if (job.workload === 'w4-hold') return job.holdMs + 150_000;
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

async function runOne(row: Row, trial: number, target: TargetDef, broker: RunningBroker): Promise<void> {
  await waitForQuiet();
  const job = makeJob(row.workload, target, broker);
  try {
    const result = await runLoad(repo, job, limitMs(job));
    row.trials.push({ trial, ok: true, result });
    // NaN crosses IPC as null.
    const f = (n: number | null, d: number): string => (n === null ? '-' : n.toFixed(d));
    const lat = `p50 ${f(result.latency.p50Ms, 2)} p99 ${f(result.latency.p99Ms, 2)} ms`;
    const cpu = `cpu broker/load/other ${[result.brokerCpu, result.loadCpu, result.otherCpu].map((c) => f(c, 0)).join('/')}%`;
    const mem = result.mbPer1000 === undefined ? '' : `, ${f(result.mbPer1000, 1)} MB/1,000 conns`;
    log(`${row.workload} ${target.id}: ${Math.round(result.deliveredPerSec)}/s, ${lat}, ${cpu}${mem}`);
  } catch (err) {
    const tail = broker.alive()
      ? ''
      : ` (broker died: ${broker.tail().trim().split('\n').slice(-2).join(' | ')})`;
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

/** W3/W4: a fresh broker each, idle RSS read after it settles. */
async function memoryPhase(rows: Row[]): Promise<void> {
  for (const w of settings.memory) {
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
        await runOne(row, 1, target, broker);
      } catch (err) {
        row.trials.push({ trial: 1, ok: false, error: `broker did not start: ${(err as Error).message}` });
      } finally {
        await broker?.stop();
      }
    }
  }
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
  snapshotBroker(repo);
  const facts = machineFacts();
  const vers = versions(repo);
  log(`${quick ? 'quick' : 'full'} run, ${facts.cpus} CPUs, node ${facts.node}, taskset ${facts.taskset}`);
  const rows: Row[] = [];
  await trafficPhase(rows);
  await memoryPhase(rows);
  rows.forEach(summarize);
  addRatios(rows);
  const goals = evaluateGoals(rows);
  const compared = comparisons(rows);
  const missed = goals.some((g) => g.verdict === 'missed');
  const profiles =
    profileMode === 'always' || (profileMode === 'auto' && missed && !quick) ? await profilePhase(stamp) : [];

  const traffic = rows.filter((r) => settings.traffic.includes(r.workload));
  const memory = rows.filter((r) => settings.memory.includes(r.workload));
  const text = [
    `SMQ bench (${quick ? 'quick' : 'full'}): ${facts.cpus} × ${facts.cpuModel}, node ${facts.node}, ws ${vers.ws}, aedes ${vers.aedes}, mosquitto ${vers.mosquitto}, broker ${vers.broker.commit}${vers.broker.srcChangedSinceCommit ? ' (+ uncommitted src)' : ''}`,
    `${settings.trials} interleaved trial(s) per row, median ±half-range; ${settings.warmupMs} ms warm-up, ${settings.measureMs} ms measured; 64-byte body; broker CPU ${facts.taskset ? '0' : 'any'}, load CPU ${facts.taskset ? '1' : 'any'}; load-limited = load generator ≥ 90% of its core`,
    '',
    trafficTable(traffic, TARGETS),
    ...(memory.length > 0 ? ['', memoryTable(memory, TARGETS)] : []),
    '',
    'W5 cluster hop: n/a (needs cluster)',
    'W6 failover: n/a (needs cluster)',
    '',
    'Other ratios (medians):',
    comparisonsText(compared),
    '',
    'Targets (our node):',
    goalsText(goals),
    ...(profiles.length > 0
      ? [
          '',
          'CPU profile of our node (node --cpu-prof, W1 1→100 + W2), top self time:',
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
    ratios: rows.flatMap((r) =>
      r.vsRelay === undefined ? [] : [{ workload: r.workload, target: r.target, vsRelay: r.vsRelay }],
    ),
    profiles,
    table: text,
  };
  writeFileSync(
    file,
    `${JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
  log(`wrote ${path.relative(repo, file)} in ${elapsed()}`);
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
