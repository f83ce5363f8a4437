import path from 'node:path';
import { keepTail, killGroup, spawnGroup } from './proc.js';
import { LOAD_CPU } from './targets.js';
import type { Job, JobResult, LoadMessage } from './types.js';

/** Runs one job in a fresh load-generator process; rejects on error, crash or `limitMs`. */
export async function runLoad(repo: string, job: Job, limitMs: number): Promise<JobResult> {
  const script = path.join(repo, 'bench', 'dist', 'load', 'loadgen.js');
  const g = spawnGroup(process.execPath, ['--max-old-space-size=2048', script], {
    cpu: LOAD_CPU,
    ipc: true,
    cwd: repo,
  });
  const tail = keepTail(g);
  try {
    return await new Promise<JobResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`time limit of ${limitMs / 1000} s reached`)), limitMs);
      g.child.once('message', (msg: LoadMessage) => {
        clearTimeout(timer);
        if (msg.kind === 'result') resolve(msg.result);
        else reject(new Error(msg.message));
      });
      void g.exited.then((code) => {
        clearTimeout(timer);
        // A crash's stack ends in node internals: name the error line, not only the last lines.
        const lines = tail().trim().split('\n');
        const error = lines.findLast((l) => /^\w*Error\b|^\s*\w+Error: /.test(l));
        const last = lines.slice(-2).join(' | ');
        reject(new Error(`load generator exited (${code}) ${error ? `${error.trim()} … ` : ''}${last}`));
      });
      g.child.send(job);
    });
  } finally {
    await killGroup(g, 'SIGKILL', 2000);
  }
}
