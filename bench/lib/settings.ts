/** The run's settings and targets, from the command line of `npm run bench` (options below). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MOSQUITTO, OUR_NODE_FLAGS, OUR_NODE_TARGETS, TARGETS, type TargetDef } from './targets.js';
import type { WorkloadId } from './types.js';

/** The repository (this file runs from bench/dist/lib/). */
export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const argv = process.argv.slice(2);
export const quick = argv.includes('--quick');
export const profileMode = argv.includes('--profile')
  ? 'always'
  : argv.includes('--no-profile')
    ? 'never'
    : 'auto';

/** `--name=a,b` option values. */
function listArg(name: string): string[] | undefined {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a?.slice(name.length + 3).split(',');
}
export const onlyWorkloads = listArg('workloads');
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

export const settings = {
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
  /**
   * W5: same-node and cross-node rows, on a 2-node cluster per trial and transport; `-nats` rows on
   * 2 nodes attached to one local nats-server instead of linked (full runs: --quick stays under 2 min).
   */
  hop: pickW(quick ? ['w5-same', 'w5-cross'] : ['w5-same', 'w5-cross', 'w5-same-nats', 'w5-cross-nats']),
  /** W5: messages/s of the one publisher (one subscriber); `--hop-rate=N` for a CPU comparison. */
  hopRate: Number(stringArg('hop-rate') ?? 10_000),
  /**
   * W5 warm-up, same and cross node alike (`--hop-warmup=MS`). The first connections of a fresh
   * cluster deoptimize code both nodes had specialized (wrong map, not a Smi: --trace-deopt), and
   * re-optimizing it on the one broker core takes about 3 s at 10k msg/s; meanwhile the nodes' main
   * threads spend twice the CPU per message and the cross path's p99 runs at 2-6 ms (bench/README.md).
   */
  hopWarmupMs: Number(stringArg('hop-warmup') ?? (quick ? 700 : 4000)),
  /** W6: a 3-node cluster per trial and transport. */
  failover: pickW(['w6-failover']),
  /** The UI pipeline (#6) and host placement (#10): full runs, or `--workloads=ui`. */
  ui: onlyWorkloads ? onlyWorkloads.some((x) => x.toLowerCase() === 'ui') : !quick,
  /** The scale run (#12): full runs, or `--workloads=scale`. */
  scale: onlyWorkloads ? onlyWorkloads.some((x) => x.toLowerCase() === 'scale') : !quick,
  /**
   * Per cluster size and transport: `devices` raw-TCP devices round robin, `restMs` at rest, then a
   * fan-out from node A to one subscriber per node at `fanoutRate` msgs/s. Bounded: joining, the
   * devices' directory and the whole job each have a time limit.
   */
  scaleSetup: {
    sizes: [3, 6, 12],
    devices: 1000,
    joinLimitMs: 60_000,
    settleLimitMs: 30_000,
    restMs: 5000,
    fanoutRate: 1000,
    fanoutWarmupMs: 1000,
    fanoutMeasureMs: 3000,
  },
  failoverSetup: { nodes: 3, devices: 100, minDelayMs: 50, maxDelayMs: 500, limitMs: 10_000 },
};

export const targets = TARGETS.filter(
  (t) => (!onlyTargets || onlyTargets.includes(t.id)) && (baseline || !t.id.startsWith('base-')),
);

export function available(t: TargetDef): boolean {
  return t.id !== 'mosquitto' || existsSync(MOSQUITTO);
}

/** Our node's targets (and the baseline's): W5 and W6 run them as clusters. */
export const oursTargets = (): TargetDef[] => targets.filter((t) => OUR_NODE_TARGETS.includes(t.id));
