import type { LoadSpec, LoadView } from '../../../contract/hostContract.js';
import { LoadRun } from '../../../broker/src/load/LoadRun.js';
import { hostError } from './hostError.js';

/** Load runs started from the app: each reports "running", then its result or its error. */
export class LoadRunner {
  private readonly running = new Map<string, LoadRun>();
  private next = 1;

  constructor(private readonly changed: (load: LoadView) => void) {}

  start(spec: LoadSpec, urls: string[]): string {
    let run: LoadRun;
    try {
      run = new LoadRun({ ...spec, urls });
    } catch (err) {
      throw hostError({ code: 'BadArguments', message: (err as Error).message });
    }
    const id = `load${this.next++}`;
    this.running.set(id, run);
    this.changed({ id, spec, state: 'running', result: null, error: null });
    run
      .run()
      .then(
        (r) =>
          this.changed({
            id,
            spec,
            state: 'done',
            result: {
              sent: r.sent,
              received: r.received,
              lost: r.lost,
              sentPerSec: r.sentPerSec,
              receivedPerSec: r.receivedPerSec,
              p50Ms: r.p50Ms,
              p99Ms: r.p99Ms,
            },
            error: null,
          }),
        (err: unknown) => this.changed({ id, spec, state: 'failed', result: null, error: hostError(err) }),
      )
      .finally(() => this.running.delete(id));
    return id;
  }

  close(): void {
    for (const run of this.running.values()) run.stop();
    this.running.clear();
  }
}
