/** W1/W2 (traffic) and W3/W4 (memory): one broker process per target and trial. */
import { rowFor, runOne } from '../lib/jobs.js';
import { delay } from '../lib/proc.js';
import type { Row } from '../lib/report.js';
import { available, repo, settings, targets } from '../lib/settings.js';
import { startBroker, type RunningBroker } from '../lib/targets.js';

/** W1/W2: trials interleaved across targets (relay, ours, ..., relay, ours, ...), one broker per target per trial. */
export async function trafficPhase(rows: Row[]): Promise<void> {
  for (let trial = 1; trial <= settings.trials; trial++) {
    for (const target of targets) {
      if (!available(target)) {
        for (const w of settings.traffic) rowFor(rows, w, target.id).status = 'not installed';
        continue;
      }
      let broker: RunningBroker | undefined;
      for (const w of settings.traffic) {
        const row = rowFor(rows, w, target.id);
        try {
          if (!broker?.alive()) broker = await startBroker(target.id, { repo });
        } catch (err) {
          row.trials.push({ trial, ok: false, error: `broker did not start: ${(err as Error).message}` });
          continue;
        }
        await runOne(row, trial, target, broker);
      }
      await broker?.stop();
    }
  }
}

/**
 * W3/W4: a fresh broker each, idle RSS read after it settles. One trial by default (memory moves
 * little with the machine's load); `--mem-trials=N` interleaves N across targets, for a before/after.
 */
export async function memoryPhase(rows: Row[]): Promise<void> {
  for (const w of settings.memory) {
    for (let trial = 1; trial <= settings.memTrials; trial++) {
      for (const target of targets) {
        const row = rowFor(rows, w, target.id);
        if (!available(target)) {
          row.status = 'not installed';
          continue;
        }
        let broker: RunningBroker | undefined;
        try {
          broker = await startBroker(target.id, { repo });
          await delay(1000);
          await runOne(row, trial, target, broker);
        } catch (err) {
          row.trials.push({ trial, ok: false, error: `broker did not start: ${(err as Error).message}` });
        } finally {
          await broker?.stop();
        }
      }
    }
  }
}
