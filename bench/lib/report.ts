import { median, spreadPct } from './stats.js';
import type { TargetDef } from './targets.js';
import type { HopCost } from './clusterReport.js';
import type { JobResult, TargetId, WorkloadId } from './types.js';

export const LOAD_LIMIT_PCT = 90;
/** Other processes (builds and tests of other users) above this share of a core: the row is marked. */
export const CONTENDED_PCT = 25;

export type Trial =
  { trial: number; ok: true; result: JobResult } | { trial: number; ok: false; error: string };

export interface Summary {
  deliveredPerSec: number;
  deliveredSpreadPct: number;
  publishedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p99SpreadPct: number;
  drops: number;
  brokerCpu: number;
  loadCpu: number;
  /** Median CPU of other processes on the machine (other users) during the measured windows. */
  otherCpu: number;
  /** Some trial had the load generator at or above LOAD_LIMIT_PCT of its core. */
  loadLimited: boolean;
  mbPer1000?: number;
  held?: number;
  connections: number;
  connectPerSec?: number;
  notes: string[];
}

export interface Row {
  workload: WorkloadId;
  target: TargetId;
  status: 'ok' | 'FAILED' | 'not installed' | 'skipped';
  trials: Trial[];
  summary?: Summary;
  /** Median delivered/s divided by the relay's, same workload, same run. */
  vsRelay?: number;
  /** W5 cross-node row: latency one hop adds (cross − same node, paired by trial), median over trials. */
  hop?: HopCost;
}

export const WORKLOAD_LABEL: Record<WorkloadId, string> = {
  'w1-1to100': 'W1 fan-out 1→100 max',
  'w1-paced': 'W1 fan-out 1→100 paced 500/s',
  'w1-1to1': 'W1 1→1 max',
  'w1-100to1': 'W1 100→1 max',
  'w2-pairs': 'W2 100 pairs max',
  'w3-fleet': 'W3 fleet 1,000 dev × 1/s, 10 displays',
  'w4-hold': 'W4 hold 10,000 idle',
  'w5-same': 'W5 same node: pub A → sub A',
  'w5-cross': 'W5 cluster hop: pub A → sub B',
  'w5-same-nats': 'W5 same node, on NATS: pub A → sub A',
  'w5-cross-nats': 'W5 NATS hop: pub A → nats-server → sub B',
  'w6-failover': 'W6 failover: 100 dev / 3 nodes, 1 killed',
  scale: 'scale: N nodes, 1,000 devices, fan-out to every node',
};

export function summarize(row: Row): void {
  const ok = row.trials.flatMap((t) => (t.ok ? [t.result] : []));
  if (ok.length === 0) {
    if (row.status === 'ok') row.status = 'FAILED';
    return;
  }
  const pick = (f: (r: JobResult) => number): number[] => ok.map(f);
  const s: Summary = {
    deliveredPerSec: median(pick((r) => r.deliveredPerSec)),
    deliveredSpreadPct: spreadPct(pick((r) => r.deliveredPerSec)),
    publishedPerSec: median(pick((r) => r.publishedPerSec)),
    p50Ms: median(pick((r) => r.latency.p50Ms)),
    p99Ms: median(pick((r) => r.latency.p99Ms)),
    p99SpreadPct: spreadPct(pick((r) => r.latency.p99Ms)),
    drops: ok.reduce((n, r) => n + r.drops, 0),
    brokerCpu: median(pick((r) => r.brokerCpu)),
    loadCpu: median(pick((r) => r.loadCpu)),
    otherCpu: median(pick((r) => r.otherCpu)),
    loadLimited: ok.some((r) => r.loadCpu >= LOAD_LIMIT_PCT),
    connections: ok[0]!.connections,
    notes: [...new Set(ok.flatMap((r) => r.notes))],
  };
  if (ok[0]!.mbPer1000 !== undefined) s.mbPer1000 = median(pick((r) => r.mbPer1000 ?? NaN));
  if (ok[0]!.held !== undefined) s.held = Math.min(...pick((r) => r.held ?? 0));
  if (ok[0]!.connectPerSec !== undefined) s.connectPerSec = median(pick((r) => r.connectPerSec ?? NaN));
  const failed = row.trials.length - ok.length;
  if (failed > 0) s.notes.push(`${failed} of ${row.trials.length} trials FAILED`);
  row.summary = s;
}

export function addRatios(rows: Row[]): void {
  for (const row of rows) {
    const relay = rows.find((r) => r.workload === row.workload && r.target === 'relay');
    const base = relay?.summary?.deliveredPerSec;
    if (row.summary && base && row.target !== 'relay' && row.workload !== 'w1-paced')
      row.vsRelay = row.summary.deliveredPerSec / base;
  }
}

export function rate(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

export function num(n: number | undefined, digits = 2): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

export function pct(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '' : `±${n.toFixed(0)}%`;
}

export function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`.replace(/\s+\|$/, ' |');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function status(row: Row, targets: readonly TargetDef[]): string[] {
  const label = targets.find((t) => t.id === row.target)?.label ?? row.target;
  return [WORKLOAD_LABEL[row.workload], label];
}

export function flag(row: Row): string {
  if (row.status !== 'ok') {
    const err = row.trials.find((t) => !t.ok);
    return err && !err.ok ? `${row.status}: ${err.error.slice(0, 80)}` : row.status;
  }
  const s = row.summary!;
  const flags: string[] = [];
  if (s.loadLimited) flags.push('load-limited');
  if (s.otherCpu >= CONTENDED_PCT) flags.push(`contended: other processes ${s.otherCpu.toFixed(0)}%`);
  flags.push(...s.notes);
  return flags.join('; ');
}

/** The throughput and latency rows (W1, W2). */
export function trafficTable(rows: Row[], targets: readonly TargetDef[]): string {
  const header = [
    'workload',
    'target',
    'delivered/s',
    'n',
    'vs relay',
    'p50 ms',
    'p99 ms',
    'drops',
    'broker CPU',
    'load CPU',
    'other CPU',
    'note',
  ];
  const body = rows.map((row) => {
    const s = row.summary;
    const n = String(row.trials.filter((t) => t.ok).length);
    if (!s) return [...status(row, targets), '-', n, '', '', '', '', '', '', '', flag(row)];
    return [
      ...status(row, targets),
      `${rate(s.deliveredPerSec)} ${pct(s.deliveredSpreadPct)}`.trim(),
      n,
      row.vsRelay === undefined ? '' : `${row.vsRelay.toFixed(2)}×`,
      num(s.p50Ms),
      `${num(s.p99Ms)} ${row.workload === 'w1-paced' ? pct(s.p99SpreadPct) : ''}`.trim(),
      String(s.drops),
      `${num(s.brokerCpu, 0)}%`,
      `${num(s.loadCpu, 0)}%`,
      `${num(s.otherCpu, 0)}%`,
      flag(row),
    ];
  });
  return table(header, body);
}

/** Median MB per 1,000 connections; with several trials, each one after it (GC timing moves W3). */
function mbCell(row: Row): string {
  const each = row.trials.flatMap((t) =>
    t.ok && t.result.mbPer1000 !== undefined ? [t.result.mbPer1000] : [],
  );
  const m = num(row.summary?.mbPer1000, 1);
  return each.length < 2 ? m : `${m} (${each.map((v) => v.toFixed(1)).join(' / ')})`;
}

/** The memory rows (W3, W4). */
export function memoryTable(rows: Row[], targets: readonly TargetDef[]): string {
  const header = [
    'workload',
    'target',
    'conns',
    'held',
    'MB / 1,000 conns',
    'conn/s',
    'delivered/s',
    'p99 ms',
    'drops',
    'broker CPU',
    'note',
  ];
  const body = rows.map((row) => {
    const s = row.summary;
    if (!s) return [...status(row, targets), '', '', '-', '', '', '', '', '', flag(row)];
    return [
      ...status(row, targets),
      String(s.connections),
      s.held === undefined ? '' : String(s.held),
      mbCell(row),
      s.connectPerSec === undefined ? '' : rate(s.connectPerSec),
      row.workload === 'w3-fleet' ? rate(s.deliveredPerSec) : '',
      row.workload === 'w3-fleet' ? num(s.p99Ms) : '',
      row.workload === 'w3-fleet' ? String(s.drops) : '',
      `${num(s.brokerCpu, 0)}%`,
      flag(row),
    ];
  });
  return table(header, body);
}
