import type { Job, JobResult } from '../lib/types.js';
import type { Conn } from './conn.js';
import { runFailover } from './failover.js';
import { runHold } from './hold.js';
import { runPubSub } from './pubsub.js';
import { runScale } from './scale.js';

/** Runs one job's workload on the connections opened so far (`opened` gets every new one). */
export async function runJob(job: Job, opened: Conn[]): Promise<JobResult> {
  if (job.workload === 'w4-hold') return runHold(job, opened);
  if (job.workload === 'w6-failover') return runFailover(job);
  if (job.workload === 'scale') return runScale(job, opened);
  return runPubSub(job, opened);
}
