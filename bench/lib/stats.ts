import type { LatencySummary } from './types.js';

const BUCKETS = 500_000; // 1 µs each: exact percentiles up to 500 ms

/** Latency histogram with 1 µs buckets; recording is one array increment. */
export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private overflow: number[] = [];
  private n = 0;
  private max = 0;

  record(ms: number): void {
    const us = Math.round(ms * 1000);
    this.n++;
    if (us > this.max) this.max = us;
    if (us < BUCKETS) this.counts[us < 0 ? 0 : us]!++;
    else this.overflow.push(us);
  }

  reset(): void {
    this.counts.fill(0);
    this.overflow = [];
    this.n = 0;
    this.max = 0;
  }

  /** Value (µs) at quantile q in [0, 1]. */
  quantileUs(q: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i;
    }
    const sorted = [...this.overflow].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, rank - seen - 1)] ?? this.max;
  }

  summary(): LatencySummary {
    return {
      samples: this.n,
      p50Ms: this.quantileUs(0.5) / 1000,
      p99Ms: this.quantileUs(0.99) / 1000,
      maxMs: this.n === 0 ? NaN : this.max / 1000,
    };
  }
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Half the min–max range, as % of the median: "± x %" across trials. */
export function spreadPct(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length < 2) return NaN;
  const m = median(v);
  return m === 0 ? NaN : ((Math.max(...v) - Math.min(...v)) / 2 / m) * 100;
}
