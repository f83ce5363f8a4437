import { performance } from 'node:perf_hooks';
import { delay, rssBytes } from '../lib/proc.js';
import type { Job, JobResult } from '../lib/types.js';
import { connectClient } from './clients.js';
import type { Conn } from './conn.js';
import { connectAll } from './connectAll.js';
import { cpuWindow } from './cpu.js';

/** W4: `devices` idle connections (handshake done, one subscription each), held, then RSS. */
export async function runHold(job: Job, opened: Conn[]): Promise<JobResult> {
  const rssIdle = rssBytes(job.brokerPid) ?? NaN;
  const t0 = performance.now();
  await connectAll(job.devices, job.connectConcurrency, async (i) => {
    const c = await connectClient(job.proto, job.port, {
      uid: `${job.runTag}d${i}`,
      subscribe: '/m2m/led/display',
    });
    opened.push(c);
    return c;
  });
  const connectPerSec = (opened.length / (performance.now() - t0)) * 1000;
  const cpu = cpuWindow(job.brokerPid);
  await delay(job.holdMs);
  const w = cpu.stop();
  const held = opened.filter((c) => !c.closed).length;
  const rssLoaded = rssBytes(job.brokerPid) ?? NaN;
  return {
    workload: job.workload,
    connections: opened.length,
    measuredMs: w.ms,
    publishedPerSec: 0,
    deliveredPerSec: 0,
    expected: 0,
    delivered: 0,
    drops: 0,
    latency: { samples: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN },
    brokerCpu: w.brokerCpu,
    loadCpu: w.loadCpu,
    otherCpu: w.otherCpu,
    rssIdle,
    rssLoaded,
    mbPer1000: (((rssLoaded - rssIdle) / job.devices) * 1000) / 1e6,
    held,
    connectPerSec,
    notes: held < job.devices ? [`${job.devices - held} of ${job.devices} connections lost`] : [],
  };
}
