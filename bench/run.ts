/**
 * `npm run bench [-- --quick] [-- --profile]`: our SMQ node against a bare ws relay, Aedes and
 * Mosquitto on the workloads of issue #9, and our node linked in a cluster (W5 hop, W6 failover,
 * issue #3; W5 over NATS and the scale run, issue #12). Brokers and load generators are separate processes in their own process groups
 * (brokers on CPU 0, load on CPU 1 where taskset exists). Prints the table on stdout (progress on
 * stderr) and writes bench/results/<ISO date>.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machineFacts, versions } from './lib/facts.js';
import { comparisons, comparisonsText, evaluateGoals, goalsText } from './lib/goals.js';
import { elapsed, log, started } from './lib/log.js';
import { killAllSync } from './lib/proc.js';
import { addHopCosts, failoverTable, failoverWorstMs, hopTable } from './lib/clusterReport.js';
import { addRatios, memoryTable, summarize, trafficTable, type Row } from './lib/report.js';
import { onlyWorkloads, profileMode, quick, repo, settings } from './lib/settings.js';
import { scaleSlopes, scaleText } from './lib/scaleReport.js';
import { BASELINE_SNAPSHOT, OUR_NODE_FLAGS, snapshotBroker, TARGETS } from './lib/targets.js';
import { memoryPhase, trafficPhase } from './phases/brokerPhases.js';
import { failoverPhase, hopPhase } from './phases/clusterPhases.js';
import { scalePhase } from './phases/scalePhase.js';
import { hopProfilePhase, profilePhase, profileText } from './phases/profilePhases.js';
import { uiPhase, uiText } from './ui/uiPhase.js';

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
  const scale = await scalePhase();
  const slopes = scaleSlopes(scale);
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
        `W5 cluster hop (2 smq-node processes, linked, or on one local nats-server for the NATS rows; 1 publisher → 1 subscriber, ${settings.hopRate} msg/s paced, ${settings.hopWarmupMs} ms warm-up; hop = cross − same, paired by trial, median over the pairs not contended by other processes):\n` +
          hopTable(hop, TARGETS, facts.taskset),
      failover.length > 0 &&
        `W6 failover (${settings.failoverSetup.nodes} linked nodes, ${settings.failoverSetup.devices} devices at random, display on A; B or C (at random) SIGKILLed; ms from the kill until a device of the dead node is reconnected to a survivor and its devinfo is on the display):\n` +
          failoverTable(failover, TARGETS),
      scale.length > 0 && scaleText(scale, slopes, settings.scaleSetup, facts.taskset),
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
    scale: scale.length > 0 ? { setup: settings.scaleSetup, runs: scale, slopes } : undefined,
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
