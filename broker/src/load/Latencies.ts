/** Latency samples in ms, kept whole (a run holds at most sent × subscribers of them) for exact percentiles. */
export class Latencies {
  private samples = new Float64Array(1024);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** Nearest-rank percentiles (p in 0..1); 0 for no samples. */
  percentiles(...ps: number[]): number[] {
    const sorted = this.samples.slice(0, this.n).sort();
    return ps.map((p) => (this.n === 0 ? 0 : sorted[Math.max(0, Math.ceil(p * this.n) - 1)]!));
  }
}
