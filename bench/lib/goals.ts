import { failoverWorstMs } from './clusterReport.js';
import type { Row } from './report.js';
import type { TargetId, WorkloadId } from './types.js';

export interface GoalResult {
  goal: string;
  verdict: 'met' | 'missed' | 'n/a' | 'not measured';
  detail: string;
}

type Metric = 'delivered' | 'p99' | 'mb';

function value(rows: Row[], w: WorkloadId, t: TargetId, m: Metric): number | undefined {
  const s = rows.find((r) => r.workload === w && r.target === t)?.summary;
  if (!s) return undefined;
  if (m === 'delivered') return s.deliveredPerSec;
  if (m === 'p99') return s.p99Ms;
  return s.mbPer1000;
}

function ratioGoal(
  rows: Row[],
  w: WorkloadId,
  ours: TargetId,
  ref: TargetId,
  factor: number,
  goal: string,
): GoalResult {
  const a = value(rows, w, ours, 'delivered');
  const b = value(rows, w, ref, 'delivered');
  if (a === undefined || b === undefined) {
    const missing = a === undefined ? ours : ref;
    return { goal, verdict: 'not measured', detail: `${missing}: no result in this run` };
  }
  const ratio = a / b;
  const detail = `${ours} ${Math.round(a)}/s vs ${ref} ${Math.round(b)}/s = ${ratio.toFixed(2)}× (needs ${factor}×)`;
  return { goal, verdict: ratio >= factor ? 'met' : 'missed', detail };
}

function memGoal(rows: Row[], w: WorkloadId, t: TargetId, goal: string, wantHeld?: number): GoalResult {
  const row = rows.find((r) => r.workload === w && r.target === t);
  const mb = row?.summary?.mbPer1000;
  if (mb === undefined || !row?.summary) return { goal, verdict: 'not measured', detail: `${t}: no result` };
  const held = row.summary.held;
  const heldOk = wantHeld === undefined || (held ?? 0) >= wantHeld;
  const detail = `${t} ${mb.toFixed(1)} MB per 1,000 connections${held === undefined ? '' : `, ${held} held`}`;
  return { goal, verdict: mb <= 15 && heldOk ? 'met' : 'missed', detail };
}

/** The targets of issue #9, read from this run's medians. */
export function evaluateGoals(rows: Row[]): GoalResult[] {
  const goals: GoalResult[] = [
    ratioGoal(
      rows,
      'w1-1to100',
      'ours-ws',
      'relay',
      1.0,
      'W1 1→100 delivered/s over WebSocket ≥ 1.0 × relay',
    ),
    ratioGoal(rows, 'w2-pairs', 'ours-ws', 'relay', 1.0, 'W2 delivered/s over WebSocket ≥ 1.0 × relay'),
    ratioGoal(rows, 'w2-pairs', 'ours-ws', 'aedes', 1.5, 'W2 over WebSocket ≥ 1.5 × Aedes'),
  ];
  const mosquitto = rows.find((r) => r.workload === 'w2-pairs' && r.target === 'mosquitto');
  goals.push(
    mosquitto?.status === 'not installed'
      ? { goal: 'W2 over raw TCP ≥ Mosquitto', verdict: 'n/a', detail: 'mosquitto not installed' }
      : ratioGoal(rows, 'w2-pairs', 'ours-raw', 'mosquitto', 1.0, 'W2 over raw TCP ≥ Mosquitto'),
  );
  const ours = value(rows, 'w1-paced', 'ours-ws', 'p99');
  const relay = value(rows, 'w1-paced', 'relay', 'p99');
  const pacedGoal = 'W1 paced p99 over WebSocket ≤ relay p99 + 0.5 ms';
  goals.push(
    ours === undefined || relay === undefined
      ? { goal: pacedGoal, verdict: 'not measured', detail: 'no paced result' }
      : {
          goal: pacedGoal,
          verdict: ours <= relay + 0.5 ? 'met' : 'missed',
          detail: `ours-ws ${ours.toFixed(2)} ms vs relay ${relay.toFixed(2)} ms (${(ours - relay >= 0 ? '+' : '') + (ours - relay).toFixed(2)} ms)`,
        },
  );
  goals.push(memGoal(rows, 'w3-fleet', 'ours-raw', 'W3 ≤ 15 MB RSS per 1,000 device connections (raw TCP)'));
  goals.push(memGoal(rows, 'w3-fleet', 'ours-ws', 'W3 ≤ 15 MB RSS per 1,000 device connections (WebSocket)'));
  goals.push(memGoal(rows, 'w4-hold', 'ours-raw', 'W4 10,000 held, ≤ 15 MB per 1,000 (raw TCP)', 10_000));
  goals.push(memGoal(rows, 'w4-hold', 'ours-ws', 'W4 10,000 held, ≤ 15 MB per 1,000 (WebSocket)', 10_000));
  for (const [t, how] of [
    ['ours-ws', 'WebSocket'],
    ['ours-raw', 'raw TCP'],
  ] as const) {
    goals.push(hopGoal(rows, t, `W5 one cluster hop adds ≤ 1 ms at p99 (${how})`));
  }
  for (const [t, how] of [
    ['ours-ws', 'WebSocket'],
    ['ours-raw', 'raw TCP'],
  ] as const) {
    goals.push(failoverGoal(rows, t, `W6 failover < 2 s, every device of the killed node (${how})`));
  }
  return goals;
}

/** W5: the cross-node row's p99 minus the same-node row's, paired by trial, median. */
function hopGoal(rows: Row[], t: TargetId, goal: string): GoalResult {
  const cross = rows.find((r) => r.workload === 'w5-cross' && r.target === t);
  const same = rows.find((r) => r.workload === 'w5-same' && r.target === t);
  if (!cross?.hop || !cross.summary || !same?.summary)
    return { goal, verdict: 'not measured', detail: `${t}: no same/cross pair in this run` };
  const h = cross.hop;
  const detail =
    `${t} p99 ${cross.summary.p99Ms.toFixed(2)} ms cross vs ${same.summary.p99Ms.toFixed(2)} ms same node: ` +
    `hop +${h.p99Ms.toFixed(2)} ms at p99, +${h.p50Ms.toFixed(2)} ms at p50 ` +
    `(median of ${h.used} of ${h.trials.length} paired trial(s)` +
    `${h.contended ? ', all contended by other processes' : h.used < h.trials.length ? ', contended pairs left out' : ''}; needs ≤ 1 ms)`;
  return { goal, verdict: h.p99Ms <= 1 ? 'met' : 'missed', detail };
}

/** W6: the worst failover time over every trial; a failed trial or a missing device misses it. */
function failoverGoal(rows: Row[], t: TargetId, goal: string): GoalResult {
  const row = rows.find((r) => r.workload === 'w6-failover' && r.target === t);
  if (!row || row.trials.length === 0) return { goal, verdict: 'not measured', detail: `${t}: no trial` };
  const worst = failoverWorstMs(row);
  if (!Number.isFinite(worst)) {
    const bad = row.trials.filter((x) => !x.ok || (x.result.failover?.missing ?? 1) > 0).length;
    return {
      goal,
      verdict: 'missed',
      detail: `${t}: ${bad} of ${row.trials.length} trials failed or lost devices`,
    };
  }
  const detail = `${t} worst ${worst.toFixed(0)} ms over ${row.trials.length} trial(s) (needs < 2000 ms)`;
  return { goal, verdict: worst < 2000 ? 'met' : 'missed', detail };
}

export function goalsText(goals: GoalResult[]): string {
  return goals.map((g) => `- [${g.verdict.toUpperCase()}] ${g.goal}: ${g.detail}`).join('\n');
}

export interface Comparison {
  name: string;
  value: number | undefined;
  unit: '×' | 'ms';
}

/** Ratios beyond "vs relay": W2 against the MQTT brokers, paced p99 differences. */
export function comparisons(rows: Row[]): Comparison[] {
  const ratio = (w: WorkloadId, a: TargetId, b: TargetId): number | undefined => {
    const x = value(rows, w, a, 'delivered');
    const y = value(rows, w, b, 'delivered');
    return x === undefined || y === undefined ? undefined : x / y;
  };
  const diff = (a: TargetId, b: TargetId): number | undefined => {
    const x = value(rows, 'w1-paced', a, 'p99');
    const y = value(rows, 'w1-paced', b, 'p99');
    return x === undefined || y === undefined ? undefined : x - y;
  };
  return [
    { name: 'W2 ours-ws / aedes', value: ratio('w2-pairs', 'ours-ws', 'aedes'), unit: '×' },
    { name: 'W2 ours-raw / aedes', value: ratio('w2-pairs', 'ours-raw', 'aedes'), unit: '×' },
    { name: 'W2 ours-raw / mosquitto', value: ratio('w2-pairs', 'ours-raw', 'mosquitto'), unit: '×' },
    { name: 'W1 1→100 ours-raw / mosquitto', value: ratio('w1-1to100', 'ours-raw', 'mosquitto'), unit: '×' },
    { name: 'W1 paced p99 ours-ws − relay', value: diff('ours-ws', 'relay'), unit: 'ms' },
    { name: 'W1 paced p99 ours-raw − relay', value: diff('ours-raw', 'relay'), unit: 'ms' },
  ];
}

export function comparisonsText(list: Comparison[]): string {
  return list
    .filter((c) => c.value !== undefined && Number.isFinite(c.value))
    .map(
      (c) =>
        `- ${c.name}: ${c.unit === '×' ? `${c.value!.toFixed(2)}×` : `${c.value! >= 0 ? '+' : ''}${c.value!.toFixed(2)} ms`}`,
    )
    .join('\n');
}
