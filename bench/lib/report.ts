import { median, spreadPct } from './stats.js';
import type { TargetDef } from './targets.js';
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

export interface HopCost {
  p50Ms: number;
  p99Ms: number;
  /** Pairs the medians come from: the uncontended ones, or all when every pair was contended. */
  used: number;
  /** Every pair was contended (other processes ≥ CONTENDED_PCT in one of its jobs). */
  contended: boolean;
  /** Per trial where both the same-node and the cross-node job succeeded. */
  trials: { trial: number; p50Ms: number; p99Ms: number; contended: boolean }[];
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
  'w6-failover': 'W6 failover: 100 dev / 3 nodes, 1 killed',
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

/**
 * W5: per trial, cross-node minus same-node latency (same cluster, adjacent jobs); median over the
 * trials whose two jobs both ran without contention from other processes (a 100 ms p99 from someone
 * else's build in one job of a pair says nothing about the hop), or over all when none did.
 */
export function addHopCosts(rows: Row[]): void {
  for (const cross of rows.filter((r) => r.workload === 'w5-cross')) {
    const same = rows.find((r) => r.workload === 'w5-same' && r.target === cross.target);
    if (!same) continue;
    const trials: HopCost['trials'] = [];
    for (const c of cross.trials) {
      const s = same.trials.find((t) => t.trial === c.trial);
      if (!c.ok || !s?.ok) continue;
      trials.push({
        trial: c.trial,
        p50Ms: c.result.latency.p50Ms - s.result.latency.p50Ms,
        p99Ms: c.result.latency.p99Ms - s.result.latency.p99Ms,
        contended: Math.max(c.result.otherCpu, s.result.otherCpu) >= CONTENDED_PCT,
      });
    }
    const quiet = trials.filter((t) => !t.contended);
    const used = quiet.length > 0 ? quiet : trials;
    if (used.length > 0) {
      cross.hop = {
        p50Ms: median(used.map((t) => t.p50Ms)),
        p99Ms: median(used.map((t) => t.p99Ms)),
        used: used.length,
        contended: quiet.length === 0,
        trials,
      };
    }
  }
}

function rate(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

function num(n: number | undefined, digits = 2): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

function pct(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '' : `±${n.toFixed(0)}%`;
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`.replace(/\s+\|$/, ' |');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function status(row: Row, targets: readonly TargetDef[]): string[] {
  const label = targets.find((t) => t.id === row.target)?.label ?? row.target;
  return [WORKLOAD_LABEL[row.workload], label];
}

function flag(row: Row): string {
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

function signed(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}

/** The cluster-hop rows (W5): same node against cross node, and what the hop adds. */
export function hopTable(rows: Row[], targets: readonly TargetDef[], pinned: boolean): string {
  const header = [
    'workload',
    'target',
    'delivered/s',
    'n',
    'p50 ms',
    'p99 ms',
    'hop +p50 ms',
    'hop +p99 ms',
    'drops',
    'broker CPU (2 nodes)',
    'load CPU',
    'other CPU',
    'note',
  ];
  const shared = pinned ? '2 brokers share CPU 0' : '2 brokers, not pinned';
  const body = rows.map((row) => {
    const s = row.summary;
    const n = String(row.trials.filter((t) => t.ok).length);
    if (!s) return [...status(row, targets), '-', n, '', '', '', '', '', '', '', '', flag(row)];
    return [
      ...status(row, targets),
      `${rate(s.deliveredPerSec)} ${pct(s.deliveredSpreadPct)}`.trim(),
      n,
      num(s.p50Ms),
      `${num(s.p99Ms)} ${pct(s.p99SpreadPct)}`.trim(),
      row.hop ? signed(row.hop.p50Ms) : '',
      row.hop ? signed(row.hop.p99Ms) : '',
      String(s.drops),
      `${num(s.brokerCpu, 0)}%`,
      `${num(s.loadCpu, 0)}%`,
      `${num(s.otherCpu, 0)}%`,
      [shared, hopTrials(row), flag(row)].filter((x) => x !== '').join('; '),
    ];
  });
  return table(header, body);
}

/** Per trial hop +p99 (c = contended pair, left out of the median when quiet pairs exist). */
function hopTrials(row: Row): string {
  if (!row.hop) return '';
  const list = row.hop.trials.map((t) => `#${t.trial} ${signed(t.p99Ms)}${t.contended ? ' (c)' : ''}`);
  return `hop +p99 per trial: ${list.join(', ')}${row.hop.contended ? ' (all pairs contended)' : ''}`;
}

/** W6 per trial: failover time over the killed node's devices (p50/max), or why it failed. */
function failoverTrials(row: Row): string {
  return row.trials
    .map((t) => {
      if (!t.ok) return `#${t.trial} FAILED`;
      const f = t.result.failover!;
      const node = String.fromCharCode(65 + f.victim);
      const max = f.missing > 0 ? `${f.missing} missing` : `${f.visibleMaxMs.toFixed(0)}`;
      return `#${t.trial} ${node} killed, ${f.victimDevices} dev: ${f.visibleP50Ms.toFixed(0)}/${max}`;
    })
    .join(', ');
}

/** Worst failover time over the row's trials; NaN when some trial failed or lost a device. */
export function failoverWorstMs(row: Row): number {
  if (row.trials.length === 0) return NaN;
  let worst = 0;
  for (const t of row.trials) {
    if (!t.ok || !t.result.failover || t.result.failover.missing > 0) return NaN;
    worst = Math.max(worst, t.result.failover.visibleMaxMs);
  }
  return worst;
}

/** The failover rows (W6). */
export function failoverTable(rows: Row[], targets: readonly TargetDef[]): string {
  const header = [
    'workload',
    'target',
    'n',
    'dead-node devices',
    'back p50 ms',
    'back max ms',
    'reconnected max ms',
    'per trial: killed node, its devices, p50/max ms',
    'note',
  ];
  const body = rows.map((row) => {
    const ok = row.trials.flatMap((t) => (t.ok && t.result.failover ? [t.result.failover] : []));
    const n = String(ok.length);
    if (ok.length === 0) return [...status(row, targets), n, '', '', '', '', failoverTrials(row), flag(row)];
    const worst = failoverWorstMs(row);
    const reconnectWorst = ok.some((f) => !Number.isFinite(f.reconnectMaxMs))
      ? NaN
      : Math.max(...ok.map((f) => f.reconnectMaxMs));
    return [
      ...status(row, targets),
      n,
      ok.map((f) => f.victimDevices).join('/'),
      num(median(ok.map((f) => f.visibleP50Ms)), 0),
      Number.isFinite(worst) ? worst.toFixed(0) : 'incomplete',
      num(reconnectWorst, 0),
      failoverTrials(row),
      flag(row),
    ];
  });
  return table(header, body);
}
