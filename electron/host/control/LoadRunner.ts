import type { LoadSpec, LoadView } from '../../../contract/hostContract.js';
import { LoadRun } from '../../../broker/src/load/LoadRun.js';
import { hostError } from './hostError.js';

/** Progress of running loads goes out at most this often (per run): coalesced like snapshots. */
export const LOAD_PROGRESS_MS = 250;
/** Finished runs kept for a page that (re)connects: its list of past runs survives a reload. */
export const LOAD_HISTORY = 20;

/**
 * Load runs started from the app: each reports "running" (with live progress, coalesced), then its
 * result or its error. The last LOAD_HISTORY runs are kept, so a page that connects sees them.
 */
export class LoadRunner {
  private readonly running = new Map<string, { run: LoadRun; view: LoadView }>();
  private readonly views = new Map<string, LoadView>();
  private next = 1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly changed: (load: LoadView) => void,
    private readonly progressMs = LOAD_PROGRESS_MS,
  ) {}

  /** `ca`: the certificate of the host's own TLS nodes. */
  start(spec: LoadSpec, urls: string[], ca?: string): string {
    let run: LoadRun;
    try {
      run = new LoadRun({ ...spec, urls, ca });
    } catch (err) {
      throw hostError({ code: 'BadArguments', message: (err as Error).message });
    }
    const id = `load${this.next++}`;
    const view: LoadView = {
      id,
      spec,
      state: 'running',
      startedAtMs: Date.now(),
      progress: run.progress(),
      result: null,
      error: null,
    };
    this.running.set(id, { run, view });
    this.update(view);
    this.timer ??= setInterval(() => this.tick(), this.progressMs).unref();
    run
      .run()
      .then(
        (r) =>
          this.update({
            ...view,
            state: 'done',
            progress: run.progress(),
            result: {
              sent: r.sent,
              received: r.received,
              lost: r.lost,
              sentPerSec: r.sentPerSec,
              receivedPerSec: r.receivedPerSec,
              p50Ms: r.p50Ms,
              p99Ms: r.p99Ms,
            },
          }),
        (err: unknown) =>
          this.update({ ...view, state: 'failed', progress: run.progress(), error: hostError(err) }),
      )
      .finally(() => {
        this.running.delete(id);
        if (this.running.size === 0) {
          clearInterval(this.timer);
          this.timer = undefined;
        }
      });
    return id;
  }

  /** Every kept run, oldest first. */
  list(): LoadView[] {
    return [...this.views.values()];
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const { run } of this.running.values()) run.stop();
    this.running.clear();
  }

  /** One event per running load whose counters moved since the last one. */
  private tick(): void {
    for (const entry of this.running.values()) {
      const progress = entry.run.progress();
      const last = entry.view.progress;
      if (
        last &&
        last.phase === progress.phase &&
        last.sent === progress.sent &&
        last.received === progress.received
      )
        continue;
      this.update({ ...entry.view, progress });
    }
  }

  private update(view: LoadView): void {
    const entry = this.running.get(view.id);
    if (entry && view.state === 'running') entry.view = view;
    this.views.set(view.id, view);
    for (const [id, v] of this.views) {
      if (this.views.size <= LOAD_HISTORY) break;
      if (v.state !== 'running') this.views.delete(id);
    }
    this.changed(view);
  }
}
