import type { RecordingView, TapFilter, TapSettings } from '../../../contract/hostContract.js';
import { TapRing, type UnnumberedRow } from './TapRing.js';
import { TapFeed, type TapFeedOptions } from './TapFeed.js';
import { TapRecorder } from './TapRecorder.js';
import { hostError } from '../control/hostError.js';

export const DEFAULT_TAP_SETTINGS: TapSettings = {
  captureBytes: 4096,
  ringRows: 50_000,
  ringBytes: 64 << 20,
};
const LIMITS = {
  captureBytes: [0, 65_536],
  ringRows: [100, 1_000_000],
  ringBytes: [1 << 20, 1 << 30],
} as const satisfies Record<keyof TapSettings, readonly [number, number]>;

/** Batches go out at most this often (about 10 per second per receiver). */
export const BATCH_MS = 100;

export interface TapHubOptions {
  recordingsDir: string;
  /** Called when the cluster's taps should run (someone watches or records) or stop. */
  setActive(active: boolean, captureBytes: number): void;
  batchMs?: number;
}

/**
 * The cluster-wide tap on the host: one bounded ring fed by every node, read by each watching
 * connection's feed and by the recorder on one timer. The nodes' taps run only while someone
 * reads, so a cluster nobody inspects pays nothing.
 */
export class TapHub {
  private settings: TapSettings = { ...DEFAULT_TAP_SETTINGS };
  private readonly ring: TapRing;
  private readonly feeds = new Set<TapFeed>();
  private recorder: TapRecorder | undefined;
  private timer: NodeJS.Timeout | undefined;
  private active = false;

  constructor(private readonly options: TapHubOptions) {
    this.ring = new TapRing({ rows: this.settings.ringRows, bytes: this.settings.ringBytes });
  }

  /** True while someone watches or records: the nodes' taps should run. */
  get isActive(): boolean {
    return this.active;
  }

  get current(): TapSettings {
    return { ...this.settings };
  }

  /** Memory the ring holds now (rows, estimated bytes), for tests and the bench. */
  ringUsage(): { rows: number; bytes: number } {
    return { rows: this.ring.size, bytes: this.ring.byteSize };
  }

  configure(change: Partial<TapSettings>): TapSettings {
    const next = { ...this.settings };
    for (const key of Object.keys(LIMITS) as (keyof TapSettings)[]) {
      const value = change[key];
      if (value === undefined) continue;
      const [min, max] = LIMITS[key];
      if (!Number.isInteger(value) || value < min || value > max)
        throw hostError({ code: 'BadArguments', message: `${key} must be an integer in ${min}..${max}` });
      next[key] = value;
    }
    const resized = next.ringRows !== this.settings.ringRows || next.ringBytes !== this.settings.ringBytes;
    const recaptured = next.captureBytes !== this.settings.captureBytes;
    this.settings = next;
    if (resized) this.ring.resize({ rows: next.ringRows, bytes: next.ringBytes });
    if (recaptured && this.active) this.options.setActive(true, next.captureBytes);
    return this.current;
  }

  watch(filter: TapFilter, options: Omit<TapFeedOptions, 'maxRows'> & { maxRows?: number }): TapFeed {
    const feed = new TapFeed(this.ring, filter, { maxRows: 1000, ...options });
    this.feeds.add(feed);
    this.update();
    return feed;
  }

  unwatch(feed: TapFeed): void {
    this.feeds.delete(feed);
    this.update();
  }

  startRecording(filter: TapFilter, payload: 'base64' | 'text'): RecordingView {
    if (this.recorder)
      throw hostError({ code: 'AlreadyRecording', message: `already recording to ${this.recorder.file}` });
    this.recorder = new TapRecorder(this.ring, this.options.recordingsDir, filter, payload);
    this.update();
    return this.recorder.view();
  }

  async stopRecording(): Promise<RecordingView> {
    const rec = this.recorder;
    if (!rec) throw hostError({ code: 'NotRecording', message: 'no recording is running' });
    this.recorder = undefined;
    this.update();
    return rec.stop();
  }

  recording(): RecordingView | undefined {
    return this.recorder?.view();
  }

  /** Rows from one node's tap, plus how many it dropped because this host fell behind. */
  ingest(rows: readonly UnnumberedRow[], skippedByNode: number): void {
    if (!this.active) return;
    for (const row of rows) this.ring.push(row);
    if (skippedByNode > 0) {
      for (const feed of this.feeds) feed.addSkipped(skippedByNode);
      this.recorder?.addSkipped(skippedByNode);
    }
  }

  /**
   * Forgets every row (the cluster they came from is gone, or another one replaced it) and tells
   * each watching connection to empty its list. A recording keeps what it already wrote.
   */
  clear(): void {
    this.recorder?.flush();
    this.ring.clear();
    for (const feed of this.feeds) feed.restart();
  }

  async close(): Promise<void> {
    this.feeds.clear();
    if (this.recorder) await this.stopRecording();
    this.update();
  }

  private flush(): void {
    this.recorder?.flush();
    for (const feed of this.feeds) feed.flush();
  }

  private update(): void {
    const active = this.feeds.size > 0 || this.recorder !== undefined;
    if (active === this.active) return;
    this.active = active;
    if (active) this.timer = setInterval(() => this.flush(), this.options.batchMs ?? BATCH_MS);
    else clearInterval(this.timer);
    this.options.setActive(active, this.settings.captureBytes);
  }
}
