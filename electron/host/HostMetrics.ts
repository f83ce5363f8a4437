import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The host process's own health: is its event loop free to serve the UI? */
export interface HostMetricsSnapshot {
  /** Event-loop delay since the last reset, in ms. */
  lagMs: { p50: number; p99: number; max: number; mean: number };
  sinceMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** CPU time of this process since the last reset, in ms. */
  cpuMs: number;
}

/**
 * Event-loop delay, memory and CPU of the host process. The nodes run in child processes, so this
 * is what stays between the UI and the cluster; the UI benchmark reads it under load.
 */
export class HostMetrics {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
  private since = Date.now();
  private cpu = process.cpuUsage();

  constructor() {
    this.delay.enable();
  }

  snapshot(reset = false): HostMetricsSnapshot {
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    const cpu = process.cpuUsage(this.cpu);
    const mem = process.memoryUsage();
    const out: HostMetricsSnapshot = {
      lagMs: {
        p50: ms(this.delay.percentile(50)),
        p99: ms(this.delay.percentile(99)),
        max: ms(this.delay.max),
        mean: ms(this.delay.mean),
      },
      sinceMs: Date.now() - this.since,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    };
    if (reset) {
      this.delay.reset();
      this.since = Date.now();
      this.cpu = process.cpuUsage();
    }
    return out;
  }

  close(): void {
    this.delay.disable();
  }
}
