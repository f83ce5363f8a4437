import { performance } from 'node:perf_hooks';
import { cpuMs, machineBusyMs } from '../lib/proc.js';
import type { CpuWindow } from '../lib/types.js';

/** CPU of the broker(s) (summed) and of this process between start() and stop(), % of one core. */
export function cpuWindow(brokerPids: number | number[]): { stop(): CpuWindow & { ms: number } } {
  const pids = typeof brokerPids === 'number' ? [brokerPids] : brokerPids;
  const brokersMs = (): number => pids.reduce((n, pid) => n + (cpuMs(pid) ?? NaN), 0);
  const t0 = performance.now();
  const b0 = brokersMs();
  const l0 = process.cpuUsage();
  const m0 = machineBusyMs();
  return {
    stop() {
      const ms = performance.now() - t0;
      const l = process.cpuUsage(l0);
      const b1 = brokersMs();
      const brokerMs = b1 - b0;
      const loadMs = (l.user + l.system) / 1000;
      const otherMs = Math.max(0, machineBusyMs() - m0 - brokerMs - loadMs);
      return {
        ms,
        brokerCpu: (brokerMs / ms) * 100,
        loadCpu: (loadMs / ms) * 100,
        otherCpu: (otherMs / ms) * 100,
      };
    },
  };
}
