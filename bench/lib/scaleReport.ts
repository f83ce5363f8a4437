/**
 * The scale run's table, its per-node cost slopes (least squares over the cluster sizes) and the
 * extrapolated node count where the mesh's per-node cost passes NATS's.
 */
import type { ClusterTransport } from './clusterHealth.js';
import { CONTENDED_PCT, num, rate, table } from './report.js';
import type { ScaleResult, ScaleRun } from './scaleTypes.js';

const MB = 1e6;
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** y = intercept + slope × nodes. */
export interface LinearFit {
  intercept: number;
  slope: number;
  points: number;
}

export function linearFit(xs: number[], ys: number[]): LinearFit {
  const pts = xs.map((x, i) => [x, ys[i]!] as const).filter(([, y]) => Number.isFinite(y));
  const n = pts.length;
  if (n < 2) return { intercept: NaN, slope: NaN, points: n };
  const mx = mean(pts.map(([x]) => x));
  const my = mean(pts.map(([, y]) => y));
  const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const sxy = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const slope = sxx === 0 ? NaN : sxy / sxx;
  return { intercept: my - slope * mx, slope, points: n };
}

/** A per-node cost, read from one run: over NATS, the nats-server's share (1/N of it) is added where it has one. */
interface CostMetric {
  id: string;
  label: string;
  unit: string;
  of(r: ScaleResult): number;
}

const COSTS: readonly CostMetric[] = [
  {
    id: 'controlMsgsPerSec',
    label: 'control messages/s per node (in + out, at rest)',
    unit: 'msgs/s',
    of: (r) => mean(r.perNode.map((n) => n.controlMsgsPerSec)),
  },
  {
    id: 'controlKBPerSec',
    label: 'control kB/s per node (in + out, at rest)',
    unit: 'kB/s',
    of: (r) => mean(r.perNode.map((n) => n.controlBytesPerSec)) / 1000,
  },
  {
    id: 'restCpu',
    label: 'CPU per node at rest (NATS: + nats-server CPU / N)',
    unit: '% of a core',
    of: (r) => mean(r.perNode.map((n) => n.restCpu)) + (r.natsServer ? r.natsServer.restCpu / r.nodes : 0),
  },
  {
    id: 'rssMB',
    label: 'RSS per node (NATS: + nats-server RSS / N; the 1,000 devices are fewer per node as N grows)',
    unit: 'MB',
    of: (r) =>
      mean(r.perNode.map((n) => n.rssBytes)) / MB + (r.natsServer ? r.natsServer.rssBytes / MB / r.nodes : 0),
  },
];

export interface CostSlope {
  metric: string;
  label: string;
  unit: string;
  mesh: LinearFit;
  nats: LinearFit;
  /** Extrapolated from the two fits: the node count from which the mesh's per-node cost is higher. */
  crossoverNodes: number | null;
  extrapolation: string;
}

/** Where the fitted mesh line passes the NATS line, said plainly (the fits are lines through 3 points). */
function crossover(mesh: LinearFit, nats: LinearFit, sizes: number[]): { n: number | null; text: string } {
  const lo = Math.min(...sizes);
  const hi = Math.max(...sizes);
  if (!Number.isFinite(mesh.slope) || !Number.isFinite(nats.slope))
    return { n: null, text: 'not enough runs' };
  const at = (f: LinearFit, n: number): number => f.intercept + f.slope * n;
  if (mesh.slope <= nats.slope) {
    return at(mesh, hi) > at(nats, hi)
      ? { n: null, text: `mesh higher across ${lo}–${hi} nodes and not growing faster: no crossover` }
      : { n: null, text: 'mesh lower and not growing faster than NATS: no crossover on these lines' };
  }
  const n = (nats.intercept - mesh.intercept) / (mesh.slope - nats.slope);
  if (n <= lo)
    return { n, text: `mesh already higher at ${lo} nodes (the lines cross at N ≈ ${n.toFixed(1)})` };
  const where = n <= hi ? 'inside the measured range' : `beyond the measured ${hi}`;
  return { n, text: `mesh higher from N ≈ ${Math.ceil(n)} (${where})` };
}

export function scaleSlopes(runs: ScaleRun[]): CostSlope[] {
  const sizes = [...new Set(runs.map((r) => r.nodes))];
  const fit = (t: ClusterTransport, m: CostMetric): LinearFit => {
    const ok = runs.filter((r) => r.transport === t && r.result);
    return linearFit(
      ok.map((r) => r.nodes),
      ok.map((r) => m.of(r.result!)),
    );
  };
  return COSTS.map((m) => {
    const mesh = fit('mesh', m);
    const nats = fit('nats', m);
    const c = crossover(mesh, nats, sizes);
    return {
      metric: m.id,
      label: m.label,
      unit: m.unit,
      mesh,
      nats,
      crossoverNodes: c.n,
      extrapolation: c.text,
    };
  });
}

const range = (v: number[], digits: number): string => {
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return hi - lo < 10 ** -digits
    ? num(lo, digits)
    : `${num(mean(v), digits)} (${num(lo, digits)}–${num(hi, digits)})`;
};

function runCells(run: ScaleRun): string[] {
  const r = run.result;
  if (!r)
    return [
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      run.error ? `FAILED: ${run.error.slice(0, 100)}` : run.status,
    ];
  const f = r.fanout;
  const linkCell =
    r.transport === 'mesh'
      ? `${range(
          r.perNode.map((n) => n.links),
          0,
        )} links`
      : `${range(
          r.perNode.map((n) => n.natsSubscriptions ?? NaN),
          0,
        )} subs`;
  const notes = [...run.notes];
  if ((run.otherCpu ?? 0) >= CONTENDED_PCT) notes.push(`contended: other processes ${num(run.otherCpu, 0)}%`);
  if (f.drops > 0) notes.push(`${f.drops} drops of ${f.expected}`);
  return [
    range(
      r.perNode.map((n) => n.rssBytes / MB),
      1,
    ),
    linkCell,
    range(
      r.perNode.map((n) => n.controlMsgsPerSec),
      1,
    ),
    num(mean(r.perNode.map((n) => n.controlBytesPerSec)) / 1000, 2),
    num(mean(r.perNode.map((n) => n.restCpu)), 1),
    `${rate(f.deliveredPerSec)} / ${rate(f.rate * r.nodes)}`,
    num(f.latency.p50Ms),
    num(f.latency.p99Ms),
    `${num(f.nodesCpu, 0)}%`,
    r.natsServer ? `${num(r.natsServer.rssBytes / MB, 1)}` : '',
    r.natsServer ? `${num(r.natsServer.restCpu, 1)}% / ${num(r.natsServer.fanoutCpu, 0)}%` : '',
    notes.join('; '),
  ];
}

export function scaleText(
  runs: ScaleRun[],
  slopes: CostSlope[],
  setup: { devices: number; restMs: number; fanoutRate: number },
  pinned: boolean,
): string {
  // CPU time comes from /proc in 10 ms ticks: one tick over the rest window, in % of a core.
  const tickPct = (10 / setup.restMs) * 100;
  const header = [
    'nodes',
    'transport',
    'RSS/node MB',
    'links or NATS subs/node',
    'control msgs/s/node',
    'control kB/s/node',
    'rest CPU/node %',
    'fan-out delivered/s (of paced)',
    'p50 ms',
    'p99 ms',
    'nodes CPU (fan-out)',
    'nats-server RSS MB',
    'nats-server CPU rest / fan-out',
    'note',
  ];
  const body = runs.map((run) => [String(run.nodes), run.transport, ...runCells(run)]);
  const f = (x: number, d = 2): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(d)}` : '-');
  const slopeLines = slopes.map(
    (s) =>
      `  ${s.label}: mesh ${f(s.mesh.slope)} ${s.unit} per added node, NATS ${f(s.nats.slope)} ${s.unit} per added node`,
  );
  const extrapolation = slopes.map((s) => `  ${s.label}: ${s.extrapolation}`);
  return [
    `Scale run (N smq-node processes ${pinned ? 'all on CPU 0' : 'not pinned'}, mesh: every node dials A, gossip links the rest; NATS: all on one local nats-server, on CPU 0 too; ${setup.devices} raw-TCP devices round robin; at rest: a ${setup.restMs / 1000} s window with the devices idle (rest CPU resolution ${tickPct.toFixed(1)}% of a core per node); fan-out: 1 publisher on A → 1 subscriber per node, ${setup.fanoutRate} msgs/s paced; per-node cells: mean (min–max)). Control messages: mesh from each node's /health links, NATS from the nats-server's /connz (a node's /health has no NATS message counters). Two shared cores cannot show absolute capacity: read the slopes, not the ceilings.`,
    table(header, body),
    '',
    'Per-node cost slopes (least squares over N = ' +
      [...new Set(runs.map((r) => r.nodes))].join(', ') +
      '):',
    ...slopeLines,
    'EXTRAPOLATION (straight lines through these runs, beyond what was measured; not a measurement): where the mesh stops being the cheaper choice per node',
    ...extrapolation,
  ].join('\n');
}
