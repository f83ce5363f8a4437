import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface RateSeries {
  label: string;
  /** One value per second, oldest first, ending now. */
  values: readonly number[];
}

const COLORS = ['#4c8dff', '#3fb950', '#e3b341', '#ff6b6b', '#b48cff', '#3ec1d3', '#f778ba', '#a0a8b4'];

/** msgs/s per series over the last minutes (uPlot: canvas, cheap to redraw every second). */
export function RateChart({ series, height = 220 }: { series: readonly RateSeries[]; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = series.map((s) => s.label).join('\n');

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const style = getComputedStyle(el);
    const axis = {
      stroke: style.getPropertyValue('--muted').trim() || '#888',
      grid: { stroke: style.getPropertyValue('--border').trim() || '#ddd', width: 1 },
      ticks: { show: false },
    };
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      scales: { x: { time: false } },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((t) => (t === 0 ? 'now' : `${-t}s`)) },
        { ...axis, size: 56 },
      ],
      legend: { live: false },
      series: [
        { label: 'seconds ago' },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length]!,
          width: 1.5,
          points: { show: false },
        })),
      ],
    };
    const p = new uPlot(opts, toData(series), el);
    plot.current = p;
    const resize = new ResizeObserver(() => p.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      p.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series changes; values update through setData below.
  }, [labels, height]);

  useEffect(() => {
    plot.current?.setData(toData(series));
  }, [series]);

  return (
    <div
      className="rate-chart"
      ref={host}
      role="img"
      aria-label={`msgs/s of ${series.map((s) => s.label).join(', ')}`}
    />
  );
}

function toData(series: readonly RateSeries[]): uPlot.AlignedData {
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const x = Array.from({ length: n }, (_, i) => i - (n - 1));
  const ys = series.map((s) => {
    const pad = n - s.values.length;
    return Array.from({ length: n }, (_, i) => (i < pad ? null : s.values[i - pad]!));
  });
  return [x, ...ys];
}
