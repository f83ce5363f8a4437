/**
 * Load-generator process: receives one Job over IPC, runs it against the broker, answers with a
 * JobResult (or an error), closes its connections and exits. Started by bench/run.ts, pinned to
 * its own CPU where taskset exists.
 */
import type { Job, LoadMessage } from '../lib/types.js';
import type { Conn } from './conn.js';
import { runJob } from './workloads.js';

const opened: Conn[] = [];

function reply(msg: LoadMessage): void {
  for (const c of opened) c.close();
  if (process.send) process.send(msg, () => process.exit(0));
  else {
    process.stdout.write(`${JSON.stringify(msg)}\n`);
    process.exit(0);
  }
}

process.once('message', (job: Job) => {
  runJob(job, opened).then(
    (result) => reply({ kind: 'result', result }),
    (err: unknown) => reply({ kind: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
