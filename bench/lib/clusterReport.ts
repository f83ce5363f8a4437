/** The cluster rows of a run: W5 hop costs (mesh and NATS) and W6 failover. */
import { median } from './stats.js';
import { CONTENDED_PCT, flag, num, pct, rate, status, table, type Row } from './report.js';
import type { TargetDef } from './targets.js';
import type { WorkloadId } from './types.js';

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

/** W5: each cross-node workload and the same-node one its hop cost is measured against. */
const HOP_PAIRS: Partial<Record<WorkloadId, WorkloadId>> = {
  'w5-cross': 'w5-same',
  'w5-cross-nats': 'w5-same-nats',
};

/**
 * W5: per trial, cross-node minus same-node latency (same cluster, adjacent jobs); median over the
 * trials whose two jobs both ran without contention from other processes (a 100 ms p99 from someone
 * else's build in one job of a pair says nothing about the hop), or over all when none did.
 */
export function addHopCosts(rows: Row[]): void {
  for (const cross of rows.filter((r) => HOP_PAIRS[r.workload] !== undefined)) {
    const same = rows.find((r) => r.workload === HOP_PAIRS[cross.workload] && r.target === cross.target);
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

function signed(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}

/** The cluster-hop rows (W5, mesh and NATS): same node against cross node, and what the hop adds. */
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
    'broker CPU (2 nodes [+ nats-server])',
    'load CPU',
    'other CPU',
    'note',
  ];
  const body = rows.map((row) => {
    const procs = row.workload.endsWith('-nats') ? '2 brokers + nats-server' : '2 brokers';
    const shared = pinned ? `${procs} share CPU 0` : `${procs}, not pinned`;
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
